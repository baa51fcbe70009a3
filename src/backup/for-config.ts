import type { Config } from '../config.ts';
import { LIBSQL_SERVER_BACKUPS, type Backups } from './backups.ts';
import { fileBackups } from './file-backups.ts';

/** The database file DATABASE_URL names, or undefined for a libSQL server or memory. */
export function databaseFile(config: Pick<Config, 'DATABASE_URL'>): string | undefined {
  const url = config.DATABASE_URL;
  if (!url.startsWith('file:')) return undefined;
  const path = url.slice('file:'.length).replace(/\?.*$/, '');
  return path && path !== ':memory:' ? path : undefined;
}

/** Node's backups: snapshots of the file into BACKUP_DIR, or a note that a libSQL server keeps its own. */
export function backupsFor(config: Pick<Config, 'DATABASE_URL' | 'BACKUP_DIR' | 'BACKUP_KEEP'>): Backups {
  const dbPath = databaseFile(config);
  return dbPath ? fileBackups({ dbPath, dir: config.BACKUP_DIR, keep: config.BACKUP_KEEP }) : LIBSQL_SERVER_BACKUPS;
}
