// 值班表: who is on duty when. Shifts are [start, end) in UTC ms; people see TZ_NAME.

import type { Bi } from '../bi.ts';
import { and, asc, eq, gt, gte, lt, lte, ne, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { shifts } from '../db/schema.ts';
import { addLocalDays, formatDateTime, formatShort, localParts, pad2, startOfLocalDay } from './time.ts';

export type Shift = typeof shifts.$inferSelect;
export type RosterRole = 'leader' | 'officer';
export const ROSTER_ROLES: readonly RosterRole[] = ['leader', 'officer'];
export const ROSTER_ROLE_LABELS: Record<RosterRole, Bi> = {
  leader: { zh: '带班领导', en: 'leader on duty' },
  officer: { zh: '值班员', en: 'duty officer' },
};

/** `leader`/`officer`, or 带班领导 / 领导 / 值班员 / 值班. */
export function parseRosterRole(text: string): RosterRole | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'leader' || t === '带班领导' || t === '带班' || t === '领导') return 'leader';
  if (t === 'officer' || t === '值班员' || t === '值班') return 'officer';
  return undefined;
}

export interface OnDuty {
  leader?: Shift;
  officer?: Shift;
}

/** The leader and officer on duty at `at` (start ≤ at < end). */
export async function onDuty(db: Db, at: Date): Promise<OnDuty> {
  const t = at.getTime();
  const rows = await db.select().from(shifts).where(and(lte(shifts.start, t), gt(shifts.end, t))).orderBy(asc(shifts.start));
  const out: OnDuty = {};
  for (const s of rows) if (s.role === 'leader' || s.role === 'officer') out[s.role] ??= s;
  return out;
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
