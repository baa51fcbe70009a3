// The bot side of the ledger verbs (hazard-ledger.ts): 五落实 edited, 延期 asked and decided,
// 挂牌督办 — from commands and card buttons alike. Each commits its plan, keeps the hazard's own
// card current, answers (a reply, or a toast and a card inline), and queues the notices.

import { and, eq } from 'drizzle-orm';
import { hazardExtensions } from '../db/schema.ts';
import { boundChat } from '../domain/chats.ts';
import { parseDeadline, subjectOf, type HazardRecord, type LedgerFields } from '../domain/hazards.ts';
import { personNames as namesOf } from '../domain/people.ts';
import {
  pendingExtension,
  planDecideExtension,
  planEditLedger,
  planRequestExtension,
  planReassign,
  planSupervise,
  type LedgerNotice,
  type LedgerPlan,
  type SuperviseLevel,
} from '../domain/hazard-ledger.ts';
import { hazardCard } from '../views/hazard-cards.ts';
import { formatDateTime } from '../domain/time.ts';
import { extensionCard } from '../views/hazard-ledger.ts';
import type { BotContext } from './context.ts';
import { BotError } from './errors.ts';
import { mirrorHazard } from './mirror-flow.ts';
import { loadOrRefuse as mustLoad } from './hazard-flow.ts';

export type LedgerVia = { kind: 'command' } | { kind: 'click' };

async function names(ctx: BotContext, rec: HazardRecord, more: (string | null | undefined)[] = []) {
  const h = rec.hazard;
  return namesOf(ctx.db, [h.reporterOpenId, h.assigneeOpenId, h.superviseOpenId, rec.enterprise.contactOpenId, ...more]);
}

/** Commits the plan; answers; patches the hazard's card; returns the names read for the notices. */
async function apply(ctx: BotContext, plan: LedgerPlan, via: LedgerVia) {
  ctx.write(...plan.statements);
  const rec = plan.after;
  const who = await names(ctx, rec);
  const plain = hazardCard(rec, { tz: ctx.settings.tz, now: ctx.now, names: who });
  if (via.kind === 'command') ctx.reply({ text: `${plan.answer.zh}\n${plan.answer.en}` }, { subject: subjectOf(rec.hazard.no) });
  else ctx.respond({ type: 'success', zh: plan.answer.zh, en: plan.answer.en }, plain);
  if (rec.hazard.cardOutboxId) ctx.patch({ outboxId: rec.hazard.cardOutboxId }, plain);
  mirrorHazard(ctx, ctx.settings, rec);
  return who;
}

export async function editLedger(ctx: BotContext, no: string, ledger: LedgerFields, via: LedgerVia) {
  const rec = await mustLoad(ctx, no);
  await apply(ctx, planEditLedger(ctx.db, rec, { actor: ctx.caller, ledger }, ctx.now), via);
}

export async function requestExtension(ctx: BotContext, no: string, input: { deadlineText: string; reason: string }, via: LedgerVia) {
  const rec = await mustLoad(ctx, no);
  const { tz } = ctx.settings;
  const to = parseDeadline(input.deadlineText, ctx.now, tz);
  const plan = await planRequestExtension(ctx.db, rec, { actor: ctx.caller, to, reason: input.reason }, ctx.now, tz);
  const who = await apply(ctx, plan, via);
  // The request is in this batch: its card shows it as the plan wrote it (id found by hazard later).
  const ext = {
    id: 0, hazardId: rec.hazard.id!, requestedBy: ctx.caller.openId, fromDeadline: rec.hazard.deadline ?? ctx.now.getTime(), toDeadline: to.getTime(),
    reason: input.reason.trim(), status: 'pending', decidedBy: null, decidedAt: null, decisionNote: null, cardOutboxId: null, createdAt: ctx.now.getTime(),
  };
  if (!who.has(ctx.caller.openId) && ctx.caller.person) who.set(ctx.caller.openId, ctx.caller.person.name);
  await queueLedgerNotices(ctx, rec, plan.notices, who, extensionCard(rec, ext, { tz, names: who }));
}

