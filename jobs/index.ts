import type { Job } from '../src/jobs/types.ts';
import dueSoon from './due-soon.ts';
import overdueNags from './overdue-nags.ts';
import dailyBrief from './daily-brief.ts';
import dispatchFollowup from './dispatch-followup.ts';
import shiftReminders from './shift-reminders.ts';
import rosterGaps from './roster-gaps.ts';
import weeklyReport from './weekly-report.ts';
import escalations from './escalations.ts';
import reportDeadlines from './report-deadlines.ts';
import backup from './backup.ts';
import silenceAlarm from './silence-alarm.ts';
import housekeeping from './housekeeping.ts';

/** Every scheduled job. Node schedules them with node-cron; Workers' cron triggers must match. */
export const jobs: readonly Job[] = [dueSoon, overdueNags, dailyBrief, shiftReminders, rosterGaps, dispatchFollowup, weeklyReport, escalations, reportDeadlines, backup, silenceAlarm, housekeeping];

export const findJob = (name: string) => jobs.find((j) => j.name === name);
