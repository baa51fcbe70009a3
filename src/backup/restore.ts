import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { snapshotName } from './backups.ts';
import { checkDatabaseFile } from './sqlite-file.ts';
import { liveServers, type Presence } from './presence.ts';

export type RestoreResult =
  | { ok: true; restored: string; asideAs?: string; migrations: number }
  | { ok: false; reason: 'bad-file'; detail: string }
  | { ok: false; reason: 'server-running'; servers: Presence[] };

/**
 * Puts a snapshot in place of the database file at `dbPath`, after checking the snapshot and that
 * no server runs on the database. The file it replaces (with its -wal and -shm, which belong to it)
 * is renamed aside to `<db>.replaced-<time>`, never deleted.
 */
export async function restoreDatabase(o: { file: string; dbPath: string; now: Date }): Promise<RestoreResult> {
  const check = await checkDatabaseFile(o.file);
  if (!check.ok) return { ok: false, reason: 'bad-file', detail: check.reason };

  if (existsSync(o.dbPath)) {
    const servers = await serversOn(o.dbPath, o.now);
    if (servers.length) return { ok: false, reason: 'server-running', servers };
  }

  let asideAs: string | undefined;
  if (existsSync(o.dbPath)) {
    asideAs = `${o.dbPath}.replaced-${snapshotName(o.now).replace(/^watchkeeper-|\.db$/g, '')}`;
    for (const ext of ['', '-wal', '-shm']) if (existsSync(o.dbPath + ext)) renameSync(o.dbPath + ext, asideAs + ext);
  }
  // Copy beside the target, then rename: the database file is never half-written.
  const incoming = `${o.dbPath}.restoring`;
  copyFileSync(o.file, incoming);
  for (const ext of ['-wal', '-shm']) rmSync(incoming + ext, { force: true });
  renameSync(incoming, o.dbPath);
  return { ok: true, restored: o.dbPath, asideAs, migrations: check.migrations };
}

async function serversOn(dbPath: string, now: Date): Promise<Presence[]> {
  const client = createClient({ url: `file:${dbPath}` });
  try {
    const t = await client.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'");
    return t.rows.length ? await liveServers(client, now.getTime()) : [];
  } finally {
    client.close();
  }
}
