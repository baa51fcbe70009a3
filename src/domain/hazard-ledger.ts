// The ledger's verbs beside the hazard's life (hazards.ts): 五落实 edited (编辑), 延期 asked for and
// decided, 挂牌督办. Each reads, checks who may act, and returns a plan — statements for the caller's
// one batch, the record as it will be, and who must be told — guarded like the status verbs: the
// timeline row takes its hazard id from `CASE WHEN changes() > 0`, so a lost race rolls back whole.

import { and, desc, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { hazardExtensions, hazards } from '../db/schema.ts';
import { refuse as domainRefuse, type DomainErrorCode } from './errors.ts';
import type { Bi } from '../bi.ts';
import type { Caller } from './people.ts';
import { checkLedger, ifChanged, insertEvent, type HazardRecord, type LedgerFields } from './hazards.ts';
import { formatDate } from './time.ts';
import { formatWan } from './money.ts';

export type Extension = typeof hazardExtensions.$inferSelect;

/** Without a leader, a hazard is extended at most this many times. */
export const MAX_EXTENSIONS = 2;

export type LedgerNotice =
  | { kind: 'extension_asked'; to: string }
  | { kind: 'extension_asked_leaders' }
  | { kind: 'extension_decided'; to: string; approved: boolean }
  | { kind: 'supervised'; to: string }
  | { kind: 'reassigned'; to: string }
  | { kind: 'unassigned'; to: string; newAssignee: string };

export interface LedgerPlan {
  statements: BatchItem<'sqlite'>[];
  after: HazardRecord;
  notices: LedgerNotice[];
  /** What the person who acted is told. */
  answer: Bi;
}

const refuse = (b: Bi, code: DomainErrorCode = 'invalid'): never => domainRefuse(code, b);

function committed(rec: HazardRecord): number {
  if (rec.hazard.id === null) throw new Error('hazard has not been committed yet');
  return rec.hazard.id;
}

const isAdmin = (c: Caller) => c.roles.has('admin');
const isLeader = (c: Caller) => c.roles.has('leader');

// ── 五落实 ───────────────────────────────────────────────────────────────────────────────

/** Who may edit 五落实: the reporter, the assignee, admins. */
export function mayEditLedger(caller: Caller, rec: HazardRecord): boolean {
  const h = rec.hazard;
  return isAdmin(caller) || caller.openId === h.reporterOpenId || (!!h.assigneeOpenId && caller.openId === h.assigneeOpenId);
}

/** 编辑: sets 整改措施 / 整改资金 / 应急预案 (undefined fields stay); a timeline row says what changed. */
export function planEditLedger(db: Db, rec: HazardRecord, input: { actor: Caller; ledger: LedgerFields }, now: Date): LedgerPlan {
  const id = committed(rec);
  if (!mayEditLedger(input.actor, rec)) {
    refuse({ zh: '修改五落实需要以下身份之一：上报人、整改责任人、管理员。', en: 'Editing the measures needs one of: the reporter, the assignee, an admin.' });
  }
  const h = rec.hazard;
  if (h.status === 'closed') refuse({ zh: `${h.no} 已销号，不能再修改。`, en: `${h.no} is closed and can no longer be edited.` });
  const l = checkLedger(input.ledger);
  const changed: string[] = [];
  if (l.measures !== undefined && l.measures !== h.measures) changed.push(`整改措施：${l.measures ?? '（清空）'}`);
  if (l.fundsFen !== undefined && l.fundsFen !== h.fundsFen) changed.push(`整改资金：${l.fundsFen === null ? '（清空）' : formatWan(l.fundsFen)}`);
  if (l.contingency !== undefined && l.contingency !== h.contingency) changed.push(`应急预案：${l.contingency ?? '（清空）'}`);
  if (!changed.length) refuse({ zh: '没有需要修改的内容。', en: 'Nothing to change.' });
  const at = now.getTime();
  const after: HazardRecord = { ...rec, hazard: { ...h, ...l, updatedAt: at } };
  return {
    statements: [
      db.update(hazards).set({ ...l, updatedAt: at }).where(and(eq(hazards.id, id), eq(hazards.status, h.status))),
      insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'edit', from: null, to: null, note: changed.join('；') }),
    ],
    after,
    notices: [],
    answer: { zh: `${h.no} 五落实已更新。`, en: `${h.no}: the measures were updated.` },
  };
}

// ── 延期 ─────────────────────────────────────────────────────────────────────────────────

export async function pendingExtension(db: Db, hazardId: number): Promise<Extension | undefined> {
  const [row] = await db
    .select()
    .from(hazardExtensions)
    .where(and(eq(hazardExtensions.hazardId, hazardId), eq(hazardExtensions.status, 'pending')))
    .orderBy(desc(hazardExtensions.id))
    .limit(1);
  return row;
}

