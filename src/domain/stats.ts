// The figures leaders publish (累计排查生产经营单位N户次，排查事故隐患N条，已整改N条，下达执法文书N份，
// 停产整顿企业N户，查封企业N户，约谈企业负责人N人，拘留N人，经济处罚N万元), for a period, optionally
// per sector / township / enterprise, computed by SQL aggregation over covering indexes — never by
// loading rows. Query shapes and the indexes they need: docs/adr/0009-stats-queries.md.
//
// What each figure counts (all "in the period" means a timestamp in [from, to)):
// - inspections (户次): inspections in the period; covert (暗查暗访): those marked covert, and
//   covertEnterprises: distinct enterprises visited covertly.
// - found: hazards reported in the period; rectified: those of them now rectified or closed;
//   majorFound / majorRectified: the same for level major.
// - overdue: hazards found in the period that are, at `now`, still dispatched and past their deadline.
// - documents (执法文书, 份): document actions; suspensions (停产整顿) and seals (查封): distinct
//   enterprises with such an action in the period (户); interviews (约谈) and detentions (拘留): the
//   people recorded on those actions (人); fineFen: the sum of fines, in fen.
// - covertHazards: hazards found by the covert inspections of the period (linked by inspection_id),
//   and how many of them are rectified — the article's "检查出安全隐患60条，已全部整改".
//
// Hazards are grouped by the sector/township copied onto them when reported; inspections and
// enforcement by their enterprise's current sector/township. An inspector's scope (their township)
// filters the same way. Counties (issue 20) are the townships' counties (townships table) at the
// time of asking: 按县 folds townships into their county, and a county's scope is its townships.

import type { Bi } from '../bi.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { HAZARD_LEVELS, HAZARD_STATUSES } from './hazard-terms.ts';
import { incidentStats, type IncidentStats } from './incident-stats.ts';
import { reportStats, type ReportStats } from './incident-reports.ts';
import { SECTOR_EN, sectorLabel, type Sector } from './sectors.ts';
import type { Period } from './stats-period.ts';
import { foldLedger, ledgerCounts, type LedgerFigures } from './stats-ledger.ts';
import { ALL, countyOfTownship, townshipIn, townshipsOfCounty, type Scope } from './stats-scope.ts';
import { groupedRows, groupKey, ROLLUP_FIGURES, rollupBuckets, rollupCells, type Bucket } from './stats-rollup.ts';
import { own } from '../own.ts';

export type Grouping = 'sector' | 'township' | 'county' | 'enterprise';
export { ALL, type Scope };

export interface Figures {
  inspections: number;
  covert: number;
  covertEnterprises: number;
  found: number;
  rectified: number;
  majorFound: number;
  majorRectified: number;
  overdue: number;
  documents: number;
  suspensions: number;
  seals: number;
  interviews: number;
  detentions: number;
  fineFen: number;
}

export interface StatsGroup extends Figures {
  /** Sector code, township or county name (null: none recorded) or enterprise id. */
  key: string | number | null;
  label: Bi;
}

export interface Stats {
  period: Period;
  scope: Scope;
  /** The grouping asked for; `groups` are by sector when none was. */
  grouping?: Grouping;
  groupedBy: Grouping;
  now: number;
  total: Figures;
  /** Sorted by hazards found, most first. */
  groups: StatsGroup[];
  covertHazards: { found: number; rectified: number };
  /** Emergencies reported in the period (issue 7); not kept per township, so only for the whole city. */
  incidents?: IncidentStats;
  /** By source, 按期整改 (as rectified late), listed / extended / on the spot, and 12350 tips (issue 17). */
  ledger?: LedgerFigures;
  /** 信息报送 of the period's emergencies: on-time 首报 and the median time to it (when any was sent). */
  reports?: ReportStats;
}

export const zeroFigures = (): Figures => ({
  inspections: 0, covert: 0, covertEnterprises: 0, found: 0, rectified: 0, majorFound: 0, majorRectified: 0, overdue: 0,
  documents: 0, suspensions: 0, seals: 0, interviews: 0, detentions: 0, fineFen: 0,
});

