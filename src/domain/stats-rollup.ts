// Statistics from rollups (issue 20, docs/adr/0022-statistics-rollups.md). A province holds ten
// million hazards; counting a year of them row by row cannot answer in 100 ms, so the additive
// figures are kept per local day, month and year × township × sector in stats_rollup, by SQLite
// triggers (migrations/0018_stats_rollup_triggers.sql): every statement that inserts, updates or
// deletes a hazard, visit, enforcement action or enterprise moves the rollup in that same statement.
//
// A period is read as whole years, then whole months, then the days left over — each bucket a
// range of the primary key — when both of its ends are days of stats_calendar; otherwise (a period
// outside the calendar, or a calendar made for another TZ_NAME) the caller counts the rows.

import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { fromLocal, localParts } from './time.ts';
import { townshipIn, type Scope } from './stats-scope.ts';

export type Grain = 'd' | 'm' | 'y';
export type Bucket = [Grain, number];

/** The buckets that make up [from, to) exactly, or undefined when the calendar cannot say. */
export async function rollupBuckets(db: Db, period: { from: number; to: number }): Promise<Bucket[] | undefined> {
  // One JSON value rather than a row per day: libSQL builds each row object in JavaScript, which
  // costs more than the query for a year's 366 days.
  const [row] = await db.all<{ j: string | null }>(sql`
    SELECT json_group_array(json_array(day, month, year)) AS j FROM (
      SELECT day, month, year FROM stats_calendar WHERE day >= ${period.from} AND day <= ${period.to} ORDER BY day)`);
  const days = (JSON.parse(row?.j ?? '[]') as [number, number, number][]).map(([day, month, year]) => ({ day, month, year }));
  // Both ends must be calendar days: the last row is `to` itself (the first day after the period).
  if (days.length < 2 || days[0].day !== period.from || days[days.length - 1].day !== period.to) return undefined;
  const inside = days.slice(0, -1);
  const next = days[days.length - 1];
  const out: Bucket[] = [];
  // A month (year) is whole when it starts inside the period and the period reaches the next one.
  const whole = (k: number, key: 'month' | 'year') => {
    const start = inside[k][key];
    if (start < period.from) return false;
    let j = k;
    while (j < inside.length && inside[j][key] === start) j++;
    return (j < inside.length ? inside[j] : next)[key] !== start;
  };
  for (let k = 0; k < inside.length; ) {
    const d = inside[k];
    if (d.day === d.year && whole(k, 'year')) {
      out.push(['y', d.year]);
      while (k < inside.length && inside[k].year === d.year) k++;
    } else if (d.day === d.month && whole(k, 'month')) {
      out.push(['m', d.month]);
      while (k < inside.length && inside[k].month === d.month) k++;
    } else {
      out.push(['d', d.day]);
      k++;
    }
  }
  return out;
}

export type RollupGrouping = 'sector' | 'township' | 'county';

/** A group's key from a row's township and sector columns: the sector, the township, or its county. */
export function groupKey(by: RollupGrouping, township: string, sector: string) {
  if (by === 'sector') return sql.raw(sector);
  if (by === 'township') return sql.raw(township);
  return sql.raw(`(SELECT t.county FROM townships t WHERE t.name = ${township})`);
}

/**
 * Runs a grouped query and reads its rows as one JSON array (a row per group): libSQL turns each
 * result row into a JavaScript object property by property, which for a province's 900 townships
 * costs more than the query.
 */
export async function groupedRows<T extends readonly string[]>(db: Db, columns: T, query: SQL): Promise<Record<T[number], unknown>[]> {
  const [row] = await db.all<{ j: string | null }>(sql`
    SELECT json_group_array(json_array(${sql.raw(columns.join(', '))})) AS j FROM (${query})`);
  const rows = JSON.parse(row?.j ?? '[]') as unknown[][];
  return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])) as Record<T[number], unknown>);
}

