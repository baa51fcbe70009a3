// 隐患: reading hazards, and the verbs that change them. Each verb reads, checks the rules, and
// returns a plan — the statements to commit in the caller's one batch plus who must be told — so
// commands and card buttons share one implementation. Nothing here writes, except taking a
// number from the per-year sequence (a refused or failed report leaves a gap, never a duplicate).
//
// Races: a verb reads the hazard, checks its status, and plans an UPDATE guarded by that status
// (`WHERE id = ? AND status = ?`). The timeline row right after it takes its hazard id from
// `CASE WHEN changes() > 0 …`, so when another change won the race the UPDATE matches nothing,
// the timeline insert violates NOT NULL, and the whole batch — notices included — rolls back.
// The event is then retried, reads the new status and gets the ordinary "already handled" answer.

import { and, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Bi } from '../bi.ts';
import type { Db } from '../db/client.ts';
import { enterprises, hazardEvents, hazardPhotos, hazards, outbox, people } from '../db/schema.ts';
import { refuse } from './errors.ts';
import type { HazardDefaults } from '../settings.ts';
import type { Enterprise } from './enterprises.ts';
import { insertUnregisteredEnterprise } from './enterprises.ts';
import { inspectionForHazard } from './inspections.ts';
import { personNames, type Caller } from './people.ts';
import { formatNumber, nextSequence } from './sequences.ts';
import type { HazardSource } from './hazard-sources.ts';
import { addLocalDays, endOfLocalDay, formatDateTime, localParts, parseLocalDate } from './time.ts';
import {
  actionLabel,
  canTransition,
  mayDispatch,
  refusalFor,
  statusLabel,
  TRANSITIONS,
  type HazardLevel,
  type HazardVerb,
} from './hazard-rules.ts';
import { noticesFor, type Notice } from './hazard-notices.ts';

export type Hazard = typeof hazards.$inferSelect;
export type HazardEvent = typeof hazardEvents.$inferSelect;

/** What a hazard card shows of its enterprise. `id` is null for one created in the same batch. */
export interface HazardEnterprise {
  id: number | null;
  name: string;
  sector: string;
  township: string | null;
  contactOpenId: string | null;
  supervisorOpenId: string | null;
  registered: boolean;
}

/** A hazard with its enterprise and photo count. `hazard.id` is null until the report is committed. */
export interface HazardRecord {
  hazard: Omit<Hazard, 'id'> & { id: number | null };
  enterprise: HazardEnterprise;
  photos: number;
}

export interface HazardPlan {
  statements: BatchItem<'sqlite'>[];
  /** The hazard as it will be once the statements are committed. */
  after: HazardRecord;
  notices: Notice[];
  /** Things the person should know that did not stop the change. */
  warnings: Bi[];
}

export const subjectOf = (no: string) => `hazard:${no}`;

// ── numbers and deadlines ─────────────────────────────────────────────────────────────────

/** `YH-2026-0007`, also lower case or unpadded (`yh-2026-7`) → the canonical number. */
export function parseHazardNo(text: string): string | undefined {
  const m = /^YH-(\d{4})-(\d{1,6})$/i.exec(text.trim());
  return m ? formatNumber('YH', Number(m[1]), Number(m[2])) : undefined;
}

/**
 * `期限:` as people write it: `N天` → the end of the local day N days from now; a date
 * (`2026-12-05`, `12-05`, or a date picker's `2026-12-05 +0800`) → the end of that local day
 * (or the time given with it). A deadline that has already passed is refused with the reason.
 */
