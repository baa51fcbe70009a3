import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards, nagLog, people } from '../db/schema.ts';
import { Effects } from '../bot/context.ts';
import type { Settings } from '../settings.ts';
import { boundChat } from './chats.ts';
import { daysOverdue, nextStepAt, stepFor, type NagRecipient } from './nag-ladder.ts';
import { afterQuietHours, inQuietHours } from './quiet-hours.ts';
import { addLocalDays, formatDate, fromLocal, localParts } from './time.ts';
import { nagDigestCard, type DigestItem } from './nag-cards.ts';

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
  const due: Due[] = await db
    .select({
      id: hazards.id,
      no: hazards.no,
      level: hazards.level,
      deadline: sql<number>`${hazards.deadline}`,
      assignee: hazards.assigneeOpenId,
      enterprise: enterprises.name,
      contact: enterprises.contactOpenId,
      supervisor: enterprises.supervisorOpenId,
    })
    .from(hazards)
    .innerJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(and(eq(hazards.status, 'dispatched'), lt(hazards.deadline, t), or(isNull(hazards.nextNagAt), lte(hazards.nextNagAt, t))));
  if (due.length === 0) return fx;

  const today = formatDate(now, tz);
  const leadersChat = await boundChat(db, 'leaders');
  const already = new Set(
    (await db.select({ h: nagLog.hazardId, r: nagLog.recipient }).from(nagLog).where(eq(nagLog.day, today))).map((x) => `${x.h}|${x.r}`),
  );

  const digests = new Map<string, { items: DigestItem[]; buzz: boolean }>();
  const logRows: (typeof nagLog.$inferInsert)[] = [];
  const nextAt = new Map<number, number[]>();
  const tomorrowQuietEnd = quietEndOfNextDay(now, settings);

  for (const h of due) {
    const step = stepFor(settings.nagLadder, h, t);
    if (!step) continue;
    const item: DigestItem = { hazardId: h.id, no: h.no, enterprise: h.enterprise, daysOverdue: daysOverdue(h.deadline, t), level: step.level, major: h.level === 'major' };
    for (const role of step.recipients) {
      const recipient = recipientKey(role, h, leadersChat);
      if (!recipient || already.has(`${h.id}|${recipient}`)) continue;
      already.add(`${h.id}|${recipient}`);
      const d = digests.get(recipient) ?? { items: [], buzz: false };
      d.items.push(item);
      if (role !== 'leaders_chat' && step.buzz.includes(role)) d.buzz = true;
      digests.set(recipient, d);
      logRows.push({ hazardId: h.id, recipient, day: today, level: step.level, at: t });
    }
    // Next look: tomorrow after quiet hours, or sooner when the hazard climbs a step.
    const climb = nextStepAt(settings.nagLadder, h, t);
    const next = climb !== undefined && climb < tomorrowQuietEnd ? afterQuietHours(new Date(climb), settings.quietHours, tz).getTime() : tomorrowQuietEnd;
    nextAt.set(next, [...(nextAt.get(next) ?? []), h.id]);
  }

  for (const [next, ids] of nextAt) {
    for (let i = 0; i < ids.length; i += 500) fx.write(db.update(hazards).set({ nextNagAt: next }).where(inArray(hazards.id, ids.slice(i, i + 500))));
  }
  for (let i = 0; i < logRows.length; i += 500) fx.write(db.insert(nagLog).values(logRows.slice(i, i + 500)).onConflictDoNothing());

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
  for (let i = 0; i < openIds.length; i += 500) {
    const rows = await db.select({ openId: people.openId, name: people.name }).from(people).where(inArray(people.openId, openIds.slice(i, i + 500)));
    for (const r of rows) out.set(r.openId, r.name);
  }
  return out;
}
