import { and, eq, gt, lte } from 'drizzle-orm';
import { Effects } from '../src/outbox/effects.ts';
import { enterprises, hazards } from '../src/db/schema.ts';
import { card, button, md } from '../src/lark/cards.ts';
import { afterQuietHours } from '../src/domain/quiet-hours.ts';
import { formatDateTime } from '../src/domain/time.ts';
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
      const deadline = formatDateTime(new Date(h.deadline), settings.tz);
      fx.send(
        { openId: h.assignee },
        {
          card: card({
            title: [`整改即将到期：${h.no}`, `Rectification due soon: ${h.no}`],
            template: 'yellow',
            elements: [
              md(`**${h.enterprise}**　${h.description}`),
              md(`整改期限 **${deadline}**，请在期限前完成整改并点“整改完成”。`, `Deadline **${deadline}**. Please finish and press “Rectified” before then.`),
              button(['查看隐患', 'Open hazard'], { action: 'hazard.detail', no: h.no }),
            ],
          }),
        },
        // The deadline is in the key: a new deadline after a failed verification gets its own reminder.
        { dedupeKey: `due-soon:${h.id}:${h.deadline}`, notBefore, subject: subjectOf(h.no) },
      );
    }
    return fx;
  },
};

export default dueSoon;
