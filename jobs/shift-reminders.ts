import { and, gt, inArray, lte } from 'drizzle-orm';
import { Effects } from '../src/outbox/effects.ts';
import { outbox, shifts } from '../src/db/schema.ts';
import { boundChat } from '../src/domain/chats.ts';
import { dueEscalations, handoverFrom } from '../src/domain/handovers.ts';
import { shiftMarks } from '../src/domain/holidays.ts';
import { ROSTER_ROLE_LABELS, everyoneOnDuty, hhmm, onDuty, parseHHmm, peopleInfo, shiftSpanLong, successorOf, withPhone, type RosterRole, type Shift } from '../src/domain/roster.ts';
import { planHandoverEscalation, planSwapExpiry } from '../src/domain/roster-notices.ts';
import { queueHandoverEscalation, queueSwapExpiry } from '../src/notices/roster.ts';
import { dueExpiries } from '../src/domain/swaps.ts';
import { addLocalDays, fromLocal, localParts, startOfLocalDay } from '../src/domain/time.ts';
import { handoverAskCard, keyPeriodCopyCard, onDutyNowCard, shiftReminderCard } from '../src/views/shift-reminders.ts';
import type { Job } from '../src/jobs/types.ts';

const MIN = 60_000;
/** Before the T-30 reminder, the eve reminder is the one that counts. */
export const T30_MS = 30 * MIN;
/** The duty chat hears "on duty now" within this long of a start; later it would be news nobody needs. */
export const START_WINDOW_MS = 15 * MIN;
export const HANDOVER_ASK_MS = 15 * MIN;
/** The eve reminder can come as early as the evening before the day of the shift. */
const LOOKAHEAD_MS = 52 * 3600_000;

type Kind = 'eve' | 't30' | 'handover-ask';

/**
 * The instant the evening reminder for a shift becomes due, and the end of its window: the
 * configured time on the evening before the shift's local day, until that day begins (so the
 * message's "明天" stays true) or the T-30 reminder takes over, whichever is first.
 */
export function eveWindow(start: number, eveningReminder: string, tz: string): [number, number] {
  const minutes = parseHHmm(eveningReminder) ?? 20 * 60;
  const day = startOfLocalDay(new Date(start), tz);
  const p = localParts(addLocalDays(day, -1, tz), tz);
  const from = fromLocal(p.year, p.month, p.day, Math.floor(minutes / 60), minutes % 60, tz).getTime();
  return [from, Math.min(day.getTime(), start - T30_MS)];
}

const reminderKey = (s: Shift, kind: Kind) => `shift:${s.id}:${s.personOpenId}:${kind}`;

/**
 * Every minute: the evening-before reminder, the T-30 message and buzz, "on duty now" to the
 * duty chat, the handover ask 15 minutes before an officer's shift ends. Each is due only inside
 * its window and carries a dedupe key naming the shift, the person and the kind, so reruns and
 * a second instance never send it twice and a restart after downtime never sends stale ones.
 * Also here because they are minute-precise: swap requests expiring when the earlier shift
 * starts, and the escalation of handovers unsigned 30 minutes into the incoming shift.
 */
