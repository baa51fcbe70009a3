import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards, nagLog } from '../db/schema.ts';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Settings } from '../settings.ts';
import { boundChat } from './chats.ts';
import { personNames } from './people.ts';
import { daysOverdue, nextStepAt, stepFor, type NagRecipient } from './nag-ladder.ts';
import { afterQuietHours, inQuietHours } from './quiet-hours.ts';
import { addLocalDays, formatDate, fromLocal, localParts } from './time.ts';

/** One overdue hazard as a nag digest lists it. */
export interface DigestItem {
  hazardId: number;
  no: string;
  enterprise: string;
  daysOverdue: number;
  level: number;
  major: boolean;
}

/** One digest to send: to a person (open_id) or the leaders' chat, with every hazard of theirs due, most urgent first. */
export interface NagDigest {
  to: { openId: string } | { chatId: string };
  /** The person's registered name, for the greeting (none for a chat or an unregistered person). */
  recipientName?: string;
  items: DigestItem[];
  /** 加急 the recipient (never a chat). */
  buzz: boolean;
  dedupeKey: string;
}

/** What one overdue-nags run must do: the bookkeeping statements and the digests to say. */
export interface NagPlan {
  statements: BatchItem<'sqlite'>[];
  digests: NagDigest[];
}

interface Due {
  id: number;
  no: string;
  level: string;
  deadline: number;
  assignee: string | null;
  enterprise: string;
  contact: string | null;
  supervisor: string | null;
}
type DueRow = [id: number, no: string, level: string, deadline: number, assignee: string | null, enterprise: string, contact: string | null, supervisor: string | null];

/**
 * One run of overdue-nags: every overdue hazard due for a look gets its ladder step; each
 * recipient gets ONE digest listing all of their hazards; each hazard is nagged at most once
 * a day per recipient; the next look is stored on the hazard. Returns what to write and what to
 * say; the job renders the digests (src/views/nag-cards.ts) and queues them.
 */
export async function planNags(db: Db, settings: Settings, now: Date): Promise<NagPlan> {
  const plan: NagPlan = { statements: [], digests: [] };
  const tz = settings.tz;
  if (inQuietHours(now, settings.quietHours, tz)) return plan; // waits for the first run after quiet hours
  const t = now.getTime();
  const today = formatDate(now, tz);
  const leadersChat = await boundChat(db, 'leaders');
  const already = new Set(
    (await db.select({ h: nagLog.hazardId, r: nagLog.recipient }).from(nagLog).where(eq(nagLog.day, today))).map((x) => `${x.h}|${x.r}`),
  );

  const digests = new Map<string, { items: DigestItem[]; buzz: boolean }>();
  // nag_log rows ([hazardId, recipient, level]) and next looks ([hazardId, nextNagAt]) are kept as
  // JSON text in bounded chunks, not as arrays of arrays: a province's morning run is 200,000
  // hazards and 600,000 log rows, which as JS arrays alone took more memory than the rest of the run.
  const logRows = new JsonChunks();
  const nextAt = new JsonChunks();
  const tomorrowQuietEnd = quietEndOfNextDay(now, settings);
  /** One string per enterprise name, however many hazards list it. */
  const names = new Map<string, string>();

  for (let after: [number, number] = [-Infinity, 0]; ; ) {
    const due = await duePage(db, t, after);
    if (due.length === 0) break;
    const last = due[due.length - 1];
    after = [last.deadline, last.id];
    for (const h of due) {
      const step = stepFor(settings.nagLadder, h, t);
      if (!step) continue;
      const enterprise = names.get(h.enterprise) ?? (names.set(h.enterprise, h.enterprise), h.enterprise);
      const item: DigestItem = { hazardId: h.id, no: h.no, enterprise, daysOverdue: daysOverdue(h.deadline, t), level: step.level, major: h.level === 'major' };
      // Each hazard is one row of `due`, so within this run a pair can only repeat inside it (the
      // assignee who is also the contact); `already` only needs consulting for today's earlier runs.
      const taken: string[] = [];
      for (const role of step.recipients) {
        const recipient = recipientKey(role, h, leadersChat);
        if (!recipient || taken.includes(recipient) || (already.size > 0 && already.has(`${h.id}|${recipient}`))) continue;
        taken.push(recipient);
        const d = digests.get(recipient) ?? { items: [], buzz: false };
        d.items.push(item);
        if (role !== 'leaders_chat' && step.buzz.includes(role)) d.buzz = true;
        digests.set(recipient, d);
        logRows.add(`[${h.id},${JSON.stringify(recipient)},${step.level}]`);
      }
      // Next look: tomorrow after quiet hours, or sooner when the hazard climbs a step.
      const climb = nextStepAt(settings.nagLadder, h, t);
      const next = climb !== undefined && climb < tomorrowQuietEnd ? afterQuietHours(new Date(climb), settings.quietHours, tz).getTime() : tomorrowQuietEnd;
      nextAt.add(`[${h.id},${next}]`);
    }
  }
  if (digests.size === 0 && nextAt.empty) return plan;

  // One statement per chunk, the rows passed as a single JSON parameter: a first run after a
  // backlog writes tens of thousands of rows, and binding them through the query builder (hundreds
  // of thousands of parameters) cost more than everything else in the run (bench/nags.ts).
  for (const json of nextAt.done()) {
    plan.statements.push(
      db.run(sql`UPDATE ${hazards} SET next_nag_at = json_extract(j.value, '$[1]')
                 FROM json_each(${json}) AS j WHERE ${hazards}.id = json_extract(j.value, '$[0]')`),
    );
  }
  for (const json of logRows.done()) {
    // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT.
    plan.statements.push(
      db.run(sql`INSERT INTO ${nagLog} (hazard_id, recipient, day, level, at)
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ${today}, json_extract(value, '$[2]'), ${t}
                 FROM json_each(${json}) WHERE true ON CONFLICT DO NOTHING`),
    );
  }

  const people = await personNames(db, [...digests.keys()].filter((k) => !k.startsWith('chat:')));
  const slot = now.toISOString();
  for (const [recipient, d] of digests) {
    d.items.sort((a, b) => b.level - a.level || b.daysOverdue - a.daysOverdue);
    const isChat = recipient.startsWith('chat:');
    plan.digests.push({
      to: isChat ? { chatId: recipient.slice(5) } : { openId: recipient },
      recipientName: people.get(recipient),
      items: d.items,
      buzz: d.buzz && !isChat,
      dedupeKey: `nag:${recipient}:${slot}`,
    });
  }
  return plan;
}

