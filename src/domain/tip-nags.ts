// Overdue tips join the overdue nags: each assigned tip past its check deadline is nagged to its
// inspector once a day (one message listing all of theirs), outside quiet hours, and escalated to
// the admins who assigned it after 3 days overdue. next_nag_at is stored, as for hazards.

import type { Db } from '../db/client.ts';
import { Effects } from '../bot/context.ts';
import type { Settings } from '../settings.ts';
import { inQuietHours } from './quiet-hours.ts';
import { dueTipNags, nextTipNag } from './tips.ts';
import { formatDate } from './time.ts';

export async function planTipNags(db: Db, settings: Settings, now: Date, fx: Effects = new Effects(now)): Promise<Effects> {
  if (inQuietHours(now, settings.quietHours, settings.tz)) return fx;
  const due = await dueTipNags(db, now);
  if (!due.length) return fx;
  const day = formatDate(now, settings.tz);
  const byPerson = new Map<string, typeof due>();
  for (const t of due) {
    const to = [t.assigneeOpenId];
    if (t.deadline !== null && now.getTime() - t.deadline >= 3 * 86_400_000 && t.assignedBy) to.push(t.assignedBy);
    for (const p of to) if (p) byPerson.set(p, [...(byPerson.get(p) ?? []), t]);
  }
  for (const [person, list] of byPerson) {
    const lines = list.map((t) => `${t.no} 核查期限 ${t.deadline ? formatDate(new Date(t.deadline), settings.tz) : '—'} · ${t.description.length > 30 ? `${t.description.slice(0, 30)}…` : t.description}`);
    fx.send(
      { openId: person },
      { text: [`群众举报逾期未核查（${list.length} 件），请尽快核查并反馈：`, ...lines, `Overdue tips to check (${list.length}): send /tip NO 属实|不属实 … then /tip NO 反馈 ….`].join('\n') },
      { dedupeKey: `tip-nag:${person}:${day}` },
    );
  }
  // D1 binds at most 100 parameters per statement.
  const ids = due.map((t) => t.id);
  for (let i = 0; i < ids.length; i += 90) fx.write(nextTipNag(db, ids.slice(i, i + 90), now.getTime()));
  return fx;
}
