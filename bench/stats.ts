// npm run bench:stats
//
// /stats over a big city: 1,000,000 hazards, 100,000 inspections and 50,000 enforcement actions
// spread over 2026 across 9 sectors, 20 townships and 5,000 enterprises, generated in SQL
// (INSERT … SELECT over a recursive CTE, secondary indexes dropped during the load and rebuilt
// after, exactly as the migrations define them). Measures computeStats — the SQL aggregation
// behind /stats — for 本月 按行业 (p50 ≤ 50 ms) and 今年 (p50 ≤ 200 ms), and in the same run the
// naive alternative: load the period's rows and count in JavaScript. Both must agree.
//
// Knobs (environment): BENCH_RUNS (timed runs per case, default 30; ≥ 20), BENCH_BASELINE_RUNS
// (default 5), BENCH_STATS_DB (keep/reuse the generated database at this path), BENCH_HAZARDS,
// BENCH_INSPECTIONS, BENCH_ENFORCEMENT, BENCH_ENTERPRISES (scale).
//
// BENCH_STATS_SIZE=province (issue 20): 10,000,000 hazards over five years (2022–2026), 100,000
// enterprises, 60 counties × 15 townships, 2,000,000 inspections, 500,000 enforcement actions.
// Goals: /stats 今年 and 今年 按乡镇 for the whole province p50 ≤ 100 ms, a month ≤ 30 ms. /stats reads
// the rollups (docs/adr/0022-statistics-rollups.md); the baseline, in the same run, is counting the
// rows (computeStats with rollups off: range counts over covering indexes), and every case's
// figures must equal it — the bench exits 1, loudly, when any figure differs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { and, eq, gte, lt } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { enforcementActions, enterprises, hazards, inspections, townships } from '../src/db/schema.ts';
import { computeStats, zeroFigures, type Figures, type Grouping, type Scope } from '../src/domain/stats.ts';
import { parsePeriod, type Period } from '../src/domain/stats-period.ts';
import { SECTOR_CODES } from '../src/domain/sectors.ts';
import { fromLocal } from '../src/domain/time.ts';
import { percentile } from './common.ts';
import { rebuildStatements, rollupBuckets } from '../src/domain/stats-rollup.ts';

const int = (name: string, dflt: number, min = 1) => {
  const v = process.env[name];
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return n;
};
const RUNS = int('BENCH_RUNS', 30, 20);
const BASELINE_RUNS = int('BENCH_BASELINE_RUNS', 5);
const SIZE = process.env.BENCH_STATS_SIZE ?? 'city';
if (SIZE !== 'city' && SIZE !== 'province') throw new Error('BENCH_STATS_SIZE must be city or province');
const PROVINCE = SIZE === 'province';
const N_HAZARDS = int('BENCH_HAZARDS', PROVINCE ? 10_000_000 : 1_000_000);
const N_INSPECTIONS = int('BENCH_INSPECTIONS', PROVINCE ? 2_000_000 : 100_000);
const N_ENFORCEMENT = int('BENCH_ENFORCEMENT', PROVINCE ? 500_000 : 50_000);
const N_ENTERPRISES = int('BENCH_ENTERPRISES', PROVINCE ? 100_000 : 5_000);
const N_TOWNSHIPS = PROVINCE ? 900 : 20;
/** Townships per county: 60 counties of 15 in a province; the city is one county. */
const TOWNSHIPS_PER_COUNTY = PROVINCE ? 15 : 20;
const TZ = 'Asia/Shanghai';
const KEEP = process.env.BENCH_STATS_DB;
/** BENCH_STATS_DAMAGE=1 adds one hazard to one rollup row after seeding: the check must then fail (test/bench-stats.test.ts). */
const DAMAGE = process.env.BENCH_STATS_DAMAGE === '1';

