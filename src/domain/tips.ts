// 12350 群众举报: a tip is received (受理, numbered JB-YYYY-NNNN), assigned (交办) by an admin or a
// leader to an inspector with a deadline (7 days unless given), checked (核查: 属实 — it becomes one
// or more hazards with source `tip`, linked by tip_id — or 不属实 with the reason), and closed when
// the reply to the tipster (反馈) is recorded. The tipster's phone is shown to admins and the assigned
// inspector only, and never logged. Overdue tips join the overdue nags (tipNags).

import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { hazards, tips } from '../db/schema.ts';
import { refuse as domainRefuse, type DomainErrorCode } from './errors.ts';
import type { Bi } from '../bi.ts';
import type { Caller } from './people.ts';
import { formatNumber, nextSequence } from './sequences.ts';
import { addLocalDays, endOfLocalDay, formatDate, localParts } from './time.ts';

export type Tip = typeof tips.$inferSelect;

export const TIP_STATUSES = ['received', 'assigned', 'verified', 'closed'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];
export const TIP_STATUS_LABELS: Record<TipStatus, Bi> = {
  received: { zh: '已受理', en: 'received' },
  assigned: { zh: '已交办', en: 'assigned' },
  verified: { zh: '已核查', en: 'checked' },
  closed: { zh: '已办结', en: 'closed' },
};
export const tipStatusLabel = (s: string): Bi => TIP_STATUS_LABELS[s as TipStatus] ?? { zh: s, en: s };

export const TIP_DEFAULT_DAYS = 7;
export const tipSubject = (no: string) => `tip:${no}`;

const refuse = (b: Bi, code: DomainErrorCode = 'invalid'): never => domainRefuse(code, b);

export function parseTipNo(text: string | undefined): string | undefined {
  const m = text ? /^JB-(\d{4})-(\d{1,6})$/i.exec(text.trim()) : null;
  return m ? formatNumber('JB', Number(m[1]), Number(m[2])) : undefined;
}

const PHONE = /^\+?[\d-]{5,20}$/;

export async function loadTip(db: Db, no: string): Promise<Tip | undefined> {
  const [t] = await db.select().from(tips).where(eq(tips.no, no)).limit(1);
  return t;
}

/** Hazards found from this tip, by number. */
export async function tipHazards(db: Db, tipId: number): Promise<string[]> {
  const rows = await db.select({ no: hazards.no }).from(hazards).where(eq(hazards.tipId, tipId)).orderBy(asc(hazards.id));
  return rows.map((r) => r.no);
}

/** Whether this caller may see the tipster's phone: admins and the inspector it is assigned to. */
export const maySeePhone = (caller: Caller, tip: Pick<Tip, 'assigneeOpenId'>) =>
  caller.roles.has('admin') || (!!tip.assigneeOpenId && tip.assigneeOpenId === caller.openId);

export interface TipPlan {
  statements: BatchItem<'sqlite'>[];
  after: Tip;
  answer: Bi;
  /** Who is told (the assigned inspector on 交办; the receiver on 核查). */
  tell: string[];
}