const FIGURE_KEYS = Object.keys(zeroFigures()) as (keyof Figures)[];
const DONE = new Set(['rectified', 'closed']);

type Key = string | number | null;

/**
 * `rollups: false` counts every figure from the rows (today's way before issue 20, kept as the
 * fallback for periods the calendar cannot cut, for 按企业, and as the check the bench and tests run).
 */
export async function computeStats(db: Db, period: Period, grouping: Grouping | undefined, now: Date, scope: Scope = ALL, o: { rollups?: boolean } = {}): Promise<Stats> {
  const by = grouping ?? 'sector';
  const range = { from: period.from, to: period.to, now: now.getTime() };
  const buckets = by !== 'enterprise' && o.rollups !== false ? await rollupBuckets(db, period) : undefined;
  const [{ byKey, covertHazards }, incidents, ledgerRows] = await Promise.all([
    buckets && by !== 'enterprise'
      ? figuresFromRollups(db, by, buckets, range, scope)
      : Promise.all([figuresFromRows(db, by, range, scope), covertHazardCounts(db, range, scope)]).then(([byKey, covertHazards]) => ({ byKey, covertHazards })),
    // Issue 7: response times of the period's emergencies. Incidents carry no township, so an
    // inspector's township view leaves them out.
    scope.kind === 'all' ? incidentStats(db, new Date(period.from), new Date(period.to)) : Promise.resolve(undefined),
    ledgerCounts(db, range, scope),
  ]);

  const labels = by === 'enterprise' ? await enterpriseNames(db, [...byKey.keys()]) : undefined;
  const groups: StatsGroup[] = [...byKey]
    .map(([key, f]) => ({ key, label: labelOf(by, key, labels), ...f }))
    .filter((g) => FIGURE_KEYS.some((k) => g[k] !== 0))
    .sort((a, b) => b.found - a.found || b.inspections - a.inspections || String(a.key ?? '').localeCompare(String(b.key ?? '')));

  // Each hazard, inspection and action lands in exactly one group, and an enterprise in exactly one
  // sector/township, so the total is the sum — distinct-enterprise counts included.
  const total = zeroFigures();
  for (const g of groups) for (const k of FIGURE_KEYS) total[k] += g[k];
  const ledger = foldLedger(ledgerRows, total);

  const reports = scope.kind === 'all' ? await reportStats(db, new Date(period.from), new Date(period.to)) : undefined;
  return { period, scope, grouping, groupedBy: by, now: range.now, total, groups, covertHazards, incidents, ledger, reports: reports?.firstReports ? reports : undefined };
}

const num = (v: unknown) => Number(v ?? 0);

function figureMap() {
  const byKey = new Map<Key, Figures>();
  const cell = (k: Key) => {
    let f = byKey.get(k);
    if (!f) byKey.set(k, (f = zeroFigures()));
    return f;
  };
  return { byKey, cell };
}

/** Every figure counted from the rows (range counts over covering indexes, docs/adr/0009-stats-queries.md). */
async function figuresFromRows(db: Db, by: Grouping, range: Range, scope: Scope): Promise<Map<Key, Figures>> {
  const [hazardRows, inspectionRows, enforcementRows] = await Promise.all([
    hazardCells(db, by, range, scope),
    inspectionCells(db, by, range, scope),
    enforcementCells(db, by, range, scope),
  ]);
  const { byKey, cell } = figureMap();
  for (const r of hazardRows) {
    const f = cell(r.k);
    f.found += r.found;
    f.rectified += r.rectified;
    f.majorFound += r.majorFound;
    f.majorRectified += r.majorRectified;
    f.overdue += r.overdue;
  }
  for (const r of inspectionRows) Object.assign(cell(r.k), { inspections: num(r.n), covert: num(r.c), covertEnterprises: num(r.ce) });
  for (const r of enforcementRows) {
    Object.assign(cell(r.k), {
      documents: num(r.d), suspensions: num(r.s), seals: num(r.se), interviews: num(r.iv), detentions: num(r.de), fineFen: num(r.f),
    });
  }
  return byKey;
}

