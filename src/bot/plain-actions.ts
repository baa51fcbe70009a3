// The buttons of a plain message's confirmation cards. 登记 / 上报险情 / 确认整改完成 run the very
// code path of /report, /incident and /rectify (submitReport, reportIncident, rectifyHazard) with
// what was understood, plus the photos that came with it; 修改 opens the report form pre-filled;
// 取消 settles it with nothing written. A pending intent settles once: a second click — or a click
// on a card from before a restart that has since been used — is told what became of it.

import type { CardAction, CardActionList, CardEvent } from './card-actions.ts';
import { BotContext } from './context.ts';
import { BotError } from './errors.ts';
import { requireSamePerson } from './enterprise-ref.ts';
import { submitReport, rectifyHazard, type ReportDraft } from './hazard-flow.ts';
import { reportDraftFromForm } from './hazard-actions.ts';
import { reportIncident } from './incident-flow.ts';
import { hazardPayload, incidentPayload, rectifyPayload, type HazardPayload } from './plain-payloads.ts';
import { hazardCardFor } from './plain.ts';
import { enterpriseById } from '../domain/enterprises.ts';
import { forgetImages, loadPending, recentImages, settlePending, updatePendingPayload, type PendingIntent } from '../domain/pending-intents.ts';
import { formatDate } from '../domain/time.ts';
import { reportFormCard } from '../views/hazard-cards.ts';
import { settledCard } from '../views/plain-cards.ts';

const stale = () => new BotError('此按钮已失效。', 'This button no longer works.');

/** The pending intent a button is about, checked to be the clicker's own and still open. */
async function openPending(ctx: BotContext, event: CardEvent): Promise<PendingIntent | undefined> {
  const id = typeof event.value.id === 'string' ? event.value.id : undefined;
  const p = id ? await loadPending(ctx.db, id) : undefined;
  if (!p) throw stale();
  requireSamePerson(ctx, { by: p.openId });
  if (p.status === 'pending') return p;
  const what =
    p.status === 'done'
      ? { zh: `这条消息已办理${p.result ? `：${p.result}` : ''}。`, en: `This message was already handled${p.result ? `: ${p.result}` : ''}.` }
      : { zh: '这条消息已取消，未登记任何内容。', en: 'This message was cancelled; nothing was recorded.' };
  ctx.respond({ type: 'info', zh: what.zh, en: what.en }, settledCard(p.status === 'done' ? 'done' : 'cancelled', what));
  return undefined;
}

