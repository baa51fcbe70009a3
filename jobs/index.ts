import type { Job } from '../src/jobs/types.ts';
import dueSoon from './due-soon.ts';
import overdueNags from './overdue-nags.ts';
import dailyBrief from './daily-brief.ts';

/** Every scheduled job. Node schedules them with node-cron; Workers' cron triggers must match. */
export const jobs: readonly Job[] = [dueSoon, overdueNags, dailyBrief];

export const findJob = (name: string) => jobs.find((j) => j.name === name);
