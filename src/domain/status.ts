import type { Db } from '../db/client.ts';
import type { Backups } from '../backup/backups.ts';
import type { Bi } from '../bi.ts';
import type { Settings } from '../settings.ts';
import { backupState, type BackupState } from './backup-status.ts';
import { buzzUsage, type BuzzUsage } from './escalations.ts';

// /status: what an admin checks to know the deployment is healthy. One ordered list of sections;
// a new concern adds one entry here (and its rendering in src/views/status.ts).

export interface StatusDeps {
  db: Db;
  settings: Settings;
  backups?: Backups;
  now: Date;
}

export type StatusSection =
  | { kind: 'backups'; title: Bi; state: BackupState }
  | { kind: 'buzzes'; title: Bi; usage: BuzzUsage; limits: { sms: number; phone: number } };

export interface StatusSource {
  kind: StatusSection['kind'];
  read(deps: StatusDeps): Promise<StatusSection>;
}

export const statusSources: readonly StatusSource[] = [
  { kind: 'backups', read: async (d) => ({ kind: 'backups', title: { zh: '备份', en: 'Backups' }, state: await backupState(d.db, d.backups) }) },
  // Paid buzzes this month against BUZZ_SMS_MONTHLY_LIMIT / BUZZ_PHONE_MONTHLY_LIMIT (issue 16).
  {
    kind: 'buzzes',
    read: async (d) => ({
      kind: 'buzzes',
      title: { zh: '本月加急', en: 'Buzzes this month' },
      usage: await buzzUsage(d.db, d.now, d.settings.tz),
      limits: { sms: d.settings.escalation.smsMonthlyLimit, phone: d.settings.escalation.phoneMonthlyLimit },
    }),
  },
];

export const readStatus = (deps: StatusDeps): Promise<StatusSection[]> => Promise.all(statusSources.map((s) => s.read(deps)));
