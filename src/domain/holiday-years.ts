// Which calendar years have no holidays loaded. The bot never guesses holidays from weekdays, so a
// year with no rows in the holidays table would silently show every day as ordinary; the roster,
// key periods and /duty use these to say so instead.

import { and, gte, lte, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { holidays, keyPeriods, shifts } from '../db/schema.ts';
import { formatDate } from './time.ts';

/** The calendar years from one YYYY-MM-DD to another, inclusive. */
export function yearsBetween(fromDate: string, toDate: string): number[] {
  const out: number[] = [];
  for (let y = Number(fromDate.slice(0, 4)); y <= Number(toDate.slice(0, 4)); y++) out.push(y);
  return out;
}

/** The outbox dedupe key that tells an admin once about a year with no calendar, whoever notices it. */
export const missingCalendarKey = (year: number, admin: string) => `holiday-calendar-missing:${year}:${admin}`;

/** Of the given years, those with not a single holiday or make-up workday loaded. */
export async function yearsWithoutHolidays(db: Db, years: readonly number[]): Promise<number[]> {
  if (!years.length) return [];
  const lo = Math.min(...years);
  const hi = Math.max(...years);
  const rows = await db
    .selectDistinct({ year: sql<string>`substr(${holidays.date}, 1, 4)` })
    .from(holidays)
    .where(and(gte(holidays.date, `${lo}-01-01`), lte(holidays.date, `${hi}-12-31`)));
  const loaded = new Set(rows.map((r) => Number(r.year)));
  return [...new Set(years)].filter((y) => !loaded.has(y)).sort((a, b) => a - b);
}

/**
 * The years from today up to the furthest of `until`, the last shift on the roster and the last
 * key period that have no calendar loaded: the years the duty schedule already reaches.
 */
export async function missingYearsAhead(db: Db, now: Date, until: Date, tz: string): Promise<number[]> {
  const [[s], [k]] = await Promise.all([
    db.select({ end: max(shifts.end) }).from(shifts),
    db.select({ end: max(keyPeriods.endDate) }).from(keyPeriods),
  ]);
  const ends = [formatDate(until, tz)];
  // A shift ends at its handover instant, which belongs to the shift before it: look a minute back.
  if (s?.end) ends.push(formatDate(new Date(s.end - 60_000), tz));
  if (k?.end) ends.push(k.end);
  const today = formatDate(now, tz);
  const furthest = ends.reduce((a, b) => (b > a ? b : a));
  return furthest < today ? [] : yearsWithoutHolidays(db, yearsBetween(today, furthest));
}
