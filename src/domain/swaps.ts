// 换班: one person asks another to exchange shifts; the other agrees or declines; an unanswered
// request expires when the earlier of the two shifts starts.

import type { Bi } from '../bi.ts';
import { and, asc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { shifts, swapRequests } from '../db/schema.ts';
import { DomainError } from './errors.ts';
import { shiftsStartingOn, type Shift } from './roster.ts';
import { formatDate } from './time.ts';

export type SwapRequest = typeof swapRequests.$inferSelect;

/** What a swap card's buttons carry: the two shifts and the instant of the request, which name it uniquely. */
export interface SwapKey {
  a: number;
  b: number;
  t: number;
}

const upcomingOf = (rows: Shift[], openId: string, now: Date) => rows.filter((s) => s.personOpenId === openId && s.start > now.getTime());

/** The person's not-yet-started shifts in `role`, nearest to `near` first. */
async function nearestShift(db: Db, openId: string, role: string, near: number, now: Date): Promise<Shift | undefined> {
  const rows = await db
    .select()
    .from(shifts)
    .where(and(eq(shifts.personOpenId, openId), eq(shifts.role, role), gt(shifts.start, now.getTime())))
    .orderBy(asc(shifts.start))
    .limit(200);
  return rows.sort((x, y) => Math.abs(x.start - near) - Math.abs(y.start - near) || x.start - y.start)[0];
}

/**
 * The two shifts `/swap DATE @person [DATE2]` means. DATE names the requester's shift (or, if
 * the requester has none that day, the other person's); the other shift is the one on DATE2, or
 * else the other person's shift in the same role nearest to it. Both must not have started.
 */
export async function pickSwapShifts(
  db: Db,
  requester: string,
  target: string,
  day: Date,
  now: Date,
  tz: string,
  otherDay?: Date,
): Promise<{ mine: Shift; theirs: Shift }> {
  const date = formatDate(day, tz);
  const that = await shiftsStartingOn(db, day, tz);
  const mineOn = upcomingOf(that, requester, now);
  const theirsOn = upcomingOf(that, target, now);
  const pickOn = async (openId: string, role: string, near: number) => {
    if (otherDay) {
      const s = upcomingOf(await shiftsStartingOn(db, otherDay, tz), openId, now).find((x) => x.role === role);
      if (!s) throw new DomainError('not_found', { zh: `${formatDate(otherDay, tz)} 没有对方可换的同类班次。`, en: `There is no matching shift on ${formatDate(otherDay, tz)} to swap with.` });
      return s;
    }
    const s = await nearestShift(db, openId, role, near, now);
    if (!s) throw new DomainError('not_found', { zh: '对方没有尚未开始的同类班次可换。', en: 'The other person has no upcoming shift of the same kind to swap with.' });
    return s;
  };
  if (mineOn.length) return { mine: mineOn[0], theirs: await pickOn(target, mineOn[0].role, mineOn[0].start) };
  if (theirsOn.length) return { mine: await pickOn(requester, theirsOn[0].role, theirsOn[0].start), theirs: theirsOn[0] };
  const begun = that.some((s) => (s.personOpenId === requester || s.personOpenId === target) && s.start <= now.getTime());
  throw begun
    ? new DomainError('wrong_state', { zh: `${date} 的班次已经开始，不能再换班。`, en: `The shift on ${date} has already started; it can no longer be swapped.` })
    : new DomainError('not_found', { zh: `${date} 您和对方都没有班次。`, en: `Neither of you has a shift on ${date}.` });
}

/** A pending request that involves either shift, if any. */
export async function pendingFor(db: Db, shiftIds: number[]): Promise<SwapRequest | undefined> {
  const [r] = await db
    .select()
    .from(swapRequests)
    .where(and(eq(swapRequests.status, 'pending'), or(inArray(swapRequests.requesterShiftId, shiftIds), inArray(swapRequests.targetShiftId, shiftIds))))
    .limit(1);
  return r;
}

export function insertSwap(db: Db, mine: Shift, theirs: Shift, cardOutboxId: string, now: Date) {
  return db.insert(swapRequests).values({
    requesterOpenId: mine.personOpenId,
    requesterShiftId: mine.id,
    targetOpenId: theirs.personOpenId,
    targetShiftId: theirs.id,
    status: 'pending',
    cardOutboxId,
    expiresAt: Math.min(mine.start, theirs.start),
    createdAt: now.getTime(),
  });
}

export async function swapByKey(db: Db, k: SwapKey): Promise<SwapRequest | undefined> {
  const [r] = await db
    .select()
    .from(swapRequests)
    .where(and(eq(swapRequests.requesterShiftId, k.a), eq(swapRequests.targetShiftId, k.b), eq(swapRequests.createdAt, k.t)))
    .limit(1);
  return r;
}

const stillPending = (id: number) => sql`exists (select 1 from ${swapRequests} where ${swapRequests.id} = ${id} and ${swapRequests.status} = 'pending')`;

/**
 * Accepting: both shifts change hands and the request closes, in one batch. Every statement is
 * guarded by the request still being pending (and each shift still being its owner's), so a
 * second click racing the first changes nothing.
 */
export function acceptSwap(db: Db, r: SwapRequest, now: Date): BatchItem<'sqlite'>[] {
  const t = now.getTime();
  return [
    db.update(shifts)
      .set({ personOpenId: r.targetOpenId, origin: 'swapped', updatedAt: t })
      .where(and(eq(shifts.id, r.requesterShiftId), eq(shifts.personOpenId, r.requesterOpenId), stillPending(r.id))),
    db.update(shifts)
      .set({ personOpenId: r.requesterOpenId, origin: 'swapped', updatedAt: t })
      .where(and(eq(shifts.id, r.targetShiftId), eq(shifts.personOpenId, r.targetOpenId), stillPending(r.id))),
    closeSwap(db, r.id, 'accepted', now),
  ];
}

export function closeSwap(db: Db, id: number, status: 'accepted' | 'declined' | 'expired', now: Date) {
  return db.update(swapRequests).set({ status, decidedAt: now.getTime() }).where(and(eq(swapRequests.id, id), eq(swapRequests.status, 'pending')));
}

/** Pending requests whose earlier shift has started. */
export async function dueExpiries(db: Db, now: Date): Promise<SwapRequest[]> {
  return db.select().from(swapRequests).where(and(eq(swapRequests.status, 'pending'), lte(swapRequests.expiresAt, now.getTime())));
}

export const SWAP_STATUS: Record<string, Bi> = {
  pending: { zh: '待对方确认', en: 'waiting for an answer' },
  accepted: { zh: '已同意', en: 'accepted' },
  declined: { zh: '已拒绝', en: 'declined' },
  expired: { zh: '已过期', en: 'expired' },
};
