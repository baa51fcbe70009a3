import { and, eq, gt, lte } from 'drizzle-orm';
import { Effects } from '../src/outbox/effects.ts';
import { enterprises, hazards } from '../src/db/schema.ts';
import { dueSoonCard } from '../src/views/due-soon.ts';
import { afterQuietHours } from '../src/domain/quiet-hours.ts';
import type { Job } from '../src/jobs/types.ts';
import { subjectOf } from '../src/domain/hazards.ts';

const DAY_MS = 86_400_000;

/** 24 hours before a deadline, the assignee gets one reminder per hazard (and per deadline). */
const dueSoon: Job = {
  name: 'due-soon',
  cron: '10 * * * *',
  summary: { zh: '整改期限前 24 小时提醒整改责任人', en: 'remind the assignee 24 hours before a deadline' },
  async run({ db, settings }, now) {
    const fx = new Effects(now);
    const t = now.getTime();
    const rows = await db
      .select({ id: hazards.id, no: hazards.no, deadline: hazards.deadline, assignee: hazards.assigneeOpenId, description: hazards.description, enterprise: enterprises.name })
      .from(hazards)
      .innerJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
      .where(and(eq(hazards.status, 'dispatched'), gt(hazards.deadline, t), lte(hazards.deadline, t + DAY_MS)));
    const notBefore = afterQuietHours(now, settings.quietHours, settings.tz);
    for (const h of rows) {
      if (!h.assignee || h.deadline == null) continue;
      fx.send(
        { openId: h.assignee },
        { card: dueSoonCard({ no: h.no, enterprise: h.enterprise, description: h.description, deadline: h.deadline }, settings.tz) },
        // The deadline is in the key: a new deadline after a failed verification gets its own reminder.
        { dedupeKey: `due-soon:${h.id}:${h.deadline}`, notBefore, subject: subjectOf(h.no) },
      );
    }
    return fx;
  },
};

export default dueSoon;
