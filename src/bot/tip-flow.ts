// The bot side of 12350 tips (domain/tips.ts), shared by /tip and the tip card's forms: record,
// assign, check (属实 turns the findings into hazards with source `tip`), answer, show. The card in
// a chat never carries the tipster's phone; those allowed to see it get it in a direct message.

import { matchEnterprise } from '../domain/enterprises.ts';
import { planReport, setCardOutbox, subjectOf as hazardSubject } from '../domain/hazards.ts';
import { personNames as namesOf } from '../domain/people.ts';
import { findPersonByOpenId } from '../domain/people.ts';
import { splitRoles } from '../domain/roles.ts';
import {
  loadTip,
  maySeePhone,
  planAssignTip,
  planCheckTip,
  planFeedbackTip,
  planTip,
  setTipCard,
  tipHazards,
  tipSubject,
  type Tip,
  type TipPlan,
} from '../domain/tips.ts';
import { hazardCard } from '../views/hazard-cards.ts';
import { tipCard, tipDetailText } from '../views/tip-cards.ts';
import type { BotContext } from './context.ts';
import { BotError } from './errors.ts';
import { mirrorHazard } from './mirror-flow.ts';
import { queueNotices } from './hazard-flow.ts';

export type TipVia = { kind: 'command' } | { kind: 'click' };

export const noSuchTip = (no: string) => new BotError(`没有编号为 ${no} 的举报。发送 /tips 查看。`, `There is no tip ${no}. Send /tips to list them.`);

async function mustLoadTip(ctx: BotContext, no: string): Promise<Tip> {
  const t = await loadTip(ctx.db, no);
  if (!t) throw noSuchTip(no);
  return t;
}

async function render(ctx: BotContext, tip: Tip, hazards?: string[], banner?: { zh: string; en: string }) {
  const names = await namesOf(ctx.db, [tip.receivedBy, tip.assigneeOpenId]);
  return tipCard(tip, { tz: ctx.settings.tz, now: ctx.now, names, hazards: hazards ?? (tip.id ? await tipHazards(ctx.db, tip.id) : []), banner });
}

/** Commits, answers, keeps the tip's card current, tells those concerned. */
async function apply(ctx: BotContext, plan: TipPlan, via: TipVia, hazards?: string[]) {
  ctx.write(...plan.statements);
  const card = await render(ctx, plan.after, hazards);
  if (via.kind === 'command') ctx.reply({ text: `${plan.answer.zh}\n${plan.answer.en}` }, { subject: tipSubject(plan.after.no) });
  else ctx.respond({ type: 'success', zh: plan.answer.zh, en: plan.answer.en }, card);
  if (plan.after.cardOutboxId) ctx.patch({ outboxId: plan.after.cardOutboxId }, card);
  for (const to of plan.tell) {
    const banner = to === plan.after.assigneeOpenId && plan.after.status === 'assigned'
      ? { zh: '**您被交办核查此群众举报**，请按期核查并反馈。举报人电话见私聊消息。', en: '**You are assigned to check this tip**; check it and reply by the deadline. The phone is in a direct message.' }
      : undefined;
    ctx.send({ openId: to }, { card: await render(ctx, plan.after, hazards, banner) }, { subject: tipSubject(plan.after.no) });
    // The inspector may see the phone: sent to them alone, never on a card others see.
    if (banner && plan.after.tipsterPhone) {
      ctx.send({ openId: to }, { text: `${plan.after.no} 举报人电话：${plan.after.tipsterPhone}\nTipster's phone for ${plan.after.no}: ${plan.after.tipsterPhone}` }, { subject: tipSubject(plan.after.no) });
    }
  }
}

export async function recordTip(ctx: BotContext, input: { description: string; enterpriseName?: string; township?: string; phone?: string }) {
  const allowed = ['officer', 'inspector', 'admin'] as const;
  if (!allowed.some((r) => ctx.caller.roles.has(r))) {
    throw new BotError('受理群众举报需要以下角色之一：值班员、检查员、管理员。', 'Recording a tip needs one of these roles: duty officer, inspector, admin.');
  }
  const s = ctx.source;
  const plan = await planTip(ctx.db, { actor: ctx.caller, ...input, chatId: s.kind === 'message' ? s.chatId : undefined, messageId: s.kind === 'message' ? s.messageId : undefined }, ctx.now, ctx.settings.tz);
  ctx.write(...plan.statements);
  const id = ctx.reply({ card: await render(ctx, plan.after, []) }, { subject: tipSubject(plan.after.no) });
  ctx.write(setTipCard(ctx.db, plan.after.no, id));
}

export async function assignTip(ctx: BotContext, no: string, input: { assigneeOpenId?: string; deadline?: Date }, via: TipVia) {
  const tip = await mustLoadTip(ctx, no);
  if (!input.assigneeOpenId) throw new BotError('请指定承办的检查员：/tip 编号 交办 @检查员 [期限:…]', 'Name the inspector: /tip NO 交办 @inspector [期限:…]');
  const person = await findPersonByOpenId(ctx.db, input.assigneeOpenId);
  const isInspector = splitRoles(person?.roles).includes('inspector');
  await apply(ctx, planAssignTip(ctx.db, tip, { actor: ctx.caller, assigneeOpenId: input.assigneeOpenId, assigneeIsInspector: isInspector, deadline: input.deadline }, ctx.now, ctx.settings.tz), via);
}

