// Plain messages: a sentence (and photos) to the bot, understood and answered. Questions (值班,
// 统计, 我的隐患) get the answer of the command they amount to; a hazard, an emergency or a
// rectification gets a confirmation card and nothing is written until its button is pressed —
// what was understood waits in pending_intents, so the card still works after a restart.
// Anything not understood gets the help line with the likeliest commands: never silence.

import type { InboundEvent } from '../lark/events.ts';
import { enterpriseById, type Enterprise } from '../domain/enterprises.ts';
import { holidayKinds } from '../domain/holidays.ts';
import { missingCalendarKey, yearsBetween, yearsWithoutHolidays } from '../domain/holiday-years.ts';
import { afterQuietHours } from '../domain/quiet-hours.ts';
import { missingCalendarCard } from '../views/holiday-calendar.ts';
import { defaultDeadline, loadHazard } from '../domain/hazards.ts';
import { HAZARD_REPORT_ROLES, refusalFor, statusLabel } from '../domain/hazard-rules.ts';
import { INCIDENT_REPORT_ROLES } from '../domain/incidents.ts';
import { insertPending, keepImages, recentImages } from '../domain/pending-intents.ts';
import { adminsOf, resolveCaller, type Caller } from '../domain/people.ts';
import { formatDate } from '../domain/time.ts';
import { pickEnterpriseCard } from '../views/enterprise-cards.ts';
import { button } from '../lark/cards.ts';
import type { Card, Element } from '../lark/cards.ts';
import { hazardConfirmCard, incidentConfirmCard, notUnderstoodText, rectifyConfirmCard } from '../views/plain-cards.ts';
import { requireRole } from './access.ts';
import { BotContext, type BotDeps, type Source } from './context.ts';
import { BotError, refusalOf } from './errors.ts';
import { twoLines } from '../bi.ts';
import { noSuchHazard } from './hazard-flow.ts';
import { refusedAnswer, runCommand } from './run-command.ts';
import { enterpriseIndexFor } from './understand/index-cache.ts';
import type { Person, Understanding } from './understand/understand.ts';
import { llmReader, rulesReader, type Reader } from './understand/llm.ts';
import type { ParsedCommand } from './parse.ts';
import type { HazardPayload, IncidentPayload, RectifyPayload } from './plain-payloads.ts';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;

/** Answers a plain message; `hooked` offers it to the message hooks (a photo in a hazard's thread). */
export async function answerPlain(deps: BotDeps, event: MessageEvent, source: Source, now: Date, hooked: () => Promise<BotContext | undefined>): Promise<BotContext> {
  const { text, people } = plainText(deps, event);
  const u = await read(deps, text, people, now);
  // A post with photos in a hazard's thread ("照片如下") is evidence, not a sentence to answer.
  if (u.intent === 'unknown' && event.imageKeys.length) {
    const ctx = await hooked();
    if (ctx) return ctx;
  }
  // `rest` is the text after the command's name, as a typed command passes it (what /handover reads).
  const asCommand = (name: string, words: string[], rest = '') => {
    const typed: ParsedCommand = { name, words, options: {}, mentions: [], rest };
    return runCommand(deps, event.senderOpenId, source, deps.registry.find(name)!, typed, now);
  };
  switch (u.intent) {
    case 'duty':
      return asCommand('duty', u.words);
    case 'stats':
      return asCommand('stats', u.words);
    case 'mine':
      return asCommand('hazards', ['mine']);
    case 'list':
      return asCommand('hazards', u.words);
    case 'incidents':
      return asCommand('incidents', []);
    case 'handover':
      return asCommand('handover', [], u.notes);
    case 'show':
      return asCommand('hazard', [u.no]);
  }
  const caller = await resolveCaller(deps.db, event.senderOpenId, deps.settings.adminOpenIds);
  const ctx = new BotContext(deps, caller, source, now);
  try {
    if (u.intent === 'hazard') await confirmHazard(ctx, event, u);
    else if (u.intent === 'incident') await confirmIncident(ctx, event, u);
    else if (u.intent === 'done') await confirmRectify(ctx, event, u);
    else notUnderstood(ctx, text, u.likely);
    return ctx;
  } catch (e) {
    return refusedAnswer(deps, caller, source, now, e);
  }
}

async function read(deps: BotDeps, text: string, people: Person[], now: Date): Promise<Understanding> {
  const index = await enterpriseIndexFor(deps.db);
  // Only working-day deadlines need the holidays table.
  const holidays = /工作日/.test(text) ? await holidayKinds(deps.db) : new Map<string, string>();
  return readerFor(deps)(text, people, { now, tz: deps.settings.tz, holidays, index });
}

const readers = new WeakMap<object, Reader>();
/** The rules, or — when LLM_BASE_URL is set — the model with the rules behind it. One per settings. */
function readerFor(deps: BotDeps): Reader {
  const llm = deps.settings.llm;
  if (!llm) return rulesReader;
  let r = readers.get(deps.settings);
  if (!r) readers.set(deps.settings, (r = llmReader({ ...llm, log: deps.log })));
  return r;
}

