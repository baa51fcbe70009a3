import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards, nagLog, people } from '../db/schema.ts';
import { Effects } from '../outbox/effects.ts';
import type { Settings } from '../settings.ts';
import { boundChat } from './chats.ts';
import { daysOverdue, nextStepAt, stepFor, type NagRecipient } from './nag-ladder.ts';
import { afterQuietHours, inQuietHours } from './quiet-hours.ts';
import { addLocalDays, formatDate, fromLocal, localParts } from './time.ts';
import { nagDigestCard, type DigestItem } from '../views/nag-cards.ts';

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
 * recipient gets ONE digest card listing all of their hazards; each hazard is nagged at most once
 * a day per recipient; the next look is stored on the hazard.
 */
export async function planNags(db: Db, settings: Settings, now: Date): Promise<Effects> {
  const fx = new Effects(now);
  const tz = settings.tz;
  if (inQuietHours(now, settings.quietHours, tz)) return fx; // waits for the first run after quiet hours
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
  if (due.length === 0) return fx;

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
    fx.write(
      db.run(sql`UPDATE ${hazards} SET next_nag_at = json_extract(j.value, '$[1]')
                 FROM json_each(${JSON.stringify(nextAt)}) AS j WHERE ${hazards}.id = json_extract(j.value, '$[0]')`),
    );
  }
  if (logRows.length) {
    // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT.
    fx.write(
      db.run(sql`INSERT INTO ${nagLog} (hazard_id, recipient, day, level, at)
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ${today}, json_extract(value, '$[2]'), ${t}
                 FROM json_each(${JSON.stringify(logRows)}) WHERE true ON CONFLICT DO NOTHING`),
    );
  }

  const names = await personNames(db, [...digests.keys()].filter((k) => !k.startsWith('chat:')));
  const slot = now.toISOString();
  for (const [recipient, d] of digests) {
    d.items.sort((a, b) => b.level - a.level || b.daysOverdue - a.daysOverdue);
    const card = nagDigestCard(d.items, { recipientName: names.get(recipient), now, tz });
    const isChat = recipient.startsWith('chat:');
    const id = fx.send(isChat ? { chatId: recipient.slice(5) } : { openId: recipient }, { card }, { dedupeKey: `nag:${recipient}:${slot}` });
    if (d.buzz && !isChat) fx.buzz(id, [recipient], { dedupeKey: `nag:${recipient}:${slot}:buzz` });
  }
  return fx;
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

async function personNames(db: Db, openIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // 90 per query: D1 binds at most 100 parameters per statement.
  for (let i = 0; i < openIds.length; i += 90) {
    const rows = await db.select({ openId: people.openId, name: people.name }).from(people).where(inArray(people.openId, openIds.slice(i, i + 90)));
    for (const r of rows) out.set(r.openId, r.name);
  }
  return out;
}
