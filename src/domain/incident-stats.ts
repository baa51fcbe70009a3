// Response-time figures for /stats and the brief: how fast teams acknowledged and arrived.

import { and, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { incidents } from '../db/schema.ts';
import { loadRecords, responseTimes } from './incidents.ts';

export interface IncidentStats {
  /** Incidents reported in [from, to). */
  count: number;
  /** Median of report → first 接令 over those that have one; null when none has. */
  medianAckMs: number | null;
  /** Median of report → first 到达 over those that have one; null when none has. */
  medianArriveMs: number | null;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

/** Incidents reported in [from, to) and the median response times among them. */
export async function incidentStats(db: Db, from: Date, to: Date): Promise<IncidentStats> {
  const recs = await loadRecords(db, and(gte(incidents.reportedAt, from.getTime()), lt(incidents.reportedAt, to.getTime())));
  const times = recs.map(responseTimes);
  return {
    count: recs.length,
    medianAckMs: median(times.map((t) => t.ackMs).filter((x): x is number => x !== undefined)),
    medianArriveMs: median(times.map((t) => t.arriveMs).filter((x): x is number => x !== undefined)),
  };
}