/** Due hazards per page, in (deadline, id) order after `after`: a page is bounded however big the backlog. */
const PAGE = 20_000;

/**
 * One page of the hazards due for a look, as ONE JSON value rather than one libSQL row each: the
 * client builds every row object property by property, which for the daily 08:05 run (every
 * overdue hazard at once) cost three times the query itself. The keyset follows
 * hazards_status_deadline, so each page is a range of that index, not a sort.
 */
async function duePage(db: Db, t: number, after: [number, number]): Promise<Due[]> {
  const [packed] = await db.all<{ rows: string | null }>(sql`
    SELECT json_group_array(json_array(id, no, level, deadline, assignee, enterprise, contact, supervisor)) AS rows FROM (
      SELECT h.id, h.no, h.level, h.deadline, h.assignee_open_id AS assignee, e.name AS enterprise, e.contact_open_id AS contact, e.supervisor_open_id AS supervisor
      FROM ${hazards} h JOIN ${enterprises} e ON e.id = h.enterprise_id
      WHERE h.status = 'dispatched' AND h.deadline < ${t} AND (h.next_nag_at IS NULL OR h.next_nag_at <= ${t})
        AND (h.deadline, h.id) > (${after[0] === -Infinity ? -Number.MAX_SAFE_INTEGER : after[0]}, ${after[1]})
      ORDER BY h.deadline, h.id LIMIT ${PAGE})`);
  return (JSON.parse(packed?.rows ?? '[]') as DueRow[]).map(([id, no, level, deadline, assignee, enterprise, contact, supervisor]) => ({ id, no, level, deadline, assignee, enterprise, contact, supervisor }));
}

/** JSON arrays of pre-serialised items, each at most MAX_JSON_CHARS (D1 takes at most 2 MB a value). */
const MAX_JSON_CHARS = 1_000_000;
class JsonChunks {
  private readonly chunks: string[] = [];
  private current: string[] = [];
  private size = 0;
  get empty() {
    return this.chunks.length === 0 && this.current.length === 0;
  }
  add(item: string) {
    if (this.size + item.length + 1 > MAX_JSON_CHARS && this.current.length) this.flush();
    this.current.push(item);
    this.size += item.length + 1;
  }
  private flush() {
    this.chunks.push(`[${this.current.join(',')}]`);
    this.current = [];
    this.size = 0;
  }
  done(): string[] {
    if (this.current.length) this.flush();
    return this.chunks;
  }
}

function recipientKey(role: NagRecipient, h: Due, leadersChat: string | undefined): string | undefined {
  switch (role) {
    case 'assignee':
      return h.assignee ?? undefined;
    case 'contact':
      return h.contact ?? undefined;
    case 'supervisor':
      return h.supervisor ?? undefined;
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