/** The figures a rollup sums as they are (dispatched and the covert visits' hazards are read apart). */
export const ROLLUP_FIGURES = ['found', 'rectified', 'majorFound', 'majorRectified', 'inspections', 'covert', 'documents', 'interviews', 'detentions', 'fineFen'] as const;
const ROLLUP_COLUMNS = [...ROLLUP_FIGURES, 'dispatched', 'covertFound', 'covertRectified'] as const;
const ROLLUP_SUMS = sql.raw(`sum(r.found) AS found, sum(r.rectified) AS rectified, sum(r.major_found) AS majorFound,
  sum(r.major_rectified) AS majorRectified, sum(r.inspections) AS inspections, sum(r.covert) AS covert, sum(r.documents) AS documents,
  sum(r.interviews) AS interviews, sum(r.detentions) AS detentions, sum(r.fine_fen) AS fineFen, sum(r.dispatched) AS dispatched,
  sum(r.covert_found) AS covertFound, sum(r.covert_rectified) AS covertRectified`);

/** The buckets' sums per group (k: sector, township or county; null for none) within the scope. */
export async function rollupCells(db: Db, buckets: Bucket[], by: RollupGrouping, scope: Scope) {
  // Which rows: the whole deployment by sector reads the ('*', sector) sums, by township or county
  // the (township, '*') sums; within a township or county, its own (township, sector) rows by sector.
  const level = by === 'sector'
    ? (scope.kind === 'all' ? sql`r.township = '*' AND r.sector <> '*'` : sql`r.township <> '*' AND r.sector <> '*'`)
    : sql`r.sector = '*' AND r.township <> '*'`;
  // One JSON parameter whatever the number of buckets (D1 binds at most 100).
  const rows = sql`FROM json_each(${JSON.stringify(buckets)}) b CROSS JOIN stats_rollup r
      ON r.grain = json_extract(b.value, '$[0]') AND r.bucket = json_extract(b.value, '$[1]')
    WHERE ${level} ${townshipIn("nullif(r.township, '')", scope)}`;
  // By county: townships first (a few thousand rows become hundreds), then their counties.
  const query = by === 'county'
    ? sql`SELECT ${groupKey('county', 'x.township', 'x.sector')} AS k, ${sql.raw(ROLLUP_COLUMNS.map((f) => `sum(x.${f}) AS ${f}`).join(', '))}
        FROM (SELECT nullif(r.township, '') AS township, '' AS sector, ${ROLLUP_SUMS} ${rows} GROUP BY r.township) x GROUP BY k`
    : sql`SELECT ${groupKey(by, "nullif(r.township, '')", 'r.sector')} AS k, ${ROLLUP_SUMS} ${rows} GROUP BY k`;
  return groupedRows(db, ['k', ...ROLLUP_COLUMNS] as const, query);
}

// ── the calendar and rebuilding ──────────────────────────────────────────────────────

/** A local day is at most 25 hours long: the day holding instant x starts in (x − 25 h, x]. */
const DAY_WINDOW = 25 * 3600_000;
const dayOf = (ts: string) => `(SELECT max(day) FROM stats_calendar WHERE day <= ${ts} AND day > ${ts} - ${DAY_WINDOW})`;
const DONE = `('rectified', 'closed')`;
const STATUSES = `('reported', 'dispatched', 'rectified', 'closed')`;
const LEVELS = `('general', 'major')`;
const COUNTED = `(h.status IN ${STATUSES} AND h.level IN ${LEVELS})`;

const COLUMNS = 'found, rectified, major_found, major_rectified, inspections, covert, documents, interviews, detentions, fine_fen, dispatched, covert_found, covert_rectified';
const AGGREGATES = COLUMNS.split(', ').map((c) => `sum(${c})`).join(', ');

/**
 * The day-grain rollup as the rows say it should be (the rebuild, and the check against the stored
 * one): per (township, sector), and summed under ('*', sector) and (township, '*'), the rows 按行业
 * and 按乡镇 / 按县 of the whole deployment read.
 */
