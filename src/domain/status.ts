import type { Db } from '../db/client.ts';
import type { Backups } from '../backup/backups.ts';
import type { Bi } from '../bi.ts';
import type { Settings } from '../settings.ts';
import { backupState, type BackupState } from './backup-status.ts';

// /status: what an admin checks to know the deployment is healthy. One ordered list of sections;
// a new concern adds one entry here (and its rendering in src/views/status.ts).

export interface StatusDeps {
  db: Db;
  settings: Settings;
  backups?: Backups;
  now: Date;
}

export type StatusSection = { kind: 'backups'; title: Bi; state: BackupState };

export interface StatusSource {
  kind: StatusSection['kind'];
  read(deps: StatusDeps): Promise<StatusSection>;
}

export const statusSources: readonly StatusSource[] = [
  { kind: 'backups', read: async (d) => ({ kind: 'backups', title: { zh: '备份', en: 'Backups' }, state: await backupState(d.db, d.backups) }) },
];

export const readStatus = (deps: StatusDeps): Promise<StatusSection[]> => Promise.all(statusSources.map((s) => s.read(deps)));
