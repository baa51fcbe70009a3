// 节假日 and 重点时段. Holidays and make-up workdays (调休) come from the holidays table, never
// from weekday arithmetic. A day is 重点时段 when it is a public holiday (kind `holiday`) or lies
// in an admin-declared key period. A weekend alone is not; a `workday` make-up day is not a
// holiday even when it falls on a weekend.

import type { Bi } from '../bi.ts';
import { and, asc, desc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { holidays, keyPeriods } from '../db/schema.ts';
import { addLocalDays, formatDate, parseLocalDate, startOfLocalDay } from './time.ts';

export type Holiday = typeof holidays.$inferSelect;
export type KeyPeriod = typeof keyPeriods.$inferSelect;

export interface DayMarks {
  /** YYYY-MM-DD */
  date: string;
  holiday?: Holiday;
  keyPeriods: KeyPeriod[];
  /** 重点时段: a public holiday or inside a key period. */
  key: boolean;
}

export async function holidayOn(db: Db, date: string): Promise<Holiday | undefined> {
  const [h] = await db.select().from(holidays).where(eq(holidays.date, date)).limit(1);
  return h;
}

export async function isHoliday(db: Db, date: string): Promise<boolean> {
  return (await holidayOn(db, date))?.kind === 'holiday';
}

/** Key periods covering the local date (inclusive ends; YYYY-MM-DD compares as text). */
export async function keyPeriodsOn(db: Db, date: string): Promise<KeyPeriod[]> {
  return db.select().from(keyPeriods).where(and(lte(keyPeriods.startDate, date), gte(keyPeriods.endDate, date))).orderBy(asc(keyPeriods.startDate));
}

export async function dayMarks(db: Db, date: string): Promise<DayMarks> {
  const [holiday, periods] = await Promise.all([holidayOn(db, date), keyPeriodsOn(db, date)]);
  return { date, holiday, keyPeriods: periods, key: holiday?.kind === 'holiday' || periods.length > 0 };
}

export async function isKeyPeriod(db: Db, date: string): Promise<boolean> {
  return (await dayMarks(db, date)).key;
}

/** The local dates an interval [start, end) touches. */
export function datesOf(start: number, end: number, tz: string): string[] {
  const out: string[] = [];
  let d = startOfLocalDay(new Date(start), tz);
  while (d.getTime() < end && out.length < 62) {
    out.push(formatDate(d, tz));
    d = addLocalDays(d, 1, tz);
  }
  return out;
}

/**
 * The marks of a shift: it is in 重点时段 when any local day it touches is one, so the night
 * shift into a public holiday counts too. The first key day's marks are returned.
 */
export async function shiftMarks(db: Db, s: { start: number; end: number }, tz: string): Promise<DayMarks | undefined> {
  for (const date of datesOf(s.start, s.end, tz)) {
    const m = await dayMarks(db, date);
    if (m.key) return m;
  }
  return undefined;
}

/** "春节（节假日）· 全国两会" in Chinese and English, or undefined for an ordinary day. */
export function marksText(m: DayMarks): Bi | undefined {
  const zh: string[] = [];
  const en: string[] = [];
  if (m.holiday?.kind === 'holiday') {
    zh.push(`节假日：${m.holiday.name}`);
    en.push(`public holiday: ${m.holiday.name}`);
  } else if (m.holiday?.kind === 'workday') {
    zh.push(`调休上班：${m.holiday.name}`);
    en.push(`make-up workday: ${m.holiday.name}`);
  }
  if (m.keyPeriods.length) {
    const names = m.keyPeriods.map((k) => k.name).join('、');
    zh.push(`重点时段：${names}`);
    en.push(`key period: ${names}`);
  }
  return zh.length ? { zh: zh.join(' · '), en: en.join(' · ') } : undefined;
}

/** `2026-03-04..2026-03-11` (also `~`, `—`, `至`); a single date is a one-day period. */
export function parseDateRange(text: string, now: Date, tz: string): { startDate: string; endDate: string } | undefined {
  const parts = text.split(/\.\.|~|～|—|至/).map((s) => s.trim()).filter(Boolean);
  if (parts.length < 1 || parts.length > 2) return undefined;
  const dates = parts.map((p) => parseLocalDate(p, now, tz));
  if (dates.some((d) => !d || d.hasTime)) return undefined;
  const [a, b = a] = dates.map((d) => formatDate(d!.date, tz));
  return a <= b ? { startDate: a, endDate: b } : undefined;
}

export function addKeyPeriod(db: Db, p: { startDate: string; endDate: string; name: string }, by: string, now: Date) {
  return db.insert(keyPeriods).values({ ...p, createdBy: by, createdAt: now.getTime() });
}

export async function keyPeriodById(db: Db, id: number): Promise<KeyPeriod | undefined> {
  const [row] = await db.select().from(keyPeriods).where(eq(keyPeriods.id, id)).limit(1);
  return row;
}

export function removeKeyPeriod(db: Db, id: number) {
  return db.delete(keyPeriods).where(eq(keyPeriods.id, id));
}

/** Key periods that have not ended by `today` (YYYY-MM-DD), soonest first; with `all`, past ones too. */
export async function listKeyPeriods(db: Db, today: string, all = false): Promise<KeyPeriod[]> {
  if (all) return db.select().from(keyPeriods).orderBy(desc(keyPeriods.startDate));
  return db.select().from(keyPeriods).where(gte(keyPeriods.endDate, today)).orderBy(asc(keyPeriods.startDate));
}

/** Every holiday and make-up workday (YYYY-MM-DD → holiday | workday), for working-day arithmetic. */
export async function holidayKinds(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ date: holidays.date, kind: holidays.kind }).from(holidays);
  return new Map(rows.map((r) => [r.date, r.kind]));
}