// ── from the rollups ─────────────────────────────────────────────────────────────────

/**
 * The additive figures from stats_rollup (src/domain/stats-rollup.ts); from the rows only what no
 * rollup can hold: overdue (it depends on `now`; counted over the open hazards alone) and the
 * distinct-enterprise counts (covert enterprises, 停产整顿, 查封; over the rare rows of their kind).
 */
async function figuresFromRollups(db: Db, by: Exclude<Grouping, 'enterprise'>, buckets: Bucket[], r: Range, scope: Scope) {
  const hazardKey = groupKey(by, 'township', 'sector');
  const enterpriseKey = groupKey(by, 'e.township', 'e.sector');
  // Not yet overdue: dispatched hazards of the period whose deadline is still ahead, or that have none —
  // the few recent ones, however long the period (hazards_stats_due starts with the deadline).
  const notDue = (deadline: SQL) => sql`
    SELECT ${hazardKey} AS k FROM hazards INDEXED BY hazards_stats_due
    WHERE status = 'dispatched' AND ${deadline} AND reported_at >= ${r.from} AND reported_at < ${r.to}
      AND level IN (${list(HAZARD_LEVELS)}) ${townshipIn('township', scope)}`;
  const [cells, ahead, covertEnterprises, closures] = await Promise.all([
    rollupCells(db, buckets, by, scope),
    groupedRows(db, ['k', 'n'] as const, sql`
      SELECT k, count(*) AS n FROM (${notDue(sql`deadline >= ${r.now}`)} UNION ALL ${notDue(sql`deadline IS NULL`)}) GROUP BY k`),
    // Distinct enterprises first (from the covering index alone), then one lookup each for its group.
    groupedRows(db, ['k', 'n'] as const, sql`
      SELECT ${enterpriseKey} AS k, count(*) AS n
      FROM (SELECT DISTINCT enterprise_id AS id FROM inspections INDEXED BY inspections_covert WHERE covert = 1 AND at >= ${r.from} AND at < ${r.to}) x
        JOIN enterprises e ON e.id = x.id
      WHERE 1 ${townshipIn('e.township', scope)}
      GROUP BY k`),
    groupedRows(db, ['k', 's', 'se'] as const, sql`
      SELECT ${enterpriseKey} AS k, sum(x.kind = 'suspend') AS s, sum(x.kind = 'seal') AS se
      FROM (SELECT DISTINCT kind, enterprise_id AS id FROM enforcement_actions INDEXED BY enforcement_stats_kind
            WHERE kind IN ('suspend', 'seal') AND at >= ${r.from} AND at < ${r.to}) x
        JOIN enterprises e ON e.id = x.id
      WHERE 1 ${townshipIn('e.township', scope)}
      GROUP BY k`),
  ]);
  // Keys are as the rows path has them: a sector code, or a township / county name, null for none.
  const keyOf = (k: unknown): Key => (k === null || k === undefined || k === '' ? null : (k as string));
  const { byKey, cell } = figureMap();
  const covertHazards = { found: 0, rectified: 0 };
  for (const c of cells) {
    const f = cell(keyOf(c.k));
    for (const k of ROLLUP_FIGURES) f[k] += num(c[k]);
    f.overdue += num(c.dispatched);
    covertHazards.found += num(c.covertFound);
    covertHazards.rectified += num(c.covertRectified);
  }
  for (const a of ahead) cell(keyOf(a.k)).overdue -= num(a.n);
  for (const c of covertEnterprises) cell(keyOf(c.k)).covertEnterprises += num(c.n);
  for (const c of closures) {
    const f = cell(keyOf(c.k));
    f.suspensions += num(c.s);
    f.seals += num(c.se);
  }
  return { byKey, covertHazards };
}

// ── hazards ──────────────────────────────────────────────────────────────────────────

interface Range {
  from: number;
  to: number;
  now: number;
}

interface HazardCell {
  k: Key;
  found: number;
  rectified: number;
  majorFound: number;
  majorRectified: number;
  overdue: number;
}

