// What the roster must say when a swap request expires or a handover goes unsigned: rules that
// return the statements to write and the facts to tell. src/notices/roster.ts renders and queues
// them, for the card click and the job alike.

import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { markEscalated, type Handover } from './handovers.ts';
import { onDuty, peopleInfo, shiftById, type PersonInfo, type Shift } from './roster.ts';
import { closeSwap, type SwapRequest } from './swaps.ts';

export interface SwapExpiry {
  statements: BatchItem<'sqlite'>[];
  /** The request as it is once closed. */
  closed: SwapRequest;
  why: 'time' | 'changed';
  /** Both shifts, when they still exist (the request's card is then greyed). */
  shifts?: { mine: Shift; theirs: Shift };
  info: Map<string, PersonInfo>;
}

/** Closes a pending request as expired: the card greys, the requester is told why. */
export async function planSwapExpiry(db: Db, req: SwapRequest, now: Date, why: 'time' | 'changed' = 'time'): Promise<SwapExpiry> {
  const [mine, theirs] = await Promise.all([shiftById(db, req.requesterShiftId), shiftById(db, req.targetShiftId)]);
  const info = await peopleInfo(db, [req.requesterOpenId, req.targetOpenId]);
  return {
    statements: [closeSwap(db, req.id, 'expired', now)],
    closed: { ...req, status: 'expired', decidedAt: now.getTime() },
    why,
    shifts: mine && theirs ? { mine, theirs } : undefined,
    info,
  };
}

export interface HandoverEscalation {
  statements: BatchItem<'sqlite'>[];
  handover: Handover;
  /** The incoming shift, whose officer has not signed. */
  to: Shift;
  /** The leader on duty, told unless they are the incoming officer. */
  leader?: string;
  info: Map<string, PersonInfo>;
}

/** A handover still unsigned 30 minutes into the incoming shift: the officer is buzzed, the leader on duty told. */
export async function planHandoverEscalation(db: Db, h: Handover, to: Shift, now: Date): Promise<HandoverEscalation> {
  const { leader } = await onDuty(db, now);
  const info = await peopleInfo(db, [to.personOpenId, h.fromOpenId, leader?.personOpenId]);
  return { statements: [markEscalated(db, h.id, now)], handover: h, to, leader: leader?.personOpenId, info };
}
