// 信息报送 as people read it: the report text to paste upward (in the order a report follows),
// the incident card's section listing each report, and the reminders about deadlines.

import { incidentTypeLabel, severityLabel } from '../domain/incident-types.ts';
import { onTime, reportName, type Casualties, type Deadline, type Report } from '../domain/incident-reports.ts';
import { STEP_STATES, lastState, type IncidentRecord } from '../domain/incidents.ts';
import { formatDateTime, formatShort } from '../domain/time.ts';
import { md, type Element } from '../lark/cards.ts';

const n = (v: number | undefined) => (v === undefined ? '不详' : String(v));

/** "死亡 0 人、受伤 3 人、失联 1 人；转移安置 120 人" */
export function casualtyText(c: Casualties): string {
  return `死亡 ${n(c.deaths)} 人、受伤 ${n(c.injured)} 人、失联 ${n(c.missing)} 人；转移安置 ${n(c.relocated)} 人`;
}

/**
 * The report ready to paste upward, in the usual order: 时间、地点、单位/区域、类型和级别、简要经过、
 * 人员伤亡（死亡、受伤、失联）及转移安置、已采取措施、下步打算、报告人和电话.
 */
export function reportText(o: {
  rec: IncidentRecord;
  kind: string;
  seq: number;
  at: number;
  casualties: Casualties;
  note?: string;
  nextSteps?: string;
  reporter: { name: string; mobile?: string | null };
  tz: string;
  area?: string;
}): string {
  const i = o.rec.incident;
  const name = reportName(o.kind, o.seq);
  const type = incidentTypeLabel(i.type);
  const sev = severityLabel(i.severity);
  const teams = o.rec.dispatches.length
    ? o.rec.dispatches.map((d) => `${d.team.name}（${d.team.members}人，${STEP_STATES[lastState(d)].zh}）`).join('；')
    : '已通知带班领导、值班员到岗，尚未调度救援队伍';
  const course = o.kind === 'first' || !o.note ? i.description : `${i.description}。${o.note}`;
  const next = o.nextSteps ?? (o.kind === 'final' ? '处置结束，做好善后和总结评估' : '继续监测、全力处置，按要求及时续报');
  return [
    `【${name.zh}】${i.no} ${type.zh}险情（${sev.zh}）`,
    `一、时间：${formatDateTime(new Date(i.reportedAt), o.tz)}`,
    `二、地点：${i.location}`,
    `三、单位/区域：${o.area ?? i.location}`,
    `四、类型和级别：${type.zh}，${sev.zh}`,
    `五、简要经过：${course}`,
    `六、人员伤亡及转移安置：${casualtyText(o.casualties)}`,
    `七、已采取措施：${teams}`,
    `八、下步打算：${next}`,
    `九、报告人和电话：${o.reporter.name}${o.reporter.mobile ? ` ${o.reporter.mobile}` : ''}（${formatDateTime(new Date(o.at), o.tz)} 报送）`,
  ].join('\n');
}

/** The card's 信息报送 section: each report with its time and whether it was on time, the latest figures, what is due next. */
export function reportsSection(reports: Report[], next: Deadline | undefined, casualties: Casualties, tz: string, now: number): Element[] {
  const zh: string[] = [];
  const en: string[] = [];
  for (const r of reports) {
    const nm = reportName(r.kind, r.seq);
    const ok = onTime(r);
    zh.push(`- ${nm.zh} ${formatShort(new Date(r.at), tz)} ${ok ? '✅ 按时' : `⚠️ 超时（应于 ${formatShort(new Date(r.dueAt), tz)} 前）`}`);
    en.push(`- ${nm.en} ${formatShort(new Date(r.at), tz)} ${ok ? '✅ on time' : `⚠️ late (due ${formatShort(new Date(r.dueAt), tz)})`}`);
  }
  if (next) {
    const nm = reportName(next.kind, next.seq);
    const late = now > next.dueAt;
    zh.push(`- 待报：${nm.zh}，应于 ${formatShort(new Date(next.dueAt), tz)} 前${late ? ' **已超时**' : ''}`);
    en.push(`- Due: ${nm.en} by ${formatShort(new Date(next.dueAt), tz)}${late ? ' **overdue**' : ''}`);
  }
  if (reports.some((r) => r.deaths !== null || r.injured !== null || r.missing !== null || r.relocated !== null)) {
    zh.push(`**人员伤亡（最新）** ${casualtyText(casualties)}`);
    en.push(`**Casualties (latest)** dead ${n(casualties.deaths)}, injured ${n(casualties.injured)}, missing ${n(casualties.missing)}; relocated ${n(casualties.relocated)}`);
  }
  return [md(`**信息报送**\n${zh.join('\n')}`, `**Reports upward**\n${en.join('\n')}`)];
}
