// 检查 / 排查: one visit to one enterprise is one 户次; covert visits are 暗查暗访. An inspector's
// visit and the hazards they report at that enterprise on the same local day belong together.

import { and, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { hazards, inspections } from '../db/schema.ts';
import { addLocalDays, startOfLocalDay } from './time.ts';

export type Inspection = typeof inspections.$inferSelect;

/** [start, end) of the local day containing `now`, in epoch ms. */
export function localDayRange(now: Date, tz: string): [number, number] {
  const from = startOfLocalDay(now, tz);
  return [from.getTime(), addLocalDays(from, 1, tz).getTime()];
}

/**
 * The id of the inspection by this inspector at this enterprise on the local day of `now` (the
 * latest, should there be several), or undefined. A hazard reported then links to it.
 */
export async function inspectionForHazard(db: Db, enterpriseId: number, inspectorOpenId: string, now: Date, tz: string): Promise<number | undefined> {
  const [from, to] = localDayRange(now, tz);
  const [row] = await db
    .select({ id: inspections.id })
    .from(inspections)
    .where(and(eq(inspections.enterpriseId, enterpriseId), eq(inspections.inspectorOpenId, inspectorOpenId), gte(inspections.at, from), lt(inspections.at, to)))
    .orderBy(desc(inspections.at), desc(inspections.id))
    .limit(1);
  return row?.id;
}

/** Inspections (户次) at an enterprise on the local day of `now`. */
export async function inspectionsToday(db: Db, enterpriseId: number, now: Date, tz: string): Promise<number> {
  const [from, to] = localDayRange(now, tz);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)` })
    .from(inspections)
    .where(and(eq(inspections.enterpriseId, enterpriseId), gte(inspections.at, from), lt(inspections.at, to)));
  return Number(n);
}

/** Hazards this inspector reported at this enterprise today that no inspection claims yet. */
export async function unlinkedHazardsToday(db: Db, enterpriseId: number, inspectorOpenId: string, now: Date, tz: string): Promise<number> {
  const [from, to] = localDayRange(now, tz);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)` })
    .from(hazards)
    .where(unlinkedToday(enterpriseId, inspectorOpenId, from, to));
  return Number(n);
}

const unlinkedToday = (enterpriseId: number, inspectorOpenId: string, from: number, to: number) =>
  and(
    eq(hazards.enterpriseId, enterpriseId),
    eq(hazards.reporterOpenId, inspectorOpenId),
    isNull(hazards.inspectionId),
    gte(hazards.reportedAt, from),
    lt(hazards.reportedAt, to),
  );

/**
 * The statements that record one inspection done now: the row itself, then the link from the
 * hazards the same inspector already reported there today (reported before they said /inspect).
 * The new id is not known before the batch runs, so the link finds the row by its own values.
 */
export function recordInspection(db: Db, v: { enterpriseId: number; inspectorOpenId: string; covert: boolean }, now: Date, tz: string) {
  const at = now.getTime();
  const [from, to] = localDayRange(now, tz);
  const newId = db
    .select({ id: inspections.id })
    .from(inspections)
    .where(and(eq(inspections.enterpriseId, v.enterpriseId), eq(inspections.inspectorOpenId, v.inspectorOpenId), eq(inspections.at, at)))
    .orderBy(desc(inspections.id))
    .limit(1);
  return [
    db.insert(inspections).values({ enterpriseId: v.enterpriseId, inspectorOpenId: v.inspectorOpenId, at, covert: v.covert, createdAt: at }),
    db.update(hazards).set({ inspectionId: sql`(${newId})` }).where(unlinkedToday(v.enterpriseId, v.inspectorOpenId, from, to)),
  ] as const;
}
