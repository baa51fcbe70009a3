import { inArray } from 'drizzle-orm';
import { Effects } from '../src/outbox/effects.ts';
import { outbox } from '../src/db/schema.ts';
import { findGaps, GAP_AGAIN_MS, GAP_HORIZON_MS, type Gap } from '../src/domain/gaps.ts';
import { missingCalendarKey, missingYearsAhead } from '../src/domain/holiday-years.ts';
import { afterQuietHours } from '../src/domain/quiet-hours.ts';
import { ROSTER_ROLE_LABELS } from '../src/domain/roster.ts';
import { adminsOf } from '../src/domain/people.ts';
import { formatDateTime } from '../src/domain/time.ts';
import { noticeCard } from '../src/views/roster-cards.ts';
import { missingCalendarCard } from '../src/views/holiday-calendar.ts';
import type { Job } from '../src/jobs/types.ts';

/**
 * Every 15 minutes (off the hour): each stretch of the next 72 hours with no officer or no
 * leader is reported to the admins once, and once more if it is still open 24 hours before it
 * starts. A gap is named by its role and the end of the shift before it, so the horizon moving
 * does not make it new; filling part of it leaves a different gap, which is reported afresh.
 * A calendar year the roster, a key period or the horizon reaches with no holidays loaded is
 * reported to each admin once per year (dedupe key `holiday-calendar-missing:YEAR:ADMIN`).
 */
const rosterGaps: Job = {
  name: 'roster-gaps',
  cron: '7,22,37,52 * * * *',
  summary: { zh: '未来 72 小时排班空档报告管理员（开始前 24 小时仍空再报一次）；排班涉及未导入节假日的年份时提醒一次', en: 'report roster gaps in the next 72 hours to the admins (again 24 hours before, if still open), and once a year the roster reaches has no holiday calendar' },
  async run({ db, settings, log }, now) {
    const fx = new Effects(now);
    const tz = settings.tz;
    const gaps = await findGaps(db, now);
    const missingYears = await missingYearsAhead(db, now, new Date(now.getTime() + GAP_HORIZON_MS), tz);
    if (!gaps.length && !missingYears.length) return fx;
    const admins = await adminsOf(db, settings.adminOpenIds);
    if (!admins.length) {
      log.warn('roster-gaps: there is no admin to tell', { gaps: gaps.length, missingYears });
      return fx;
    }
    const t = now.getTime();
    const stageOf = (g: Gap) => (g.start - t <= GAP_AGAIN_MS ? '24h' : 'first');
    const keyOf = (g: Gap, stage: string, admin: string) => `roster-gap:${g.role}:${g.since}:${stage}:${admin}`;
    const yearKey = missingCalendarKey;
    const candidates = [
      ...gaps.flatMap((g) => admins.flatMap((a) => [keyOf(g, 'first', a), keyOf(g, '24h', a)])),
      ...missingYears.flatMap((y) => admins.map((a) => yearKey(y, a))),
    ];
    const sent = new Set<string>();
    // 90 per query: D1 binds at most 100 parameters per statement.
    for (let i = 0; i < candidates.length; i += 90) {
      for (const r of await db.select({ k: outbox.dedupeKey }).from(outbox).where(inArray(outbox.dedupeKey, candidates.slice(i, i + 90)))) if (r.k) sent.add(r.k);
    }
    for (const year of missingYears) {
      for (const admin of admins) {
        if (sent.has(yearKey(year, admin))) continue;
        // Not urgent: it waits out quiet hours.
        fx.send({ openId: admin }, { card: missingCalendarCard(year) }, { dedupeKey: yearKey(year, admin), notBefore: afterQuietHours(now, settings.quietHours, tz) });
      }
    }
    for (const g of gaps) {
      const stage = stageOf(g);
      const role = ROSTER_ROLE_LABELS[g.role];
      const from = formatDateTime(new Date(g.start), tz);
      const to = g.open ? `${formatDateTime(new Date(g.end), tz)} 之后仍未排` : formatDateTime(new Date(g.end), tz);
      const toEn = g.open ? `${formatDateTime(new Date(g.end), tz)} and beyond` : formatDateTime(new Date(g.end), tz);
      // A gap starting soon is urgent whatever the hour; one further off waits out quiet hours.
      const quietEnd = afterQuietHours(now, settings.quietHours, tz);
      const notBefore = quietEnd.getTime() < g.start ? quietEnd : undefined;
      for (const admin of admins) {
        // First seen within 24 hours of its start: the one report is the "24h" one.
        if (sent.has(keyOf(g, stage, admin)) || (stage === 'first' && sent.has(keyOf(g, '24h', admin)))) continue;
        fx.send(
          { openId: admin },
          {
            card: noticeCard(
              stage === 'first' ? { zh: '排班空档', en: 'Roster gap' } : { zh: '排班空档仍未补齐', en: 'Roster gap still open' },
              stage === 'first' ? 'orange' : 'red',
              [
                { zh: `**${from} 至 ${to}** 没有${role.zh}。`, en: `**${from} to ${toEn}**: no ${role.en}.` },
                { zh: stage === 'first' ? '请补排班：`npm run import -- roster FILE.csv` 或 `npm run roster -- generate …`。' : '距开始已不足 24 小时，请尽快补排。', en: stage === 'first' ? 'Fill it: `npm run import -- roster FILE.csv` or `npm run roster -- generate …`.' : 'It starts within 24 hours; please fill it now.' },
              ],
            ),
          },
          { dedupeKey: keyOf(g, stage, admin), notBefore },
        );
      }
    }
    return fx;
  },
};

export default rosterGaps;