const EXPECTED_DAYS = `
  WITH detail AS (
  SELECT day AS bucket, township, sector, sum(found) AS found, sum(rectified) AS rectified, sum(major_found) AS major_found,
    sum(major_rectified) AS major_rectified, sum(inspections) AS inspections, sum(covert) AS covert, sum(documents) AS documents,
    sum(interviews) AS interviews, sum(detentions) AS detentions, sum(fine_fen) AS fine_fen, sum(dispatched) AS dispatched,
    sum(covert_found) AS covert_found, sum(covert_rectified) AS covert_rectified
  FROM (
    SELECT ${dayOf('h.reported_at')} AS day, coalesce(h.township, '') AS township, h.sector AS sector,
      ${COUNTED} AS found, (${COUNTED} AND h.status IN ${DONE}) AS rectified, (${COUNTED} AND h.level = 'major') AS major_found,
      (${COUNTED} AND h.level = 'major' AND h.status IN ${DONE}) AS major_rectified,
      0 AS inspections, 0 AS covert, 0 AS documents, 0 AS interviews, 0 AS detentions, 0 AS fine_fen,
      (${COUNTED} AND h.status = 'dispatched') AS dispatched, 0 AS covert_found, 0 AS covert_rectified
    FROM hazards h
    UNION ALL
    SELECT ${dayOf('i.at')}, coalesce(e.township, ''), e.sector, 0, 0, 0, 0, 1, i.covert, 0, 0, 0, 0, 0, 0, 0
    FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id
    UNION ALL
    SELECT ${dayOf('a.at')}, coalesce(e.township, ''), e.sector, 0, 0, 0, 0, 0, 0, a.kind = 'document',
      CASE WHEN a.kind = 'interview' THEN a.people ELSE 0 END, CASE WHEN a.kind = 'detain' THEN a.people ELSE 0 END,
      CASE WHEN a.kind = 'fine' THEN a.amount_fen ELSE 0 END, 0, 0, 0
    FROM enforcement_actions a JOIN enterprises e ON e.id = a.enterprise_id
    UNION ALL
    SELECT ${dayOf('i.at')}, coalesce(h.township, ''), h.sector, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, h.status IN ${DONE}
    FROM inspections i JOIN hazards h ON h.inspection_id = i.id WHERE i.covert = 1
  ) WHERE day IS NOT NULL
  GROUP BY day, township, sector)
  SELECT * FROM detail
  UNION ALL SELECT bucket, '*', sector, ${AGGREGATES} FROM detail GROUP BY bucket, sector
  UNION ALL SELECT bucket, township, '*', ${AGGREGATES} FROM detail GROUP BY bucket, township`;
const expectedDays = sql.raw(EXPECTED_DAYS);

const SUMS = COLUMNS.split(', ').map((c) => `sum(r.${c})`).join(', ');

/**
 * The rebuild, as SQL (migrations/0018_stats_rollup_triggers.sql runs the same statements once for
 * the rows a database already holds): days from the rows, months from the days, years from the months.
 */
export const REBUILD_SQL: readonly string[] = [
  `DELETE FROM stats_rollup`,
  `INSERT INTO stats_rollup (grain, bucket, township, sector, ${COLUMNS}) SELECT 'd', bucket, township, sector, ${COLUMNS} FROM (${EXPECTED_DAYS}) WHERE true`,
  `INSERT INTO stats_rollup (grain, bucket, township, sector, ${COLUMNS})
    SELECT 'm', c.month, r.township, r.sector, ${SUMS} FROM stats_rollup r JOIN stats_calendar c ON c.day = r.bucket
    WHERE r.grain = 'd' GROUP BY c.month, r.township, r.sector`,
  `INSERT INTO stats_rollup (grain, bucket, township, sector, ${COLUMNS})
    SELECT 'y', c.year, r.township, r.sector, ${SUMS} FROM stats_rollup r JOIN stats_calendar c ON c.day = r.bucket
    WHERE r.grain = 'm' GROUP BY c.year, r.township, r.sector`,
];

