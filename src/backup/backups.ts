// What the bot knows about backups, in a form every runtime can hold: Node over a libSQL file
// takes snapshots itself (src/backup/file-backups.ts); D1 and a libSQL server are backed up where
// they live, and this says so. Portable: no node: imports here (Workers load it).

import type { Bi } from '../bi.ts';

export interface BackupFile {
  /** File name inside the backup folder, e.g. watchkeeper-20261201T183000Z.db. */
  name: string;
  path: string;
  /** When the snapshot was taken (UTC ms, from the name). */
  at: number;
  bytes: number;
}

export interface Backups {
  /** Set when this deployment's database is backed up by whoever runs it (D1's Time Travel, a libSQL server). */
  elsewhere?: Bi;
  /** The folder snapshots go to (file databases). */
  dir?: string;
  keep?: number;
  /** Writes one checked snapshot and prunes the oldest beyond `keep`; throws when it cannot. */
  take(now: Date): Promise<BackupFile>;
  /** Good snapshots, newest first. */
  list(): Promise<BackupFile[]>;
}

function backupsElsewhere(why: Bi): Backups {
  return {
    elsewhere: why,
    take: async () => {
      throw new Error(why.en);
    },
    list: async () => [],
  };
}

export const D1_BACKUPS = backupsElsewhere({
  zh: 'D1 数据库由 Cloudflare Time Travel 自动保留（可恢复到最近 30 天内任一分钟：npx wrangler d1 time-travel restore），本程序不另做备份',
  en: "D1 is kept by Cloudflare's Time Travel (restore to any minute of the last 30 days: npx wrangler d1 time-travel restore); the bot takes no snapshots itself",
});

export const LIBSQL_SERVER_BACKUPS = backupsElsewhere({
  zh: '数据库在 libSQL 服务器上，请在服务器上备份（见 README「备份与恢复」），本程序不另做备份',
  en: 'the database is on a libSQL server: back it up there (README, "Backups and restore"); the bot takes no snapshots itself',
});

/** Snapshot names: the UTC instant, sortable as text; a suffix when two land in one second. */
export const SNAPSHOT_NAME = /^watchkeeper-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$/;

export function snapshotName(now: Date, n = 0): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `watchkeeper-${stamp}${n ? `-${n}` : ''}.db`;
}

export function snapshotTime(name: string): number | undefined {
  const m = SNAPSHOT_NAME.exec(name);
  if (!m) return undefined;
  const s = m[1];
  return Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15));
}
