import { and, asc, gte, lt } from 'drizzle-orm';
import { keyPeriods, shifts } from '../db/schema.ts';
import { eventItemsBetween, forgetMirrorItem, mirrorItem, saveMirrorItem, type MirrorItem } from '../domain/mirrors.ts';
import { peopleInfo } from '../domain/people.ts';
import { LarkApiError } from '../lark/client.ts';
import { CalendarCode, type EventBody } from '../lark/workspace.ts';
import { dutyCalendarName, dutyEventBody, keyPeriodEventBody } from '../views/mirror-texts.ts';
import type { MirrorEnv } from './tasks.ts';

/** Reminders on each shift: 30 minutes before it starts. */
export const SHIFT_REMINDER_MINUTES = 30;

/** The shared calendar 值班日历: created once, its id recorded (mirror_items: calendar/duty). */
async function dutyCalendar(env: MirrorEnv): Promise<string> {
  const known = await mirrorItem(env.db, 'calendar', 'duty');
  if (known) return known.feishuId;
  const { calendarId } = await env.workspace.createCalendar(dutyCalendarName);
  await saveMirrorItem(env.db, { kind: 'calendar', key: 'duty', feishuId: calendarId, state: {} }, env.clock().getTime());
  return calendarId;
}

/** A slot's key sorts by start time, so one range query finds the events of [from, to). */
const pad = (ms: number) => String(ms).padStart(15, '0');
const slotKey = (start: number, end: number) => `slot:${pad(start)}:${end}`;

interface EventState {
  summary: string;
  startMs?: number;
  endMs?: number;
  date?: string;
  endDate?: string;
  attendees: string[];
}

const sameBody = (s: EventState, b: EventBody) =>
  s.summary === b.summary && s.startMs === b.start.atMs && s.endMs === b.end.atMs && s.date === b.start.date && s.endDate === b.end.date;
const stateOf = (b: EventBody, attendees: string[]): EventState => ({ summary: b.summary, startMs: b.start.atMs, endMs: b.end.atMs, date: b.start.date, endDate: b.end.date, attendees });

/**
 * One event brought up to date: created (idempotency_key per slot, so a retry returns the first),
 * patched when its title or times changed, attendees added and removed to match. Recorded after
 * each step Feishu accepted.
 */
async function syncEvent(env: MirrorEnv, calendarId: string, key: string, idem: string, body: EventBody, attendees: string[], item: MirrorItem | undefined) {
  const ws = env.workspace;
  const now = () => env.clock().getTime();
  let eventId = item?.feishuId;
  let state = item?.state as unknown as EventState | undefined;
  if (!eventId || !state) {
    eventId = (await ws.createEvent({ calendarId, event: body, idempotencyKey: idem })).eventId;
    state = stateOf(body, []);
    await saveMirrorItem(env.db, { kind: 'event', key, feishuId: eventId, state: { ...state } }, now());
  } else if (!sameBody(state, body)) {
    await ws.patchEvent({ calendarId, eventId, event: body });
    state = stateOf(body, state.attendees ?? []);
    await saveMirrorItem(env.db, { kind: 'event', key, feishuId: eventId, state: { ...state } }, now());
  }
  const had = new Set(state.attendees ?? []);
  const add = attendees.filter((a) => !had.has(a));
  const remove = [...had].filter((a) => !attendees.includes(a));
  if (add.length || remove.length) {
    await ws.addAttendees({ calendarId, eventId, openIds: add });
    await ws.removeAttendees({ calendarId, eventId, openIds: remove });
    await saveMirrorItem(env.db, { kind: 'event', key, feishuId: eventId, state: { ...state, attendees } }, now());
  }
}

/** Deletes an event Watchkeeper no longer has; one Feishu already lost counts as deleted. */
async function dropEvent(env: MirrorEnv, calendarId: string, item: MirrorItem) {
  try {
    await env.workspace.deleteEvent({ calendarId, eventId: item.feishuId });
  } catch (e) {
    const gone = e instanceof LarkApiError && (e.code === CalendarCode.eventNotFound || e.code === CalendarCode.eventDeleted);
    if (!gone) throw e;
  }
  await forgetMirrorItem(env.db, 'event', item.key);
}

/**
 * The duty calendar's events for shifts starting in [fromMs, toMs): one event per time slot, its
 * people (leader, officer, …) as attendees, a reminder 30 minutes before. A swap changes a slot's
 * people (attendees follow); a roster change that removes a slot deletes its event.
 */
export async function syncDuty(env: MirrorEnv, fromMs: number, toMs: number): Promise<string> {
  const calendarId = await dutyCalendar(env);
  const rows = await env.db.select().from(shifts).where(and(gte(shifts.start, fromMs), lt(shifts.start, toMs))).orderBy(asc(shifts.start), asc(shifts.role));
  const slots = new Map<string, typeof rows>();
  for (const s of rows) {
    const k = slotKey(s.start, s.end);
    slots.set(k, [...(slots.get(k) ?? []), s]);
  }
  const info = await peopleInfo(env.db, rows.map((r) => r.personOpenId));
  const known = await eventItems(env, slotKey(fromMs, 0), slotKey(toMs, 0));
  for (const [key, list] of slots) {
    const body = dutyEventBody(list, info, env.tz, SHIFT_REMINDER_MINUTES);
    const attendees = [...new Set(list.map((s) => s.personOpenId))];
    await syncEvent(env, calendarId, key, `watchkeeper-duty-${list[0].start}-${list[0].end}`, body, attendees, known.get(key));
  }
  for (const [key, item] of known) if (!slots.has(key)) await dropEvent(env, calendarId, item);
  return calendarId;
}

/** 重点时段 as all-day events: every key period has one; a removed period's event is deleted. */
export async function syncKeyPeriods(env: MirrorEnv): Promise<string> {
  const calendarId = await dutyCalendar(env);
  const periods = await env.db.select().from(keyPeriods);
  const known = await eventItems(env, 'keyperiod:', 'keyperiod;');
  const wanted = new Set<string>();
  for (const p of periods) {
    const key = `keyperiod:${p.id}`;
    wanted.add(key);
    await syncEvent(env, calendarId, key, `watchkeeper-keyperiod-${p.id}-${p.createdAt}`, keyPeriodEventBody(p, env.tz), [], known.get(key));
  }
  for (const [key, item] of known) if (!wanted.has(key)) await dropEvent(env, calendarId, item);
  return calendarId;
}

const eventItems = (env: MirrorEnv, fromKey: string, toKey: string) => eventItemsBetween(env.db, fromKey, toKey);