/** 受理: numbers the tip in the JB-<local year> series. */
export async function planTip(
  db: Db,
  input: { actor: Caller; description: string; enterpriseName?: string; township?: string; phone?: string; chatId?: string; messageId?: string },
  now: Date,
  tz: string,
): Promise<TipPlan> {
  const description = input.description.trim();
  if (!description) refuse({ zh: '请写明举报内容。', en: 'Describe what was reported.' });
  if (description.length > 1000) refuse({ zh: '举报内容请勿超过 1000 字。', en: 'Keep the description under 1000 characters.' });
  const phone = input.phone?.trim() || null;
  if (phone && !PHONE.test(phone)) refuse({ zh: '举报人电话格式不对（只写数字，可带 - 或 +）。', en: 'The tipster’s phone should be digits (with - or + if needed).' });
  if (input.messageId) {
    const [dup] = await db.select({ no: tips.no }).from(tips).where(eq(tips.sourceMessageId, input.messageId)).limit(1);
    if (dup) refuse({ zh: `这条举报已受理为 ${dup.no}。`, en: `This tip is already recorded as ${dup.no}.` });
  }
  const year = localParts(now, tz).year;
  const no = formatNumber('JB', year, await nextSequence(db, `JB-${year}`));
  const at = now.getTime();
  const after: Tip = {
    id: 0,
    no,
    description,
    enterpriseName: input.enterpriseName?.trim() || null,
    township: input.township?.trim() || null,
    tipsterPhone: phone,
    status: 'received',
    receivedBy: input.actor.openId,
    receivedAt: at,
    assigneeOpenId: null,
    assignedBy: null,
    assignedAt: null,
    deadline: null,
    substantiated: null,
    verifyNote: null,
    verifiedAt: null,
    feedback: null,
    closedAt: null,
    sourceChatId: input.chatId ?? null,
    sourceMessageId: input.messageId ?? null,
    cardOutboxId: null,
    nextNagAt: null,
    updatedAt: at,
  };
  const { id: _id, ...values } = after;
  return {
    statements: [db.insert(tips).values(values)],
    after,
    answer: { zh: `已受理群众举报 ${no}。`, en: `Tip ${no} received.` },
    tell: [],
  };
}

const guard = (db: Db, tip: Tip, set: Partial<Tip>) => db.update(tips).set(set).where(and(eq(tips.id, tip.id), eq(tips.status, tip.status)));

/** 交办: an admin or a leader gives it to an inspector with a deadline (default 7 days). */
export function planAssignTip(db: Db, tip: Tip, input: { actor: Caller; assigneeOpenId: string; assigneeIsInspector: boolean; deadline?: Date }, now: Date, tz: string): TipPlan {
  if (!input.actor.roles.has('admin') && !input.actor.roles.has('leader')) refuse({ zh: '交办举报需要管理员或领导。', en: 'Assigning a tip needs an admin or a leader.' });
  if (tip.status !== 'received' && tip.status !== 'assigned') {
    refuse({ zh: `${tip.no} 当前为「${tipStatusLabel(tip.status).zh}」，不能再交办。`, en: `${tip.no} is ${tipStatusLabel(tip.status).en}; it cannot be assigned again.` });
  }
  if (!input.assigneeIsInspector) refuse({ zh: '举报须交办给检查员核查。', en: 'A tip is assigned to an inspector to check.' });
  const deadline = (input.deadline ?? endOfLocalDay(addLocalDays(now, TIP_DEFAULT_DAYS, tz), tz)).getTime();
  if (deadline <= now.getTime()) refuse({ zh: '核查期限已经过去。', en: 'The deadline is in the past.' });
  const at = now.getTime();
  const set = { status: 'assigned', assigneeOpenId: input.assigneeOpenId, assignedBy: input.actor.openId, assignedAt: at, deadline, nextNagAt: deadline, updatedAt: at };
  return {
    statements: [guard(db, tip, set)],
    after: { ...tip, ...set },
    answer: { zh: `${tip.no} 已交办，核查期限 ${formatDate(new Date(deadline), tz)}。`, en: `${tip.no} assigned; check by ${formatDate(new Date(deadline), tz)}.` },
    tell: [input.assigneeOpenId].filter((x) => x !== input.actor.openId),
  };
}

/** Only the assigned inspector checks a tip and records the reply. */
function mustBeAssignee(tip: Tip, caller: Caller) {
  if (tip.assigneeOpenId !== caller.openId) refuse({ zh: `${tip.no} 由交办的检查员核查。`, en: `${tip.no} is checked by the inspector it was assigned to.` });
}

/**
 * 核查. 属实: `hazards` are the statements that report each hazard found (planned by the caller
 * with source `tip` and this tip's id); 不属实: the reason is required.
 */