/** Every statement of a rebuild, for one db.batch: readers see the old rollup or the new one. */
export const rebuildStatements = (db: Db) => REBUILD_SQL.map((q) => db.run(sql.raw(q))) as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

/**
 * Rows where the stored rollup and the rows disagree (0 when they agree), over every grain: the
 * day grain against the rows, months against their days, years against their months.
 */
export async function rollupDifferences(db: Db): Promise<number> {
  const nonZero = COLUMNS.split(', ').map((c) => `${c} <> 0`).join(' OR ');
  const stored = (grain: Grain) => sql.raw(`SELECT bucket, township, sector, ${COLUMNS} FROM stats_rollup WHERE grain = '${grain}' AND (${nonZero})`);
  const fromFiner = (grain: Grain, finer: Grain, key: 'month' | 'year') => sql.raw(`
    SELECT c.${key} AS bucket, r.township, r.sector, ${SUMS} FROM stats_rollup r JOIN stats_calendar c ON c.day = r.bucket
    WHERE r.grain = '${finer}' GROUP BY c.${key}, r.township, r.sector HAVING ${SUMS.split(', ').map((s) => `${s} <> 0`).join(' OR ')}`);
  const expectedNonZero = sql`SELECT * FROM (${expectedDays}) WHERE ${sql.raw(nonZero)}`;
  const diff = async (a: ReturnType<typeof sql>, b: ReturnType<typeof sql>) => {
    const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT * FROM (${a}) EXCEPT SELECT * FROM (${b}))`);
    return Number(row?.n ?? 0);
  };
  return (
    (await diff(expectedNonZero, stored('d'))) + (await diff(stored('d'), expectedNonZero)) +
    (await diff(fromFiner('m', 'd', 'month'), stored('m'))) + (await diff(stored('m'), fromFiner('m', 'd', 'month'))) +
    (await diff(fromFiner('y', 'm', 'year'), stored('y'))) + (await diff(stored('y'), fromFiner('y', 'm', 'year')))
  );
}

export const CALENDAR_FROM_YEAR = 1992;
export const CALENDAR_TO_YEAR = 2100;
export const CALENDAR_TZ_KEY = 'stats_calendar_tz';

/** The calendar's days for a time zone: each local day's midnight with its month's and year's. */
export function calendarDays(tz: string, fromYear = CALENDAR_FROM_YEAR, toYear = CALENDAR_TO_YEAR): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let y = fromYear; y < toYear; y++) {
    const year = fromLocal(y, 1, 1, 0, 0, tz).getTime();
    for (let m = 1; m <= 12; m++) {
      const month = fromLocal(y, m, 1, 0, 0, tz).getTime();
      for (let d = 1; d <= 31; d++) {
        const day = fromLocal(y, m, d, 0, 0, tz);
        if (localParts(day, tz).month !== m) break;
        out.push([day.getTime(), month, year]);
      }
    }
  }
  return out;
}

/** Statements that replace the calendar with `tz`'s (then rebuild: the buckets moved). */
export function calendarStatements(db: Db, tz: string, now: Date): BatchItem<'sqlite'>[] {
  const days = calendarDays(tz);
  const out: BatchItem<'sqlite'>[] = [db.run(sql`DELETE FROM stats_calendar`)];
  for (let k = 0; k < days.length; k += 5000) {
    out.push(db.run(sql`INSERT INTO stats_calendar (day, month, year)
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(${JSON.stringify(days.slice(k, k + 5000))})`));
  }
  out.push(db.run(sql`INSERT INTO settings (key, value, updated_at) VALUES (${CALENDAR_TZ_KEY}, ${tz}, ${now.getTime()})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`));
  return out;
}

/** The time zone the calendar was made for. */
export async function calendarZone(db: Db): Promise<string | undefined> {
  const [row] = await db.all<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${CALENDAR_TZ_KEY}`);
  return row?.value;
}
