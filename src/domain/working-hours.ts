import type { Db } from '../db/client.ts';
import { holidayOn } from './holidays.ts';
import { addLocalDays, formatDate, fromLocal, localParts, startOfLocalDay } from './time.ts';

/**
 * Office hours, local: 08:00–18:00 on working days. A working day is Monday to Friday unless the
 * holidays table says it is a holiday, and a weekend day the table marks `workday` (调休).
 */
export const WORK_START_HOUR = 8;
export const WORK_END_HOUR = 18;

export async function isWorkingDay(db: Db, day: Date, tz: string): Promise<boolean> {
  const mark = await holidayOn(db, formatDate(day, tz));
  if (mark?.kind === 'holiday') return false;
  if (mark?.kind === 'workday') return true;
  const wd = localParts(day, tz).weekday;
  return wd >= 1 && wd <= 5;
}

export async function inWorkingHours(db: Db, now: Date, tz: string): Promise<boolean> {
  const h = localParts(now, tz).hour;
  return h >= WORK_START_HOUR && h < WORK_END_HOUR && (await isWorkingDay(db, now, tz));
}

/** Working time between two instants, in ms (nights, weekends and holidays do not count); looks back at most 60 days. */
export async function workingMsBetween(db: Db, from: Date, to: Date, tz: string): Promise<number> {
  let total = 0;
  const start = Math.max(from.getTime(), to.getTime() - 60 * 86_400_000);
  for (let day = startOfLocalDay(new Date(start), tz); day.getTime() < to.getTime(); day = addLocalDays(day, 1, tz)) {
    if (!(await isWorkingDay(db, day, tz))) continue;
    const p = localParts(day, tz);
    const open = fromLocal(p.year, p.month, p.day, WORK_START_HOUR, 0, tz).getTime();
    const close = fromLocal(p.year, p.month, p.day, WORK_END_HOUR, 0, tz).getTime();
    total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, start));
  }
  return total;
}
