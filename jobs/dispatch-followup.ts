import { and, eq, isNull, lte, notExists, sql } from 'drizzle-orm';
import { Effects } from '../src/outbox/effects.ts';
import { boundChat } from '../src/domain/chats.ts';
import { dutyAt, subjectOf } from '../src/domain/incidents.ts';
import { peopleInfo } from '../src/domain/roster.ts';
import { formatDuration } from '../src/domain/incidents.ts';
import { formatDateTime } from '../src/domain/time.ts';
import { incidentDispatches, incidents, outbox, teams } from '../src/db/schema.ts';
import type { Job } from '../src/jobs/types.ts';

/** A dispatch not acknowledged this long after it was sent is chased. */
export const ACK_WITHIN_MS = 5 * 60_000;

/**
 * Every minute: a team sent to an open incident that has not pressed 接令 within 5 minutes is
 * buzzed again (a reminder of its own, 加急), and the duty officer on duty is told. Once per
 * dispatch and step: the dedupe keys make a rerun, or the next minute, queue nothing new.
 * Quiet hours never apply to incidents.
 */
const dispatchFollowup: Job = {
  name: 'dispatch-followup',
  cron: '* * * * *',
  summary: { zh: '调度 5 分钟未接令：再次加急队长并告知值班员', en: 'a dispatch unacknowledged after 5 minutes: buzz the team leader again and tell the duty officer' },
  async run({ db, settings }, now) {
    const fx = new Effects(now);
    const keyOf = (id: number) => `dispatch-followup:${id}:ack`;
    const rows = await db
      .select({ d: incidentDispatches, no: incidents.no, location: incidents.location, description: incidents.description, reportedAt: incidents.reportedAt, team: teams.name })
      .from(incidentDispatches)
      .innerJoin(incidents, eq(incidents.id, incidentDispatches.incidentId))
      .innerJoin(teams, eq(teams.id, incidentDispatches.teamId))
      .where(
        and(
          isNull(incidentDispatches.ackedAt),
          lte(incidentDispatches.dispatchedAt, now.getTime() - ACK_WITHIN_MS),
          eq(incidents.status, 'open'),
          notExists(db.select({ one: sql`1` }).from(outbox).where(eq(outbox.dedupeKey, sql`'dispatch-followup:' || ${incidentDispatches.id} || ':ack'`))),
        ),
      )
      .limit(200);
    if (!rows.length) return fx;
    const duty = await dutyAt(db, now);
    const dutyChat = duty.officer ? undefined : await boundChat(db, 'duty');
    const names = await peopleInfo(db, [...rows.map((r) => r.d.leaderOpenId), duty.officer]);
    const tz = settings.tz;
    for (const r of rows) {
      const key = keyOf(r.d.id);
      const subject = subjectOf(r.no);
      const waited = formatDuration(now.getTime() - r.d.dispatchedAt);
      const sent = formatDateTime(new Date(r.d.dispatchedAt), tz);
      const leader = r.d.leaderOpenId;
      const p = leader ? names.get(leader) : undefined;
      const leaderText = p ? `${p.name}${p.mobile ? ` ${p.mobile}` : ''}` : (leader ?? '—');
      if (leader) {
        const id = fx.send(
          { openId: leader },
          {
            text: [
              `【加急】${r.no} ${r.location}：${r.team} 于 ${sent} 派出，已 ${waited.zh} 仍未接令。请立即在调度令卡片上点「接令」。`,
              `[Urgent] ${r.no} ${r.location}: ${r.team} was sent at ${sent} and has not acknowledged for ${waited.en}. Press 接令 on the dispatch order now.`,
            ].join('\n'),
          },
          { dedupeKey: key, subject },
        );
        fx.buzz(id, [leader], { dedupeKey: `${key}:buzz` });
      }
      const note = [
        `${r.no} ${r.team}（队长 ${leaderText}）派出 ${waited.zh} 未接令，已再次加急队长，请电话跟进。`,
        `${r.no} ${r.team} (leader ${leaderText}) has not acknowledged ${waited.en} after dispatch; the leader was buzzed again. Please follow up by phone.`,
      ].join('\n');
      const to = duty.officer ? { openId: duty.officer } : dutyChat ? { chatId: dutyChat } : undefined;
      // With no leader to buzz, the key must still be taken so the desk is told only once.
      if (to) fx.send(to, { text: note }, { dedupeKey: leader ? `${key}:duty` : key, subject });
    }
    return fx;
  },
};

export default dispatchFollowup;
