import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards } from '../db/schema.ts';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Settings } from '../settings.ts';
import { boundChat } from './chats.ts';
import { naggedToday } from './nag-digests.ts';
import { nextStepAt, stepFor, type NagRecipient } from './nag-ladder.ts';
import { afterQuietHours, inQuietHours } from './quiet-hours.ts';
import { addLocalDays, formatDate, fromLocal, localParts } from './time.ts';

/** One overdue hazard as a nag digest card lists it (read when the card is sent: src/domain/nag-digests.ts). */
export interface DigestItem {
  hazardId: number;
  no: string;
  enterprise: string;
  daysOverdue: number;
  level: number;
  major: boolean;
}

/**
 * One digest to queue: to a person (open_id) or the leaders' chat, naming every hazard of theirs
 * due. The card is rendered from the hazards when the sender sends it (docs/adr/0024).
 */
export interface NagDigest {
  to: { openId: string } | { chatId: string };
  /** open_id, or `chat:<chat_id>`: with the run's slot, the digest's nag_digests key. */
  recipient: string;
  /**
   * The hazards it names with the level each was nagged at, one number each (`entryOf`): a
   * province's morning run names 623,000, which as objects were a third of the run's memory.
   */
  entries: number[];
  /** The highest of those levels. */
  level: number;
  /** 加急 the recipient (never a chat). */
  buzz: boolean;
  dedupeKey: string;
}

/** What one overdue-nags run must do: the bookkeeping statements and the digests to queue. */
export interface NagPlan {
  statements: BatchItem<'sqlite'>[];
  digests: NagDigest[];
  /** The run's local day: the digests' log day. */
  day: string;
}

/** One hazard due for a look, as the page's JSON has it (no object per row: a morning run is 200,000). */
type Due = [id: number, major: 0 | 1, deadline: number, assignee: string | null, contact: string | null, supervisor: string | null];

/**
 * One run of overdue-nags: every overdue hazard due for a look gets its ladder step; each
 * recipient gets ONE digest naming all of their hazards; each hazard is nagged at most once a day
 * per recipient (today's earlier digests); the next look is stored on the hazard. Returns what to
 * write and which digests to queue: the job queues each with its nag_digests row, and the sender
 * renders the card from the hazards when it sends it.
 */
export async function planNags(db: Db, settings: Settings, now: Date): Promise<NagPlan> {
  const tz = settings.tz;
  const today = formatDate(now, tz);
  const plan: NagPlan = { statements: [], digests: [], day: today };
  if (inQuietHours(now, settings.quietHours, tz)) return plan; // waits for the first run after quiet hours
  if (settings.nagLadder.steps.some((s) => !Number.isInteger(s.level) || s.level < 1 || s.level > 127)) throw new Error('nag ladder levels must be whole numbers from 1 to 127');
  const t = now.getTime();
  const leadersChat = await boundChat(db, 'leaders');

  // Per recipient, one number per hazard (packEntry): a province's morning run is 623,000 of them,
  // which as objects would be most of the run's memory.
  const candidates = new Map<string, number[]>();
  const nextLooks = new NextLooks();
  const tomorrowQuietEnd = quietEndOfNextDay(now, settings);

  for (let after: [number, number] = [-Infinity, 0]; ; ) {
    const due = await duePage(db, t, after);
    if (due.length === 0) break;
    const [lastId, , lastDeadline] = due[due.length - 1];
    after = [lastDeadline, lastId];
    for (const h of due) {
      const [id, major, deadline] = h;
      const hazard = { level: major ? 'major' : 'general', deadline };
      const step = stepFor(settings.nagLadder, hazard, t);
      if (!step) continue;
      // Each hazard is one row of `due`, so within this run a pair can only repeat inside it (the
      // assignee who is also the contact).
      const taken: string[] = [];
      for (const role of step.recipients) {
        const recipient = recipientKey(role, h, leadersChat);
        if (!recipient || taken.includes(recipient)) continue;
        taken.push(recipient);
        let flat = candidates.get(recipient);
        if (!flat) candidates.set(recipient, (flat = []));
        flat.push(packEntry(id, step.level, role !== 'leaders_chat' && step.buzz.includes(role)));
      }
      // Next look: tomorrow after quiet hours, or sooner when the hazard climbs a step.
      const climb = nextStepAt(settings.nagLadder, hazard, t);
      const next = climb !== undefined && climb < tomorrowQuietEnd ? afterQuietHours(new Date(climb), settings.quietHours, tz).getTime() : tomorrowQuietEnd;
      if (next === climb) nextLooks.afterDeadline(id, climb - deadline);
      else nextLooks.at(id, next);
    }
  }
  if (candidates.size === 0 && nextLooks.empty) return plan;
  plan.statements.push(...nextLooks.statements(db));

  // Even if a hazard's next look were lost, a hazard is nagged at most once a day per recipient.
  const already = await naggedToday(db, today, candidates.keys());
  const slot = now.toISOString();
  for (const [recipient, packed] of candidates) {
    const seen = already.get(recipient);
    const entries: number[] = [];
    let buzz = false;
    let level = 0;
    for (const p of packed) {
      const e = entryOf(p);
      if (seen?.has(e.hazardId)) continue;
      entries.push(packEntry(e.hazardId, e.level, false));
      if (e.buzz) buzz = true;
      level = Math.max(level, e.level);
    }
    candidates.delete(recipient);
    if (entries.length === 0) continue;
    const isChat = recipient.startsWith('chat:');
    plan.digests.push({ to: isChat ? { chatId: recipient.slice(5) } : { openId: recipient }, recipient, entries, level, buzz: buzz && !isChat, dedupeKey: `nag:${recipient}:${slot}` });
  }
  return plan;
}

