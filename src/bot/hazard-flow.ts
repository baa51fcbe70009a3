// The bot side of hazards, shared by the commands and the card buttons: run a domain verb, queue
// its statements, answer (a reply for a command, a toast and the updated card for a click), keep
// the hazard's own card current, and queue the notices. One implementation for both paths.

import { eq } from 'drizzle-orm';
import { hazardPhotos } from '../db/schema.ts';
import { enterpriseById, matchEnterprise, type Enterprise } from '../domain/enterprises.ts';
import {
  attachedKeys,
  hazardBySource,
  hazardTimeline,
  lastChange,
  loadHazard,
  parseDeadline,
  planDispatch,
  planRectify,
  planPhotos,
  planReport,
  planVerify,
  reportPhotoStatements,
  setCardOutbox,
  subjectOf,
  type HazardPlan,
  type HazardRecord,
} from '../domain/hazards.ts';
import type { Bi } from '../bi.ts';
import { HAZARD_REPORT_ROLES, type HazardLevel } from '../domain/hazard-rules.ts';
import type { Notice } from '../domain/hazard-notices.ts';
import { personNames } from '../domain/people.ts';
import { formatDateTime } from '../domain/time.ts';
import type { Card } from '../lark/cards.ts';
import { alreadyHandled, answerText, hazardAnswers, hazardNotes, pickReportEnterpriseCard, unregisteredEnterpriseText } from '../views/hazard-notices.ts';
import { hazardCard, noticeBanner, type HazardView } from '../views/hazard-cards.ts';
import { requireRole } from './access.ts';
import type { LedgerFields } from '../domain/hazards.ts';
import type { HazardSource } from '../domain/hazard-sources.ts';
import type { BotContext } from './context.ts';
import { BotError, mustLoad } from './errors.ts';
import { ladderOnCard, withFoot } from './escalation-flow.ts';
import { cleanChain, deleteLadders, settleItem } from '../domain/escalations.ts';
import { ackButton } from '../views/escalation-cards.ts';
import { mirrorHazard } from './mirror-flow.ts';

/** How the person asked: a command (answered by a reply) or a click (answered inline). */
export type Via = { kind: 'command' } | { kind: 'click'; expect?: string; view: HazardView };

export const noSuchHazard = (no: string) =>
  new BotError(`没有编号为 ${no} 的隐患。发送 /hazards 查看隐患列表。`, `There is no hazard ${no}. Send /hazards to list them.`);

export const loadOrRefuse = (ctx: BotContext, no: string) => mustLoad(loadHazard(ctx.db, no), () => noSuchHazard(no));

async function cardFor(ctx: BotContext, rec: HazardRecord, view: HazardView, extra: Partial<Parameters<typeof hazardCard>[1]> = {}, names?: Map<string, string>): Promise<Card> {
  const id = rec.hazard.id;
  const detail = view === 'detail' && id !== null;
  const timeline = detail ? await hazardTimeline(ctx.db, id) : undefined;
  const photos = detail
    ? await ctx.db.select({ at: hazardPhotos.at, uploadedBy: hazardPhotos.uploadedBy }).from(hazardPhotos).where(eq(hazardPhotos.hazardId, id)).orderBy(hazardPhotos.at)
    : undefined;
  const people = names ?? (await personNames(ctx.db, [rec.hazard.reporterOpenId, rec.hazard.assigneeOpenId, ...(timeline ?? []).map((e) => e.actorOpenId), ...(photos ?? []).map((p) => p.uploadedBy)]));
  return hazardCard(rec, { tz: ctx.settings.tz, now: ctx.now, names: people, view, timeline, photos, ...extra });
}

const nameOf = (openId: string | null | undefined, names: Map<string, string>) => (openId ? (names.get(openId) ?? openId) : '—');

