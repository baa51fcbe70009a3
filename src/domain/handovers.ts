// 交接班: the outgoing officer's notes with an automatic summary of the shift; the incoming
// officer signs (签收); unsigned 30 minutes into the shift, the incoming officer is buzzed and the
// leader on duty told.

import { and, asc, count, desc, eq, gte, isNull, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { handovers, hazards, incidents, outbox, shifts } from '../db/schema.ts';
import type { Shift } from './roster.ts';

export type Handover = typeof handovers.$inferSelect;

/** A handover may still be written this long after the shift ended. */
export const HANDOVER_GRACE_MS = 2 * 3600_000;
/** Unsigned this long after the incoming shift starts (or the handover is written, if later): escalate. */
export const SIGN_OFF_MS = 30 * 60_000;

export interface ShiftSummary {
  hazards: { count: number; nos: string[] };
  incidentsOpen: { count: number; nos: string[] };
  failedMessages: number;
}

/** The caller's officer shift a handover is for: the one on now, or one that ended within the grace. */
export async function outgoingShiftOf(db: Db, openId: string, now: Date): Promise<Shift | undefined> {
  const t = now.getTime();
  const [s] = await db
    .select()
    .from(shifts)
    .where(and(eq(shifts.personOpenId, openId), eq(shifts.role, 'officer'), lte(shifts.start, t), gte(shifts.end, t - HANDOVER_GRACE_MS)))
    .orderBy(desc(shifts.start))
    .limit(1);
  return s;
}

/** Open incidents now; a hook so the incidents module can refine what counts. */
export const handoverSources = {
  async incidentsOpen(db: Db, _now: Date): Promise<{ count: number; nos: string[] }> {
    const rows = await db.select({ no: incidents.no }).from(incidents).where(eq(incidents.status, 'open')).orderBy(asc(incidents.reportedAt)).limit(50);
    return { count: rows.length, nos: rows.map((r) => r.no) };
  },
};

/** What happened during the shift up to `now`: hazards reported, incidents open, messages the bot failed to deliver. */
export async function shiftSummary(db: Db, shift: Shift, now: Date): Promise<ShiftSummary> {
  const from = shift.start;
  const to = Math.max(from, Math.min(now.getTime(), shift.end));
  const reported = await db
    .select({ no: hazards.no })
    .from(hazards)
    .where(and(gte(hazards.reportedAt, from), lte(hazards.reportedAt, to)))
    .orderBy(asc(hazards.reportedAt));
  const [failed] = await db
    .select({ n: count() })
    .from(outbox)
    .where(and(eq(outbox.status, 'failed'), gte(outbox.createdAt, from), lte(outbox.createdAt, to)));
  return {
    hazards: { count: reported.length, nos: reported.slice(0, 20).map((r) => r.no) },
    incidentsOpen: await handoverSources.incidentsOpen(db, now),
    failedMessages: failed.n,
  };
}

export function parseSummary(text: string): ShiftSummary {
  try {
    return JSON.parse(text) as ShiftSummary;
  } catch {
    return { hazards: { count: 0, nos: [] }, incidentsOpen: { count: 0, nos: [] }, failedMessages: 0 };
  }
}

export async function handoverFrom(db: Db, fromShiftId: number): Promise<Handover | undefined> {
  const [h] = await db.select().from(handovers).where(eq(handovers.fromShiftId, fromShiftId)).limit(1);
  return h;
}

export function insertHandover(
  db: Db,
  h: { from: Shift; to?: Shift; notes: string; summary: ShiftSummary; cardOutboxId?: string },
  now: Date,
) {
  return db.insert(handovers).values({
    fromShiftId: h.from.id,
    fromOpenId: h.from.personOpenId,
    toShiftId: h.to?.id ?? null,
    toOpenId: h.to?.personOpenId ?? null,
    notes: h.notes,
    summary: JSON.stringify(h.summary),
    cardOutboxId: h.cardOutboxId ?? null,
    createdAt: now.getTime(),
  });
}

export function signHandover(db: Db, id: number, now: Date) {
  return db.update(handovers).set({ signedAt: now.getTime() }).where(and(eq(handovers.id, id), isNull(handovers.signedAt)));
}

export function markEscalated(db: Db, id: number, now: Date) {
  return db.update(handovers).set({ escalatedAt: now.getTime() }).where(and(eq(handovers.id, id), isNull(handovers.escalatedAt)));
}

/** Unsigned handovers whose incoming shift is SIGN_OFF_MS old (counted from the later of its start and the handover) and not over. */
export async function dueEscalations(db: Db, now: Date): Promise<{ handover: Handover; to: Shift }[]> {
  const t = now.getTime();
  const rows = await db
    .select({ handover: handovers, to: shifts })
    .from(handovers)
    .innerJoin(shifts, eq(shifts.id, handovers.toShiftId))
    .where(and(isNull(handovers.signedAt), isNull(handovers.escalatedAt), lte(shifts.start, t - SIGN_OFF_MS), gte(shifts.end, t)));
  return rows.filter((r) => Math.max(r.to.start, r.handover.createdAt) + SIGN_OFF_MS <= t);
}
