// The roster's card buttons, answered inline: 同意 / 拒绝 on a swap request, 签收 on a handover.
// Only the people concerned may answer; a click on a request already decided says who decided it.

import type { CardAction, CardActionList } from './card-actions.ts';
import type { BotContext } from './context.ts';
import { BotError } from './errors.ts';
import { handoverFrom, parseSummary, signHandover } from '../domain/handovers.ts';
import { settleItem } from '../domain/escalations.ts';
import { nameOf, onDuty, peopleInfo, shiftById, shiftSpanLong } from '../domain/roster.ts';
import { planSwapExpiry } from '../domain/roster-notices.ts';
import { queueSwapExpiry } from '../notices/roster.ts';
import { acceptSwap, closeSwap, SWAP_STATUS, swapByKey, type SwapKey } from '../domain/swaps.ts';
import { formatDateTime } from '../domain/time.ts';
import { handoverCard, swapCard } from '../views/roster-cards.ts';
import { own } from '../own.ts';
import { mirrorShifts } from './mirror-flow.ts';

const stale = () => new BotError('此按钮已失效。', 'This button no longer works.');

function keyOf(v: Record<string, unknown>): SwapKey {
  const [a, b, t] = [Number(v.a), Number(v.b), Number(v.t)];
  if (![a, b, t].every((n) => Number.isInteger(n) && n > 0)) throw stale();
  return { a, b, t };
}

async function answerSwap(ctx: BotContext, value: Record<string, unknown>, accept: boolean) {
  const { tz } = ctx.settings;
  const key = keyOf(value);
  const req = await swapByKey(ctx.db, key);
  if (!req) throw stale();
  const [mine, theirs] = await Promise.all([shiftById(ctx.db, req.requesterShiftId), shiftById(ctx.db, req.targetShiftId)]);
  const { leader } = await onDuty(ctx.db, ctx.now);
  const info = await peopleInfo(ctx.db, [req.requesterOpenId, req.targetOpenId, leader?.personOpenId]);
  const rq = nameOf(info, req.requesterOpenId);
  const tg = nameOf(info, req.targetOpenId);
  const view = (status: string, at: number | null, by?: string) =>
    mine && theirs ? swapCard({ req: { ...req, status }, mine, theirs, requester: req.requesterOpenId, target: req.targetOpenId, info, tz, key, at: at ?? undefined, by }) : undefined;

  if (req.status !== 'pending') {
    const s = own(SWAP_STATUS, req.status) ?? { zh: req.status, en: req.status };
    const when = req.decidedAt ? formatDateTime(new Date(req.decidedAt), tz) : '';
    const by = req.status === 'expired' ? undefined : req.targetOpenId;
    const zh = by ? `此申请已由 ${nameOf(info, by)} 于 ${when} ${s.zh.replace(/^已/, '')}` : `此申请已于 ${when} ${s.zh.replace(/^已/, '')}`;
    ctx.respond({ type: 'info', zh, en: `This request was ${s.en}${by ? ` by ${nameOf(info, by)}` : ''} at ${when}` }, view(req.status, req.decidedAt, by));
    return;
  }
  if (ctx.caller.openId !== req.targetOpenId) {
    if (ctx.caller.openId === req.requesterOpenId) {
      throw new BotError(`换班须由 ${tg} 答复，申请人不能自己同意或拒绝。`, `Only ${tg} can answer; the person who asked cannot answer their own request.`);
    }
    throw new BotError(`只有 ${tg} 可以答复此换班申请（${rq} 发起）。`, `Only ${tg} can answer this swap request (asked by ${rq}).`);
  }
  if (ctx.now.getTime() >= req.expiresAt || !mine || !theirs || mine.personOpenId !== req.requesterOpenId || theirs.personOpenId !== req.targetOpenId) {
    const timedOut = ctx.now.getTime() >= req.expiresAt;
    queueSwapExpiry(ctx, await planSwapExpiry(ctx.db, req, ctx.now, timedOut ? 'time' : 'changed'), tz);
    ctx.respond(
      timedOut
        ? { type: 'warning', zh: '班次已开始，申请已过期。', en: 'The shift has started; the request has expired.' }
        : { type: 'warning', zh: '班次已变动，申请作废。', en: 'The shifts have changed; the request no longer applies.' },
      view('expired', ctx.now.getTime()),
    );
    return;
  }

  const now = ctx.now.getTime();
  if (accept) {
    ctx.write(...acceptSwap(ctx.db, req, ctx.now));
    mirrorShifts(ctx, ctx.settings, [mine.start, theirs.start]);
    ctx.respond({ type: 'success', zh: '已同意换班', en: 'Swap accepted' }, view('accepted', now, req.targetOpenId));
    // What each person now holds, after the exchange.
    const zh = `${rq} 与 ${tg} 已换班：${rq} 改值 ${shiftSpanLong(theirs, tz)}，${tg} 改值 ${shiftSpanLong(mine, tz)}。`;
    const en = `${rq} and ${tg} swapped: ${rq} now takes ${shiftSpanLong(theirs, tz)}, ${tg} takes ${shiftSpanLong(mine, tz)}.`;
    const told = new Set([req.requesterOpenId, req.targetOpenId, leader?.personOpenId].filter((x): x is string => !!x));
    for (const openId of told) ctx.send({ openId }, { text: `${zh}\n${en}` }, { dedupeKey: `swap:${req.id}:accepted:${openId}` });
  } else {
    ctx.write(closeSwap(ctx.db, req.id, 'declined', ctx.now));
    ctx.respond({ type: 'info', zh: '已拒绝换班', en: 'Swap declined' }, view('declined', now, req.targetOpenId));
    ctx.send(
      { openId: req.requesterOpenId },
      { text: `${tg} 拒绝了您的换班申请（${shiftSpanLong(mine, tz)}），班次不变。\n${tg} declined your swap request (${shiftSpanLong(mine, tz)}); your shift stays as it is.` },
      { dedupeKey: `swap:${req.id}:declined` },
    );
  }
}

