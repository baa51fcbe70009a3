import { fromLocal, localParts } from './time.ts';

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + (m || 0);
};

/** Whether local time at `now` falls in the quiet window (which may wrap midnight, 22:00–08:00). */
export function inQuietHours(now: Date, quiet: { start: string; end: string }, tz: string): boolean {
  const p = localParts(now, tz);
  const m = p.hour * 60 + p.minute;
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  return s <= e ? m >= s && m < e : m >= s || m < e;
}

/** The first instant at or after `at` outside the quiet window. */
export function afterQuietHours(at: Date, quiet: { start: string; end: string }, tz: string): Date {
  if (!inQuietHours(at, quiet, tz)) return at;
  const p = localParts(at, tz);
  const end = minutesOf(quiet.end);
  const today = fromLocal(p.year, p.month, p.day, Math.floor(end / 60), end % 60, tz);
  return today.getTime() > at.getTime() ? today : new Date(fromLocal(p.year, p.month, p.day + 1, Math.floor(end / 60), end % 60, tz).getTime());
}
