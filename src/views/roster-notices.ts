// The roster's notices: a swap request that expired, a handover left unsigned.

import { twoLines } from '../bi.ts';
import type { HandoverEscalation, SwapExpiry } from '../domain/roster-notices.ts';
import { nameOf, shiftSpanLong } from '../domain/roster.ts';
import { formatDateTime } from '../domain/time.ts';
import type { Card } from '../lark/cards.ts';
import { noticeCard, swapCard } from './roster-cards.ts';

/** The request's own card, greyed as expired (when both shifts still exist). */
export function expiredSwapCard(e: SwapExpiry, tz: string): Card | undefined {
  if (!e.shifts) return undefined;
  const req = e.closed;
  const key = { a: req.requesterShiftId, b: req.targetShiftId, t: req.createdAt };
  return swapCard({ req, mine: e.shifts.mine, theirs: e.shifts.theirs, requester: req.requesterOpenId, target: req.targetOpenId, info: e.info, tz, key, at: req.decidedAt ?? undefined });
}

/** To the requester: why their request no longer stands. */
export function swapExpiredText(e: SwapExpiry): string {
  const target = nameOf(e.info, e.closed.targetOpenId);
  return twoLines(
    e.why === 'time'
      ? { zh: `您向 ${target} 提出的换班申请未获答复，已于班次开始时自动作废。`, en: `Your swap request to ${target} was not answered before the shift started; it has expired.` }
      : { zh: `您向 ${target} 提出的换班申请因班次已变动而作废。`, en: `Your swap request to ${target} no longer applies: the shifts changed.` },
  );
}

/** To the incoming officer who has not signed (buzzed). */
export function handoverUnsignedCard(e: HandoverEscalation, tz: string): Card {
  const since = formatDateTime(new Date(e.to.start), tz);
  const from = nameOf(e.info, e.handover.fromOpenId);
  return noticeCard({ zh: '交接班尚未签收', en: 'Handover not signed' }, 'red', [
    { zh: `您的班次已于 ${since} 开始，${from} 的交班记录仍未签收，请立即查看并签收。`, en: `Your shift began at ${since} and ${from}'s handover is still unsigned. Please read and sign it now.` },
  ]);
}

/** To the leader on duty: the officer has been buzzed. */
export function handoverUnsignedLeaderCard(e: HandoverEscalation, tz: string): Card {
  const incoming = nameOf(e.info, e.to.personOpenId);
  const from = nameOf(e.info, e.handover.fromOpenId);
  const span = shiftSpanLong(e.to, tz);
  return noticeCard({ zh: '交接班未签收', en: 'Handover unsigned' }, 'orange', [
    {
      zh: `值班员 ${incoming}（班次 ${span}）接班已超过 30 分钟，仍未签收 ${from} 的交班记录，已加急提醒。`,
      en: `Duty officer ${incoming} (shift ${span}) has not signed ${from}'s handover 30 minutes into the shift; they have been buzzed.`,
    },
  ]);
}