// The city's data covers local 2026, the province's 2022–2026; "now" is New Year's Eve 2026, so
// 本月 is a whole month (December) and 今年 a whole year: the worst case for both targets.
const YEAR_START = fromLocal(2026, 1, 1, 0, 0, TZ).getTime();
const YEAR_END = fromLocal(2027, 1, 1, 0, 0, TZ).getTime();
const DATA_START = PROVINCE ? fromLocal(2022, 1, 1, 0, 0, TZ).getTime() : YEAR_START;
const SPAN = YEAR_END - DATA_START;
const NOW = fromLocal(2026, 12, 31, 20, 0, TZ);
const RECENT = NOW.getTime() - 60 * 86_400_000;

const fail = (msg: string): never => {
  console.error(`\nBENCH FAILED: ${msg}`);
  process.exit(1);
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function generate(database: Database) {
  const { client } = database;
  const t0 = performance.now();
  await client.execute('PRAGMA synchronous=OFF');
  await client.execute('PRAGMA cache_size=-1000000');
  const tables = ['hazards', 'inspections', 'enforcement_actions', 'enterprises'];
  const indexes = (await client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map((t) => `'${t}'`).join(',')})`)).rows.map((r) => ({ name: String(r.name), sql: String(r.sql) }));
  for (const i of indexes) await client.execute(`DROP INDEX "${i.name}"`);
  // The rollup triggers are dropped for the load and the rollup rebuilt from the rows after it
  // (npm run rollups -- rebuild does the same), then the triggers come back as the migration made them.
  const triggers = (await client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)).rows.map((r) => ({ name: String(r.name), sql: String(r.sql) }));
  for (const t of triggers) await client.execute(`DROP TRIGGER "${t.name}"`);
  await client.execute(`WITH RECURSIVE n(t) AS (SELECT 0 UNION ALL SELECT t + 1 FROM n WHERE t < ${N_TOWNSHIPS - 1})
    INSERT INTO townships (name, county, updated_at) SELECT '乡镇' || t, '县区' || (t / ${TOWNSHIPS_PER_COUNTY}), 0 FROM n`);

  const sectors = `CASE (${PROVINCE ? `(e / ${N_TOWNSHIPS})` : "e"} % ${SECTOR_CODES.length}) ${SECTOR_CODES.map((s, i) => `WHEN ${i} THEN '${s}'`).join(' ')} END`;
  const townships = `'乡镇' || (e % ${N_TOWNSHIPS})`;
  // Deterministic spreads: multiplying by large odd constants modulo the span scatters rows over
  // the year without random(), so every run measures the same database.
  await client.execute(`WITH RECURSIVE n(e) AS (SELECT 1 UNION ALL SELECT e + 1 FROM n WHERE e < ${N_ENTERPRISES})
    INSERT INTO enterprises (id, name, sector, township, registered, created_at, updated_at)
    SELECT e, '企业' || e, ${sectors}, ${townships}, 1, ${YEAR_START}, ${YEAR_START} FROM n`);
  const inspectionEnterprise = (j: string) => `(1 + (${j} * 7919) % ${N_ENTERPRISES})`;
  const inspectionAt = (j: string) => `(${DATA_START} + (${j} * 2654435761) % ${SPAN})`;
  await client.execute(`WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < ${N_INSPECTIONS})
    INSERT INTO inspections (id, enterprise_id, inspector_open_id, at, covert, created_at)
    SELECT j, ${inspectionEnterprise('j')}, 'ou_inspector_' || (j % 60), ${inspectionAt('j')}, (j % 20 = 0), ${YEAR_START} FROM n`);
  // 70% of hazards come from an inspection (same enterprise, within hours of the visit); statuses
  // 40% closed, 15% rectified, 35% dispatched, 10% reported; 1 in 20 major. In the province, a
  // hazard older than 60 days is mostly closed as the years go (96% closed, 2.5% rectified, 1%
  // still dispatched, 0.5% never dispatched): five years of 35% open would be 3.5 million open
  // hazards, which no bureau has.
  await client.execute(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N_HAZARDS}),
    x AS (SELECT i, 1 + (i - 1) % ${N_INSPECTIONS} AS j, (i % 10 < 7) AS linked, (i * 40503) % 100 AS r FROM n),
    y AS (SELECT i, r, CASE WHEN linked THEN j END AS insp,
      CASE WHEN linked THEN ${inspectionEnterprise('j')} ELSE 1 + (i * 104729) % ${N_ENTERPRISES} END AS e,
      CASE WHEN linked THEN min(${inspectionAt('j')} + (i % 7) * 3600000, ${YEAR_END - 1}) ELSE ${DATA_START} + (i * 2246822519) % ${SPAN} END AS t
      FROM x),
    z AS (SELECT *, CASE WHEN ${PROVINCE ? 1 : 0} AND t < ${RECENT} THEN
        CASE WHEN (i * 7919) % 1000 < 960 THEN 20 WHEN (i * 7919) % 1000 < 985 THEN 50 WHEN (i * 7919) % 1000 < 995 THEN 80 ELSE 95 END
      ELSE r END AS q FROM y)
    INSERT INTO hazards (no, enterprise_id, sector, township, level, description, reporter_open_id, assignee_open_id, status, reported_at, deadline, dispatched_at, rectified_at, closed_at, inspection_id, updated_at)
    SELECT 'YH-B-' || i, e, ${sectors}, ${townships}, CASE WHEN i % 20 = 0 THEN 'major' ELSE 'general' END, '基准测试隐患', 'ou_inspector_' || (i % 60), 'ou_contact_' || e,
      CASE WHEN q < 40 THEN 'closed' WHEN q < 55 THEN 'rectified' WHEN q < 90 THEN 'dispatched' ELSE 'reported' END,
      t, t + CASE WHEN i % 20 = 0 THEN 30 ELSE 7 END * 86400000,
      CASE WHEN q < 90 THEN t + 3600000 END, CASE WHEN q < 55 THEN t + 3 * 86400000 END, CASE WHEN q < 40 THEN t + 5 * 86400000 END,
      insp, t FROM z`);
  // 60% documents, 20% fines (100–50,000 元), 10% interviews, 3% suspensions, 2% seals, 5% detentions.
  await client.execute(`WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ${N_ENFORCEMENT}),
    y AS (SELECT k, 1 + (k * 6151) % ${N_ENTERPRISES} AS e, (k * 7207) % 100 AS r FROM n)
    INSERT INTO enforcement_actions (enterprise_id, kind, amount_fen, people, at, created_at)
    SELECT e, CASE WHEN r < 60 THEN 'document' WHEN r < 80 THEN 'fine' WHEN r < 90 THEN 'interview' WHEN r < 93 THEN 'suspend' WHEN r < 95 THEN 'seal' ELSE 'detain' END,
      CASE WHEN r >= 60 AND r < 80 THEN (1 + (k * 37) % 500) * 10000 ELSE 0 END,
      CASE WHEN (r >= 80 AND r < 90) OR r >= 95 THEN 1 + k % 3 ELSE 0 END,
      ${DATA_START} + (k * 2654435761) % ${SPAN}, ${YEAR_START} FROM y`);
  const loaded = performance.now();
  for (const i of indexes) await client.execute(i.sql);
  const indexed = performance.now();
  await database.db.batch(rebuildStatements(database.db));
  for (const t of triggers) await client.execute(t.sql);
  const rolled = performance.now();
  // A sample is enough for the planner (a full ANALYZE of ten million rows takes minutes).
  await client.execute('PRAGMA analysis_limit=2000');
  await client.execute('ANALYZE');
  await client.execute('PRAGMA synchronous=NORMAL');
  await client.execute('PRAGMA cache_size=-2000');
  const s = (a: number, b: number) => `${((b - a) / 1000).toFixed(1)} s`;
  const rollupRows = Number((await client.execute('SELECT count(*) AS n FROM stats_rollup')).rows[0].n);
  console.log(`generated in ${s(t0, performance.now())}: rows ${s(t0, loaded)}, ${indexes.length} indexes rebuilt ${s(loaded, indexed)}, rollups rebuilt ${s(indexed, rolled)} (${rollupRows.toLocaleString()} rollup rows), ANALYZE ${s(rolled, performance.now())}`);
}

