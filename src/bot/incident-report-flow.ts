// 信息报送 from chat: `/incident 编号 首报`, `/incident 编号 续报 说明… [死亡:N] [受伤:N] [失联:N]
// [转移:N]` record the report with its time and answer with the text to paste upward; closing
// the incident records the 终报 (see closeIncident). Every copy of the incident card shows the reports.

import { cardIdsOf, subjectOf } from '../domain/incidents.ts';
import { firstDueAt, insertReport, latestCasualties, nextDeadline, onTime, reportName, reportsOf, type Casualties, type Report } from '../domain/incident-reports.ts';
import { peopleInfo } from '../domain/roster.ts';
import { formatShort } from '../domain/time.ts';
import { reportText } from '../views/incident-reports.ts';
import { requireRole } from './access.ts';
import type { BotContext } from './context.ts';
import { BotError } from './errors.ts';
import { currentCard, loadOrRefuse, namesFor, patchCards } from './incident-flow.ts';
import { INCIDENT_REPORT_ROLES as REPORT_ROLES } from '../domain/incidents.ts';

export async function recordReport(ctx: BotContext, no: string, kind: 'first' | 'followup', note: string | undefined, figures: Casualties) {
  requireRole(ctx.caller, REPORT_ROLES, { zh: '信息报送', en: 'Reporting upward' });
  const rec = await loadOrRefuse(ctx, no);
  const i = rec.incident;
  const { tz, reporting } = ctx.settings;
  if (i.status !== 'open') throw new BotError(`${no} 已结束，请在结束时报送终报。`, `${no} is closed; its final report went with the closing.`);
  const reports = await reportsOf(ctx.db, i.id);
  const first = reports.find((r) => r.kind === 'first');
  if (kind === 'first' && first) {
    throw new BotError(`${no} 的首报已于 ${formatShort(new Date(first.at), tz)} 报送。后续情况请用 /incident ${no} 续报 说明…`, `${no}'s first report went at ${formatShort(new Date(first.at), tz)}. Send /incident ${no} 续报 … for a follow-up.`);
  }
  if (kind === 'followup' && !first) throw new BotError(`${no} 尚未报送首报，请先发送 /incident ${no} 首报。`, `${no} has no first report yet: send /incident ${no} 首报 first.`);
  if (kind === 'followup' && !note) throw new BotError(`续报需写明最新情况。用法：/incident ${no} 续报 说明… [死亡:N] [受伤:N] [失联:N] [转移:N]`, `A follow-up needs the latest news. Usage: /incident ${no} 续报 NOTE… [死亡:N] [受伤:N] [失联:N] [转移:N]`);
  const due = nextDeadline(i, reports, reporting)!;
  const seq = kind === 'first' ? 0 : due.seq;
  const dueAt = kind === 'first' ? firstDueAt(i, reporting) : due.dueAt;
  const at = ctx.now.getTime();
  const row: Report = {
    id: 0, incidentId: i.id, kind, seq, at, dueAt, byOpenId: ctx.caller.openId, note: note ?? null,
    deaths: figures.deaths ?? null, injured: figures.injured ?? null, missing: figures.missing ?? null, relocated: figures.relocated ?? null,
  };
  const { id: _, ...values } = row;
  ctx.write(insertReport(ctx.db, values));
  const after = [...reports, row];
  const names = await namesFor(ctx, rec, [ctx.caller.openId]);
  patchCards(ctx, cardIdsOf(i), await currentCard(ctx, rec, names, { reports: after }));
  const me = (await peopleInfo(ctx.db, [ctx.caller.openId])).get(ctx.caller.openId);
  const text = reportText({ rec, kind, seq, at, casualties: latestCasualties(after), note, reporter: { name: me?.name ?? ctx.caller.openId, mobile: me?.mobile }, tz });
  const nm = reportName(kind, seq);
  const En = nm.en[0].toUpperCase() + nm.en.slice(1);
  const timing = onTime(row)
    ? { zh: `${nm.zh}已记录（按时，应于 ${formatShort(new Date(dueAt), tz)} 前）。`, en: `${En} recorded (on time; due ${formatShort(new Date(dueAt), tz)}).` }
    : { zh: `${nm.zh}已记录（超时，应于 ${formatShort(new Date(dueAt), tz)} 前）。`, en: `${En} recorded (late; it was due ${formatShort(new Date(dueAt), tz)}).` };
  const nextDue = nextDeadline(i, after, reporting)!;
  const nextName = reportName(nextDue.kind, nextDue.seq);
  ctx.reply(
    { text: `${timing.zh}下次${nextName.zh}应于 ${formatShort(new Date(nextDue.dueAt), tz)} 前报送。以下报告可直接复制上报：\n${timing.en} Next: ${nextName.en} by ${formatShort(new Date(nextDue.dueAt), tz)}. The report below is ready to paste upward.\n\n${text}` },
    { subject: subjectOf(no) },
  );
}