/** Who decides: the reporter, the 包保 supervisor or a leader — only a leader past MAX_EXTENSIONS. */
export function refusalToDecide(caller: Caller, rec: HazardRecord, ext: Extension): Bi | undefined {
  if (caller.openId === ext.requestedBy) return { zh: '不能审批自己提出的延期申请。', en: 'You cannot decide your own extension request.' };
  if (rec.hazard.extensions >= MAX_EXTENSIONS) {
    if (isLeader(caller)) return undefined;
    return {
      zh: `${rec.hazard.no} 已延期 ${rec.hazard.extensions} 次，再次延期须由领导审批。`,
      en: `${rec.hazard.no} has been extended ${rec.hazard.extensions} times; a further extension needs a leader.`,
    };
  }
  if (isLeader(caller) || caller.openId === rec.hazard.reporterOpenId || caller.openId === rec.enterprise.supervisorOpenId) return undefined;
  return { zh: '审批延期需要以下身份之一：上报人、包保领导、领导。', en: 'Deciding an extension needs one of: the reporter, the 包保 supervisor, a leader.' };
}

/** 申请延期: by the assignee or the enterprise's contact, while the hazard is being rectified. */
export async function planRequestExtension(
  db: Db,
  rec: HazardRecord,
  input: { actor: Caller; to: Date; reason: string },
  now: Date,
  tz: string,
): Promise<LedgerPlan> {
  const id = committed(rec);
  const h = rec.hazard;
  const actor = input.actor.openId;
  if (actor !== h.assigneeOpenId && actor !== rec.enterprise.contactOpenId) {
    refuse({ zh: '申请延期需要以下身份之一：该隐患的整改责任人、该企业的企业联系人。', en: "Asking for an extension needs one of: this hazard's assignee, the enterprise's contact." });
  }
  if (h.status !== 'dispatched') refuse({ zh: `${h.no} 不在整改中，不能申请延期。`, en: `${h.no} is not being rectified; it cannot be extended.` });
  const reason = input.reason.trim();
  if (!reason) refuse({ zh: '请写明延期理由。', en: 'Give the reason for the extension.' });
  if (reason.length > 500) refuse({ zh: '延期理由请勿超过 500 字。', en: 'Keep the reason under 500 characters.' });
  const from = h.deadline ?? now.getTime();
  const to = input.to.getTime();
  if (to <= from) {
    refuse({ zh: `新期限须晚于当前期限 ${formatDate(new Date(from), tz)}。`, en: `The new deadline must be after the current one, ${formatDate(new Date(from), tz)}.` });
  }
  const pending = await pendingExtension(db, id);
  if (pending) {
    refuse({ zh: `${h.no} 已有一条待审批的延期申请（至 ${formatDate(new Date(pending.toDeadline), tz)}）。`, en: `${h.no} already has an extension request awaiting a decision.` });
  }
  const at = now.getTime();
  const shown = `${formatDate(new Date(from), tz)} → ${formatDate(input.to, tz)}`;
  const notices: LedgerNotice[] = [];
  const overLimit = h.extensions >= MAX_EXTENSIONS;
  if (overLimit) notices.push({ kind: 'extension_asked_leaders' });
  else {
    for (const to of new Set([h.reporterOpenId, rec.enterprise.supervisorOpenId])) if (to && to !== actor) notices.push({ kind: 'extension_asked', to });
    if (!notices.length) notices.push({ kind: 'extension_asked_leaders' });
  }
  return {
    statements: [
      db.run(sql`INSERT INTO hazard_extensions (hazard_id, requested_by, from_deadline, to_deadline, reason, status, created_at)
        SELECT ${id}, ${actor}, ${from}, ${to}, ${reason}, 'pending', ${at}
        WHERE NOT EXISTS (SELECT 1 FROM hazard_extensions WHERE hazard_id = ${id} AND status = 'pending')`),
      insertEvent(db, ifChanged(id), { at, actor, action: 'extend_request', from: null, to: null, note: `${shown}：${reason}` }),
    ],
    after: rec,
    notices,
    answer: {
      zh: `已提交 ${h.no} 延期申请（${shown}），等待${overLimit ? '领导' : '上报人或包保领导'}审批。`,
      en: `Extension of ${h.no} requested (${shown}); awaiting ${overLimit ? 'a leader' : 'the reporter or the 包保 supervisor'}.`,
    },
  };
}

