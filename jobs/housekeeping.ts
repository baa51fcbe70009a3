import { Effects } from '../src/outbox/effects.ts';
import { pruneOld } from '../src/domain/housekeeping.ts';
import type { Job } from '../src/jobs/types.ts';

const DAY_MS = 86_400_000;

/**
 * Daily at 03:40: job runs, processed-event receipts and the nag digests' log older than RETENTION_DAYS go, in small
 * batches (src/domain/housekeeping.ts says what is pruned and what never is). The deletes commit
 * as they go; the run queues nothing.
 */
const housekeeping: Job = {
  name: 'housekeeping',
  cron: '40 3 * * *',
  summary: { zh: '每天清理超过保留期的任务记录和事件回执（台账数据不清理）', en: 'prune job runs and event receipts older than RETENTION_DAYS, daily (never ledger data)' },
  async run({ db, settings, log }, now) {
    const pruned = await pruneOld(db, now.getTime() - settings.ops.retentionDays * DAY_MS);
    if (Object.values(pruned).some((n) => n > 0)) log.info('housekeeping: pruned', pruned);
    return new Effects(now);
  },
};

export default housekeeping;
