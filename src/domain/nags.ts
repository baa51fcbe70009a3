import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
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
  // The due hazards come back as ONE JSON value rather than one libSQL row each: the client builds
  // every row object property by property, which for the daily 08:05 run (every overdue hazard at
  // once, 20,000 in bench/nags.ts) cost three times the query itself.
  const [packed] = await db
    .select({
      rows: sql<string>`json_group_array(json_array(${hazards.id}, ${hazards.no}, ${hazards.level}, ${hazards.deadline}, ${hazards.assigneeOpenId}, ${enterprises.name}, ${enterprises.contactOpenId}, ${enterprises.supervisorOpenId}))`,
    })
    .from(hazards)
    .innerJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(and(eq(hazards.status, 'dispatched'), lt(hazards.deadline, t), or(isNull(hazards.nextNagAt), lte(hazards.nextNagAt, t))));
  const due: Due[] = (JSON.parse(packed?.rows ?? '[]') as DueRow[]).map(([id, no, level, deadline, assignee, enterprise, contact, supervisor]) => ({
    id,
    no,
    level,
    deadline,
    assignee,
    enterprise,
    contact,
    supervisor,
  }));
  if (due.length === 0) return plan;

  const today = formatDate(now, tz);
  const leadersChat = await boundChat(db, 'leaders');
  const already = new Set(
    (await db.select({ h: nagLog.hazardId, r: nagLog.recipient }).from(nagLog).where(eq(nagLog.day, today))).map((x) => `${x.h}|${x.r}`),
  );

  const digests = new Map<string, { items: DigestItem[]; buzz: boolean }>();
  /** [hazardId, recipient, level] per nag_log row; [hazardId, nextNagAt] per hazard looked at. */
  const logRows: [number, string, number][] = [];
  const nextAt: [number, number][] = [];
  const tomorrowQuietEnd = quietEndOfNextDay(now, settings);

  for (const h of due) {
    const step = stepFor(settings.nagLadder, h, t);
    if (!step) continue;
    const item: DigestItem = { hazardId: h.id, no: h.no, enterprise: h.enterprise, daysOverdue: daysOverdue(h.deadline, t), level: step.level, major: h.level === 'major' };
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
      logRows.push([h.id, recipient, step.level]);
    }
    // Next look: tomorrow after quiet hours, or sooner when the hazard climbs a step.
    const climb = nextStepAt(settings.nagLadder, h, t);
    const next = climb !== undefined && climb < tomorrowQuietEnd ? afterQuietHours(new Date(climb), settings.quietHours, tz).getTime() : tomorrowQuietEnd;
    nextAt.push([h.id, next]);
  }

  // One statement each, the rows passed as a single JSON parameter: a first run after a backlog
  // writes tens of thousands of rows, and binding them through the query builder (hundreds of
  // thousands of parameters) cost more than everything else in the run (bench/nags.ts).
  if (nextAt.length) {
    plan.statements.push(
      db.run(sql`UPDATE ${hazards} SET next_nag_at = json_extract(j.value, '$[1]')
                 FROM json_each(${JSON.stringify(nextAt)}) AS j WHERE ${hazards}.id = json_extract(j.value, '$[0]')`),
    );
  }
  if (logRows.length) {
    // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT.
    plan.statements.push(
      db.run(sql`INSERT INTO ${nagLog} (hazard_id, recipient, day, level, at)
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ${today}, json_extract(value, '$[2]'), ${t}
                 FROM json_each(${JSON.stringify(logRows)}) WHERE true ON CONFLICT DO NOTHING`),
    );
  }

  const names = await personNames(db, [...digests.keys()].filter((k) => !k.startsWith('chat:')));
  const slot = now.toISOString();
  for (const [recipient, d] of digests) {
    d.items.sort((a, b) => b.level - a.level || b.daysOverdue - a.daysOverdue);
    const isChat = recipient.startsWith('chat:');
    plan.digests.push({
      to: isChat ? { chatId: recipient.slice(5) } : { openId: recipient },
      recipientName: names.get(recipient),
      items: d.items,
      buzz: d.buzz && !isChat,
      dedupeKey: `nag:${recipient}:${slot}`,
    });
  }
  return plan;
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