const shiftReminders: Job = {
  name: 'shift-reminders',
  cron: '* * * * *',
  summary: { zh: '值班提醒：前一晚、班前30分钟（加急）、接班通报、交班提示；换班过期；未签收督促', en: 'shift reminders: the evening before, 30 minutes before (buzz), on duty now, handover ask; swap expiry; unsigned handovers' },
  async run({ db, settings, log }, now) {
    const fx = new Effects(now);
    const t = now.getTime();
    const tz = settings.tz;
    const rows = await db.select().from(shifts).where(and(lte(shifts.start, t + LOOKAHEAD_MS), gt(shifts.end, t)));

    type Due = { shift: Shift; kind: Kind };
    const due: Due[] = [];
    const starting = new Map<number, Shift[]>();
    for (const s of rows) {
      const [eveFrom, eveTo] = eveWindow(s.start, settings.roster.eveningReminder, tz);
      if (t >= eveFrom && t < eveTo) due.push({ shift: s, kind: 'eve' });
      if (t >= s.start - T30_MS && t < s.start) due.push({ shift: s, kind: 't30' });
      if (t >= s.start && t < s.start + START_WINDOW_MS) starting.set(s.start, [...(starting.get(s.start) ?? []), s]);
      if (s.role === 'officer' && t >= s.end - HANDOVER_ASK_MS && t < s.end) due.push({ shift: s, kind: 'handover-ask' });
    }

    // Skip what an earlier run already queued; the unique dedupe key still guards a race.
    const keys = [...due.map((d) => reminderKey(d.shift, d.kind)), ...[...starting.keys()].map((st) => `shift-start:${st}`)];
    const sent = new Set<string>();
    if (keys.length) {
      for (const r of await db.select({ k: outbox.dedupeKey }).from(outbox).where(inArray(outbox.dedupeKey, keys))) if (r.k) sent.add(r.k);
    }

    for (const { shift: s, kind } of due) {
      const key = reminderKey(s, kind);
      if (sent.has(key)) continue;
      if (kind === 'handover-ask') {
        if (await handoverFrom(db, s.id)) continue;
        const next = await successorOf(db, s);
        const info = await peopleInfo(db, [next?.personOpenId]);
        fx.send({ openId: s.personOpenId }, { card: handoverAskCard({ end: hhmm(s.end, tz), next, info }) }, { dedupeKey: key });
        continue;
      }
      const at = await onDuty(db, new Date(s.start));
      const coRole: RosterRole = s.role === 'leader' ? 'officer' : 'leader';
      const co = at[coRole];
      const marks = await shiftMarks(db, s, tz);
      const info = await peopleInfo(db, [s.personOpenId, co?.personOpenId]);
      const role = ROSTER_ROLE_LABELS[s.role as RosterRole] ?? { zh: s.role, en: s.role };
      const coLabel = ROSTER_ROLE_LABELS[coRole];
      const coText = co ? withPhone(info, co.personOpenId) : '未排班 / nobody on the roster';
      const span = shiftSpanLong(s, tz);
      const id = fx.send(
        { openId: s.personOpenId },
        { card: shiftReminderCard({ kind, role, span, start: s.start, tz, coRole: coLabel, coText, marks }) },
        { dedupeKey: key },
      );
      if (kind === 't30') fx.buzz(id, [s.personOpenId], { dedupeKey: `${key}:buzz` });

      // 重点时段: the officer's reminders also go to the leader on duty for that period.
      const leader = at.leader;
      if (marks && s.role === 'officer' && leader && leader.personOpenId !== s.personOpenId) {
        const copyKey = `${key}:leader:${leader.personOpenId}`;
        const li = await peopleInfo(db, [s.personOpenId]);
        const who = withPhone(li, s.personOpenId);
        fx.send(
          { openId: leader.personOpenId },
          {
            card: keyPeriodCopyCard({ kind, who, span, start: s.start, tz, marks }),
          },
          { dedupeKey: copyKey },
        );
      }
    }

    if (starting.size) {
      const chatId = await boundChat(db, 'duty');
      if (!chatId) log.warn('shift-reminders: no duty chat is bound (/bind duty); "on duty now" not posted');
      for (const [st, list] of chatId ? starting : []) {
        const key = `shift-start:${st}`;
        if (sent.has(key)) continue;
        const everyone = await everyoneOnDuty(db, new Date(st));
        const info = await peopleInfo(db, everyone.map((x) => x.personOpenId));
        const marks = await shiftMarks(db, list[0], tz);
        fx.send(
          { chatId: chatId! },
          {
            card: onDutyNowCard({ start: st, list: everyone, info, marks, tz }),
          },
          { dedupeKey: key },
        );
      }
    }

    for (const req of await dueExpiries(db, now)) queueSwapExpiry(fx, await planSwapExpiry(db, req, now, 'time'), tz);
    for (const { handover, to } of await dueEscalations(db, now)) queueHandoverEscalation(fx, await planHandoverEscalation(db, handover, to, now), tz, { db, smsMinutes: settings.escalation.smsMinutes });
    return fx;
  },
};

export default shiftReminders;