/**
 * 核查. 属实: each finding (split on ； or ;) is reported as a hazard at the tip's enterprise (or the
 * one named), source `tip`, linked to the tip — all in this batch with the tip's change.
 */
export async function checkTip(ctx: BotContext, no: string, input: { substantiated: boolean; note?: string; enterpriseName?: string }, via: TipVia) {
  const tip = await mustLoadTip(ctx, no);
  const nos: string[] = [];
  const reports: Awaited<ReturnType<typeof planReport>>[] = [];
  if (input.substantiated) {
    // Checked first, so a refusal (not the assignee, wrong status) spends no hazard number.
    planCheckTip(ctx.db, tip, { actor: ctx.caller, substantiated: true, note: input.note }, ctx.now);
    const findings = (input.note ?? '').split(/[；;]/).map((x) => x.trim()).filter(Boolean);
    if (!findings.length) throw new BotError('属实时请写明查实的隐患（多条用；分开）。', 'Describe the hazards found (separate several with ；).');
    const name = (input.enterpriseName ?? tip.enterpriseName ?? '').trim();
    if (!name) throw new BotError('请写明隐患所在企业：/tip 编号 属实 企业:名称 隐患描述…', 'Name the enterprise: /tip NO 属实 企业:NAME description…');
    const m = await matchEnterprise(ctx.db, name);
    if (m.kind === 'many') throw new BotError(`有多家企业与「${name}」相符，请写企业全称。`, `Several enterprises match "${name}"; give the full name.`);
    const target = m.kind === 'one' ? { kind: 'existing' as const, enterprise: m.enterprise } : { kind: 'new' as const, name };
    for (const description of findings) {
      const plan = await planReport(
        ctx.db,
        { reporter: ctx.caller, enterprise: target, level: 'general', description, source: { chatId: ctx.source.kind === 'message' ? ctx.source.chatId : undefined }, origin: 'tip', tipId: tip.id },
        ctx.now,
        ctx.settings.tz,
        ctx.settings.hazardDefaults,
        ctx.settings.adminOpenIds,
      );
      reports.push(plan);
      nos.push(plan.after.hazard.no);
    }
  }
  const plan = planCheckTip(ctx.db, tip, { actor: ctx.caller, substantiated: input.substantiated, note: input.note, hazardNos: nos }, ctx.now);
  await apply(ctx, plan, via, nos);
  for (const r of reports) {
    ctx.write(...r.statements);
    const names = await namesOf(ctx.db, [r.after.hazard.reporterOpenId]);
    const id = ctx.reply({ card: hazardCard(r.after, { tz: ctx.settings.tz, now: ctx.now, names }) }, { subject: hazardSubject(r.after.hazard.no) });
    ctx.write(setCardOutbox(ctx.db, r.after.hazard.no, id));
    await queueNotices(ctx, r.after, r.notices, names);
    mirrorHazard(ctx, ctx.settings, r.after);
  }
}

export async function feedbackTip(ctx: BotContext, no: string, feedback: string, via: TipVia) {
  const tip = await mustLoadTip(ctx, no);
  await apply(ctx, planFeedbackTip(ctx.db, tip, { actor: ctx.caller, feedback }, ctx.now), via);
}

/** `/tip 编号`: the card here; the phone, to those who may see it, in a direct message only. */
export async function showTip(ctx: BotContext, no: string, via: TipVia) {
  const tip = await mustLoadTip(ctx, no);
  const hazards = await tipHazards(ctx.db, tip.id);
  const may = maySeePhone(ctx.caller, tip);
  if (!may && !ctx.caller.roles.size) throw new BotError('您尚未登记，不能查看举报。', 'You are not registered; you cannot see tips.');
  const direct = ctx.source.kind === 'message' && ctx.source.chatType === 'p2p';
  const withPhone = tipDetailText(tip, { tz: ctx.settings.tz, showPhone: may, hazards });
  const withoutPhone = tipDetailText(tip, { tz: ctx.settings.tz, showPhone: false, hazards });
  const subject = tipSubject(no);
  // Where others read along (a group, a card), never the phone; to the person alone, if they may.
  if (direct) ctx.reply({ text: withPhone }, { subject });
  else {
    if (via.kind === 'command') ctx.reply({ text: withoutPhone }, { subject });
    if (may) ctx.send({ openId: ctx.caller.openId }, { text: withPhone }, { subject });
    else if (via.kind === 'click') ctx.send({ openId: ctx.caller.openId }, { text: withoutPhone }, { subject });
  }
  if (via.kind === 'click') ctx.respond({ type: 'info', zh: may ? `已私聊发送 ${no} 详情` : `${no} 详情已发送`, en: `Sent the details of ${no}` });
}
