// The hazard card's buttons (answered inline, within Lark's 3 s) and the photo hook: an image sent
// as a reply to a hazard card — or anywhere in its thread — attaches to that hazard.

import { allows, notRegistered } from './access.ts';
import type { CardAction, CardActionList, CardEvent } from './card-actions.ts';
import { BotContext } from './context.ts';
import { BotError } from './errors.ts';
import { requireSamePerson } from './enterprise-ref.ts';
import type { MessageHook } from './router.ts';
import { dispatchHazard, rectifyHazard, showHazard, submitReport, verifyHazard, type ReportDraft, type Via } from './hazard-flow.ts';
import { hazardListPage } from './hazard-list.ts';
import { attachedKeys, hazardForMessages, loadHazard, parseDeadline, parseHazardNo, planPhotos, subjectOf } from '../domain/hazards.ts';
import { parseLevel } from '../domain/hazard-rules.ts';
import { parseHazardSource } from '../domain/hazard-sources.ts';
import type { LedgerFields } from '../domain/hazards.ts';
import { fundsFen } from './ledger-args.ts';
import { parseSector } from '../domain/sectors.ts';
import { personNames, resolveCaller } from '../domain/people.ts';
import { hazardCard, type HazardView } from '../views/hazard-cards.ts';

const stale = () => new BotError('此按钮已失效。', 'This button no longer works.');

/** A form field's value: text, or the first of a list (a person picker may answer either way). */
export function formText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0].trim() || undefined;
  return undefined;
}

function target(event: CardEvent): { no: string; via: Via } {
  const v = event.value;
  const no = typeof v.no === 'string' ? parseHazardNo(v.no) : undefined;
  if (!no) throw stale();
  const view: HazardView = v.view === 'detail' ? 'detail' : 'card';
  return { no, via: { kind: 'click', expect: typeof v.expect === 'string' ? v.expect : undefined, view } };
}

const onHazardDispatch: CardAction = async (ctx, event) => {
  const { no, via } = target(event);
  const form = event.formValue ?? {};
  await dispatchHazard(ctx, no, { assigneeOpenId: formText(form.assignee), deadlineText: formText(form.deadline) }, via);
};

const onHazardRectify: CardAction = async (ctx, event) => {
  const { no, via } = target(event);
  await rectifyHazard(ctx, no, {}, via);
};

const onHazardVerifyPass: CardAction = async (ctx, event) => {
  const { no, via } = target(event);
  await verifyHazard(ctx, no, { pass: true }, via);
};

const onHazardVerifyFail: CardAction = async (ctx, event) => {
  const { no, via } = target(event);
  await verifyHazard(ctx, no, { pass: false }, via);
};

const onHazardDetail: CardAction = async (ctx, event) => {
  const { no, via } = target(event);
  await showHazard(ctx, no, via);
};

const onHazardPage: CardAction = async (ctx, event) => {
  if (!allows('registered', ctx.caller)) throw notRegistered();
  const v = event.value;
  const page = Number(v.page);
  if (!Number.isInteger(page) || page < 0) throw stale();
  const card = await hazardListPage(ctx, typeof v.filter === 'string' ? v.filter : undefined, page);
  ctx.respond({ type: 'info', zh: `第 ${page + 1} 页`, en: `Page ${page + 1}` }, card);
};

const onHazardReportForm: CardAction = (ctx, event) => reportFromForm(ctx, event, false);
// The form's second submit button: the same fields, found and fixed on the spot (立查立改).
const onHazardReportSpot: CardAction = (ctx, event) => reportFromForm(ctx, event, true);

/** The report form's fields as a draft (the form is /report's; a plain message's 修改 opens it too). */
export function reportDraftFromForm(ctx: BotContext, f: Record<string, unknown>): ReportDraft {
  const levelText = formText(f.level);
  const level = levelText ? parseLevel(levelText) : 'general';
  if (!level) throw new BotError('请选择隐患级别。', 'Choose the level.');
  const sectorText = formText(f.sector);
  const deadlineText = formText(f.deadline);
  const sourceText = formText(f.source);
  const origin = sourceText ? parseHazardSource(sourceText) : undefined;
  const fundsText = formText(f.funds);
  return {
    enterpriseText: formText(f.enterprise),
    sector: sectorText ? parseSector(sectorText) : undefined,
    level,
    description: formText(f.description) ?? '',
    deadline: deadlineText ? parseDeadline(deadlineText, ctx.now, ctx.settings.tz).getTime() : undefined,
    assignee: formText(f.assignee),
    ledger: { measures: formText(f.measures), contingency: formText(f.contingency), fundsFen: fundsText ? fundsFen(fundsText) : undefined },
    origin,
  };
}

