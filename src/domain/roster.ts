// 值班表: who is on duty when. Shifts are [start, end) in UTC ms; people see TZ_NAME.

import type { Bi } from '../bi.ts';
import { and, asc, eq, gt, gte, lt, lte, ne, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { shifts } from '../db/schema.ts';
import { addLocalDays, formatDateTime, formatShort, localParts, pad2, startOfLocalDay } from './time.ts';

export type Shift = typeof shifts.$inferSelect;
/**
 * The posts of the duty desk (值班岗位). The leader and the officer must always be covered (the
 * gaps job watches them); the other posts are staffed when the roster names someone for them.
 */
export type RosterRole = 'leader' | 'officer' | 'chief' | 'dispatcher' | 'info' | 'tech';
export const ROSTER_ROLES: readonly RosterRole[] = ['leader', 'chief', 'officer', 'dispatcher', 'info', 'tech'];
/** The posts that must never be empty: gaps in them are reported to the admins. */
export const CORE_POSTS: readonly RosterRole[] = ['leader', 'officer'];
export const ROSTER_ROLE_LABELS: Record<RosterRole, Bi> = {
  leader: { zh: '带班领导', en: 'leader on duty' },
  officer: { zh: '值班员', en: 'duty officer' },
  chief: { zh: '值班长', en: 'chief on duty' },
  dispatcher: { zh: '协调调度', en: 'dispatcher' },
  info: { zh: '综合信息', en: 'information officer' },
  tech: { zh: '技术保障', en: 'technical support' },
};
/** Other names people write for a post. */
const ROLE_ALIASES: Record<string, RosterRole> = { 带班: 'leader', 领导: 'leader', 值班: 'officer', 调度: 'dispatcher', 信息: 'info', 技术: 'tech' };

/** A post's code (`leader`, `chief`, …) or Chinese label (带班领导, 值班长, 协调调度 …). */
export function parseRosterRole(text: string): RosterRole | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  for (const role of ROSTER_ROLES) if (lower === role || t === ROSTER_ROLE_LABELS[role].zh) return role;
  return ROLE_ALIASES[t];
}

/** "leader (带班领导), chief (值班长), …" for error messages. */
export const ROSTER_ROLES_TEXT = ROSTER_ROLES.map((r) => `${r} (${ROSTER_ROLE_LABELS[r].zh})`).join(', ');

export const roleLabel = (role: string) => ROSTER_ROLE_LABELS[role as RosterRole] ?? { zh: role, en: role };

/** Who holds each post at one instant (the earliest-starting shift when two overlap). */
export type OnDuty = Partial<Record<RosterRole, Shift>>;

/** Every post's shift at `at` (start ≤ at < end). */
export async function onDuty(db: Db, at: Date): Promise<OnDuty> {
  const t = at.getTime();
  const rows = await db.select().from(shifts).where(and(lte(shifts.start, t), gt(shifts.end, t))).orderBy(asc(shifts.start));
  const out: OnDuty = {};
  for (const s of rows) if ((ROSTER_ROLES as readonly string[]).includes(s.role)) out[s.role as RosterRole] ??= s;
  return out;
}

/** Everyone on shift at `at`, in post order; several people may share a post. */
export async function everyoneOnDuty(db: Db, at: Date): Promise<Shift[]> {
  const t = at.getTime();
  const rows = await db.select().from(shifts).where(and(lte(shifts.start, t), gt(shifts.end, t))).orderBy(asc(shifts.start));
  const rank = (r: string) => { const i = ROSTER_ROLES.indexOf(r as RosterRole); return i < 0 ? ROSTER_ROLES.length : i; };
  return rows.sort((a, b) => rank(a.role) - rank(b.role) || a.start - b.start);
}