/** The text without @mention keys, and the people mentioned (not the bot), in order. */
function plainText(deps: BotDeps, event: MessageEvent): { text: string; people: Person[] } {
  const byKey = new Map(event.mentions.map((m) => [m.key, m]));
  const people: Person[] = [];
  const text = event.text.replace(/@_user_\d+/g, (key) => {
    const m = byKey.get(key);
    if (m && m.openId !== deps.botOpenId && !people.some((p) => p.openId === m.openId)) people.push({ openId: m.openId, name: m.name });
    return ' ';
  });
  return { text, people };
}

function notUnderstood(ctx: BotContext, text: string, likely: string[]) {
  const registry = ctx.deps.registry;
  const first = text.trim().split(/\s+/)[0] ?? '';
  const near = /^[a-z]{2,}$/i.test(first) ? registry.nearest(first) : undefined;
  const names = [...new Set([near?.name, ...likely].filter((n): n is string => !!n))].slice(0, 3);
  ctx.reply({ text: notUnderstoodText(names.map((n) => registry.find(n)!).filter(Boolean)) });
}

const newId = () => crypto.randomUUID();

/** Post images and images the sender kept in this chat in the last ten minutes. */
async function photoCount(ctx: BotContext, event: MessageEvent): Promise<number> {
  const kept = await recentImages(ctx.db, event.chatId, event.senderOpenId, ctx.now);
  return new Set([...event.imageKeys, ...kept.map((k) => k.imageKey)]).size;
}

function pend(ctx: BotContext, event: MessageEvent, id: string, kind: 'hazard' | 'incident' | 'rectify', payload: unknown) {
  ctx.write(insertPending(ctx.db, { id, kind, openId: event.senderOpenId, chatId: event.chatId, chatType: event.chatType, messageId: event.messageId, payload }, ctx.now));
}

async function confirmHazard(ctx: BotContext, event: MessageEvent, u: Extract<Understanding, { intent: 'hazard' }>) {
  requireRole(ctx.caller, HAZARD_REPORT_ROLES, { zh: '上报隐患', en: 'Reporting a hazard' });
  const { tz } = ctx.settings;
  if (u.deadline?.past) {
    const day = formatDate(u.deadline.at, tz);
    throw new BotError(
      `整改期限「${u.deadline.said}」（${day}）已经过去，请给出今后的日期。未登记任何内容。`,
      `The deadline "${u.deadline.said}" (${day}) is already past; give a later date. Nothing was recorded.`,
    );
  }
  if (u.assignees.length > 1) throw new BotError('只能指定一名整改责任人（@一人）。未登记任何内容。', 'Name only one assignee (@ one person). Nothing was recorded.');
  if (!u.description) {
    throw new BotError(
      '请写明隐患情况，例如：“XX公司 仓库消防通道堵塞 三天内整改”。未登记任何内容。',
      'Say what is wrong, e.g. “XX公司 仓库消防通道堵塞 三天内整改”. Nothing was recorded.',
    );
  }
  const id = newId();
  const payload: HazardPayload = {
    description: u.description,
    level: u.level,
    deadline: u.deadline ? u.deadline.at.getTime() : undefined,
    assignee: u.assignees[0],
    imageKeys: event.imageKeys,
  };
  const e = u.enterprise;
  if (e.kind === 'many') {
    const candidates = (await Promise.all(e.ids.slice(0, 10).map((x) => enterpriseById(ctx.db, x)))).filter((x): x is Enterprise => !!x);
    pend(ctx, event, id, 'hazard', { ...payload, candidates: candidates.map((c) => c.id) });
    ctx.reply({ card: pickCard(ctx, event, id, candidates) });
    return;
  }
  if (e.kind === 'one') payload.enterpriseId = e.id;
  else if (u.unregisteredName) payload.newName = u.unregisteredName;
  else {
    throw new BotError(
      '没有认出是哪家企业。请写明企业名称，例如：“XX公司 仓库消防通道堵塞 三天内整改”；未登记的新企业请写全称（如“XX有限公司”）。未登记任何内容。',
      'Which enterprise is it? Name it, e.g. “XX公司 仓库消防通道堵塞 三天内整改”; for one not registered yet, write its full name (“XX有限公司”). Nothing was recorded.',
    );
  }
  pend(ctx, event, id, 'hazard', payload);
  ctx.reply({ card: await hazardCardFor(ctx, id, ctx.caller, payload, await photoCount(ctx, event), await uncalendaredYears(ctx, u)) });
}

/**
 * A deadline counted in working days that reaches a year with no holiday calendar would be counted
 * on weekdays alone: the card says so, and each admin is told once per year (the same notice and
 * key as roster-gaps), so the calendar gets imported instead of guessed.
 */
async function uncalendaredYears(ctx: BotContext, u: Extract<Understanding, { intent: 'hazard' }>): Promise<number[]> {
  if (!u.deadline || !/工作日/.test(u.deadline.said)) return [];
  const { tz } = ctx.settings;
  const years = await yearsWithoutHolidays(ctx.db, yearsBetween(formatDate(ctx.now, tz), formatDate(u.deadline.at, tz)));
  if (!years.length) return years;
  const notBefore = afterQuietHours(ctx.now, ctx.settings.quietHours, tz);
  for (const admin of await adminsOf(ctx.db, ctx.settings.adminOpenIds)) {
    for (const year of years) ctx.send({ openId: admin }, { card: missingCalendarCard(year) }, { dedupeKey: missingCalendarKey(year, admin), notBefore });
  }
  return years;
}