async function reportFromForm(ctx: BotContext, event: CardEvent, onTheSpot: boolean) {
  const v = event.value;
  await submitReport(
    ctx,
    {
      ...reportDraftFromForm(ctx, event.formValue ?? {}),
      src: typeof v.src === 'string' ? v.src : undefined,
      chat: typeof v.chat === 'string' ? v.chat : undefined,
      onTheSpot,
    },
    { kind: 'click', view: 'card' },
  );
}

const onHazardReportPick: CardAction = async (ctx, event) => {
  const v = event.value;
  requireSamePerson(ctx, v);
  const level = typeof v.level === 'string' ? parseLevel(v.level) : undefined;
  const enterpriseId = v.enterpriseId === undefined ? undefined : Number(v.enterpriseId);
  const newName = typeof v.newName === 'string' ? v.newName : undefined;
  if (!level || typeof v.description !== 'string' || (enterpriseId === undefined && !newName)) throw stale();
  if (enterpriseId !== undefined && !Number.isInteger(enterpriseId)) throw stale();
  await submitReport(
    ctx,
    {
      enterpriseId,
      newName,
      sector: typeof v.sector === 'string' ? v.sector : undefined,
      level,
      description: v.description,
      deadline: typeof v.deadline === 'number' ? v.deadline : undefined,
      assignee: typeof v.assignee === 'string' ? v.assignee : undefined,
      src: typeof v.src === 'string' ? v.src : undefined,
      chat: typeof v.chat === 'string' ? v.chat : undefined,
      ledger: carriedLedger(v.ledger),
      origin: typeof v.origin === 'string' ? parseHazardSource(v.origin) : undefined,
      onTheSpot: v.onTheSpot === true,
    },
    { kind: 'click', view: 'card' },
  );
};

/** The 五落实 a pick-one button carries over from the report (text and fen, as planned). */
function carriedLedger(v: unknown): LedgerFields | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return { measures: text(o.measures), contingency: text(o.contingency), fundsFen: typeof o.fundsFen === 'number' ? o.fundsFen : undefined };
}

/**
 * Photo evidence: an image (or a post with images) replying to a hazard's card, report or notice,
 * or sent in its thread. New image keys are attached with a timeline row each; the card's photo
 * count follows. An image outside any hazard's thread is left alone, silently.
 */
export const photoHook: MessageHook = async (deps, event, now) => {
  if (event.imageKeys.length === 0) return undefined;
  const near = [event.parentId, event.rootId].filter((x): x is string => !!x);
  if (near.length === 0) return undefined;
  const no = await hazardForMessages(deps.db, near);
  if (!no) return undefined;
  const rec = await loadHazard(deps.db, no);
  if (!rec || rec.hazard.id === null) return undefined;
  const already = await attachedKeys(deps.db, rec.hazard.id, event.imageKeys);
  const fresh = [...new Set(event.imageKeys)].filter((k) => !already.has(k));
  if (fresh.length === 0) return undefined;
  const caller = await resolveCaller(deps.db, event.senderOpenId, deps.settings.adminOpenIds);
  const ctx = new BotContext(deps, caller, { kind: 'message', messageId: event.messageId, chatId: event.chatId, chatType: event.chatType, rootId: event.rootId, parentId: event.parentId }, now);
  const plan = planPhotos(deps.db, rec, { actorOpenId: event.senderOpenId, messageId: event.messageId, imageKeys: fresh }, now);
  ctx.write(...plan.statements);
  const n = plan.after.photos;
  ctx.reply({ text: `已附照片到 ${no}（共 ${n} 张）。\nPhoto attached to ${no} (${n} in all).` }, { subject: subjectOf(no) });
  if (rec.hazard.cardOutboxId) {
    const names = await personNames(deps.db, [rec.hazard.reporterOpenId, rec.hazard.assigneeOpenId]);
    ctx.patch({ outboxId: rec.hazard.cardOutboxId }, hazardCard(plan.after, { tz: deps.settings.tz, now, names }));
  }
  return ctx;
};
photoHook.threadsOnly = true;


/** The card actions this module answers (wired in commands/index.ts). */
export const hazardCardActions: CardActionList = [
  ['hazard.dispatch', onHazardDispatch],
  ['hazard.rectify', onHazardRectify],
  ['hazard.verify_pass', onHazardVerifyPass],
  ['hazard.verify_fail', onHazardVerifyFail],
  ['hazard.detail', onHazardDetail],
  ['hazard.page', onHazardPage],
  ['hazard.report_form', onHazardReportForm],
  ['hazard.report_spot', onHazardReportSpot],
  ['hazard.report_pick', onHazardReportPick],
];
