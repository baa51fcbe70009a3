// npm run bench:rollup-writes
//
// What the statistics rollups (docs/adr/0022-statistics-rollups.md) cost the writes that move a
// count. Every INSERT, DELETE and counted UPDATE of a hazard, visit or enforcement action fires
// SQLite triggers that upsert stats_rollup rows in the same statement; nothing else pays. Measured
// on a seeded county (bench/county.ts: 5,000 enterprises, 200,000 hazards) and, as the baseline in
// the same run, on a copy of the same file with the twelve rollup triggers dropped: the same
// statements, each in its own transaction as a command commits them, rounds alternating between
// the two files so the machine's noise falls on both.
//
// Knobs: ROLLUP_WRITES_OPS (per kind and round, default 400), ROLLUP_WRITES_ROUNDS (default 3),
// ROLLUP_WRITES_HAZARDS (default 200000).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { seedCounty } from './county.ts';
import { percentile } from './common.ts';

const int = (name: string, dflt: number) => {
  const n = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const OPS = int('ROLLUP_WRITES_OPS', 400);
const ROUNDS = int('ROLLUP_WRITES_ROUNDS', 3);
const HAZARDS = int('ROLLUP_WRITES_HAZARDS', 200_000);
const NOW = Date.UTC(2026, 11, 2, 2, 0);

type Kind = 'report (INSERT hazard)' | 'dispatched → rectified' | 'rectified → closed' | 'extend deadline (not counted)' | 'inspection INSERT' | 'enforcement INSERT';
const KINDS: Kind[] = ['report (INSERT hazard)', 'dispatched → rectified', 'rectified → closed', 'extend deadline (not counted)', 'inspection INSERT', 'enforcement INSERT'];

/** One write of a kind, as its own transaction; `i` keeps every run's rows distinct. */
async function write(c: Client, kind: Kind, i: number, ids: { dispatched: number[]; rectified: number[] }) {
  const t = NOW + i;
  switch (kind) {
    case 'report (INSERT hazard)':
      return c.execute({
        sql: `INSERT INTO hazards (no, enterprise_id, sector, township, level, description, reporter_open_id, status, reported_at, deadline, updated_at)
              SELECT ?, id, sector, township, 'general', '消防通道堆放杂物', 'ou_bench_p1', 'reported', ?, ?, ? FROM enterprises WHERE id = ?`,
        args: [`YH-B-${i}`, t, t + 7 * 86_400_000, t, 1 + (i % 5000)],
      });
    case 'dispatched → rectified':
      return c.execute({ sql: "UPDATE hazards SET status = 'rectified', rectified_at = ?, updated_at = ? WHERE id = ?", args: [t, t, ids.dispatched.pop()!] });
    case 'rectified → closed':
      return c.execute({ sql: "UPDATE hazards SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?", args: [t, t, ids.rectified.pop()!] });
    case 'extend deadline (not counted)':
      return c.execute({ sql: 'UPDATE hazards SET deadline = deadline + 86400000, updated_at = ? WHERE id = ?', args: [t, ids.dispatched[i % ids.dispatched.length]] });
    case 'inspection INSERT':
      return c.execute({ sql: "INSERT INTO inspections (enterprise_id, inspector_open_id, at, covert, created_at) VALUES (?, 'ou_bench_p1', ?, 0, ?)", args: [1 + (i % 5000), t, t] });
    case 'enforcement INSERT':
      return c.execute({ sql: "INSERT INTO enforcement_actions (enterprise_id, kind, at, note, actor_open_id, created_at) VALUES (?, 'document', ?, '', 'ou_bench_p1', ?)", args: [1 + (i % 5000), t, t] });
  }
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'wk-rollup-writes-'));
  try {
    const withRollups = join(dir, 'rollups.db');
    const t0 = performance.now();
    await seedCounty(`file:${withRollups}`, { enterprises: 5000, hazards: HAZARDS, now: NOW });
    const seeding = performance.now() - t0;
    const a = createClient({ url: `file:${withRollups}` });
    const without = join(dir, 'plain.db');
    await a.execute(`VACUUM INTO '${without}'`);
    const b = createClient({ url: `file:${without}` });
    const triggers = (await b.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats_rollup_%'")).rows.map((r) => String(r.name));
    for (const name of triggers) await b.execute(`DROP TRIGGER "${name}"`);
    for (const c of [a, b]) {
      await c.execute('PRAGMA journal_mode=WAL');
      await c.execute('PRAGMA synchronous=NORMAL');
      await c.execute('PRAGMA busy_timeout=5000');
    }
    const idsOf = async (c: Client) => ({
      dispatched: (await c.execute("SELECT id FROM hazards WHERE status = 'dispatched' ORDER BY id LIMIT 20000")).rows.map((r) => Number(r.id)),
      rectified: (await c.execute("SELECT id FROM hazards WHERE status = 'rectified' ORDER BY id LIMIT 20000")).rows.map((r) => Number(r.id)),
    });
    const ids = { a: await idsOf(a), b: await idsOf(b) };
    const samples = new Map<string, number[]>();
    let seq = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, c, own] of (round % 2 ? [['plain', b, ids.b], ['rollups', a, ids.a]] : [['rollups', a, ids.a], ['plain', b, ids.b]]) as [string, Client, typeof ids.a][]) {
        for (const kind of KINDS) {
          const key = `${name}|${kind}`;
          const xs = samples.get(key) ?? [];
          const base = seq;
          for (let i = 0; i < OPS; i++) {
            const s = performance.now();
            await write(c, kind, base + i, own);
            xs.push(performance.now() - s);
          }
          samples.set(key, xs);
        }
      }
      seq += OPS; // the same numbers on both files: the same rows written
    }
    // Both files must hold the same rows; only the rollup differs (and is right where kept).
    const count = async (c: Client) => JSON.stringify((await c.execute("SELECT status, count(*) AS n FROM hazards GROUP BY status ORDER BY status")).rows.map((r) => [r.status, Number(r.n)]));
    const same = (await count(a)) === (await count(b));
    const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
    console.log(`seeded ${HAZARDS.toLocaleString()} hazards in ${(seeding / 1000).toFixed(1)} s; ${triggers.length} rollup triggers dropped on the baseline copy; ${ROUNDS} rounds × ${OPS} writes per kind, each its own transaction`);
    console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${load}\n`);
    console.log(`${'write'.padEnd(32)} ${'no rollups p50'.padStart(15)} ${'p99'.padStart(8)} ${'rollups p50'.padStart(12)} ${'p99'.padStart(8)}  cost p50`);
    for (const kind of KINDS) {
      const p = (name: string) => {
        const xs = Float64Array.from(samples.get(`${name}|${kind}`)!).sort();
        return { p50: percentile(xs, 50), p99: percentile(xs, 99) };
      };
      const plain = p('plain');
      const rolled = p('rollups');
      const cost = rolled.p50 - plain.p50;
      console.log(`${kind.padEnd(32)} ${plain.p50.toFixed(3).padStart(12)} ms ${plain.p99.toFixed(3).padStart(8)} ${rolled.p50.toFixed(3).padStart(9)} ms ${rolled.p99.toFixed(3).padStart(8)}  ${cost >= 0 ? '+' : ''}${(cost * 1000).toFixed(0)} µs (×${(rolled.p50 / plain.p50).toFixed(2)})`);
    }
    console.log(`\nrows written identical on both files: ${same ? '✓' : '✗'}`);
    a.close();
    b.close();
    if (!same) {
      console.error('BENCH FAILED: the two files hold different hazards');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