/**
 * Per group: found, rectified, major, overdue. For sector and township the answer is one range
 * count per (key, status, level) cell on an index that starts with those columns, so SQLite only
 * counts index entries (no per-row expressions, no sort). By enterprise, a walk of the enterprises
 * reading each one's (status, level) ranges from an index that starts with enterprise_id.
 */
async function hazardCells(db: Db, by: Grouping, r: Range, scope: Scope): Promise<HazardCell[]> {
  if (by === 'enterprise') return hazardsByEnterprise(db, r, scope);
  if (by === 'county') return byCounty(db, await hazardCells(db, 'township', r, scope));
  if (scope.kind !== 'all') {
    const towns = scope.kind === 'township' ? [scope.township] : await townshipsOfCounty(db, scope.county);
    if (!towns.length) return [];
    if (by === 'township') return fold(await cellCounts(db, 'township', towns, r));
    return fold(await scopedBySector(db, scope, r));
  }
  const keys = await distinctKeys(db, by);
  if (by === 'township') keys.push(null);
  return keys.length ? fold(await cellCounts(db, by, keys, r)) : [];
}

/** Township cells folded into their counties (a township in no county is under null). */
async function byCounty(db: Db, cells: HazardCell[]): Promise<HazardCell[]> {
  const county = await countyOfTownship(db);
  const out = new Map<Key, HazardCell>();
  for (const c of cells) {
    const k = (c.k !== null && county.get(String(c.k))) || null;
    const h = out.get(k);
    if (!h) out.set(k, { ...c, k });
    else for (const f of ['found', 'rectified', 'majorFound', 'majorRectified', 'overdue'] as const) h[f] += c[f];
  }
  return [...out.values()];
}

interface CellCount {
  k: Key;
  st: string;
  l: string;
  n: number;
  late: number | null;
}

const values = (xs: readonly Key[]) => sql.join(xs.map((x) => sql`(${x})`), sql`, `);
const list = (xs: readonly string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);

/** Distinct values of a leading index column: one seek per value (a "loose index scan"). */
async function distinctKeys(db: Db, by: 'sector' | 'township'): Promise<Key[]> {
  const col = sql.raw(by);
  const rows = await db.all<{ v: string }>(sql`
    WITH RECURSIVE k(v) AS (
      SELECT min(${col}) FROM hazards
      UNION ALL
      SELECT (SELECT min(${col}) FROM hazards WHERE ${col} > k.v) FROM k WHERE k.v IS NOT NULL
    )
    SELECT v FROM k WHERE v IS NOT NULL`);
  return rows.map((x) => x.v);
}

/**
 * One count per (key, status, level) cell, and for dispatched cells the overdue count. `IS` so a
 * NULL township is a key like any other. Uses hazards_stats_sector / hazards_stats_township.
 */
async function cellCounts(db: Db, by: 'sector' | 'township', keys: Key[], r: Range): Promise<CellCount[]> {
  const col = sql.raw(`h.${by}`);
  const match: SQL = sql`${col} IS k.v AND h.status = s.v AND h.level = l.v AND h.reported_at >= ${r.from} AND h.reported_at < ${r.to}`;
  return db.all<CellCount>(sql`
    WITH k(v) AS (VALUES ${values(keys)}),
         s(v) AS (VALUES ${values(HAZARD_STATUSES)}),
         l(v) AS (VALUES ${values(HAZARD_LEVELS)})
    SELECT k.v AS k, s.v AS st, l.v AS l,
      (SELECT count(*) FROM hazards h WHERE ${match}) AS n,
      CASE WHEN s.v = 'dispatched' THEN (SELECT count(*) FROM hazards h WHERE ${match} AND h.deadline < ${r.now}) END AS late
    FROM k, s, l`);
}

/** An inspector's township (or a county's) by sector: its rows, grouped (hazards_stats_township carries sector). */
async function scopedBySector(db: Db, scope: Scope, r: Range): Promise<CellCount[]> {
  return db.all<CellCount>(sql`
    SELECT sector AS k, status AS st, level AS l, count(*) AS n, sum(status = 'dispatched' AND deadline < ${r.now}) AS late
    FROM hazards
    WHERE 1 ${townshipIn('township', scope)} AND status IN (${list(HAZARD_STATUSES)}) AND level IN (${list(HAZARD_LEVELS)})
      AND reported_at >= ${r.from} AND reported_at < ${r.to}
    GROUP BY sector, status, level`);
}

