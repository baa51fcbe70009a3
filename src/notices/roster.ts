// Saying what the roster's rules decided (src/domain/roster-notices.ts): write their statements,
// render through the views and queue. Shared by the card click (a swap answered too late) and the
// shift-reminders job, so both say exactly the same thing.

import type { HandoverEscalation, SwapExpiry } from '../domain/roster-notices.ts';
import type { Effects } from '../outbox/effects.ts';
import type { Db } from '../db/client.ts';
import { cleanChain, insertLadder } from '../domain/escalations.ts';
import { ackButton, withFoot } from '../views/escalation-cards.ts';
import { expiredSwapCard, handoverUnsignedCard, handoverUnsignedLeaderCard, swapExpiredText } from '../views/roster-notices.ts';

/** Closes the request, greys its card and tells the requester. */
export function queueSwapExpiry(fx: Effects, e: SwapExpiry, tz: string) {
  fx.write(...e.statements);
  const card = expiredSwapCard(e, tz);
  if (e.closed.cardOutboxId && card) fx.patch({ outboxId: e.closed.cardOutboxId }, card);
  fx.send({ openId: e.closed.requesterOpenId }, { text: swapExpiredText(e) }, { dedupeKey: `swap:${e.closed.id}:expired` });
}

/** Buzzes the incoming officer who has not signed and tells the leader on duty. */
/**
 * The incoming officer is buzzed on a notice carrying 收到; with `ladder` it also starts their
 * acknowledge-or-escalate ladder: SMS, phone, then the leader on duty gets the card.
 */
export function queueHandoverEscalation(fx: Effects, e: HandoverEscalation, tz: string, ladder?: { db: Db; smsMinutes: number }) {
  const incoming = e.to.personOpenId;
  const id = e.handover.id;
  const item = `handover:${id}`;
  fx.write(...e.statements);
  const notice = handoverUnsignedCard(e, tz);
  const sent = fx.send({ openId: incoming }, { card: ladder ? withFoot(notice, [ackButton(item)]) : notice }, { dedupeKey: `handover:${id}:escalate` });
  fx.buzz(sent, [incoming], { dedupeKey: `handover:${id}:escalate:buzz` });
  if (ladder) {
    const at = fx.now.getTime();
    fx.write(insertLadder(ladder.db, { item, personOpenId: incoming, chain: cleanChain([[incoming], [e.leader]]), level: 0, cardOutboxId: sent, quietHold: false, startedAt: at, firstRungAt: at + ladder.smsMinutes * 60_000 }));
  }
  if (e.leader && e.leader !== incoming) {
    fx.send({ openId: e.leader }, { card: handoverUnsignedLeaderCard(e, tz) }, { dedupeKey: `handover:${id}:escalate:leader` });
  }
}
