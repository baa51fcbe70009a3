import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { settings as settingsTable } from '../db/schema.ts';
import type { BackupFile, Backups } from '../backup/backups.ts';
import type { Bi } from '../bi.ts';

// What /status (and the failure notice) say about backups: the newest good snapshot, how many are
// kept, and the last failure when it is newer than that snapshot.

const FAILED_KEY = 'backup_failed';

export interface BackupFailure {
  at: number;
  error: string;
}

export type BackupState =
  | { kind: 'elsewhere'; why: Bi }
  | { kind: 'not-configured' }
  | { kind: 'files'; dir: string; keep: number; latest?: BackupFile; count: number; failure?: BackupFailure };

export async function backupState(db: Db, backups: Backups | undefined): Promise<BackupState> {
  if (!backups) return { kind: 'not-configured' };
  if (backups.elsewhere) return { kind: 'elsewhere', why: backups.elsewhere };
  const files = await backups.list();
  const failure = await lastBackupFailure(db);
  const latest = files[0];
  return {
    kind: 'files',
    dir: backups.dir ?? '',
    keep: backups.keep ?? files.length,
    latest,
    count: files.length,
    failure: failure && (!latest || failure.at > latest.at) ? failure : undefined,
  };
}

export async function lastBackupFailure(db: Db): Promise<BackupFailure | undefined> {
  const [row] = await db.select({ value: settingsTable.value }).from(settingsTable).where(eq(settingsTable.key, FAILED_KEY));
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as BackupFailure;
  } catch {
    return undefined;
  }
}

/** The statement recording a failed backup (committed with the admins' notice). */
export const recordBackupFailure = (db: Db, f: BackupFailure) =>
  db
    .insert(settingsTable)
    .values({ key: FAILED_KEY, value: JSON.stringify(f), updatedAt: f.at })
    .onConflictDoUpdate({ target: settingsTable.key, set: { value: JSON.stringify(f), updatedAt: f.at } });

export const clearBackupFailure = (db: Db) => db.delete(settingsTable).where(eq(settingsTable.key, FAILED_KEY));