function fold(cells: CellCount[]): HazardCell[] {
  const out = new Map<Key, HazardCell>();
  for (const c of cells) {
    const n = num(c.n);
    if (n === 0) continue;
    let h = out.get(c.k);
    if (!h) out.set(c.k, (h = { k: c.k, found: 0, rectified: 0, majorFound: 0, majorRectified: 0, overdue: 0 }));
    const done = DONE.has(c.st);
    const major = c.l === 'major';
    h.found += n;
    if (done) h.rectified += n;
    if (major) h.majorFound += n;
    if (major && done) h.majorRectified += n;
    h.overdue += num(c.late);
  }
  return [...out.values()];
}

/**
 * Walks the enterprises; for each, one range per (status, level) on hazards_stats_enterprise, so the
 * rows arrive grouped and SQLite only counts (an inspector's township is a filter on the trailing
 * township column).
 */
async function hazardsByEnterprise(db: Db, r: Range, scope: Scope): Promise<HazardCell[]> {
  // Cells are summed per enterprise in SQL: thousands of enterprises × 8 cells need not cross into JS.
  const rows = await db.all<Record<string, unknown>>(sql`
    SELECT k, sum(n) AS found, sum(CASE WHEN st IN ('rectified', 'closed') THEN n ELSE 0 END) AS rectified,
      sum(CASE WHEN l = 'major' THEN n ELSE 0 END) AS majorFound,
      sum(CASE WHEN l = 'major' AND st IN ('rectified', 'closed') THEN n ELSE 0 END) AS majorRectified,
      sum(late) AS overdue
    FROM (
      SELECT e.id AS k, h.status AS st, h.level AS l, count(*) AS n, sum(h.status = 'dispatched' AND h.deadline < ${r.now}) AS late
      FROM enterprises e CROSS JOIN hazards h
        ON h.enterprise_id = e.id AND h.status IN (${list(HAZARD_STATUSES)}) AND h.level IN (${list(HAZARD_LEVELS)})
        AND h.reported_at >= ${r.from} AND h.reported_at < ${r.to}
      WHERE 1 ${townshipIn('h.township', scope)}
      GROUP BY e.id, h.status, h.level
    ) GROUP BY k`);
  return rows.map((x) => ({
    k: x.k as number,
    found: num(x.found),
    rectified: num(x.rectified),
    majorFound: num(x.majorFound),
    majorRectified: num(x.majorRectified),
    overdue: num(x.overdue),
  }));
}

// ── inspections and enforcement ─────────────────────────────────────────────────────

const enterpriseKey = (by: Grouping) =>
  sql.raw(by === 'enterprise' ? 'e.id' : by === 'county' ? '(SELECT t.county FROM townships t WHERE t.name = e.township)' : `e.${by}`);
const enterpriseScope = (scope: Scope) => sql`WHERE 1 ${townshipIn('e.township', scope)}`;

/**
 * Walks the enterprises and counts each one's inspections of the period from
 * inspections_stats_enterprise (no row lookups), then folds enterprises into groups: 5,000 seeks
 * instead of a lookup of the enterprise for each of 100,000 inspections.
 */
async function inspectionCells(db: Db, by: Grouping, r: Range, scope: Scope) {
  return db.all<{ k: Key; n: number; c: number; ce: number }>(sql`
    SELECT k, sum(n) AS n, sum(c) AS c, sum(c > 0) AS ce FROM (
      SELECT ${enterpriseKey(by)} AS k, count(*) AS n, sum(i.covert) AS c
      FROM enterprises e CROSS JOIN inspections i ON i.enterprise_id = e.id AND i.at >= ${r.from} AND i.at < ${r.to}
      ${enterpriseScope(scope)}
      GROUP BY e.id
    ) GROUP BY k`);
}