const onSwapAccept: CardAction = (ctx, event) => answerSwap(ctx, event.value, true);
const onSwapDecline: CardAction = (ctx, event) => answerSwap(ctx, event.value, false);

const onHandoverSign: CardAction = async (ctx, event) => {
  const { tz } = ctx.settings;
  const fromShiftId = Number(event.value.shift);
  if (!Number.isInteger(fromShiftId) || fromShiftId <= 0) throw stale();
  const h = await handoverFrom(ctx.db, fromShiftId);
  const fromShift = h && (await shiftById(ctx.db, h.fromShiftId));
  if (!h || !fromShift) throw stale();
  const toShift = h.toShiftId ? await shiftById(ctx.db, h.toShiftId) : undefined;
  const incoming = toShift?.personOpenId ?? h.toOpenId ?? undefined;
  const info = await peopleInfo(ctx.db, [h.fromOpenId, incoming]);
  const view = (signedAt: number | null) =>
    handoverCard({ fromShift, from: h.fromOpenId, to: incoming, notes: h.notes, summary: parseSummary(h.summary), info, tz, signedAt });
  if (h.signedAt) {
    const when = formatDateTime(new Date(h.signedAt), tz);
    ctx.respond({ type: 'info', zh: `已由 ${nameOf(info, incoming)} 于 ${when} 签收`, en: `Already signed by ${nameOf(info, incoming)} at ${when}` }, view(h.signedAt));
    return;
  }
  if (!incoming || ctx.caller.openId !== incoming) {
    const who = nameOf(info, incoming);
    throw new BotError(`只有接班值班员 ${who} 可以签收。`, `Only the incoming duty officer, ${who}, can sign this handover.`);
  }
  ctx.write(signHandover(ctx.db, h.id, ctx.now), settleItem(ctx.db, `handover:${h.id}`));
  ctx.respond({ type: 'success', zh: '已签收', en: 'Signed' }, view(ctx.now.getTime()));
  const when = formatDateTime(ctx.now, tz);
  ctx.send(
    { openId: h.fromOpenId },
    { text: `${nameOf(info, incoming)} 已于 ${when} 签收您的交班记录。\n${nameOf(info, incoming)} signed your handover at ${when}.` },
    { dedupeKey: `handover:${h.id}:signed` },
  );
};

/** The card actions this module answers (wired in commands/index.ts). */
export const rosterCardActions: CardActionList = [
  ['swap.accept', onSwapAccept],
  ['swap.decline', onSwapDecline],
  ['handover.sign', onHandoverSign],
];