async function counts(database: Database) {
  const one = async (table: string) => Number((await database.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  return { hazards: await one('hazards'), inspections: await one('inspections'), enforcement: await one('enforcement_actions'), enterprises: await one('enterprises') };
}

/** The naive way: load the period's rows (the columns needed) and count in JavaScript. */
async function loadAndCount(database: Database, period: Period, now: Date, scope: Scope): Promise<{ total: Figures; covert: { found: number; rectified: number } }> {
  const { db } = database;
  const f = zeroFigures();
  const ents = await db.select({ id: enterprises.id, township: enterprises.township }).from(enterprises);
  const townOf = new Map(ents.map((e) => [e.id, e.township]));
  const countyOf = new Map((await db.select().from(townships)).map((t) => [t.name, t.county]));
  const townIn = (t: string | null) => scope.kind === 'all' || (scope.kind === 'township' ? t === scope.township : t !== null && countyOf.get(t) === scope.county);
  const inScope = (id: number) => townIn(townOf.get(id) ?? null);
  const hs = await db
    .select({ status: hazards.status, level: hazards.level, deadline: hazards.deadline, township: hazards.township, inspectionId: hazards.inspectionId })
    .from(hazards)
    .where(and(gte(hazards.reportedAt, period.from), lt(hazards.reportedAt, period.to)));
  const t = now.getTime();
  for (const h of hs) {
    if (!townIn(h.township)) continue;
    const done = h.status === 'rectified' || h.status === 'closed';
    f.found++;
    if (done) f.rectified++;
    if (h.level === 'major') {
      f.majorFound++;
      if (done) f.majorRectified++;
    }
    if (h.status === 'dispatched' && h.deadline !== null && h.deadline < t) f.overdue++;
  }
  const is = await db
    .select({ id: inspections.id, enterpriseId: inspections.enterpriseId, covert: inspections.covert })
    .from(inspections)
    .where(and(gte(inspections.at, period.from), lt(inspections.at, period.to)));
  const covertEnterprises = new Set<number>();
  const covertIds = new Set<number>();
  for (const i of is) {
    if (!inScope(i.enterpriseId)) continue;
    f.inspections++;
    if (i.covert) {
      f.covert++;
      covertEnterprises.add(i.enterpriseId);
      covertIds.add(i.id);
    }
  }
  f.covertEnterprises = covertEnterprises.size;
  // Hazards found on those visits, whenever reported (the figure the bulletin quotes).
  const covert = { found: 0, rectified: 0 };
  if (covertIds.size) {
    const linked = await db
      .select({ inspectionId: hazards.inspectionId, status: hazards.status, township: hazards.township })
      .from(hazards)
      .innerJoin(inspections, eq(inspections.id, hazards.inspectionId))
      .where(and(eq(inspections.covert, true), gte(inspections.at, period.from), lt(inspections.at, period.to)));
    for (const h of linked) {
      if (!townIn(h.township)) continue;
      covert.found++;
      if (h.status === 'rectified' || h.status === 'closed') covert.rectified++;
    }
  }
  const es = await db
    .select({ enterpriseId: enforcementActions.enterpriseId, kind: enforcementActions.kind, amountFen: enforcementActions.amountFen, people: enforcementActions.people })
    .from(enforcementActions)
    .where(and(gte(enforcementActions.at, period.from), lt(enforcementActions.at, period.to)));
  const suspended = new Set<number>();
  const sealed = new Set<number>();
  for (const e of es) {
    if (!inScope(e.enterpriseId)) continue;
    if (e.kind === 'document') f.documents++;
    else if (e.kind === 'suspend') suspended.add(e.enterpriseId);
    else if (e.kind === 'seal') sealed.add(e.enterpriseId);
    else if (e.kind === 'interview') f.interviews += e.people;
    else if (e.kind === 'detain') f.detentions += e.people;
    else if (e.kind === 'fine') f.fineFen += e.amountFen;
  }
  f.suspensions = suspended.size;
  f.seals = sealed.size;
  return { total: f, covert };
}

interface Timing {
  first: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU time of this process (libSQL runs queries on it): what an idle core would take. */
  cpuP50: number;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  const t0 = performance.now();
  await fn();
  const first = performance.now() - t0;
  const xs = new Float64Array(runs);
  const cpu = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const s = performance.now();
    await fn();
    xs[i] = performance.now() - s;
    const used = process.cpuUsage(c);
    cpu[i] = (used.user + used.system) / 1000;
  }
  xs.sort();
  cpu.sort();
  return { first, p50: percentile(xs, 50), p99: percentile(xs, 99), max: xs[xs.length - 1], cpuP50: percentile(cpu, 50) };
}

const period = (word: string) => {
  const p = parsePeriod(word, NOW, TZ);
  if (!p.ok) throw new Error(p.zh);
  return p.period;
};

async function main() {
  const dir = KEEP ? undefined : mkdtempSync(join(os.tmpdir(), 'wk-bench-stats-'));
  const path = KEEP ?? join(dir!, 'stats.db');
  const reuse = !!KEEP && existsSync(path);
  const database = await openDatabase(`file:${path}`);
  await migrateDatabase(database.db);
  let c = await counts(database);
  if (reuse && c.hazards === N_HAZARDS && c.inspections === N_INSPECTIONS && c.enforcement === N_ENFORCEMENT && c.enterprises === N_ENTERPRISES) {
    console.log(`reusing ${path}`);
  } else {
    if (c.hazards || c.inspections || c.enforcement || c.enterprises) fail(`${path} holds other data; remove it or point BENCH_STATS_DB elsewhere`);
    await generate(database);
    c = await counts(database);
  }
  if (DAMAGE) {
    await database.client.execute(`UPDATE stats_rollup SET found = found + 1 WHERE grain = 'y' AND bucket = ${YEAR_START} AND township = '*'
      AND sector = (SELECT min(sector) FROM stats_rollup WHERE grain = 'y' AND bucket = ${YEAR_START} AND township = '*')`);
  }
  console.log(`database: ${c.hazards.toLocaleString()} hazards, ${c.inspections.toLocaleString()} inspections, ${c.enforcement.toLocaleString()} enforcement actions, ${c.enterprises.toLocaleString()} enterprises; now = ${NOW.toISOString()}`);
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const month = period('本月');
  const year = period('今年');
  const week = period('上周');
  const town: Scope = { kind: 'township', township: '乡镇7' };
  const county: Scope = { kind: 'county', county: '县区3' };
  const all: Scope = { kind: 'all' };
  // rows: also time counting the rows (rollups off) as the ratio's baseline; js: also load the rows
  // and count in JavaScript. Every case's figures are checked against counting the rows.
  type Case = { name: string; p: Period; g: Grouping | undefined; scope: Scope; runs: number; target?: number; rows?: boolean; js?: boolean };
  const cases: Case[] = PROVINCE
    ? [
        { name: '/stats 今年 (by sector, as the chart needs)', p: year, g: undefined, scope: all, runs: RUNS, target: 100, rows: true },
        { name: '/stats 今年 按乡镇', p: year, g: 'township', scope: all, runs: RUNS, target: 100, rows: true },
        { name: '/stats 本月', p: month, g: undefined, scope: all, runs: RUNS, target: 30, rows: true, js: true },
        { name: '/stats 本月 按乡镇', p: month, g: 'township', scope: all, runs: RUNS, target: 30, rows: true },
        { name: '/stats 今年 按县', p: year, g: 'county', scope: all, runs: 20, rows: true },
        { name: '/stats 上周 按乡镇 (7 day buckets)', p: week, g: 'township', scope: all, runs: 20, rows: true },
        { name: 'a county (15 townships), 今年', p: year, g: undefined, scope: county, runs: 20, rows: true },
        { name: 'an inspector\'s township, 本月', p: month, g: undefined, scope: town, runs: 20, rows: true, js: true },
      ]
    : [
        { name: '/stats 本月 按行业', p: month, g: 'sector', scope: all, runs: RUNS, target: 50, rows: true, js: true },
        { name: '/stats 今年 (by sector, as the chart needs)', p: year, g: undefined, scope: all, runs: RUNS, target: 200, rows: true, js: true },
        { name: '/stats 本月 按乡镇', p: month, g: 'township', scope: all, runs: 10, rows: true },
        { name: '/stats 今年 按乡镇', p: year, g: 'township', scope: all, runs: 10, rows: true },
        { name: '/stats 本月 按企业', p: month, g: 'enterprise', scope: all, runs: 5 },
        { name: '/stats 今年 按企业', p: year, g: 'enterprise', scope: all, runs: 5 },
        { name: 'inspector 本月 (one township)', p: month, g: undefined, scope: town, runs: 10, rows: true, js: true },
        { name: 'inspector 今年 (one township)', p: year, g: undefined, scope: town, runs: 10, rows: true },
      ];
  for (const p of [month, year, week]) if (!(await rollupBuckets(database.db, p))) fail(`${p.label.en}: the calendar cannot cut this period, so /stats would not read the rollups`);

  let missed = false;
  console.log('\nwall-clock ms; cpu = CPU time of this process (p50). Baseline: counting the rows (rollups off), same run; ratio = its p50 / the p50.');
  console.log('case                                         found      first      p50      p99      max  cpu p50 | rows p50    ratio | load+count in JS p50');
  for (const k of cases) {
    const s = await computeStats(database.db, k.p, k.g, NOW, k.scope);
    const t = await time(k.runs, () => computeStats(database.db, k.p, k.g, NOW, k.scope));
    let base = '';
    if (k.rows) {
      const raw = await computeStats(database.db, k.p, k.g, NOW, k.scope, { rollups: false });
      for (const part of ['total', 'groups', 'covertHazards', 'ledger'] as const) {
        if (JSON.stringify(raw[part]) !== JSON.stringify(s[part])) fail(`${k.name}: ${part} from the rollups ≠ counting the rows\n  rollups: ${JSON.stringify(s[part]).slice(0, 2000)}\n  rows:    ${JSON.stringify(raw[part]).slice(0, 2000)}`);
      }
      const b = await time(Math.max(1, BASELINE_RUNS - 1), () => computeStats(database.db, k.p, k.g, NOW, k.scope, { rollups: false }));
      base = `| ${ms(b.p50).padStart(9)} ${('×' + (b.p50 / t.p50).toFixed(0)).padStart(7)}`;
    }
    if (k.js) {
      const naive = await loadAndCount(database, k.p, NOW, k.scope);
      if (JSON.stringify(naive.total) !== JSON.stringify(s.total)) fail(`${k.name}: SQL ${JSON.stringify(s.total)} ≠ JS ${JSON.stringify(naive.total)}`);
      if (JSON.stringify(naive.covert) !== JSON.stringify(s.covertHazards)) fail(`${k.name}: covert hazards differ`);
      const b = await time(Math.max(1, BASELINE_RUNS - 1), () => loadAndCount(database, k.p, NOW, k.scope));
      base += ` | ${ms(b.p50).padStart(10)}`;
    }
    const verdict = k.target === undefined ? '' : t.p50 <= k.target ? `  ✓ ≤ ${k.target} ms` : `  ✗ > ${k.target} ms`;
    if (k.target !== undefined && t.p50 > k.target) missed = true;
    console.log(`${k.name.padEnd(40)} ${String(s.total.found).padStart(9)} ${ms(t.first).padStart(10)} ${ms(t.p50).padStart(8)} ${ms(t.p99).padStart(8)} ${ms(t.max).padStart(8)} ${ms(t.cpuP50).padStart(8)} ${base}${verdict}`);
  }
  console.log('every figure of every case equals counting the rows ✓');

  // The rest of /stats, for scale: drawing the chart (the upload is a network call).
  const { renderStatsChart } = await import('../src/views/stats-chart.ts');
  const s = await computeStats(database.db, month, 'sector', NOW);
  const bars = s.groups.map((g) => ({ label: g.label.zh, found: g.found, rectified: g.rectified }));
  const chart = await time(10, async () => renderStatsChart({ title: '2026年12月 隐患发现与整改（按行业）', bars }));
  console.log(`\nchart render (PNG, 9 sectors): first ${ms(chart.first)}, p50 ${ms(chart.p50)}`);
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  database.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (missed) console.log('\nA target was missed on this machine (see the load average: the numbers are wall-clock).');
}

await main();
