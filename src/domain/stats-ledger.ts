// The ledger's own figures beside the article's: hazards by source (来源), 按期整改率 (rectified by
// the original deadline ÷ rectified), and how many hazards were listed (挂牌督办), extended (延期) or
// fixed on the spot (立查立改), plus the 12350 tips received, checked and turned into hazards.
//
// Each is one range over a partial index (hazards_stats_source / _late / _flags, schema.ts): an
// ordinary hazard — from an inspection, rectified in time, not listed — is in none of them, so these
// cost what the unusual hazards cost. 按期 is counted as its complement (rectified late), for that reason.
// INDEXED BY, because without statistics SQLite prefers hazards_reported_at / hazards_status_deadline
// and reads every hazard of the period (bench/stats: 今年 CPU 24 ms → 297 ms before this was added).

import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { HAZARD_SOURCES, type HazardSource } from './hazard-sources.ts';
import { townshipIn, type Scope } from './stats-scope.ts';

export interface LedgerFigures {
  /** Found / rectified per source; `inspection` is what the other sources leave of the totals. */
  bySource: Record<HazardSource, { found: number; rectified: number }>;
  /** Rectified (or closed) after the deadline first set: 按期 = rectified − late. */
  rectifiedLate: number;
  listed: number;
  extended: number;
  onTheSpot: number;
  /** Tips received in the period and how they were checked; `hazards`: hazards found in the period from a tip. */
  tips: { received: number; substantiated: number; unsubstantiated: number; hazards: number };
}

const num = (v: unknown) => Number(v ?? 0);
/** Listed one by one so each is a range on (source, reported_at); `<>` alone would scan them all. */
const OTHER_SOURCES = HAZARD_SOURCES.filter((s) => s !== 'inspection');

/** The counts, read alongside the period's other figures; `foldLedger` finishes them with the totals. */
export async function ledgerCounts(db: Db, r: { from: number; to: number }, scope: Scope) {
  const town = townshipIn('township', scope);
  const range = sql`reported_at >= ${r.from} AND reported_at < ${r.to}`;
  const [sources, [late], [flags], [tips]] = await Promise.all([
    db.all<{ s: string; n: number; r: number }>(sql`
      SELECT source AS s, count(*) AS n, sum(status IN ('rectified', 'closed')) AS r FROM hazards INDEXED BY hazards_stats_source
      WHERE source <> 'inspection' AND source IN (${sql.join(OTHER_SOURCES.map((x) => sql`${x}`), sql`, `)}) AND ${range} ${town} GROUP BY source`),
    db.all<{ n: number }>(sql`
      SELECT count(*) AS n FROM hazards INDEXED BY hazards_stats_late
      WHERE rectified_at > coalesce(original_deadline, deadline) AND ${range} ${town} AND status IN ('rectified', 'closed')`),
    db.all<{ s: number; l: number; e: number }>(sql`
      SELECT sum(on_the_spot = 1) AS s, sum(supervise_level IS NOT NULL) AS l, sum(extensions > 0) AS e FROM hazards INDEXED BY hazards_stats_flags
      WHERE (on_the_spot = 1 OR supervise_level IS NOT NULL OR extensions > 0) AND ${range} ${town}`),
    db.all<{ n: number; y: number; no: number; h: number }>(sql`
      SELECT count(*) AS n, sum(substantiated = 1) AS y, sum(substantiated = 0) AS no,
        -- Hazards found from tips in the period, by the source index: hazards_tip holds every hazard
        -- (NULL for most), which SQLite walks whole rather than seek once it has statistics.
        (SELECT count(*) FROM hazards INDEXED BY hazards_stats_source
          WHERE source <> 'inspection' AND source IN ('tip') AND ${range} ${town} AND tip_id IS NOT NULL) AS h
      FROM tips WHERE received_at >= ${r.from} AND received_at < ${r.to}
        ${townshipIn('township', scope)}`),
  ]);
  return { sources, late, flags, tips };
}

/** The ledger figures, the ordinary inspections' share being what the other sources leave of the totals. */
export function foldLedger(counts: Awaited<ReturnType<typeof ledgerCounts>>, totals: { found: number; rectified: number }): LedgerFigures {
  const { sources, late, flags, tips } = counts;
  const bySource = Object.fromEntries(HAZARD_SOURCES.map((s) => [s, { found: 0, rectified: 0 }])) as LedgerFigures['bySource'];
  let otherFound = 0;
  let otherRectified = 0;
  for (const row of sources) {
    const key = (HAZARD_SOURCES as readonly string[]).includes(row.s) ? (row.s as HazardSource) : 'other';
    bySource[key].found += num(row.n);
    bySource[key].rectified += num(row.r);
    otherFound += num(row.n);
    otherRectified += num(row.r);
  }
  bySource.inspection = { found: totals.found - otherFound, rectified: totals.rectified - otherRectified };
  return {
    bySource,
    rectifiedLate: num(late?.n),
    listed: num(flags?.l),
    extended: num(flags?.e),
    onTheSpot: num(flags?.s),
    tips: { received: num(tips?.n), substantiated: num(tips?.y), unsubstantiated: num(tips?.no), hazards: num(tips?.h) },
  };
}