/** The click came from a card that no longer shows the hazard's status: say who moved it, change nothing. */
async function staleAnswer(ctx: BotContext, rec: HazardRecord, view: HazardView) {
  const last = rec.hazard.id !== null ? await lastChange(ctx.db, rec.hazard.id) : undefined;
  const names = await personNames(ctx.db, [last?.actorOpenId, rec.hazard.reporterOpenId, rec.hazard.assigneeOpenId]);
  const who = nameOf(last?.actorOpenId, names);
  const when = last ? formatDateTime(new Date(last.at), ctx.settings.tz) : '—';
  ctx.respond({ type: 'warning', ...alreadyHandled({ who, when, action: last?.action, status: rec.hazard.status }) }, await cardFor(ctx, rec, view, {}, names));
}

/** Queues one message per notice, each about the hazard (so a reply to it finds the hazard). */
export async function queueNotices(ctx: BotContext, rec: HazardRecord, notices: Notice[], names: Map<string, string>) {
  const subject = subjectOf(rec.hazard.no);
  const tz = ctx.settings.tz;
  for (const n of notices) {
    if (n.kind === 'enterprise_unregistered') {
      ctx.send({ openId: n.to }, { text: unregisteredEnterpriseText(rec, nameOf(rec.hazard.reporterOpenId, names)) }, { subject });
      continue;
    }
    // A new major hazard's assignee must acknowledge: 收到, or SMS, phone, then the contact and the 包保 supervisor.
    const laddered = n.buzz && n.kind === 'assigned' && rec.hazard.level === 'major';
    const item = `hazard:${rec.hazard.no}`;
    const base = hazardCard(rec, { tz, now: ctx.now, names, banner: noticeBanner(n.kind, rec, tz) });
    const id = ctx.send({ openId: n.to }, { card: laddered ? withFoot(base, [ackButton(item)]) : base }, { subject });
    if (n.buzz) ctx.buzz(id, [n.to]);
    if (laddered) {
      const chain = cleanChain([[n.to], [rec.enterprise.contactOpenId], [rec.enterprise.supervisorOpenId]]);
      ctx.write(settleItem(ctx.db, item), deleteLadders(ctx.db, item));
      ladderOnCard(ctx, ctx.deps, { item, chain, personOpenId: n.to, cardOutboxId: id, quietHold: false });
    }
  }
}

/** Commits a plan's effects and answers: reply + patch of the hazard's card, or the updated card inline. */
async function apply(ctx: BotContext, plan: HazardPlan, via: Via, answer: Bi) {
  ctx.write(...plan.statements);
  const rec = plan.after;
  const h = rec.hazard;
  const names = await personNames(ctx.db, [h.reporterOpenId, h.assigneeOpenId, rec.enterprise.contactOpenId]);
  const plain = hazardCard(rec, { tz: ctx.settings.tz, now: ctx.now, names });
  const notes = plan.warnings;
  if (via.kind === 'command') {
    ctx.reply({ text: answerText(answer, notes) }, { subject: subjectOf(h.no) });
    if (h.cardOutboxId) ctx.patch({ outboxId: h.cardOutboxId }, plain);
  } else {
    const clicked = await ctx.clickedOutboxId();
    // Always the plain card: a detail view would need the timeline row this batch has not written yet.
    ctx.respond({ type: 'success', ...answer }, hazardCard(rec, { tz: ctx.settings.tz, now: ctx.now, names, notes }));
    // A click on a notice or detail card: the hazard's own card in the chat must follow too.
    if (h.cardOutboxId && h.cardOutboxId !== clicked) ctx.patch({ outboxId: h.cardOutboxId }, plain);
  }
  await queueNotices(ctx, rec, plan.notices, names);
  mirrorHazard(ctx, ctx.settings, rec);
}

/** Loads the hazard; on a click whose card showed another status, answers "already handled" and returns undefined. */
async function loadFor(ctx: BotContext, no: string, via: Via): Promise<HazardRecord | undefined> {
  const rec = await loadOrRefuse(ctx, no);
  if (via.kind === 'click' && via.expect !== undefined && rec.hazard.status !== via.expect) {
    await staleAnswer(ctx, rec, via.view);
    return undefined;
  }
  return rec;
}

