// Local calendar days as plain {y, m, d} values: adding days and months, weekdays, and working days
// from the holidays table (a `holiday` is off even on a weekday; a `workday` 调休 is on even on a
// weekend). Pure: the holidays arrive as data.

import { fromLocal, localParts, pad2 } from '../../domain/time.ts';

export interface Ymd {
  y: number;
  m: number; // 1-12
  d: number;
}

/** YYYY-MM-DD → holiday | workday, as the holidays table has it. */
export type HolidayKinds = ReadonlyMap<string, string>;

export const ymdText = (x: Ymd) => `${x.y}-${pad2(x.m)}-${pad2(x.d)}`;

export function todayIn(now: Date, tz: string): Ymd {
  const p = localParts(now, tz);
  return { y: p.year, m: p.month, d: p.day };
}

export function addDays(x: Ymd, n: number): Ymd {
  const t = new Date(Date.UTC(x.y, x.m - 1, x.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** The same day of the month `n` months on, clamped to the month's last day (1月31日 + 1 → 2月28日). */
export function addMonths(x: Ymd, n: number): Ymd {
  const first = new Date(Date.UTC(x.y, x.m - 1 + n, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth() + 1;
  return { y, m, d: Math.min(x.d, daysIn(y, m)) };
}

export const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (x: Ymd) => ((new Date(Date.UTC(x.y, x.m - 1, x.d)).getUTCDay() + 6) % 7) + 1;

export function isValid(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

export function compare(a: Ymd, b: Ymd): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

export function daysBetween(a: Ymd, b: Ymd): number {
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

export function isWorkday(x: Ymd, holidays: HolidayKinds): boolean {
  const kind = holidays.get(ymdText(x));
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  return isoWeekday(x) <= 5;
}

/** The n-th working day after `from` (from itself not counted: 3个工作日内 said today starts tomorrow). */
export function addWorkdays(from: Ymd, n: number, holidays: HolidayKinds): Ymd {
  let d = from;
  let left = n;
  // A year of days is more than any deadline needs; the bound keeps a bad table from looping.
  for (let i = 0; left > 0 && i < 366; i++) {
    d = addDays(d, 1);
    if (isWorkday(d, holidays)) left--;
  }
  return d;
}

/** 23:59 local on that day: a deadline given as a day means its end, as /report reads 期限. */
export const endOf = (x: Ymd, tz: string) => fromLocal(x.y, x.m, x.d, 23, 59, tz);