export function parseDeadline(text: string, now: Date, tz: string): Date {
  const t = text.trim();
  let at: Date | undefined;
  const days = /^(\d{1,3})\s*(天|日|d|day|days)$/i.exec(t);
  if (days) {
    at = endOfLocalDay(addLocalDays(now, Number(days[1]), tz), tz);
  } else {
    // The date picker answers "2026-12-05 +0800"; the zone is the clicker's, the day is what counts.
    const bare = /^\d{4}-\d{1,2}-\d{1,2} [+-]\d{4}$/.test(t) ? t.split(' ')[0] : t;
    const parsed = parseLocalDate(bare, now, tz);
    if (parsed) at = parsed.hasTime ? parsed.date : endOfLocalDay(parsed.date, tz);
  }
  if (!at) {
    return refuse('invalid', {
      zh: `无法识别整改期限「${t}」。请写成 3天、2026-12-05 或 12-05。`,
      en: `Cannot read the deadline "${t}". Write it as 3天 (3 days), 2026-12-05 or 12-05.`,
    });
  }
  if (at.getTime() <= now.getTime()) {
    const shown = formatDateTime(at, tz);
    return refuse('invalid', {
      zh: `整改期限 ${shown} 已经过去，请给出今后的日期。`,
      en: `The deadline ${shown} is already in the past; give a later date.`,
    });
  }
  return at;
}

/** The end of the local day `generalDays` / `majorDays` from now. */
export function defaultDeadline(level: string, now: Date, tz: string, d: HazardDefaults): Date {
  return endOfLocalDay(addLocalDays(now, level === 'major' ? d.majorDays : d.generalDays, tz), tz);
}

// ── reads ─────────────────────────────────────────────────────────────────────────────────

async function recordWhere(db: Db, where: SQL | undefined): Promise<HazardRecord | undefined> {
  const [row] = await db
    .select({ hazard: hazards, enterprise: enterprises })
    .from(hazards)
    .leftJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(where)
    .limit(1);
  if (!row) return undefined;
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(hazardPhotos).where(eq(hazardPhotos.hazardId, row.hazard.id));
  const e = row.enterprise;
  return {
    hazard: row.hazard,
    enterprise: {
      id: row.hazard.enterpriseId,
      name: e?.name ?? `#${row.hazard.enterpriseId}`,
      sector: e?.sector ?? row.hazard.sector,
      township: e?.township ?? row.hazard.township,
      contactOpenId: e?.contactOpenId ?? null,
      supervisorOpenId: e?.supervisorOpenId ?? null,
      registered: e?.registered ?? false,
    },
    photos: Number(n),
  };
}

export const loadHazard = (db: Db, no: string) => recordWhere(db, eq(hazards.no, no));
/** The hazard already reported from this message (a form or pick-one card re-submitted). */
export async function hazardBySource(db: Db, sourceMessageId: string): Promise<string | undefined> {
  const [row] = await db.select({ no: hazards.no }).from(hazards).where(eq(hazards.sourceMessageId, sourceMessageId)).limit(1);
  return row?.no;
}

/** The timeline, oldest first. */
export async function hazardTimeline(db: Db, hazardId: number): Promise<HazardEvent[]> {
  return db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId)).orderBy(hazardEvents.at, hazardEvents.id);
}

/** The latest event that changed the status: who moved the hazard to where it is. */
export async function lastChange(db: Db, hazardId: number): Promise<HazardEvent | undefined> {
  const [row] = await db
    .select()
    .from(hazardEvents)
    .where(and(eq(hazardEvents.hazardId, hazardId), isNotNull(hazardEvents.toStatus)))
    .orderBy(desc(hazardEvents.at), desc(hazardEvents.id))
    .limit(1);
  return row;
}

