import { sql } from 'drizzle-orm';
import { Effects } from '../src/outbox/effects.ts';
import { inbox } from '../src/db/schema.ts';
import { adminsOf } from '../src/domain/people.ts';
import { formatDateTime } from '../src/domain/time.ts';
import { inWorkingHours, workingMsBetween } from '../src/domain/working-hours.ts';
import type { Job } from '../src/jobs/types.ts';
import { silenceText } from '../src/views/ops-notices.ts';

/**
 * A subscription that stops delivering (an expired app version, a changed callback URL, a long
 * connection nobody restarted) looks exactly like a quiet day. So: when no event at all has come
 * for SILENCE_ALARM_HOURS of working time (08:00–18:00 on working days; nights and holidays are
 * quiet anyway), the admins are told — once per silence: the outbox dedupe key carries the time of
 * the last event, so the next event re-arms it.
 */
const silenceAlarm: Job = {
  name: 'silence-alarm',
  cron: '20 * * * *',
  summary: { zh: '工作时间内长时间未收到任何飞书事件时提醒管理员', en: 'tell the admins when no Lark event has come for SILENCE_ALARM_HOURS of working time' },
  async run({ db, settings, log }, now) {
    const fx = new Effects(now);
    if (!(await inWorkingHours(db, now, settings.tz))) return fx;
    const [row] = await db.select({ last: sql<number | null>`MAX(${inbox.receivedAt})` }).from(inbox);
    const last = row?.last ?? undefined;
    if (last === undefined) return fx; // a deployment that never heard anything is not "silent", it is not set up yet
    const hours = settings.ops.silenceAlarmHours;
    if ((await workingMsBetween(db, new Date(last), now, settings.tz)) < hours * 3600_000) return fx;
    const admins = await adminsOf(db, settings.adminOpenIds);
    if (admins.length === 0) {
      log.warn('silence-alarm: no event for a long time, and no admin to tell', { lastEventAt: new Date(last).toISOString() });
      return fx;
    }
    const text = silenceText(hours, formatDateTime(new Date(last), settings.tz));
    for (const admin of admins) fx.send({ openId: admin }, { text }, { dedupeKey: `silence:${last}:${admin}` });
    return fx;
  },
};

export default silenceAlarm;