/** Shifts overlapping [from, to), earliest first. */
export async function shiftsBetween(db: Db, from: Date, to: Date, role?: RosterRole): Promise<Shift[]> {
  return db
    .select()
    .from(shifts)
    .where(and(lt(shifts.start, to.getTime()), gt(shifts.end, from.getTime()), role ? eq(shifts.role, role) : undefined))
    .orderBy(asc(shifts.start), asc(shifts.role));
}

/** Shifts that start on the local day `day` (any instant of it), earliest first. */
export async function shiftsStartingOn(db: Db, day: Date, tz: string): Promise<Shift[]> {
  const from = startOfLocalDay(day, tz);
  const to = startOfLocalDay(addLocalDays(from, 1, tz), tz);
  return db
    .select()
    .from(shifts)
    .where(and(gte(shifts.start, from.getTime()), lt(shifts.start, to.getTime())))
    .orderBy(asc(shifts.start), asc(shifts.role));
}

/** Shifts touching the local day `day`: what `/duty DATE` shows. */
export async function shiftsOn(db: Db, day: Date, tz: string): Promise<Shift[]> {
  const from = startOfLocalDay(day, tz);
  return shiftsBetween(db, from, startOfLocalDay(addLocalDays(from, 1, tz), tz));
}

/** The person's shifts that have not ended, earliest first. */
export async function nextShifts(db: Db, openId: string, now: Date, limit = 10): Promise<Shift[]> {
  return db
    .select()
    .from(shifts)
    .where(and(eq(shifts.personOpenId, openId), gt(shifts.end, now.getTime())))
    .orderBy(asc(shifts.start))
    .limit(limit);
}

export async function shiftById(db: Db, id: number): Promise<Shift | undefined> {
  const [s] = await db.select().from(shifts).where(eq(shifts.id, id)).limit(1);
  return s;
}

/** Shifts of `role` overlapping [start, end), other than `except`. */
export async function overlapping(db: Db, role: string, start: number, end: number, except: number[] = []): Promise<Shift[]> {
  return db
    .select()
    .from(shifts)
    .where(and(eq(shifts.role, role), lt(shifts.start, end), gt(shifts.end, start), except.length ? notInArray(shifts.id, except) : undefined))
    .orderBy(asc(shifts.start));
}

/** Who takes over from a shift: the first shift of the same role starting at (or next after) its end. */
export async function successorOf(db: Db, after: Shift): Promise<Shift | undefined> {
  const [s] = await db
    .select()
    .from(shifts)
    .where(and(eq(shifts.role, after.role), gte(shifts.start, after.end), ne(shifts.id, after.id)))
    .orderBy(asc(shifts.start))
    .limit(1);
  return s;
}

export { peopleInfo, type PersonInfo } from './people.ts';
import type { PersonInfo } from './people.ts';

/** "张三" — or the open_id when the person is not registered. */
export const nameOf = (info: Map<string, PersonInfo>, openId: string | undefined | null) => (openId ? (info.get(openId)?.name ?? openId) : '—');

/** "张三（13900000001）" — the name and phone, as a duty desk wants them. */
export function withPhone(info: Map<string, PersonInfo>, openId: string | undefined | null): string {
  if (!openId) return '—';
  const p = info.get(openId);
  if (!p) return openId;
  return p.mobile ? `${p.name}（${p.mobile}）` : p.name;
}

/** "03-05 08:30 – 03-06 08:30" */
export function shiftSpan(s: { start: number; end: number }, tz: string): string {
  return `${formatShort(new Date(s.start), tz)} – ${formatShort(new Date(s.end), tz)}`;
}

/** "2026-03-05 08:30 – 03-06 08:30" */
export function shiftSpanLong(s: { start: number; end: number }, tz: string): string {
  return `${formatDateTime(new Date(s.start), tz)} – ${formatShort(new Date(s.end), tz)}`;
}

/** Local HH:mm of an instant. */
export function hhmm(at: number, tz: string): string {
  const p = localParts(new Date(at), tz);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** Parses `HH:mm` (00:00–23:59) into minutes after midnight. */
export function parseHHmm(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? h * 60 + min : undefined;
}