export function planCheckTip(db: Db, tip: Tip, input: { actor: Caller; substantiated: boolean; note?: string; hazardNos?: string[] }, now: Date): TipPlan {
  mustBeAssignee(tip, input.actor);
  if (tip.status !== 'assigned') refuse({ zh: `${tip.no} 当前为「${tipStatusLabel(tip.status).zh}」，不能核查。`, en: `${tip.no} is ${tipStatusLabel(tip.status).en}; it cannot be checked.` });
  const note = input.note?.trim() || null;
  if (!input.substantiated && !note) refuse({ zh: '请写明不属实的理由。', en: 'Give the reason it is unfounded.' });
  if (note && note.length > 1000) refuse({ zh: '核查说明请勿超过 1000 字。', en: 'Keep the note under 1000 characters.' });
  const at = now.getTime();
  const set = { status: 'verified', substantiated: input.substantiated, verifyNote: note, verifiedAt: at, nextNagAt: null, updatedAt: at };
  const nos = input.hazardNos ?? [];
  return {
    statements: [guard(db, tip, set)],
    after: { ...tip, ...set },
    answer: input.substantiated
      ? { zh: `${tip.no} 核查属实${nos.length ? `，已登记隐患 ${nos.join('、')}` : ''}。请反馈举报人后办结。`, en: `${tip.no} substantiated${nos.length ? `; hazards ${nos.join(', ')} recorded` : ''}. Record the reply to the tipster to close it.` }
      : { zh: `${tip.no} 核查不属实。请反馈举报人后办结。`, en: `${tip.no} found unsubstantiated. Record the reply to the tipster to close it.` },
    tell: [tip.receivedBy, tip.assignedBy].filter((x): x is string => !!x && x !== input.actor.openId),
  };
}

/** 反馈: the reply given to the tipster; the tip closes (办结). */
export function planFeedbackTip(db: Db, tip: Tip, input: { actor: Caller; feedback: string }, now: Date): TipPlan {
  if (!input.actor.roles.has('admin')) mustBeAssignee(tip, input.actor);
  if (tip.status !== 'verified') {
    refuse({ zh: `${tip.no} 尚未核查（当前「${tipStatusLabel(tip.status).zh}」），核查后再反馈。`, en: `${tip.no} has not been checked yet (${tipStatusLabel(tip.status).en}).` });
  }
  const feedback = input.feedback.trim();
  if (!feedback) refuse({ zh: '请写明反馈内容。', en: 'Write the reply given to the tipster.' });
  const at = now.getTime();
  const set = { status: 'closed', feedback, closedAt: at, updatedAt: at };
  return {
    statements: [guard(db, tip, set)],
    after: { ...tip, ...set },
    answer: { zh: `${tip.no} 已反馈，办结。`, en: `${tip.no}: reply recorded; closed.` },
    tell: [tip.receivedBy, tip.assignedBy].filter((x): x is string => !!x && x !== input.actor.openId),
  };
}

/** `/tips [open|overdue]`: open = not closed; overdue = assigned and past the deadline. */
export async function listTips(db: Db, filter: 'open' | 'overdue' | 'all', now: Date, limit = 30): Promise<Tip[]> {
  const where =
    filter === 'overdue'
      ? and(eq(tips.status, 'assigned'), lt(tips.deadline, now.getTime()))
      : filter === 'open'
        ? inArray(tips.status, ['received', 'assigned', 'verified'])
        : undefined;
  return db.select().from(tips).where(where).orderBy(asc(tips.receivedAt)).limit(limit);
}

/** Overdue tips due for a nag (once a day each, from their deadline), for the overdue-nags job. */
export async function dueTipNags(db: Db, now: Date): Promise<Tip[]> {
  const t = now.getTime();
  return db
    .select()
    .from(tips)
    .where(and(eq(tips.status, 'assigned'), lt(tips.deadline, t), or(isNull(tips.nextNagAt), lte(tips.nextNagAt, t))))
    .orderBy(asc(tips.deadline))
    .limit(500);
}

/** After nagging: the next look a day later. */
export const nextTipNag = (db: Db, ids: number[], at: number) =>
  db.update(tips).set({ nextNagAt: at + 86_400_000 }).where(inArray(tips.id, ids));

export const setTipCard = (db: Db, no: string, outboxId: string) => db.update(tips).set({ cardOutboxId: outboxId }).where(eq(tips.no, no));

export const tipIdByNo = (no: string) => sql`(SELECT id FROM tips WHERE no = ${no})`;