/** A 期限 given as text is read only once the hazard is known to be live, so a stale click is never refused for its date. */
const deadlineFrom = (ctx: BotContext, text: string | undefined) => (text ? parseDeadline(text, ctx.now, ctx.settings.tz) : undefined);

export async function dispatchHazard(ctx: BotContext, no: string, input: { assigneeOpenId?: string; assigneeName?: string; deadlineText?: string; ledger?: LedgerFields }, via: Via) {
  const rec = await loadFor(ctx, no, via);
  if (!rec) return;
  const assignee = input.assigneeOpenId;
  if (!assignee) throw new BotError('请指定整改责任人：/dispatch 编号 @某人 [期限:…]，或在卡片上选择。', 'Name the assignee: /dispatch NO @someone [期限:…], or pick them on the card.');
  const { tz, hazardDefaults } = ctx.settings;
  const deadline = deadlineFrom(ctx, input.deadlineText);
  const plan = await planDispatch(ctx.db, rec, { actor: ctx.caller, assigneeOpenId: assignee, deadline, ledger: input.ledger }, ctx.now, tz, hazardDefaults);
  const names = await personNames(ctx.db, [assignee]);
  const who = names.get(assignee) ?? input.assigneeName ?? assignee;
  if (!names.has(assignee)) {
    plan.warnings.push(hazardNotes.assigneeUnregistered(who));
  }
  const due = formatDateTime(new Date(plan.after.hazard.deadline!), tz);
  await apply(ctx, plan, via, hazardAnswers.dispatched(no, who, due));
}

export async function rectifyHazard(ctx: BotContext, no: string, input: { note?: string; photos?: { messageId: string; imageKeys: string[] }[] }, via: Via) {
  const rec = await loadFor(ctx, no, via);
  if (!rec) return;
  // Photos sent with the rectification (a confirmed plain message) are attached first and count as evidence.
  let withPhotos = rec;
  const photoStatements = [];
  if (rec.hazard.id !== null) {
    for (const p of input.photos ?? []) {
      const already = await attachedKeys(ctx.db, rec.hazard.id, p.imageKeys);
      const keys = [...new Set(p.imageKeys)].filter((k) => !already.has(k));
      if (!keys.length) continue;
      const photoPlan = planPhotos(ctx.db, withPhotos, { actorOpenId: ctx.caller.openId, messageId: p.messageId, imageKeys: keys }, ctx.now);
      photoStatements.push(...photoPlan.statements);
      withPhotos = photoPlan.after;
    }
  }
  const newPhotos = withPhotos.photos - rec.photos;
  const plan = await planRectify(ctx.db, withPhotos, { actor: ctx.caller, note: input.note, newPhotos }, ctx.now, ctx.settings.tz, ctx.settings.hazardDefaults);
  plan.statements.unshift(...photoStatements);
  await apply(ctx, plan, via, hazardAnswers.rectified(no));
}

export async function verifyHazard(ctx: BotContext, no: string, input: { pass: boolean; note?: string; deadlineText?: string }, via: Via) {
  const rec = await loadFor(ctx, no, via);
  if (!rec) return;
  const { tz, hazardDefaults } = ctx.settings;
  const deadline = input.pass ? undefined : deadlineFrom(ctx, input.deadlineText);
  const plan = await planVerify(ctx.db, rec, { actor: ctx.caller, pass: input.pass, note: input.note, deadline }, ctx.now, tz, hazardDefaults);
  if (input.pass) {
    await apply(ctx, plan, via, hazardAnswers.verified(no));
  } else {
    const due = formatDateTime(new Date(plan.after.hazard.deadline!), tz);
    await apply(ctx, plan, via, hazardAnswers.rejected(no, due));
  }
}

