import { localParts } from '../domain/time.ts';

// A five-field cron reader (minute hour day-of-month month day-of-week) used to find the slot a
// tick stands for and the most recent slot missed while the process was down. node-cron fires
// the ticks; this only answers "does this minute match".

type Field = Set<number>;
export interface CronSpec {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
  domAny: boolean;
  dowAny: boolean;
}

const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

function parseField(text: string, [lo, hi]: [number, number]): Field {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`bad cron field "${text}"`);
    const step = m[4] ? Number(m[4]) : 1;
    const from = m[1] === '*' ? lo : Number(m[2]);
    const to = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] ? hi : from;
    if (from < lo || to > hi || from > to || step < 1) throw new Error(`cron field "${text}" is out of range`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expr}" must have five fields`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, RANGES[i]));
  if (dow.has(7)) dow.add(0); // both 0 and 7 mean Sunday
  return { minute, hour, dom, month, dow, domAny: parts[2] === '*', dowAny: parts[4] === '*' };
}

/** Whether the local minute containing `d` is a slot of the schedule (standard cron day rules). */
export function cronMatches(spec: CronSpec, d: Date, tz: string): boolean {
  const p = localParts(d, tz);
  if (!spec.minute.has(p.minute) || !spec.hour.has(p.hour) || !spec.month.has(p.month)) return false;
  const domOk = spec.dom.has(p.day);
  const dowOk = spec.dow.has(p.weekday);
  if (spec.domAny || spec.dowAny) return domOk && dowOk;
  return domOk || dowOk;
}

const MINUTE = 60_000;

export const floorToMinute = (d: Date) => new Date(Math.floor(d.getTime() / MINUTE) * MINUTE);

/** The latest slot at or before `now`, looking back at most `maxLookbackMs` (default 8 days). */
export function previousSlot(spec: CronSpec, now: Date, tz: string, maxLookbackMs = 8 * 24 * 3600_000): Date | undefined {
  const start = floorToMinute(now).getTime();
  for (let t = start; t >= start - maxLookbackMs; t -= MINUTE) {
    if (cronMatches(spec, new Date(t), tz)) return new Date(t);
  }
  return undefined;
}

/** Every slot in (from, to], oldest first; for the sandbox clock that jumps forward. */
export function slotsBetween(spec: CronSpec, from: Date, to: Date, tz: string): Date[] {
  const out: Date[] = [];
  for (let t = floorToMinute(from).getTime() + MINUTE; t <= to.getTime(); t += MINUTE) {
    if (cronMatches(spec, new Date(t), tz)) out.push(new Date(t));
  }
  return out;
}
