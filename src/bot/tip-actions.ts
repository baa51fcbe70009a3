// The tip card's forms: 交办 (inspector and deadline), 核查 (属实 / 不属实 with the findings), 反馈, 详情.

import type { CardAction, CardActionList, CardEvent } from './card-actions.ts';
import { BotError } from './errors.ts';
import { formText } from './hazard-actions.ts';
import { assignTip, checkTip, feedbackTip, showTip } from './tip-flow.ts';
import { parseDeadline } from '../domain/hazards.ts';
import { loadTip, parseTipNo, tipStatusLabel } from '../domain/tips.ts';
import type { BotContext } from './context.ts';

const stale = () => new BotError('此按钮已失效。', 'This button no longer works.');

/** The tip a button names, or undefined (answered) when the card showed another status. */
async function target(ctx: BotContext, event: CardEvent): Promise<string | undefined> {
  const no = typeof event.value.no === 'string' ? parseTipNo(event.value.no) : undefined;
  if (!no) throw stale();
  const tip = await loadTip(ctx.db, no);
  if (tip && typeof event.value.expect === 'string' && tip.status !== event.value.expect) {
    const s = tipStatusLabel(tip.status);
    ctx.respond({ type: 'warning', zh: `${no} 已处理（当前：${s.zh}）`, en: `${no} was already handled (now ${s.en})` });
    return undefined;
  }
  return no;
}

const onTipAssign: CardAction = async (ctx, event) => {
  const no = await target(ctx, event);
  if (!no) return;
  const f = event.formValue ?? {};
  const d = formText(f.deadline);
  await assignTip(ctx, no, { assigneeOpenId: formText(f.assignee), deadline: d ? parseDeadline(d, ctx.now, ctx.settings.tz) : undefined }, { kind: 'click' });
};

const onTipCheck: CardAction = async (ctx, event) => {
  const no = await target(ctx, event);
  if (!no) return;
  if (typeof event.value.substantiated !== 'boolean') throw stale();
  await checkTip(ctx, no, { substantiated: event.value.substantiated, note: formText((event.formValue ?? {}).note) }, { kind: 'click' });
};

const onTipFeedback: CardAction = async (ctx, event) => {
  const no = await target(ctx, event);
  if (!no) return;
  await feedbackTip(ctx, no, formText((event.formValue ?? {}).feedback) ?? '', { kind: 'click' });
};

const onTipDetail: CardAction = async (ctx, event) => {
  const no = typeof event.value.no === 'string' ? parseTipNo(event.value.no) : undefined;
  if (!no) throw stale();
  await showTip(ctx, no, { kind: 'click' });
};

export const tipCardActions: CardActionList = [
  ['tip.assign', onTipAssign],
  ['tip.check', onTipCheck],
  ['tip.feedback', onTipFeedback],
  ['tip.detail', onTipDetail],
];