/** The detail card (timeline, photos): a reply in the thread; a click also gets a toast. */
export async function showHazard(ctx: BotContext, no: string, via: Via) {
  const rec = await loadOrRefuse(ctx, no);
  const h = rec.hazard;
  const involved = [h.reporterOpenId, h.assigneeOpenId, rec.enterprise.contactOpenId, rec.enterprise.supervisorOpenId];
  if (!ctx.caller.person && ctx.caller.roles.size === 0 && !involved.includes(ctx.caller.openId)) {
    throw new BotError('您尚未登记，只能查看与您有关的隐患。', 'You are not registered; you can only see hazards you are part of.');
  }
  ctx.reply({ card: await cardFor(ctx, rec, 'detail') }, { subject: subjectOf(no) });
  if (via.kind === 'click') ctx.respond({ type: 'info', ...hazardAnswers.detailSent(no) });
}

// ── reporting ────────────────────────────────────────────────────────────────────────────────

/** A report waiting to be filed: from the command, the form, or a pick-one button. */
export interface ReportDraft {
  /** What the person typed; matched against enterprise names. */
  enterpriseText?: string;
  /** Chosen on a pick-one card. */
  enterpriseId?: number;
  /** Chosen on a pick-one card: file it against a new, unregistered enterprise of this name. */
  newName?: string;
  sector?: string;
  level: HazardLevel;
  description: string;
  /** Epoch ms, already checked to be in the future when it was given. */
  deadline?: number;
  assignee?: string;
  /** The message the report came from: the thread photos go to, and the key against filing twice. */
  src?: string;
  chat?: string;
  /** 五落实 (measures, funds, interim measures), 来源, 立查立改. */
  ledger?: LedgerFields;
  origin?: HazardSource;
  onTheSpot?: boolean;
  tipId?: number;
  /** Photos that came with the report (a post's images, images sent just before a plain message). */
  photos?: { messageId: string; imageKey: string }[];
}

const REPORT_WHAT = { zh: '上报隐患', en: 'Reporting a hazard' };

