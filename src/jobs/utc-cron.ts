import { fromLocal } from '../domain/time.ts';

/**
 * Rewrites a cron written in local time (TZ_NAME) for a scheduler that runs in UTC (Cloudflare's
 * cron triggers). Zones with a fixed whole-hour offset (Asia/Shanghai and most of China's
 * neighbours) are supported; anything else throws, so a deployment notices instead of drifting.
 */
export function toUtcCron(expr: string, tz: string): string {
  const offsetH = fixedOffsetHours(tz);
  const [minute, hour, dom, month, dow] = expr.trim().split(/\s+/);
  if (offsetH === 0 || hour === '*' || hour.startsWith('*/')) return [minute, hour, dom, month, dow].join(' ');
  if (!/^\d+(,\d+)*$/.test(hour)) throw new Error(`cannot shift hour field "${hour}" of "${expr}" to UTC`);
  const shifted = hour.split(',').map((h) => Number(h) - offsetH);
  const dayShift = new Set(shifted.map((h) => (h < 0 ? -1 : h > 23 ? 1 : 0)));
  if (dayShift.size > 1) throw new Error(`"${expr}" crosses midnight in UTC for some hours only; write it as separate jobs`);
  const shift = [...dayShift][0];
  const utcHours = shifted.map((h) => (h + 24) % 24).join(',');
  if (shift === 0) return [minute, utcHours, dom, month, dow].join(' ');
  if (dom !== '*' || month !== '*') throw new Error(`"${expr}" crosses midnight in UTC with a day-of-month field; not supported`);
  const utcDow = dow === '*' ? '*' : dow.split(',').map((d) => (((Number(d) + shift) % 7) + 7) % 7).join(',');
  return [minute, utcHours, dom, month, utcDow].join(' ');
}

function fixedOffsetHours(tz: string): number {
  // Compare the offset in January and July: a zone with daylight saving has no single answer.
  const jan = offsetAt(Date.UTC(2026, 0, 15, 12), tz);
  const jul = offsetAt(Date.UTC(2026, 6, 15, 12), tz);
  if (jan !== jul || jan % 60 !== 0) throw new Error(`${tz} has no fixed whole-hour offset; cron triggers cannot follow it`);
  return jan / 60;
}

/** Minutes the zone is ahead of UTC at instant t. */
function offsetAt(t: number, tz: string): number {
  const d = new Date(t);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = fromLocal(get('year'), get('month'), get('day'), get('hour'), get('minute'), 'UTC');
  return Math.round((local.getTime() - Math.floor(t / 60_000) * 60_000) / 60_000);
}

/** The UTC cron triggers Workers need for these jobs, deduplicated, in a stable order. */
export function workerCrons(jobs: readonly { cron: string }[], tz: string): string[] {
  return [...new Set(jobs.map((j) => toUtcCron(j.cron, tz)))].sort();
}