/** A (hazard, level, buzz) as one small integer: ladder levels are below 128. */
export const packEntry = (hazardId: number, level: number, buzz: boolean) => hazardId * 256 + level * 2 + (buzz ? 1 : 0);
export const entryOf = (p: number) => ({ hazardId: Math.floor(p / 256), level: Math.floor(p / 2) % 128, buzz: p % 2 === 1 });

/**
 * The hazards' next looks, written set-based. Almost every hazard's next look is one instant
 * (tomorrow after quiet hours, or a quiet window's end) and the rest are their deadline plus a
 * step's days, so one UPDATE per distinct instant or offset over a JSON list of ids does what one
 * row update each did: 200,000 in a province's morning run, where the `UPDATE … FROM json_each`
 * of (id, time) pairs it replaces cost half again the CPU and held ~140 MB while it ran.
 */
class NextLooks {
  private readonly instants = new Map<number, number[]>();
  private readonly offsets = new Map<number, number[]>();
  get empty() {
    return this.instants.size === 0 && this.offsets.size === 0;
  }
  at(id: number, instant: number) {
    NextLooks.ids(this.instants, instant).push(id);
  }
  afterDeadline(id: number, ms: number) {
    NextLooks.ids(this.offsets, ms).push(id);
  }
  statements(db: Db): BatchItem<'sqlite'>[] {
    const out: BatchItem<'sqlite'>[] = [];
    for (const [instant, ids] of this.instants) {
      for (const json of NextLooks.chunks(ids)) out.push(db.run(sql`UPDATE ${hazards} SET next_nag_at = ${instant} WHERE id IN (SELECT value FROM json_each(${json}))`));
    }
    for (const [ms, ids] of this.offsets) {
      for (const json of NextLooks.chunks(ids)) out.push(db.run(sql`UPDATE ${hazards} SET next_nag_at = deadline + ${ms} WHERE id IN (SELECT value FROM json_each(${json}))`));
    }
    return out;
  }
  private static ids(groups: Map<number, number[]>, key: number) {
    let ids = groups.get(key);
    if (!ids) groups.set(key, (ids = []));
    return ids;
  }
  /** JSON arrays of at most 40,000 ids (~300 KB: well under D1's 2 MB a value). */
  private static chunks(ids: number[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += 40_000) out.push(JSON.stringify(ids.slice(i, i + 40_000)));
    return out;
  }
}

/**
 * Due hazards per page, in (deadline, id) order after `after`: a page is bounded however big the
 * backlog, and small enough that a page is not still alive (and so promoted to V8's old space)
 * when the young generation is collected: 20,000 rows a page grew a province's run by ~100 MB.
 */
const PAGE = 2_500;

/**
 * One page of the hazards due for a look, as ONE JSON value rather than one libSQL row each: the
 * client builds every row object property by property, which for the daily 08:05 run (every
 * overdue hazard at once) cost three times the query itself. Only what the ladder and the
 * recipients need: the card's text is read when it is sent. The keyset follows
 * hazards_status_deadline, so each page is a range of that index, not a sort.
 */
async function duePage(db: Db, t: number, after: [number, number]): Promise<Due[]> {
  const [packed] = await db.all<{ rows: string | null }>(sql`
    SELECT json_group_array(json_array(id, major, deadline, assignee, contact, supervisor)) AS rows FROM (
      SELECT h.id, h.level = 'major' AS major, h.deadline, h.assignee_open_id AS assignee, e.contact_open_id AS contact, e.supervisor_open_id AS supervisor
      FROM ${hazards} h JOIN ${enterprises} e ON e.id = h.enterprise_id
      WHERE h.status = 'dispatched' AND h.deadline < ${t} AND (h.next_nag_at IS NULL OR h.next_nag_at <= ${t})
        AND (h.deadline, h.id) > (${after[0] === -Infinity ? -Number.MAX_SAFE_INTEGER : after[0]}, ${after[1]})
      ORDER BY h.deadline, h.id LIMIT ${PAGE})`);
  return JSON.parse(packed?.rows ?? '[]') as Due[];
}

function recipientKey(role: NagRecipient, h: Due, leadersChat: string | undefined): string | undefined {
  switch (role) {
    case 'assignee':
      return h[3] ?? undefined;
    case 'contact':
      return h[4] ?? undefined;
    case 'supervisor':
      return h[5] ?? undefined;
    case 'leaders_chat':
      return leadersChat ? `chat:${leadersChat}` : undefined;
  }
}

function quietEndOfNextDay(now: Date, settings: Settings): number {
  const tomorrow = addLocalDays(now, 1, settings.tz);
  const p = localParts(tomorrow, settings.tz);
  const [h, m] = settings.quietHours.end.split(':').map(Number);
  return fromLocal(p.year, p.month, p.day, h, m || 0, settings.tz).getTime();
}
