// Messages the roster sends from more than one place (a card click and a job): a swap that
// expires, a handover left unsigned.

import type { Effects } from '../outbox/effects.ts';
import type { Db } from '../db/client.ts';
import { noticeCard, swapCard } from '../views/roster-cards.ts';
import { markEscalated, type Handover } from './handovers.ts';
import { nameOf, onDuty, peopleInfo, shiftById, shiftSpanLong, type Shift } from './roster.ts';
import { closeSwap, type SwapRequest } from './swaps.ts';
import { formatDateTime } from './time.ts';

/** Closes a pending request as expired, greys its card and tells the requester. */
export async function expireSwap(fx: Effects, db: Db, req: SwapRequest, tz: string, why: 'time' | 'changed' = 'time') {
  const [mine, theirs] = await Promise.all([shiftById(db, req.requesterShiftId), shiftById(db, req.targetShiftId)]);
  const info = await peopleInfo(db, [req.requesterOpenId, req.targetOpenId]);
  fx.write(closeSwap(db, req.id, 'expired', fx.now));
  if (req.cardOutboxId && mine && theirs) {
    const key = { a: req.requesterShiftId, b: req.targetShiftId, t: req.createdAt };
    const closed = { ...req, status: 'expired', decidedAt: fx.now.getTime() };
    fx.patch({ outboxId: req.cardOutboxId }, swapCard({ req: closed, mine, theirs, requester: req.requesterOpenId, target: req.targetOpenId, info, tz, key, at: fx.now.getTime() }));
  }
  const target = nameOf(info, req.targetOpenId);
  const [zh, en] =
    why === 'time'
      ? [`您向 ${target} 提出的换班申请未获答复，已于班次开始时自动作废。`, `Your swap request to ${target} was not answered before the shift started; it has expired.`]
      : [`您向 ${target} 提出的换班申请因班次已变动而作废。`, `Your swap request to ${target} no longer applies: the shifts changed.`];
  fx.send({ openId: req.requesterOpenId }, { text: `${zh}\n${en}` }, { dedupeKey: `swap:${req.id}:expired` });
}

/** Buzzes the incoming officer who has not signed and tells the leader on duty. */
export async function escalateHandover(fx: Effects, db: Db, h: Handover, to: Shift, tz: string) {
  const incoming = to.personOpenId;
  const { leader } = await onDuty(db, fx.now);
  const info = await peopleInfo(db, [incoming, h.fromOpenId, leader?.personOpenId]);
  fx.write(markEscalated(db, h.id, fx.now));
  const since = formatDateTime(new Date(to.start), tz);
  const id = fx.send(
    { openId: incoming },
    {
      card: noticeCard({ zh: '交接班尚未签收', en: 'Handover not signed' }, 'red', [
        { zh: `您的班次已于 ${since} 开始，${nameOf(info, h.fromOpenId)} 的交班记录仍未签收，请立即查看并签收。`, en: `Your shift began at ${since} and ${nameOf(info, h.fromOpenId)}'s handover is still unsigned. Please read and sign it now.` },
      ]),
    },
    { dedupeKey: `handover:${h.id}:escalate` },
  );
  fx.buzz(id, [incoming], { dedupeKey: `handover:${h.id}:escalate:buzz` });
  if (leader && leader.personOpenId !== incoming) {
    fx.send(
      { openId: leader.personOpenId },
      {
        card: noticeCard({ zh: '交接班未签收', en: 'Handover unsigned' }, 'orange', [
          { zh: `值班员 ${nameOf(info, incoming)}（班次 ${shiftSpanLong(to, tz)}）接班已超过 30 分钟，仍未签收 ${nameOf(info, h.fromOpenId)} 的交班记录，已加急提醒。`, en: `Duty officer ${nameOf(info, incoming)} (shift ${shiftSpanLong(to, tz)}) has not signed ${nameOf(info, h.fromOpenId)}'s handover 30 minutes into the shift; they have been buzzed.` },
        ]),
      },
      { dedupeKey: `handover:${h.id}:escalate:leader` },
    );
  }
}