/** The hazard confirmation card for a pending report (also after a pick). */
export async function hazardCardFor(ctx: BotContext, id: string, by: Caller, p: HazardPayload, photos: number, uncalendared: readonly number[] = []): Promise<Card> {
  const { tz, hazardDefaults } = ctx.settings;
  const known = p.enterpriseId !== undefined ? await enterpriseById(ctx.db, p.enterpriseId) : undefined;
  const enterprise = known ? { name: known.name, registered: known.registered } : { name: p.newName ?? '—', registered: false };
  const due = p.deadline !== undefined ? new Date(p.deadline) : defaultDeadline(p.level, ctx.now, tz, hazardDefaults);
  return hazardConfirmCard({
    id,
    by: by.openId,
    enterprise,
    description: p.description,
    level: p.level,
    deadline: formatDate(due, tz),
    defaultDeadline: p.deadline === undefined,
    assignee: p.assignee?.name,
    photos,
    uncalendared,
  });
}

function pickCard(ctx: BotContext, event: MessageEvent, id: string, candidates: Enterprise[]): Card {
  const by = ctx.caller.openId;
  const c = pickEnterpriseCard('您说的企业', candidates, (x) => ({ action: 'intent.pick', id, by, enterpriseId: x.id }), { purpose: { zh: '上报隐患', en: 'for this hazard report' } });
  const none: Element = button({ zh: '都不是（取消）', en: 'None of these (cancel)' }, { action: 'intent.cancel', id, by });
  (c.body as { elements: Element[] }).elements.push(none);
  return c;
}

async function confirmIncident(ctx: BotContext, event: MessageEvent, u: Extract<Understanding, { intent: 'incident' }>) {
  requireRole(ctx.caller, INCIDENT_REPORT_ROLES, { zh: '上报险情', en: 'Reporting an incident' });
  if (!u.location) {
    throw new BotError(
      '请说明险情发生的地点，例如：“柳溪乡北山发生山火，面积约5亩”。未上报任何内容。',
      'Say where it is happening, e.g. “柳溪乡北山发生山火，面积约5亩”. Nothing was reported.',
    );
  }
  const id = newId();
  const payload: IncidentPayload = { type: u.type, location: u.location, severity: u.severity, description: u.description };
  pend(ctx, event, id, 'incident', payload);
  ctx.reply({ card: incidentConfirmCard({ id, by: ctx.caller.openId, ...payload }) });
}

async function confirmRectify(ctx: BotContext, event: MessageEvent, u: Extract<Understanding, { intent: 'done' }>) {
  const rec = await loadHazard(ctx.db, u.no);
  if (!rec) throw noSuchHazard(u.no);
  const h = rec.hazard;
  if (h.status !== 'dispatched') {
    const s = statusLabel(h.status);
    throw new BotError(`${h.no} 当前状态为「${s.zh}」，不能提交整改；只有「整改中」的隐患可以。`, `${h.no} is ${s.en}; only a hazard being rectified can be marked rectified.`);
  }
  const why = refusalFor('rectify', ctx.caller, { reporterOpenId: h.reporterOpenId, assigneeOpenId: h.assigneeOpenId, contactOpenId: rec.enterprise.contactOpenId });
  if (why) throw new BotError(why.zh, why.en);
  const id = newId();
  const payload: RectifyPayload = { no: h.no, note: u.note, imageKeys: event.imageKeys };
  pend(ctx, event, id, 'rectify', payload);
  const photos = rec.photos + (await photoCount(ctx, event));
  ctx.reply({
    card: rectifyConfirmCard({ id, by: ctx.caller.openId, no: h.no, enterprise: rec.enterprise.name, description: h.description, level: h.level, status: h.status, note: u.note, photos }),
  });
}

/**
 * Images outside any hazard's thread: kept ten minutes for the report they come with. In a direct
 * chat the bot says so; in a group an image is not addressed to it, so it stays quiet.
 */
export async function keepPhotos(deps: BotDeps, event: MessageEvent, source: Source, now: Date): Promise<BotContext> {
  const caller = await resolveCaller(deps.db, event.senderOpenId, deps.settings.adminOpenIds);
  const ctx = new BotContext(deps, caller, source, now);
  ctx.write(...keepImages(deps.db, { chatId: event.chatId, openId: event.senderOpenId, messageId: event.messageId, imageKeys: event.imageKeys }, now));
  if (event.chatType === 'p2p') {
    ctx.reply({
      text: [
        '收到照片。10 分钟内在这里说明隐患（如“XX公司 仓库消防通道堵塞 三天内整改”），登记时照片会一并附上。',
        'Photo received. Describe the hazard here within 10 minutes (e.g. “XX公司 仓库消防通道堵塞 三天内整改”) and it attaches when you record it.',
      ].join('\n'),
    });
  }
  return ctx;
}
