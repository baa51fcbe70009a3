import { eq } from 'drizzle-orm';
import { Effects } from '../src/outbox/effects.ts';
import { incidents } from '../src/db/schema.ts';
import { boundChat } from '../src/domain/chats.ts';
import { dutyAt, subjectOf } from '../src/domain/incidents.ts';
import { incidentTypeLabel } from '../src/domain/incident-types.ts';
import { nextDeadline, reportName, reportsByIncident } from '../src/domain/incident-reports.ts';
import { formatShort } from '../src/domain/time.ts';
import type { Job } from '../src/jobs/types.ts';

/** The duty officer is reminded this long before a report falls due. */
export const REMIND_BEFORE_MS = 10 * 60_000;

/**
 * Every minute: 信息报送 deadlines of open incidents. Ten minutes before the 首报 or the next 续报
 * is due, the duty officer on duty is reminded; once it is due and not sent, the leader on duty
 * and the duty chat are told. Each once per incident and report (dedupe keys); quiet hours never
 * apply to emergencies.
 */
const reportDeadlines: Job = {
  name: 'report-deadlines',
  cron: '* * * * *',
  summary: { zh: '信息报送时限：到期前 10 分钟提醒值班员，超时告知带班领导和值班群', en: 'reporting deadlines: remind the duty officer 10 minutes before, tell the leader on duty and the duty chat when missed' },
  async run({ db, settings }, now) {
    const fx = new Effects(now);
    const t = now.getTime();
    const tz = settings.tz;
    const open = await db.select().from(incidents).where(eq(incidents.status, 'open')).limit(500);
    if (!open.length) return fx;
    const reports = await reportsByIncident(db, open.map((i) => i.id));
    let duty: Awaited<ReturnType<typeof dutyAt>> | undefined;
    let dutyChat: string | undefined | null = null;
    for (const i of open) {
      const due = nextDeadline(i, reports.get(i.id) ?? [], settings.reporting);
      if (!due || t < due.dueAt - REMIND_BEFORE_MS) continue;
      duty ??= await dutyAt(db, now);
      if (dutyChat === null) dutyChat = await boundChat(db, 'duty');
      const name = reportName(due.kind, due.seq);
      const type = incidentTypeLabel(i.type);
      const by = formatShort(new Date(due.dueAt), tz);
      const key = `report:${i.id}:${due.kind}:${due.seq}`;
      const subject = subjectOf(i.no);
      const cmd = due.kind === 'first' ? `/incident ${i.no} 首报` : `/incident ${i.no} 续报 说明… [死亡:N] [受伤:N] [失联:N] [转移:N]`;
      if (t < due.dueAt) {
        const text = `⏰ ${i.no} ${type.zh}险情（${i.location}）的${name.zh}应于 ${by} 前报送，还剩 ${Math.ceil((due.dueAt - t) / 60_000)} 分钟。报送后发送 ${cmd} 记录并生成报告。\n⏰ The ${name.en} on ${i.no} (${type.en}, ${i.location}) is due by ${by}. Send ${cmd} once it is sent to record it and get the text.`;
        const to = duty.officer ? { openId: duty.officer } : dutyChat ? { chatId: dutyChat } : undefined;
        if (to) fx.send(to, { text }, { dedupeKey: `${key}:remind`, subject });
        continue;
      }
      const text = `⚠️ ${i.no} ${type.zh}险情（${i.location}）的${name.zh}已超时：应于 ${by} 前报送，至今未报。请立即报送，并发送 ${cmd} 记录。\n⚠️ The ${name.en} on ${i.no} (${type.en}, ${i.location}) is overdue: it was due by ${by}. Send it now, then record it with ${cmd}.`;
      if (duty.leader) fx.send({ openId: duty.leader }, { text }, { dedupeKey: `${key}:missed:leader`, subject });
      if (dutyChat) fx.send({ chatId: dutyChat }, { text }, { dedupeKey: `${key}:missed:duty`, subject });
    }
    return fx;
  },
};

export default reportDeadlines;
