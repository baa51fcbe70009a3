import { hostname } from 'node:os';
import type { SqlClient } from '../db/sql.ts';

// How `npm run restore` knows a server is running on the database it would replace: every Node
// server keeps a row `server:<instance>` in the settings table, refreshed every few seconds and
// deleted on a clean stop. A row fresher than STALE_MS is a live server — unless it names this
// host and a process id that no longer exists (a server killed with -9 a moment ago), which is
// known at once rather than after the row goes stale. The database itself is the meeting point,
// so it works whatever port or host the server listens on.

export const BEAT_MS = 5_000;
export const STALE_MS = 20_000;
const PREFIX = 'server:';

export interface Presence {
  instanceId: string;
  pid: number;
  host: string;
  port?: number;
  at: number;
}

async function beat(client: SqlClient, p: Presence) {
  await client.execute({
    sql: 'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    args: [PREFIX + p.instanceId, JSON.stringify(p), p.at],
  });
}

/** Announces this process on its database until stopped; the first beat is written before it returns. */
export async function announceServer(client: SqlClient, o: { instanceId: string; port?: number; onError?: (e: unknown) => void }) {
  const me = () => ({ instanceId: o.instanceId, pid: process.pid, host: hostname(), port: o.port, at: Date.now() });
  await beat(client, me());
  const timer = setInterval(() => void beat(client, me()).catch((e) => o.onError?.(e)), BEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await client.execute({ sql: 'DELETE FROM settings WHERE key = ?', args: [PREFIX + o.instanceId] }).catch((e) => o.onError?.(e));
    },
  };
}

/** Servers that are running on this database now. */
export async function liveServers(client: SqlClient, now = Date.now()): Promise<Presence[]> {
  const rows = await client.execute({ sql: "SELECT value FROM settings WHERE key LIKE 'server:%' AND updated_at > ?", args: [now - STALE_MS] });
  const here = hostname();
  return rows.rows
    .map((r) => safeParse(String(r.value)))
    .filter((p): p is Presence => !!p)
    .filter((p) => p.host !== here || alive(p.pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function safeParse(s: string): Presence | undefined {
  try {
    const p = JSON.parse(s) as Presence;
    return typeof p.pid === 'number' && typeof p.host === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}
