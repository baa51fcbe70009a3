import { planNags } from '../src/domain/nags.ts';
import type { Job } from '../src/jobs/types.ts';

/** Hourly at minute 5: Lark advises against sending exactly on the hour. */
const overdueNags: Job = {
  name: 'overdue-nags',
  cron: '5 * * * *',
  summary: { zh: '逾期整改催办与逐级督办', en: 'nag overdue rectifications and escalate' },
  run: ({ db, settings }, now) => planNags(db, settings, now),
};

export default overdueNags;
