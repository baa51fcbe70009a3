// LATENCY_TIMING=1 npm run bench:latency loads this into the server (node --import): how long each
// synchronous slice of the event loop was and what ran in it. It times every libSQL statement
// (prepare and run, by the statement's shape), notices each gap of more than 15 ms in a 2 ms
// timer (the loop was busy), and records the statements and GC pauses inside it. At exit it writes
// JSON to LATENCY_TIMING_OUT: { byTotal, stalls, gc }. Measurement only; the server never loads it.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';

const Database = createRequire(join(process.cwd(), 'package.json'))('libsql');
const now = () => performance.now();
const stats = new Map();
let recent = [];
/** The statement with its VALUES lists folded, so a 12-row and a 3-row insert count together. */
const shape = (sql) => sql.replace(/\s+/g, ' ').replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))+/g, '(?…)').slice(0, 140);
function record(key, t0, ms) {
  let s = stats.get(key);
  if (!s) stats.set(key, (s = { n: 0, total: 0, max: 0 }));
  s.n++;
  s.total += ms;
  s.max = Math.max(s.max, ms);
  recent.push([t0, ms, key]);
}
const sqlOf = new WeakMap();
const prepare = Database.prototype.prepare;
let patched = false;
Database.prototype.prepare = function (sql) {
  const t0 = now();
  const stmt = prepare.call(this, sql);
  record(`prepare ${shape(sql)}`, t0, now() - t0);
  sqlOf.set(stmt, shape(sql));
  if (!patched) {
    patched = true;
    const proto = Object.getPrototypeOf(stmt);
    for (const m of ['run', 'all', 'get']) {
      const original = proto[m];
      proto[m] = function (...args) {
        const t = now();
        try {
          return original.apply(this, args);
        } finally {
          record(`${m} ${sqlOf.get(this) ?? '?'}`, t, now() - t);
        }
      };
    }
  }
  return stmt;
};
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([e.startTime, e.duration]);
}).observe({ entryTypes: ['gc'] });
const stalls = [];
const TICK_MS = 2;
let last = now();
setInterval(() => {
  const t = now();
  const gap = t - last - TICK_MS;
  if (gap > 15) {
    const inside = recent.filter((r) => r[0] >= last);
    stalls.push({
      atMs: Math.round(last),
      gapMs: +gap.toFixed(1),
      sqlMs: +inside.reduce((a, r) => a + r[1], 0).toFixed(1),
      statements: inside.length,
      gcMs: +gcs.filter((g) => g[0] >= last).reduce((a, g) => a + g[1], 0).toFixed(1),
      longest: [...inside].sort((a, b) => b[1] - a[1]).slice(0, 3).map((r) => `${r[1].toFixed(1)} ms ${r[2].slice(0, 90)}`),
    });
  }
  recent = [];
  last = t;
}, TICK_MS).unref();
process.on('exit', () => {
  const out = process.env.LATENCY_TIMING_OUT;
  if (!out) return;
  const byTotal = [...stats].sort((a, b) => b[1].total - a[1].total).slice(0, 40).map(([k, s]) => ({ statement: k, n: s.n, totalMs: Math.round(s.total), maxMs: +s.max.toFixed(1) }));
  const gc = { n: gcs.length, totalMs: Math.round(gcs.reduce((a, g) => a + g[1], 0)), maxMs: +Math.max(0, ...gcs.map((g) => g[1])).toFixed(1) };
  writeFileSync(out, JSON.stringify({ byTotal, stalls, gc }, null, 1));
});