/** 同意 / 不同意延期. Approved: the deadline moves, nags count from it; the original deadline stays for 按期整改率. */
export async function planDecideExtension(
  db: Db,
  rec: HazardRecord,
  input: { actor: Caller; approve: boolean; note?: string },
  now: Date,
  tz: string,
): Promise<LedgerPlan & { extension: Extension }> {
  const id = committed(rec);
  const h = rec.hazard;
  const ext = await pendingExtension(db, id);
  if (!ext) refuse({ zh: `${h.no} 没有待审批的延期申请。`, en: `${h.no} has no extension request awaiting a decision.` });
  const e = ext!;
  const why = refusalToDecide(input.actor, rec, e);
  if (why) refuse(why);
  const at = now.getTime();
  const note = input.note?.trim() || null;
  const shown = `${formatDate(new Date(e.fromDeadline), tz)} → ${formatDate(new Date(e.toDeadline), tz)}`;
  const decide = db.update(hazardExtensions)
    .set({ status: input.approve ? 'approved' : 'refused', decidedBy: input.actor.openId, decidedAt: at, decisionNote: note })
    .where(and(eq(hazardExtensions.id, e.id), eq(hazardExtensions.status, 'pending')));
  const tell: LedgerNotice[] = [...new Set([e.requestedBy, h.assigneeOpenId])]
    .filter((x): x is string => !!x && x !== input.actor.openId)
    .map((to) => ({ kind: 'extension_decided', to, approved: input.approve }));
  if (!input.approve) {
    return {
      statements: [decide, insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'extend_refuse', from: null, to: null, note: note ? `${shown}：${note}` : shown })],
      after: rec,
      notices: tell,
      answer: { zh: `已不同意 ${h.no} 延期，整改期限不变。`, en: `Extension of ${h.no} refused; the deadline stands.` },
      extension: { ...e, status: 'refused', decidedBy: input.actor.openId, decidedAt: at, decisionNote: note },
    };
  }
  if (h.status !== 'dispatched') refuse({ zh: `${h.no} 已不在整改中，无需延期。`, en: `${h.no} is no longer being rectified.` });
  const changes = {
    deadline: e.toDeadline,
    nextNagAt: e.toDeadline,
    extensions: h.extensions + 1,
    originalDeadline: h.originalDeadline ?? e.fromDeadline,
    updatedAt: at,
  };
  return {
    statements: [
      decide,
      // Guarded by the request still pending (the statement before) and the hazard still dispatched.
      db.run(sql`UPDATE hazards SET deadline = ${changes.deadline}, next_nag_at = ${changes.nextNagAt}, extensions = extensions + 1,
        original_deadline = coalesce(original_deadline, ${e.fromDeadline}), updated_at = ${at}
        WHERE id = ${id} AND status = 'dispatched' AND changes() > 0`),
      insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'extend_approve', from: null, to: null, note: note ? `期限 ${shown}：${note}` : `期限 ${shown}` }),
    ],
    after: { ...rec, hazard: { ...h, ...changes } },
    notices: tell,
    answer: { zh: `已同意 ${h.no} 延期，整改期限改为 ${formatDate(new Date(e.toDeadline), tz)}。`, en: `Extension of ${h.no} approved; new deadline ${formatDate(new Date(e.toDeadline), tz)}.` },
    extension: { ...e, status: 'approved', decidedBy: input.actor.openId, decidedAt: at, decisionNote: note },
  };
}

// ── 挂牌督办 ─────────────────────────────────────────────────────────────────────────────

export const SUPERVISE_LEVELS = { city: { zh: '市级', en: 'city' }, county: { zh: '县级', en: 'county' } } as const;
export type SuperviseLevel = keyof typeof SUPERVISE_LEVELS;
export function parseSuperviseLevel(text: string): SuperviseLevel | undefined {
  const t = text.trim().toLowerCase();
  if (t === '市级' || t === '市' || t === 'city') return 'city';
  if (t === '县级' || t === '县' || t === '区级' || t === 'county') return 'county';
  return undefined;
}
export const superviseLabel = (code: string | null) => (code ? (SUPERVISE_LEVELS[code as SuperviseLevel] ?? { zh: code, en: code }) : undefined);

