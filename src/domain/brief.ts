import { and, count, eq, gte, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards } from '../db/schema.ts';
import type { Settings } from '../settings.ts';
import { stepFor } from './nag-ladder.ts';
import { addLocalDays, startOfLocalDay } from './time.ts';

/** The figures of the leaders' morning brief: yesterday's movement, overdue by level, open major hazards. */
export interface BriefFigures {
  /** The start of yesterday (local), epoch ms. */
  yesterday: number;
  reported: number;
  rectified: number;
  closed: number;
  overdue: number;
  /** Overdue hazards at each level of the nag ladder, in ladder order (levels with none included). */
  byLevel: { level: number; n: number }[];
  /** Up to 10 open major hazards, soonest deadline first. */
  majors: { no: string; status: string; enterprise: string; deadline: number | null }[];
}

export async function briefFigures(db: Db, settings: Settings, now: Date): Promise<BriefFigures> {
  const tz = settings.tz;
  const today = startOfLocalDay(now, tz).getTime();
  const yesterday = startOfLocalDay(addLocalDays(now, -1, tz), tz).getTime();
  const within = (col: typeof hazards.reportedAt | typeof hazards.rectifiedAt | typeof hazards.closedAt) => and(gte(col, yesterday), lt(col, today));
  const [[reported], [rectified], [closed]] = await Promise.all([
    db.select({ n: count() }).from(hazards).where(within(hazards.reportedAt)),
    db.select({ n: count() }).from(hazards).where(within(hazards.rectifiedAt)),
    db.select({ n: count() }).from(hazards).where(within(hazards.closedAt)),
  ]);
  const overdue = await db
    .select({ level: hazards.level, deadline: sql<number>`${hazards.deadline}` })
    .from(hazards)
    .where(and(eq(hazards.status, 'dispatched'), lt(hazards.deadline, now.getTime())));
  const counts = new Map<number, number>();
  for (const h of overdue) {
    const step = stepFor(settings.nagLadder, h, now.getTime());
    if (step) counts.set(step.level, (counts.get(step.level) ?? 0) + 1);
  }
  const majors = await db
    .select({ no: hazards.no, status: hazards.status, enterprise: enterprises.name, deadline: hazards.deadline })
    .from(hazards)
    .innerJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(and(eq(hazards.level, 'major'), ne(hazards.status, 'closed')))
    .orderBy(hazards.deadline)
    .limit(10);
  return {
    yesterday,
    reported: reported.n,
    rectified: rectified.n,
    closed: closed.n,
    overdue: overdue.length,
    byLevel: settings.nagLadder.steps.map((s) => ({ level: s.level, n: counts.get(s.level) ?? 0 })),
    majors,
  };
}