async function enforcementCells(db: Db, by: Grouping, r: Range, scope: Scope) {
  return db.all<{ k: Key; d: number; s: number; se: number; iv: number; de: number; f: number }>(sql`
    SELECT k, sum(d) AS d, sum(s) AS s, sum(se) AS se, sum(iv) AS iv, sum(de) AS de, sum(f) AS f FROM (
      SELECT ${enterpriseKey(by)} AS k,
        sum(a.kind = 'document') AS d,
        max(a.kind = 'suspend') AS s,
        max(a.kind = 'seal') AS se,
        sum(CASE WHEN a.kind = 'interview' THEN a.people ELSE 0 END) AS iv,
        sum(CASE WHEN a.kind = 'detain' THEN a.people ELSE 0 END) AS de,
        sum(CASE WHEN a.kind = 'fine' THEN a.amount_fen ELSE 0 END) AS f
      FROM enterprises e CROSS JOIN enforcement_actions a ON a.enterprise_id = e.id AND a.at >= ${r.from} AND a.at < ${r.to}
      ${enterpriseScope(scope)}
      GROUP BY e.id
    ) GROUP BY k`);
}

/** Hazards found by the period's covert inspections (inspections_covert → hazards_inspection). */
async function covertHazardCounts(db: Db, r: Range, scope: Scope) {
  const [row] = await db.all<{ n: number; r: number | null }>(sql`
    SELECT count(*) AS n, sum(h.status IN ('rectified', 'closed')) AS r
    FROM inspections i JOIN hazards h ON h.inspection_id = i.id
    WHERE i.covert = 1 AND i.at >= ${r.from} AND i.at < ${r.to}
      ${townshipIn('h.township', scope)}`);
  return { found: num(row?.n), rectified: num(row?.r) };
}

// ── labels ──────────────────────────────────────────────────────────────────────────

async function enterpriseNames(db: Db, ids: Key[]): Promise<Map<Key, string>> {
  const wanted = ids.filter((x): x is number => typeof x === 'number');
  // Many ids: reading the whole (small) enterprises table beats binding thousands of parameters.
  const rows = wanted.length > 200
    ? await db.all<{ id: number; name: string }>(sql`SELECT id, name FROM enterprises`)
    : wanted.length
      ? await db.all<{ id: number; name: string }>(sql`SELECT id, name FROM enterprises WHERE id IN (${sql.join(wanted.map((x) => sql`${x}`), sql`, `)})`)
      : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

export const NO_TOWNSHIP = { zh: '（未填乡镇）', en: '(no township)' };
export const NO_COUNTY = { zh: '（未填县区）', en: '(no county)' };

function labelOf(by: Grouping, key: Key, names?: Map<Key, string>): Bi {
  if (by === 'sector') return { zh: sectorLabel(String(key)), en: SECTOR_EN[key as Sector] ?? String(key) };
  if (by === 'township') return key === null ? NO_TOWNSHIP : { zh: String(key), en: String(key) };
  if (by === 'county') return key === null ? NO_COUNTY : { zh: String(key), en: String(key) };
  const name = names?.get(key) ?? `#${key}`;
  return { zh: name, en: name };
}

export const GROUPING_LABELS: Record<Grouping, Bi> = {
  sector: { zh: '行业', en: 'sector' },
  township: { zh: '乡镇', en: 'township' },
  county: { zh: '县', en: 'county' },
  enterprise: { zh: '企业', en: 'enterprise' },
};

const GROUPING_WORDS: Record<string, Grouping> = {
  按行业: 'sector', 行业: 'sector', 分行业: 'sector', 'by-sector': 'sector', sector: 'sector',
  按乡镇: 'township', 乡镇: 'township', 分乡镇: 'township', 按街道: 'township', 'by-township': 'township', township: 'township',
  按县: 'county', 按县区: 'county', 分县: 'county', 分县区: 'county', 按区县: 'county', 'by-county': 'county', county: 'county',
  按企业: 'enterprise', 企业: 'enterprise', 分企业: 'enterprise', 'by-enterprise': 'enterprise', enterprise: 'enterprise',
};

export const parseGrouping = (text: string): Grouping | undefined => own(GROUPING_WORDS, text.trim().toLowerCase());