function payloadOf<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, p: PendingIntent): T {
  let raw: unknown;
  try {
    raw = JSON.parse(p.payload);
  } catch {
    throw stale();
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw stale();
  return r.data;
}

/** The photos that go with a confirmation: the message's own, then those kept from the ten minutes before the click. */
async function photosFor(ctx: BotContext, p: PendingIntent, own: string[]) {
  const kept = await recentImages(ctx.db, p.chatId, p.openId, ctx.now);
  const seen = new Set<string>();
  const photos: { messageId: string; imageKey: string }[] = [];
  for (const x of [...own.map((imageKey) => ({ messageId: p.messageId, imageKey })), ...kept]) {
    if (seen.has(x.imageKey)) continue;
    seen.add(x.imageKey);
    photos.push({ messageId: x.messageId, imageKey: x.imageKey });
  }
  return { photos, keptIds: kept.map((k) => k.id) };
}

/** Runs a command's own code in a context shaped like the original message, and keeps its effects. */
async function asFromMessage<T>(ctx: BotContext, p: PendingIntent, run: (inner: BotContext) => Promise<T>): Promise<T> {
  const inner = new BotContext(ctx.deps, ctx.caller, { kind: 'message', messageId: p.messageId, chatId: p.chatId, chatType: p.chatType === 'p2p' ? 'p2p' : 'group' }, ctx.now);
  const result = await run(inner);
  ctx.write(...inner.statements);
  ctx.messages.push(...inner.messages);
  return result;
}

async function fileHazard(ctx: BotContext, p: PendingIntent, draft: ReportDraft, own: string[]) {
  const { photos, keptIds } = await photosFor(ctx, p, own);
  const rec = await submitReport(ctx, { ...draft, src: p.messageId, chat: p.chatId, photos }, { kind: 'click', view: 'card' });
  if (!rec) return;
  ctx.write(...settlePending(ctx.db, p.id, 'done', rec.hazard.no, ctx.now), forgetImages(ctx.db, keptIds));
}

function hazardDraft(h: HazardPayload): ReportDraft {
  if (h.enterpriseId === undefined && !h.newName) throw stale();
  return {
    enterpriseId: h.enterpriseId,
    newName: h.enterpriseId === undefined ? h.newName : undefined,
    level: h.level,
    description: h.description,
    deadline: h.deadline,
    assignee: h.assignee?.openId,
  };
}

const onConfirm: CardAction = async (ctx, event) => {
  const p = await openPending(ctx, event);
  if (!p) return;
  if (p.kind === 'hazard') {
    const h = payloadOf(hazardPayload, p);
    await fileHazard(ctx, p, hazardDraft(h), h.imageKeys);
    return;
  }
  if (p.kind === 'incident') {
    const i = payloadOf(incidentPayload, p);
    const no = await asFromMessage(ctx, p, (inner) => reportIncident(inner, i));
    ctx.write(...settlePending(ctx.db, p.id, 'done', no, ctx.now));
    const what = { zh: `已上报险情 ${no}，已加急值班人员。`, en: `Incident ${no} reported; the people on duty were buzzed.` };
    ctx.respond({ type: 'success', zh: what.zh, en: what.en }, settledCard('done', what));
    return;
  }
  if (p.kind === 'rectify') {
    const r = payloadOf(rectifyPayload, p);
    const { photos, keptIds } = await photosFor(ctx, p, r.imageKeys);
    const byMessage = new Map<string, string[]>();
    for (const x of photos) byMessage.set(x.messageId, [...(byMessage.get(x.messageId) ?? []), x.imageKey]);
    await asFromMessage(ctx, p, (inner) =>
      rectifyHazard(inner, r.no, { note: r.note, photos: [...byMessage].map(([messageId, imageKeys]) => ({ messageId, imageKeys })) }, { kind: 'command' }),
    );
    ctx.write(...settlePending(ctx.db, p.id, 'done', r.no, ctx.now), forgetImages(ctx.db, keptIds));
    const what = { zh: `${r.no} 已提交整改，等待复查。`, en: `${r.no} marked rectified; awaiting verification.` };
    ctx.respond({ type: 'success', zh: what.zh, en: what.en }, settledCard('done', what));
    return;
  }
  throw stale();
};

const onCancel: CardAction = async (ctx, event) => {
  const p = await openPending(ctx, event);
  if (!p) return;
  ctx.write(...settlePending(ctx.db, p.id, 'cancelled', null, ctx.now));
  const what = { zh: '已取消，未登记任何内容。', en: 'Cancelled; nothing was recorded.' };
  ctx.respond({ type: 'info', zh: what.zh, en: what.en }, settledCard('cancelled', what));
};

const onPick: CardAction = async (ctx, event) => {
  const p = await openPending(ctx, event);
  if (!p) return;
  if (p.kind !== 'hazard') throw stale();
  const h = payloadOf(hazardPayload, p);
  const chosen = Number(event.value.enterpriseId);
  if (!h.candidates?.includes(chosen)) throw stale();
  const e = await enterpriseById(ctx.db, chosen);
  if (!e) throw new BotError('所选企业已不存在，请重新上报。', 'The chosen enterprise no longer exists; report again.');
  const next: HazardPayload = { ...h, enterpriseId: e.id, candidates: undefined };
  ctx.write(updatePendingPayload(ctx.db, p.id, next, ctx.now));
  const { photos } = await photosFor(ctx, p, h.imageKeys);
  ctx.respond({ type: 'info', zh: `已选择 ${e.name}，请确认`, en: `${e.name} chosen; please confirm` }, await hazardCardFor(ctx, p.id, ctx.caller, next, photos.length));
};

const onEdit: CardAction = async (ctx, event) => {
  const p = await openPending(ctx, event);
  if (!p) return;
  if (p.kind !== 'hazard') throw stale();
  const h = payloadOf(hazardPayload, p);
  const e = h.enterpriseId !== undefined ? await enterpriseById(ctx.db, h.enterpriseId) : undefined;
  const { generalDays, majorDays } = ctx.settings.hazardDefaults;
  const form = reportFormCard({
    generalDays,
    majorDays,
    prefill: {
      enterprise: e?.name ?? h.newName,
      level: h.level,
      description: h.description,
      deadline: h.deadline !== undefined ? formatDate(new Date(h.deadline), ctx.settings.tz) : undefined,
      assignee: h.assignee?.openId,
    },
    submit: { action: 'intent.form', id: p.id },
  });
  ctx.respond({ type: 'info', zh: '请修改后点「上报」', en: 'Edit, then press 上报 (Report)' }, form);
};

/** The pre-filled form submitted: filed as the form files it, with the message's photos. */
const onForm: CardAction = async (ctx, event) => {
  const p = await openPending(ctx, event);
  if (!p) return;
  if (p.kind !== 'hazard') throw stale();
  const h = payloadOf(hazardPayload, p);
  await fileHazard(ctx, p, reportDraftFromForm(ctx, event.formValue ?? {}), h.imageKeys);
};

/** The confirmation cards' buttons, for the card action table (commands/index.ts). */
export const plainCardActions: CardActionList = [
  ['intent.confirm', onConfirm],
  ['intent.cancel', onCancel],
  ['intent.pick', onPick],
  ['intent.edit', onEdit],
  ['intent.form', onForm],
];
