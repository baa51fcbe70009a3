// Overdue tips join the overdue nags: each assigned tip past its check deadline is nagged to its
// inspector once a day (one message listing all of theirs), outside quiet hours, and to whoever
// assigned it once it is 3 days overdue. next_nag_at is stored, as for hazards. Returns data; the
// overdue-nags job renders and queues it.

import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import type { Settings } from '../settings.ts';
import { inQuietHours } from './quiet-hours.ts';
import { dueTipNags, nextTipNag, type Tip } from './tips.ts';
import { formatDate } from './time.ts';

export interface TipNag {
  to: string;
  tips: Tip[];
  dedupeKey: string;
}

export async function planTipNags(db: Db, settings: Settings, now: Date): Promise<{ statements: BatchItem<'sqlite'>[]; nags: TipNag[] }> {
  if (inQuietHours(now, settings.quietHours, settings.tz)) return { statements: [], nags: [] };
  const due = await dueTipNags(db, now);
  if (!due.length) return { statements: [], nags: [] };
  const day = formatDate(now, settings.tz);
  const byPerson = new Map<string, Tip[]>();
  for (const t of due) {
    const to = [t.assigneeOpenId];
    if (t.deadline !== null && now.getTime() - t.deadline >= 3 * 86_400_000 && t.assignedBy) to.push(t.assignedBy);
    for (const p of to) if (p) byPerson.set(p, [...(byPerson.get(p) ?? []), t]);
  }
  const nags = [...byPerson].map(([to, tips]) => ({ to, tips, dedupeKey: `tip-nag:${to}:${day}` }));
  // D1 binds at most 100 parameters per statement.
  const ids = due.map((t) => t.id);
  const statements: BatchItem<'sqlite'>[] = [];
  for (let i = 0; i < ids.length; i += 90) statements.push(nextTipNag(db, ids.slice(i, i + 90), now.getTime()));
  return { statements, nags };
}
