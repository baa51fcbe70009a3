// Local-time arithmetic in a named zone (Asia/Shanghai by default) without a date library:
// storage is UTC epoch ms, people see TZ_NAME.

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Local parts straight from Intl (one formatToParts call, ~5 µs: a province's nag run makes hundreds of thousands). */
function intlParts(d: Date, tz: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(d)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday] ?? 0,
  };
}

/**
 * The zone's offset is asked of Intl once per quarter hour of UTC and kept. Offsets change almost
 * always on a quarter hour; a quarter in which the offset at its first and last second differ (a
 * change inside it, as St. John's had at 00:01 until 2011) is marked and asked of Intl each time.
 */
const QUARTER_MS = 900_000;
const quarterOffsets = new Map<string, number>();
const offsetAt = (t: number, tz: string) => {
  const p = intlParts(new Date(t), tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
};
function quarterOffset(t: number, tz: string): number {
  const start = Math.floor(t / QUARTER_MS) * QUARTER_MS;
  const key = `${tz}|${start}`;
  let o = quarterOffsets.get(key);
  if (o === undefined) {
    const first = offsetAt(start, tz);
    o = first === offsetAt(start + QUARTER_MS - 1000, tz) ? first : NaN;
    if (quarterOffsets.size >= 100_000) quarterOffsets.clear();
    quarterOffsets.set(key, o);
  }
  return o;
}

export function localParts(d: Date, tz: string): LocalParts {
  const t = d.getTime();
  if (!Number.isFinite(t)) return intlParts(d, tz); // Intl's own RangeError
  const offset = quarterOffset(t, tz);
  if (Number.isNaN(offset)) return intlParts(d, tz);
  const local = new Date(t + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
  };
}

/** The zone's offset from UTC at instant `d`, in ms. */
function offsetMs(d: Date, tz: string): number {
  const p = localParts(d, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(d.getTime() / 1000) * 1000;
}

/** The instant at which the wall clock in `tz` shows the given local time. */
export function fromLocal(year: number, month: number, day: number, hour = 0, minute = 0, tz: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetMs(new Date(guess), tz);
  // A second pass settles instants next to a DST change (none in China, but TZ_NAME is configurable).
  return new Date(guess - offsetMs(new Date(first), tz));
}

export const pad2 = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD in tz. */
export function formatDate(d: Date, tz: string): string {
  const p = localParts(d, tz);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** YYYY-MM-DD HH:mm in tz. */
export function formatDateTime(d: Date, tz: string): string {
  const p = localParts(d, tz);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** MM-DD HH:mm in tz, for compact lists. */
export function formatShort(d: Date, tz: string): string {
  const p = localParts(d, tz);
  return `${pad2(p.month)}-${pad2(p.day)} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** Midnight at the start of the local day containing `d`. */
export function startOfLocalDay(d: Date, tz: string): Date {
  const p = localParts(d, tz);
  return fromLocal(p.year, p.month, p.day, 0, 0, tz);
}

/** The same local wall time `n` days later (calendar days, not 24-hour blocks). */
export function addLocalDays(d: Date, n: number, tz: string): Date {
  const p = localParts(d, tz);
  const t = new Date(Date.UTC(p.year, p.month - 1, p.day + n));
  return fromLocal(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), p.hour, p.minute, tz);
}

/** The last minute of the local day containing `d` (23:59). Deadlines given as dates mean this. */
export function endOfLocalDay(d: Date, tz: string): Date {
  const p = localParts(d, tz);
  return fromLocal(p.year, p.month, p.day, 23, 59, tz);
}

/**
 * Parses a local date `YYYY-MM-DD`, `YYYY/MM/DD`, `MM-DD` (this year, or next year if already past)
 * or `YYYY-MM-DD HH:mm`; returns undefined when it is not a real date.
 */
export function parseLocalDate(text: string, now: Date, tz: string): { date: Date; hasTime: boolean } | undefined {
  const t = text.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2}))?$/.exec(t);
  let year: number;
  let month: number;
  let day: number;
  let hour: number | undefined;
  let minute: number | undefined;
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] !== undefined) [hour, minute] = [Number(m[4]), Number(m[5])];
  } else {
    m = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
    if (!m) return undefined;
    const today = localParts(now, tz);
    [month, day] = [Number(m[1]), Number(m[2])];
    year = today.year;
    if (month < today.month || (month === today.month && day < today.day)) year++;
  }
  if (!validDate(year, month, day) || (hour !== undefined && (hour > 23 || minute! > 59))) return undefined;
  return { date: fromLocal(year, month, day, hour ?? 0, minute ?? 0, tz), hasTime: hour !== undefined };
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