export async function decideExtension(ctx: BotContext, no: string, input: { approve: boolean; note?: string }, via: LedgerVia) {
  const rec = await mustLoad(ctx, no);
  const { tz } = ctx.settings;
  if (via.kind === 'click' && rec.hazard.id !== null && !(await pendingExtension(ctx.db, rec.hazard.id))) {
    ctx.respond({ type: 'info', zh: `${no} 的延期申请已处理。`, en: `The extension of ${no} was already decided.` });
    return;
  }
  const plan = await planDecideExtension(ctx.db, rec, { actor: ctx.caller, approve: input.approve, note: input.note }, ctx.now, tz);
  ctx.write(...plan.statements);
  const who = await names(ctx, plan.after, [plan.extension.requestedBy, ctx.caller.openId]);
  const decided = extensionCard(plan.after, plan.extension, { tz, names: who });
  if (via.kind === 'command') ctx.reply({ text: `${plan.answer.zh}\n${plan.answer.en}` }, { subject: subjectOf(no) });
  else ctx.respond({ type: 'success', zh: plan.answer.zh, en: plan.answer.en }, decided);
  if (plan.after.hazard.cardOutboxId) ctx.patch({ outboxId: plan.after.hazard.cardOutboxId }, hazardCard(plan.after, { tz, now: ctx.now, names: who }));
  await queueLedgerNotices(ctx, plan.after, plan.notices, who, decided);
  mirrorHazard(ctx, ctx.settings, plan.after);
}

export async function superviseHazard(ctx: BotContext, no: string, input: { level: SuperviseLevel; unit: string; superviseOpenId?: string }) {
  const rec = await mustLoad(ctx, no);
  const plan = planSupervise(ctx.db, rec, { actor: ctx.caller, ...input }, ctx.now);
  const who = await apply(ctx, plan, { kind: 'command' });
  await queueLedgerNotices(ctx, plan.after, plan.notices, who);
}

export async function reassignHazard(ctx: BotContext, no: string, input: { assigneeOpenId: string; assigneeName: string; reason?: string }) {
  const rec = await mustLoad(ctx, no);
  const plan = planReassign(ctx.db, rec, { actor: ctx.caller, ...input }, ctx.now);
  const who = await apply(ctx, plan, { kind: 'command' });
  await queueLedgerNotices(ctx, plan.after, plan.notices, who);
}

/** Extension cards to the deciders (or the leaders' chat), decisions and listings to those concerned. */
async function queueLedgerNotices(ctx: BotContext, rec: HazardRecord, notices: LedgerNotice[], who: Map<string, string>, extCard?: Record<string, unknown>) {
  const subject = subjectOf(rec.hazard.no);
  const tz = ctx.settings.tz;
  for (const n of notices) {
    if (n.kind === 'extension_asked' && extCard) {
      ctx.send({ openId: n.to }, { card: extCard }, { subject });
    } else if (n.kind === 'extension_asked_leaders' && extCard) {
      const chat = await boundChat(ctx.db, 'leaders');
      if (chat) ctx.send({ chatId: chat }, { card: extCard }, { subject });
      else ctx.reply({ text: '⚠️ 尚未绑定领导群，延期申请须由领导用 /extend 编号 同意|不同意 审批。\nNo leaders’ group is bound; a leader can decide with /extend NO 同意|不同意.' });
    } else if (n.kind === 'extension_decided' && extCard) {
      ctx.send({ openId: n.to }, { card: extCard }, { subject });
    } else if (n.kind === 'reassigned') {
      const banner = { zh: `**该隐患已改派给您整改**，期限 ${formatDateTime(new Date(rec.hazard.deadline ?? ctx.now.getTime()), tz)}。`, en: `**This hazard is now yours to fix**, due ${formatDateTime(new Date(rec.hazard.deadline ?? ctx.now.getTime()), tz)}.` };
      ctx.send({ openId: n.to }, { card: hazardCard(rec, { tz, now: ctx.now, names: who, banner }) }, { subject });
    } else if (n.kind === 'unassigned') {
      const name = who.get(n.newAssignee) ?? n.newAssignee;
      ctx.send({ openId: n.to }, { text: `${rec.hazard.no} 已改派给 ${name} 整改，您无需再处理。\n${rec.hazard.no} was reassigned to ${name}; it is no longer yours.` }, { subject });
    } else if (n.kind === 'supervised') {
      ctx.send({ openId: n.to }, { card: hazardCard(rec, { tz, now: ctx.now, names: who, banner: superviseBanner(rec) }) }, { subject });
    }
  }
}

function superviseBanner(rec: HazardRecord) {
  return {
    zh: `**该隐患已挂牌督办**（${rec.hazard.superviseUnit ?? ''}），整改完成后须由督办人或领导验收销号。`,
    en: `**This hazard is listed for supervision** (${rec.hazard.superviseUnit ?? ''}); once fixed it is verified by the supervisor or a leader.`,
  };
}

/** The extension a decision card names still pending? (A card from an older request is stale.) */
export async function extensionStillPending(ctx: BotContext, extId: number): Promise<boolean> {
  const [row] = await ctx.db.select({ id: hazardExtensions.id }).from(hazardExtensions).where(and(eq(hazardExtensions.id, extId), eq(hazardExtensions.status, 'pending')));
  return !!row;
}

export const noExtensionText = () => new BotError('用法：/extend 编号 YYYY-MM-DD 理由…', 'Usage: /extend NO YYYY-MM-DD reason…');