/** 挂牌督办 a major hazard (leaders and admins): 市级|县级, the 督办单位, optionally a 督办人. */
export function planSupervise(
  db: Db,
  rec: HazardRecord,
  input: { actor: Caller; level: SuperviseLevel; unit: string; superviseOpenId?: string },
  now: Date,
): LedgerPlan {
  const id = committed(rec);
  const h = rec.hazard;
  if (!isLeader(input.actor) && !isAdmin(input.actor)) refuse({ zh: '挂牌督办需要领导或管理员。', en: 'Listing a hazard needs a leader or an admin.' });
  if (h.level !== 'major') refuse({ zh: `${h.no} 是一般隐患；挂牌督办只用于重大隐患。`, en: `${h.no} is a general hazard; only major hazards are listed.` });
  if (h.status === 'closed') refuse({ zh: `${h.no} 已销号，无需督办。`, en: `${h.no} is closed.` });
  const unit = input.unit.trim();
  if (!unit) refuse({ zh: '请写明督办单位。', en: 'Name the supervising body (督办单位).' });
  if (unit.length > 100) refuse({ zh: '督办单位名称过长。', en: 'The supervising body name is too long.' });
  const at = now.getTime();
  const changes = { superviseLevel: input.level, superviseUnit: unit, superviseOpenId: input.superviseOpenId ?? null, supervisedAt: at, updatedAt: at };
  const label = SUPERVISE_LEVELS[input.level];
  const notices: LedgerNotice[] = [...new Set([input.superviseOpenId, h.assigneeOpenId, rec.enterprise.supervisorOpenId])]
    .filter((x): x is string => !!x && x !== input.actor.openId)
    .map((to) => ({ kind: 'supervised', to }));
  return {
    statements: [
      db.update(hazards).set(changes).where(and(eq(hazards.id, id), eq(hazards.status, h.status))),
      insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'supervise', from: null, to: null, note: `${label.zh} · ${unit}` }),
    ],
    after: { ...rec, hazard: { ...h, ...changes } },
    notices,
    answer: { zh: `${h.no} 已挂牌督办（${label.zh} · ${unit}）。`, en: `${h.no} is listed for ${label.en}-level supervision (${unit}).` },
  };
}

/**
 * 改派: a dispatched hazard given to another 整改责任人 (the enterprise changed its person, or the
 * first was wrong) — by whoever may dispatch it: a leader, an admin, or the inspector who reported
 * it. Status, deadline and nags stay as they are; the new assignee gets the card, the old one is
 * told they are off it.
 */
export function planReassign(
  db: Db,
  rec: HazardRecord,
  input: { actor: Caller; assigneeOpenId: string; assigneeName: string; reason?: string },
  now: Date,
): LedgerPlan {
  const id = committed(rec);
  const h = rec.hazard;
  const mayDispatch = isLeader(input.actor) || isAdmin(input.actor) || (input.actor.roles.has('inspector') && h.reporterOpenId === input.actor.openId);
  if (!mayDispatch) refuse({ zh: '改派需要以下角色之一：领导、管理员，或上报该隐患的检查员。', en: 'Reassigning needs one of: leader, admin, or the inspector who reported this hazard.' }, 'not_allowed');
  if (h.status === 'reported') refuse({ zh: `${h.no} 尚未派单，请用 /dispatch 派单。`, en: `${h.no} is not dispatched yet; use /dispatch.` }, 'wrong_state');
  if (h.status !== 'dispatched') {
    refuse({ zh: `${h.no} 已不在整改中，不能改派；只有「整改中」的隐患可以。`, en: `${h.no} is no longer being rectified; only a hazard being rectified can be reassigned.` }, 'wrong_state');
  }
  if (h.assigneeOpenId === input.assigneeOpenId) refuse({ zh: `${h.no} 的整改责任人已是 ${input.assigneeName}。`, en: `${input.assigneeName} is already responsible for ${h.no}.` });
  const reason = input.reason?.trim() ?? '';
  if (reason.length > 200) refuse({ zh: '改派理由过长（最多 200 字）。', en: 'The reason is too long (200 characters at most).' });
  const at = now.getTime();
  const changes = { assigneeOpenId: input.assigneeOpenId, updatedAt: at };
  const old = h.assigneeOpenId;
  const notices: LedgerNotice[] = [];
  if (input.assigneeOpenId !== input.actor.openId) notices.push({ kind: 'reassigned', to: input.assigneeOpenId });
  if (old && old !== input.actor.openId) notices.push({ kind: 'unassigned', to: old, newAssignee: input.assigneeOpenId });
  return {
    statements: [
      // Guarded on the assignee read: two people reassigning at once, the second finds it changed.
      db.update(hazards).set(changes).where(and(eq(hazards.id, id), eq(hazards.status, 'dispatched'), old ? eq(hazards.assigneeOpenId, old) : sql`assignee_open_id IS NULL`)),
      insertEvent(db, ifChanged(id), { at, actor: input.actor.openId, action: 'reassign', from: null, to: null, note: `→ ${input.assigneeName}${reason ? `（${reason}）` : ''}` }),
    ],
    after: { ...rec, hazard: { ...h, ...changes } },
    notices,
    answer: { zh: `${h.no} 已改派给 ${input.assigneeName}，整改期限不变。`, en: `${h.no} is now ${input.assigneeName}'s to fix; the deadline stays.` },
  };
}
