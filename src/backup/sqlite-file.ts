import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';

// The heavy SQLite work on files — VACUUM INTO and integrity_check — runs on a thread of its own,
// over its own connection: libSQL's calls are synchronous, and a snapshot of a city's database on
// the event loop would hold up every webhook behind it. A second connection in WAL mode reads one
// consistent snapshot and never blocks the server's writes.

/** Tables every Watchkeeper database has; a file without them is something else. */
export const WATCHKEEPER_TABLES = ['__drizzle_migrations', 'people', 'inbox', 'outbox', 'settings', 'hazards', 'enterprises'] as const;

export type FileCheck = { ok: true; migrations: number } | { ok: false; reason: string };

const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { createClient } = require(workerData.clientPath);
(async () => {
  const { op, source, target, tables } = workerData;
  if (op === 'vacuum') {
    const c = createClient({ url: 'file:' + source, timeout: 5000 });
    try { await c.execute({ sql: 'VACUUM INTO ?', args: [target] }); } finally { c.close(); }
  }
  const file = op === 'vacuum' ? target : source;
  const c = createClient({ url: 'file:' + file });
  try {
    const integrity = await c.execute('PRAGMA integrity_check');
    const first = integrity.rows[0] ? String(Object.values(integrity.rows[0])[0]) : 'no answer';
    if (first !== 'ok') return parentPort.postMessage({ ok: false, reason: 'integrity check: ' + first });
    const names = new Set((await c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")).rows.map((r) => String(r.name)));
    const missing = tables.filter((t) => !names.has(t));
    if (missing.length) return parentPort.postMessage({ ok: false, reason: 'not a Watchkeeper database (no ' + missing.join(', ') + ' table)' });
    const m = await c.execute('SELECT count(*) AS n FROM __drizzle_migrations');
    parentPort.postMessage({ ok: true, migrations: Number(m.rows[0].n) });
  } finally { c.close(); }
})().catch((e) => parentPort.postMessage({ ok: false, reason: String((e && e.message) || e) }));
`;

function run(workerData: Record<string, unknown>): Promise<FileCheck> {
  const clientPath = createRequire(import.meta.url).resolve('@libsql/client');
  return new Promise((resolve, reject) => {
    const worker = new Worker(SCRIPT, { eval: true, workerData: { ...workerData, clientPath, tables: WATCHKEEPER_TABLES } });
    worker.once('message', (m: FileCheck) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`sqlite worker exited (${code}) without an answer`)));
  });
}

/** Writes a consistent copy of the database at `source` to `target` (which must not exist), then checks the copy. */
export const vacuumInto = (source: string, target: string) => run({ op: 'vacuum', source, target });

/** integrity_check passes and the file has Watchkeeper's tables. */
export async function checkDatabaseFile(path: string): Promise<FileCheck> {
  // Opening a missing file would create an empty database: look first.
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isFile()) return { ok: false, reason: `no such file: ${path}` };
  return run({ op: 'check', source: path });
}