/** Files the report; returns the hazard as it will be, or undefined when it asked to pick an enterprise or was already filed. */
export async function submitReport(ctx: BotContext, draft: ReportDraft, via: Via, mentionNames: Map<string, string> = new Map()): Promise<HazardRecord | undefined> {
  requireRole(ctx.caller, HAZARD_REPORT_ROLES, REPORT_WHAT);
  if (via.kind === 'click' && draft.src) {
    const done = await hazardBySource(ctx.db, draft.src);
    if (done) {
      const rec = await loadOrRefuse(ctx, done);
      ctx.respond({ type: 'info', ...hazardAnswers.alreadyReported(done) }, await cardFor(ctx, rec, 'card'));
      return undefined;
    }
  }
  let target: { kind: 'existing'; enterprise: Enterprise } | { kind: 'new'; name: string; sector?: string };
  if (draft.enterpriseId !== undefined) {
    const e = await enterpriseById(ctx.db, draft.enterpriseId);
    if (!e) throw new BotError('所选企业已不存在，请重新上报。', 'The chosen enterprise no longer exists; report again.');
    target = { kind: 'existing', enterprise: e };
  } else if (draft.newName) {
    target = { kind: 'new', name: draft.newName, sector: draft.sector };
  } else {
    const text = (draft.enterpriseText ?? '').trim();
    if (!text) throw new BotError('请写明企业名称。', 'Name the enterprise.');
    if (text.length > 100) throw new BotError('企业名称过长。', 'The enterprise name is too long.');
    const m = await matchEnterprise(ctx.db, text);
    if (m.kind === 'many') {
      const pick = pickCard(ctx, text, m.candidates, m.more ?? false, draft);
      if (via.kind === 'click') ctx.respond({ type: 'info', ...hazardAnswers.chooseEnterprise }, pick);
      else ctx.reply({ card: pick });
      return undefined;
    }
    target = m.kind === 'one' ? { kind: 'existing', enterprise: m.enterprise } : { kind: 'new', name: text, sector: draft.sector };
  }

  const { tz, hazardDefaults, adminOpenIds } = ctx.settings;
  const plan = await planReport(
    ctx.db,
    {
      reporter: ctx.caller,
      enterprise: target,
      level: draft.level,
      description: draft.description,
      deadline: draft.deadline !== undefined ? new Date(draft.deadline) : undefined,
      assigneeOpenId: draft.assignee,
      source: { chatId: draft.chat, messageId: draft.src },
      ledger: draft.ledger,
      origin: draft.origin,
      onTheSpot: draft.onTheSpot,
      tipId: draft.tipId,
    },
    ctx.now,
    tz,
    hazardDefaults,
    adminOpenIds,
  );
  ctx.write(...plan.statements);
  const photos = draft.photos ?? [];
  if (photos.length) ctx.write(...reportPhotoStatements(ctx.db, plan.after.hazard.no, ctx.caller.openId, photos, ctx.now));
  const rec: HazardRecord = { ...plan.after, photos: new Set(photos.map((p) => p.imageKey)).size };
  const h = rec.hazard;
  const names = await personNames(ctx.db, [h.reporterOpenId, h.assigneeOpenId]);
  for (const [id, name] of mentionNames) if (!names.has(id)) names.set(id, name);
  const notes = [...plan.warnings];
  if (!rec.enterprise.registered) {
    notes.push(hazardNotes.enterpriseUnregistered(rec.enterprise.name));
  }
  if (h.assigneeOpenId && !names.has(h.assigneeOpenId)) {
    notes.push(hazardNotes.reportAssigneeUnregistered);
  }
  if (h.onTheSpot) notes.push(onTheSpotNote(h.status));
  const shown = hazardCard(rec, { tz, now: ctx.now, names, notes });
  const subject = subjectOf(h.no);
  const clicked = via.kind === 'click' ? await ctx.clickedOutboxId() : undefined;
  if (clicked) {
    // The form or pick-one card becomes the hazard's card.
    ctx.respond({ type: 'success', ...hazardAnswers.reported(h.no) }, shown);
    ctx.write(setCardOutbox(ctx.db, h.no, clicked));
  } else {
    const outboxId = ctx.reply({ card: shown }, { subject });
    ctx.write(setCardOutbox(ctx.db, h.no, outboxId));
    if (via.kind === 'click') ctx.respond({ type: 'success', ...hazardAnswers.reported(h.no) });
  }
  await queueNotices(ctx, rec, plan.notices, names);
  mirrorHazard(ctx, ctx.settings, rec);
  return rec;
}

/** What a 立查立改 report did, by where it ended up. */
function onTheSpotNote(status: string): Bi {
  if (status === 'closed') return { zh: '立查立改：检查员现场整改，已直接销号。', en: 'Fixed on the spot before an inspector: closed at once.' };
  if (status === 'rectified') return { zh: '立查立改：已记为整改完成，待复查。', en: 'Fixed on the spot: recorded as rectified, awaiting verification.' };
  return {
    zh: '立查立改（重大隐患）：请在本卡片下回复整改照片，再点「整改完成」。',
    en: 'Fixed on the spot (major): reply to this card with a photo of the fix, then press 整改完成.',
  };
}

/** Several enterprises match: the pick-one card, carrying the draft so a click files it. */
function pickCard(ctx: BotContext, text: string, candidates: Enterprise[], more: boolean, draft: ReportDraft): Card {
  const carry = { ...draft, enterpriseText: undefined, by: ctx.caller.openId };
  return pickReportEnterpriseCard({ text, candidates, more, sector: draft.sector, pick: (choice) => ({ action: 'hazard.report_pick', ...carry, ...choice }) });
}