/** Registered people's names by open_id; people not registered are simply absent. */
/** Photos attached since the hazard last went to `dispatched`: evidence of the fix, not of the hazard. */
export async function photosSinceDispatch(db: Db, hazardId: number): Promise<number> {
  const [since] = await db
    .select({ at: hazardEvents.at })
    .from(hazardEvents)
    .where(and(eq(hazardEvents.hazardId, hazardId), eq(hazardEvents.toStatus, 'dispatched')))
    .orderBy(desc(hazardEvents.at), desc(hazardEvents.id))
    .limit(1);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)` })
    .from(hazardPhotos)
    .where(and(eq(hazardPhotos.hazardId, hazardId), sql`${hazardPhotos.at} >= ${since?.at ?? 0}`));
  return Number(n);
}

/** Image keys of this set already attached to the hazard. */
export async function attachedKeys(db: Db, hazardId: number, imageKeys: string[]): Promise<Set<string>> {
  if (!imageKeys.length) return new Set();
  const rows = await db
    .select({ key: hazardPhotos.imageKey })
    .from(hazardPhotos)
    .where(and(eq(hazardPhotos.hazardId, hazardId), inArray(hazardPhotos.imageKey, imageKeys)));
  return new Set(rows.map((r) => r.key));
}

/** Everyone with the admin role, plus ADMIN_OPEN_IDS. */
export async function adminOpenIds(db: Db, configured: readonly string[]): Promise<string[]> {
  const rows = await db.select({ openId: people.openId }).from(people).where(sql`'|' || ${people.roles} || '|' LIKE '%|admin|%'`);
  return [...new Set([...configured, ...rows.map((r) => r.openId)])];
}

/** People who acted on the hazard (reported, dispatched, verified …), for "everyone involved". */
async function actorsOf(db: Db, hazardId: number): Promise<string[]> {
  const rows = await db.selectDistinct({ a: hazardEvents.actorOpenId }).from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId));
  return rows.map((r) => r.a).filter((x): x is string => !!x);
}

// ── statements ────────────────────────────────────────────────────────────────────────────

export interface EventValues {
  at: number;
  actor: string | null;
  action: string;
  from: string | null;
  to: string | null;
  note: string | null;
}

export function insertEvent(db: Db, hazardRef: SQL, e: EventValues) {
  return db.run(sql`INSERT INTO hazard_events (hazard_id, at, actor_open_id, action, from_status, to_status, note)
    VALUES (${hazardRef}, ${e.at}, ${e.actor}, ${e.action}, ${e.from}, ${e.to}, ${e.note})`);
}

/** The hazard id, but only when the statement just before changed a row (see the note at the top). */
export const ifChanged = (id: number) => sql`CASE WHEN changes() > 0 THEN ${id} END`;
const byNo = (no: string) => sql`(SELECT id FROM hazards WHERE no = ${no})`;

// ── verbs ─────────────────────────────────────────────────────────────────────────────────

export interface ReportInput {
  reporter: Caller;
  enterprise: { kind: 'existing'; enterprise: Enterprise } | { kind: 'new'; name: string; sector?: string };
  level: HazardLevel;
  description: string;
  /** Already parsed and checked to be in the future; absent → the default for the level. */
  deadline?: Date;
  assigneeOpenId?: string;
  source: { chatId?: string; messageId?: string };
  /** 五落实 given at report: 整改措施, 整改资金, 应急预案/防范措施. */
  ledger?: LedgerFields;
  /** 来源 (default inspection). */
  origin?: HazardSource;
  /** 立查立改: found and rectified on the spot (see planReport). */
  onTheSpot?: boolean;
  /** The 12350 tip this hazard was found from. */
  tipId?: number;
}

/** The parts of 五落实 besides the assignee and the deadline. Undefined = not given (left as is). */
export interface LedgerFields {
  measures?: string | null;
  fundsFen?: number | null;
  contingency?: string | null;
}

const MAX_LEDGER_TEXT = 500;

/** Refuses ledger texts that are too long; returns the fields trimmed (blank → null). */
export function checkLedger(l: LedgerFields | undefined): LedgerFields {
  const out: LedgerFields = {};
  if (!l) return out;
  for (const k of ['measures', 'contingency'] as const) {
    const v = l[k];
    if (v === undefined) continue;
    const t = v === null ? null : v.trim() || null;
    if (t && t.length > MAX_LEDGER_TEXT) {
      const what = k === 'measures' ? { zh: '整改措施', en: 'measures' } : { zh: '应急预案/防范措施', en: 'interim measures' };
      refuse('invalid', { zh: `${what.zh}请勿超过 ${MAX_LEDGER_TEXT} 字。`, en: `Keep the ${what.en} under ${MAX_LEDGER_TEXT} characters.` });
    }
    out[k] = t;
  }
  if (l.fundsFen !== undefined) out.fundsFen = l.fundsFen;
  return out;
}

/** Whether the caller is an inspector who reported it: a 立查立改 by them needs no one else's check. */
const inspectorReporter = (caller: Caller) => caller.roles.has('inspector');

/**
 * 上报: takes the next YH number of the local year and plans the hazard, its first timeline row,
 * the unregistered enterprise when it is new, and — when an assignee is named and the reporter
 * may dispatch — the dispatch too. One report per source message: a re-submitted card fails.
 */
export async function planReport(db: Db, input: ReportInput, now: Date, tz: string, defaults: HazardDefaults, configuredAdmins: readonly string[] = []): Promise<HazardPlan> {
  const description = input.description.trim();
  if (!description) refuse('invalid', { zh: '请写明隐患描述。', en: 'Describe the hazard.' });
  if (description.length > 1000) refuse('invalid', { zh: '隐患描述请勿超过 1000 字。', en: 'Keep the description under 1000 characters.' });
  if (input.deadline && input.deadline.getTime() <= now.getTime()) refuse('invalid', { zh: '整改期限已经过去。', en: 'The deadline is in the past.' });
  if (input.source.messageId) {
    const existing = await hazardBySource(db, input.source.messageId);
    if (existing) refuse('duplicate', { zh: `这条上报已登记为 ${existing}。`, en: `This report is already recorded as ${existing}.` });
  }

  const reporter = input.reporter.openId;
  const e = input.enterprise;
  const enterprise: HazardEnterprise =
    e.kind === 'existing'
      ? {
          id: e.enterprise.id,
          name: e.enterprise.name,
          sector: e.enterprise.sector,
          township: e.enterprise.township,
          contactOpenId: e.enterprise.contactOpenId,
          supervisorOpenId: e.enterprise.supervisorOpenId,
          registered: e.enterprise.registered,
        }
      : { id: null, name: e.name.trim(), sector: e.sector ?? 'other', township: null, contactOpenId: null, supervisorOpenId: null, registered: false };

  const warnings: Bi[] = [];
  const ledger = checkLedger(input.ledger);
  const parties = { reporterOpenId: reporter, assigneeOpenId: null, contactOpenId: enterprise.contactOpenId };
  let assignee = input.assigneeOpenId;
  // 立查立改: fixed while the inspector stood there — nobody to dispatch to. A major one still needs
  // a photo of the fix, which can only follow the report: it is dispatched to the reporter, who
  // replies with the photo and presses 整改完成 (planRectify then finishes it as on the spot).
  const spot = input.onTheSpot === true;
  const spotNeedsPhoto = spot && input.level === 'major' && defaults.photoRequiredForMajor;
  if (spot) {
    if (assignee && assignee !== reporter) warnings.push({ zh: '立查立改无需派单，已忽略整改责任人。', en: 'Fixed on the spot needs no dispatch; the assignee was ignored.' });
    assignee = spotNeedsPhoto ? reporter : undefined;
  }
  if (assignee && !spot && !mayDispatch(input.reporter, parties)) {
    const why = refusalFor('dispatch', input.reporter, parties)!;
    warnings.push({ zh: `未派单：${why.zh}隐患已上报，待有权限的人派单。`, en: `Not dispatched: ${why.en} The hazard is reported and awaits dispatch.` });
    assignee = undefined;
  }
  const deadline = (input.deadline ?? defaultDeadline(input.level, now, tz, defaults)).getTime();
  const inspectionId = enterprise.id !== null ? ((await inspectionForHazard(db, enterprise.id, reporter, now, tz)) ?? null) : null;
  const admins = enterprise.registered ? [] : await adminOpenIds(db, configuredAdmins);

  // Last: everything that could refuse has been checked, so a number is only spent on a report.
  const year = localParts(now, tz).year;
  const no = formatNumber('YH', year, await nextSequence(db, `YH-${year}`));
  const at = now.getTime();
  const closesAtOnce = spot && !spotNeedsPhoto && inspectorReporter(input.reporter);
  const status = spot && !spotNeedsPhoto ? (closesAtOnce ? 'closed' : 'rectified') : assignee ? 'dispatched' : 'reported';
  const rectifiedAt = status === 'rectified' || status === 'closed' ? at : null;
  const closedAt = status === 'closed' ? at : null;
  const origin = input.origin ?? 'inspection';

  const statements: BatchItem<'sqlite'>[] = [];
  if (e.kind === 'new') {
    statements.push(insertUnregisteredEnterprise(db, enterprise.name, now));
    if (enterprise.sector !== 'other') {
      statements.push(
        db.update(enterprises)
          .set({ sector: enterprise.sector })
          .where(and(eq(enterprises.name, enterprise.name), eq(enterprises.registered, false), eq(enterprises.sector, 'other'))),
      );
    }
  }
  const enterpriseRef = enterprise.id !== null ? sql`${enterprise.id}` : sql`(SELECT id FROM enterprises WHERE name = ${enterprise.name})`;
  const src = input.source.messageId ?? null;
  statements.push(
    db.run(sql`INSERT INTO hazards (no, enterprise_id, sector, township, level, description, reporter_open_id, assignee_open_id,
        deadline, status, source_chat_id, source_message_id, inspection_id, reported_at, dispatched_at, next_nag_at, updated_at,
        measures, funds_fen, contingency, source, on_the_spot, original_deadline, rectified_at, closed_at, verifier_open_id, tip_id)
      SELECT ${no}, ${enterpriseRef}, ${enterprise.sector}, ${enterprise.township}, ${input.level}, ${description}, ${reporter},
        ${assignee ?? null}, ${deadline}, ${status}, ${input.source.chatId ?? null}, ${src}, ${inspectionId}, ${at},
        ${assignee ? at : null}, ${status === 'dispatched' ? deadline : null}, ${at},
        ${ledger.measures ?? null}, ${ledger.fundsFen ?? null}, ${ledger.contingency ?? null}, ${origin}, ${spot ? 1 : 0},
        ${assignee || rectifiedAt ? deadline : null}, ${rectifiedAt}, ${closedAt}, ${closedAt ? reporter : null}, ${input.tipId ?? null}
      WHERE ${src} IS NULL OR NOT EXISTS (SELECT 1 FROM hazards WHERE source_message_id = ${src})`),
    insertEvent(db, byNo(no), { at, actor: reporter, action: 'report', from: null, to: 'reported', note: spot ? '立查立改 / fixed on the spot' : null }),
  );
  if (assignee) statements.push(insertEvent(db, byNo(no), { at, actor: reporter, action: 'dispatch', from: 'reported', to: 'dispatched', note: null }));
  if (rectifiedAt) statements.push(insertEvent(db, byNo(no), { at, actor: reporter, action: 'rectify', from: 'reported', to: 'rectified', note: '立查立改 / fixed on the spot' }));
  if (closedAt) statements.push(insertEvent(db, byNo(no), { at, actor: reporter, action: 'verify_pass', from: 'rectified', to: 'closed', note: '检查员立查立改，直接销号 / fixed on the spot before an inspector: closed' }));

  const after: HazardRecord = {
    hazard: {
      id: null,
      no,
      enterpriseId: enterprise.id ?? 0,
      sector: enterprise.sector,
      township: enterprise.township,
      level: input.level,
      description,
      reporterOpenId: reporter,
      assigneeOpenId: assignee ?? null,
      deadline,
      status,
      sourceChatId: input.source.chatId ?? null,
      sourceMessageId: src,
      cardOutboxId: null,
      inspectionId,
      reportedAt: at,
      dispatchedAt: assignee ? at : null,
      rectifiedAt,
      closedAt,
      nextNagAt: status === 'dispatched' ? deadline : null,
      updatedAt: at,
      measures: ledger.measures ?? null,
      fundsFen: ledger.fundsFen ?? null,
      contingency: ledger.contingency ?? null,
      source: origin,
      onTheSpot: spot,
      originalDeadline: assignee || rectifiedAt ? deadline : null,
      extensions: 0,
      verifierOpenId: closedAt ? reporter : null,
      superviseLevel: null,
      superviseUnit: null,
      superviseOpenId: null,
      supervisedAt: null,
      tipId: input.tipId ?? null,
    },
    enterprise,
    photos: 0,
  };
  const notices = [
    ...noticesFor('report', after, reporter, { admins: e.kind === 'new' ? admins : [] }),
    ...(assignee ? noticesFor('dispatch', after, reporter) : []),
    // Fixed on the spot but not by an inspector: someone must still verify it.
    ...(status === 'rectified' ? noticesFor('rectify', after, reporter) : []),
  ];
  return { statements, after, notices, warnings };
}

/** Records which bot message is the hazard's card, once the reply carrying it is queued. */
export function setCardOutbox(db: Db, no: string, outboxId: string) {
  return db.update(hazards).set({ cardOutboxId: outboxId }).where(eq(hazards.no, no));
}

const VERB_DOING: Record<HazardVerb, Bi> = {
  dispatch: { zh: '派单', en: 'be dispatched' },
  rectify: { zh: '提交整改', en: 'be marked rectified' },
  verify_pass: { zh: '复查', en: 'be verified' },
  verify_fail: { zh: '复查', en: 'be verified' },
};

/** Refuses a verb the hazard's status does not allow, saying where it stands and who put it there. */
async function checkTransition(db: Db, verb: HazardVerb, rec: HazardRecord, tz: string) {
  const h = rec.hazard;
  if (canTransition(verb, h.status)) return;
  const s = statusLabel(h.status);
  const last = h.id !== null ? await lastChange(db, h.id) : undefined;
  let who = { zh: '', en: '' };
  if (last) {
    const names = await personNames(db, [last.actorOpenId]);
    const name = (last.actorOpenId && names.get(last.actorOpenId)) || last.actorOpenId || '—';
    const when = formatDateTime(new Date(last.at), tz);
    const act = actionLabel(last.action);
    who = { zh: `（${name} 于 ${when} ${act.zh}）`, en: ` (${act.en} by ${name} at ${when})` };
  }
  const need = statusLabel(TRANSITIONS[verb].from);
  refuse('wrong_state', {
    zh: `${h.no} 当前状态为「${s.zh}」${who.zh}，不能${VERB_DOING[verb].zh}；只有「${need.zh}」的隐患可以。`,
    en: `${h.no} is ${s.en}${who.en}; it cannot ${VERB_DOING[verb].en} — only a hazard ${need.en} can.`,
  });
}

function checkAllowed(verb: HazardVerb, actor: Caller, rec: HazardRecord) {
  const why = refusalFor(verb, actor, {
    reporterOpenId: rec.hazard.reporterOpenId,
    assigneeOpenId: rec.hazard.assigneeOpenId,
    contactOpenId: rec.enterprise.contactOpenId,
    superviseLevel: rec.hazard.superviseLevel,
    superviseOpenId: rec.hazard.superviseOpenId,
  });
  if (why) refuse('not_allowed', why);
}

function committed(rec: HazardRecord): number {
  if (rec.hazard.id === null) throw new Error('hazard has not been committed yet');
  return rec.hazard.id;
}

export interface DispatchInput {
  actor: Caller;
  assigneeOpenId: string;
  deadline?: Date;
  /** 五落实 given with the dispatch; undefined fields stay as they are. */
  ledger?: LedgerFields;
}

/**
 * 派单: reported → dispatched. Without a new deadline the one set at report stands, unless it
 * has already passed; then the default period runs from now.
 */
export async function planDispatch(db: Db, rec: HazardRecord, input: DispatchInput, now: Date, tz: string, defaults: HazardDefaults): Promise<HazardPlan> {
  const id = committed(rec);
  await checkTransition(db, 'dispatch', rec, tz);
  checkAllowed('dispatch', input.actor, rec);
  const h = rec.hazard;
  const at = now.getTime();
  const deadline = input.deadline?.getTime() ?? (h.deadline && h.deadline > at ? h.deadline : defaultDeadline(h.level, now, tz, defaults).getTime());
  const ledger = checkLedger(input.ledger);
  // 按期整改率 counts against the deadline the dispatch first set; later extensions move `deadline` only.
  const originalDeadline = h.originalDeadline ?? deadline;
  const changes = { status: 'dispatched', assigneeOpenId: input.assigneeOpenId, deadline, dispatchedAt: at, nextNagAt: deadline, updatedAt: at, originalDeadline, ...ledger };
  const after: HazardRecord = { ...rec, hazard: { ...h, ...changes } };
  const statements: BatchItem<'sqlite'>[] = [
    db.update(hazards)
      .set(changes)
      .where(and(eq(hazards.id, id), eq(hazards.status, 'reported'))),
    insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'dispatch', from: 'reported', to: 'dispatched', note: null }),
  ];
  return { statements, after, notices: noticesFor('dispatch', after, input.actor.openId), warnings: [] };
}

/** 整改完成: dispatched → rectified, by the assignee or the enterprise's contact; a major hazard needs a photo of the fix. */
export async function planRectify(db: Db, rec: HazardRecord, input: { actor: Caller; note?: string; newPhotos?: number }, now: Date, tz: string, defaults: HazardDefaults): Promise<HazardPlan> {
  const id = committed(rec);
  await checkTransition(db, 'rectify', rec, tz);
  checkAllowed('rectify', input.actor, rec);
  const h = rec.hazard;
  // newPhotos: attached earlier in the same batch (a confirmed plain message with its photos).
  if (h.level === 'major' && defaults.photoRequiredForMajor && (await photosSinceDispatch(db, id)) + (input.newPhotos ?? 0) === 0) {
    refuse('invalid', {
      zh: `${h.no} 是重大隐患，提交整改前请先上传至少一张整改照片：在隐患卡片下回复图片即可。`,
      en: `${h.no} is a major hazard: attach at least one photo of the fix first — reply to the hazard card with an image.`,
    });
  }
  const at = now.getTime();
  // A major 立查立改 waited only for its photo: by the inspector who found and fixed it, it is closed now.
  const spotClose = h.onTheSpot && h.reporterOpenId === input.actor.openId && h.assigneeOpenId === input.actor.openId && inspectorReporter(input.actor) && !h.superviseLevel;
  if (spotClose) {
    const after: HazardRecord = { ...rec, hazard: { ...h, status: 'closed', rectifiedAt: at, closedAt: at, verifierOpenId: input.actor.openId, nextNagAt: null, updatedAt: at } };
    return {
      statements: [
        db.update(hazards)
          .set({ status: 'closed', rectifiedAt: at, closedAt: at, verifierOpenId: input.actor.openId, nextNagAt: null, updatedAt: at })
          .where(and(eq(hazards.id, id), eq(hazards.status, 'dispatched'))),
        insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'rectify', from: 'dispatched', to: 'rectified', note: input.note?.trim() || '立查立改 / fixed on the spot' }),
        insertEvent(db, sql`${id}`, { at, actor: input.actor.openId, action: 'verify_pass', from: 'rectified', to: 'closed', note: '检查员立查立改，直接销号 / fixed on the spot before an inspector: closed' }),
      ],
      after,
      notices: noticesFor('verify_pass', after, input.actor.openId),
      warnings: [],
    };
  }
  const after: HazardRecord = { ...rec, hazard: { ...h, status: 'rectified', rectifiedAt: at, nextNagAt: null, updatedAt: at } };
  const statements: BatchItem<'sqlite'>[] = [
    db.update(hazards)
      .set({ status: 'rectified', rectifiedAt: at, nextNagAt: null, updatedAt: at })
      .where(and(eq(hazards.id, id), eq(hazards.status, 'dispatched'))),
    insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'rectify', from: 'dispatched', to: 'rectified', note: input.note?.trim() || null }),
  ];
  return { statements, after, notices: noticesFor('rectify', after, input.actor.openId), warnings: [] };
}

export interface VerifyInput {
  actor: Caller;
  pass: boolean;
  note?: string;
  /** For a failed verification; absent → the default period from now. */
  deadline?: Date;
}

/** 复查: rectified → closed (通过), or back to dispatched with a new deadline (不通过). */
export async function planVerify(db: Db, rec: HazardRecord, input: VerifyInput, now: Date, tz: string, defaults: HazardDefaults): Promise<HazardPlan> {
  const id = committed(rec);
  const verb: HazardVerb = input.pass ? 'verify_pass' : 'verify_fail';
  await checkTransition(db, verb, rec, tz);
  checkAllowed(verb, input.actor, rec);
  const h = rec.hazard;
  const at = now.getTime();
  const note = input.note?.trim() || null;
  if (input.pass) {
    const done = { status: 'closed', closedAt: at, nextNagAt: null, updatedAt: at, verifierOpenId: input.actor.openId };
    const after: HazardRecord = { ...rec, hazard: { ...h, ...done } };
    const involved = await actorsOf(db, id);
    return {
      statements: [
        db.update(hazards).set(done).where(and(eq(hazards.id, id), eq(hazards.status, 'rectified'))),
        insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'verify_pass', from: 'rectified', to: 'closed', note }),
      ],
      after,
      notices: noticesFor('verify_pass', after, input.actor.openId, { involved }),
      warnings: [],
    };
  }
  const deadline = (input.deadline ?? defaultDeadline(h.level, now, tz, defaults)).getTime();
  const shown = formatDateTime(new Date(deadline), tz);
  const back = { status: 'dispatched', deadline, nextNagAt: deadline, updatedAt: at, verifierOpenId: input.actor.openId };
  const after: HazardRecord = { ...rec, hazard: { ...h, ...back } };
  return {
    statements: [
      db.update(hazards).set(back).where(and(eq(hazards.id, id), eq(hazards.status, 'rectified'))),
      insertEvent(db, ifChanged(id), {
        at,
        actor: input.actor.openId,
        action: 'verify_fail',
        from: 'rectified',
        to: 'dispatched',
        note: note ? `${note}（新期限 new deadline ${shown}）` : `新期限 new deadline ${shown}`,
      }),
    ],
    after,
    notices: noticesFor('verify_fail', after, input.actor.openId),
    warnings: [],
  };
}

/** 照片: attaches images (new keys only) to the hazard, each with a timeline row. */
export function planPhotos(db: Db, rec: HazardRecord, input: { actorOpenId: string; messageId: string; imageKeys: string[] }, now: Date): HazardPlan {
  const id = committed(rec);
  const photos = input.imageKeys.map((imageKey) => ({ messageId: input.messageId, imageKey }));
  return { statements: photoStatements(db, sql`${id}`, input.actorOpenId, photos, now), after: { ...rec, photos: rec.photos + input.imageKeys.length }, notices: [], warnings: [] };
}

/**
 * Photos that arrive with a report (a post's images, or images sent just before it): attached to
 * the hazard the same batch creates, found by its number.
 */
export function reportPhotoStatements(db: Db, no: string, actorOpenId: string, photos: { messageId: string; imageKey: string }[], now: Date) {
  return photoStatements(db, byNo(no), actorOpenId, photos, now);
}

function photoStatements(db: Db, hazardRef: SQL, actorOpenId: string, photos: { messageId: string; imageKey: string }[], now: Date): BatchItem<'sqlite'>[] {
  const at = now.getTime();
  const statements: BatchItem<'sqlite'>[] = [];
  for (const p of photos) {
    statements.push(
      db.run(sql`INSERT INTO hazard_photos (hazard_id, message_id, image_key, uploaded_by, at)
        VALUES (${hazardRef}, ${p.messageId}, ${p.imageKey}, ${actorOpenId}, ${at}) ON CONFLICT DO NOTHING`),
      // A photo is not a status change: from/to stay empty so "who acted last" skips it.
      db.run(sql`INSERT INTO hazard_events (hazard_id, at, actor_open_id, action, from_status, to_status, note)
        SELECT ${hazardRef}, ${at}, ${actorOpenId}, 'photo', NULL, NULL, ${p.imageKey} WHERE changes() > 0`),
    );
  }
  return statements;
}

/**
 * The hazard a message in a thread belongs to: the message it replies to (or the thread's root)
 * is the report itself, the hazard's card, or a notice about the hazard. Closest first.
 */
export async function hazardForMessages(db: Db, messageIds: string[]): Promise<string | undefined> {
  for (const id of messageIds) {
    const [bySource] = await db.select({ no: hazards.no }).from(hazards).where(eq(hazards.sourceMessageId, id)).limit(1);
    if (bySource) return bySource.no;
    const sent = await db
      .select({ id: outbox.id, subject: outbox.subject })
      .from(outbox)
      .where(and(eq(outbox.larkMessageId, id), inArray(outbox.kind, ['reply', 'send'])));
    for (const row of sent) {
      if (row.subject?.startsWith('hazard:')) return row.subject.slice('hazard:'.length);
      const [byCard] = await db.select({ no: hazards.no }).from(hazards).where(eq(hazards.cardOutboxId, row.id)).limit(1);
      if (byCard) return byCard.no;
    }
  }
  return undefined;
}
