// The leaders' morning brief: its sections, each rendered from what a rule returned. The order
// they appear in is the list in jobs/daily-brief.ts.

import type { BackupState } from '../domain/backup-status.ts';
import type { BriefFigures } from '../domain/brief.ts';
import { statusLabel } from '../domain/hazard-terms.ts';
import type { IncidentRecord } from '../domain/incidents.ts';
import { hhmm, roleLabel, withPhone, type Shift } from '../domain/roster.ts';
import type { OnDutyToday } from '../domain/roster-brief.ts';
import { formatDate, formatDateTime } from '../domain/time.ts';
import { card, hr, md, type Card, type Element } from '../lark/cards.ts';
import { incidentBriefLine } from './incident-cards.ts';

export function dailyBriefCard(sections: Element[][], now: Date, tz: string): Card {
  return card({ title: { zh: `每日安全简报 ${formatDate(now, tz)}`, en: `Daily safety brief ${formatDate(now, tz)}` }, template: 'blue', elements: sections.flat() });
}

/** "今日值班": the leader and officer on today's roster, and a 重点时段 line on key days. */
export function onDutyTodayLines(d: OnDutyToday, tz: string): Element[] {
  const who = (list: Shift[]) => (list.length ? list.map((s) => `${withPhone(d.info, s.personOpenId)} ${hhmm(s.start, tz)}起`).join('、') : '未排班');
  const whoEn = (list: Shift[]) => (list.length ? list.map((s) => `${withPhone(d.info, s.personOpenId)} from ${hhmm(s.start, tz)}`).join(', ') : 'nobody on the roster');
  const out: Element[] = [
    md(
      `**今日值班** 带班领导：${who(d.leaders)}；值班员：${who(d.officers)}${d.others.map((s) => `；${roleLabel(s.role).zh}：${who([s])}`).join('')}`,
      `**On duty today** leader: ${whoEn(d.leaders)}; officer: ${whoEn(d.officers)}${d.others.map((s) => `; ${roleLabel(s.role).en}: ${whoEn([s])}`).join('')}`,
    ),
  ];
  if (d.keyPeriod) {
    out.push(md(`🔴 **今日为重点时段**（${d.keyPeriod.zh}）：值班提醒同时发送带班领导。`, `🔴 **Today is a key period** (${d.keyPeriod.en}): shift reminders also go to the leader on duty.`));
  }
  return out;
}

/** Yesterday's movement, overdue by level, open major hazards. */
export function briefFigureLines(f: BriefFigures, tz: string): Element[] {
  const day = formatDate(new Date(f.yesterday), tz);
  const levels = f.byLevel.map((l) => `${l.level}级 ${l.n} 条`).join('，');
  const levelsEn = f.byLevel.map((l) => `level ${l.level}: ${l.n}`).join(', ');
  return [
    md(
      `**昨日（${day}）** 新增隐患 ${f.reported} 条，整改完成 ${f.rectified} 条，销号 ${f.closed} 条。`,
      `**Yesterday (${day})**: ${f.reported} new hazards, ${f.rectified} rectified, ${f.closed} closed.`,
    ),
    md(`**逾期未整改** ${f.overdue} 条（${levels}）。`, `**Overdue**: ${f.overdue} (${levelsEn}).`),
    hr(),
    md(
      f.majors.length
        ? `**在办重大隐患 Open major hazards**\n${f.majors.map((m) => `- ${m.no} ${m.enterprise}（${statusLabel(m.status).zh}）期限 ${m.deadline ? formatDateTime(new Date(m.deadline), tz) : '—'}`).join('\n')}`
        : '无在办重大隐患。 No open major hazards.',
    ),
  ];
}

/** Every open incident with its teams and response times. */
export function openIncidentsLines(recs: IncidentRecord[], tz: string): Element[] {
  if (!recs.length) return [hr(), md('**处置中的险情**：无。', '**Open incidents**: none.')];
  const lines = recs.map((r) => incidentBriefLine(r, tz));
  return [
    hr(),
    md(
      `**处置中的险情（${recs.length}）**\n${lines.map((l) => l.zh).join('\n')}`,
      `**Open incidents (${recs.length})**\n${lines.map((l) => l.en).join('\n')}`,
    ),
  ];
}

/** "备份": the last good snapshot (or none yet), and a failure newer than it — /status has the rest. */
export function backupBriefLines(s: BackupState, tz: string): Element[] {
  if (s.kind === 'not-configured') return [];
  if (s.kind === 'elsewhere') return [hr(), md(`**备份** ${s.why.zh}`, `**Backups** ${s.why.en}`)];
  const last = s.latest
    ? { zh: `最近一次成功备份 ${formatDateTime(new Date(s.latest.at), tz)}（${s.latest.name}）`, en: `last good backup ${formatDateTime(new Date(s.latest.at), tz)} (${s.latest.name})` }
    : { zh: '还没有成功的备份', en: 'no good backup yet' };
  const failed = s.failure
    ? { zh: `；⚠️ ${formatDateTime(new Date(s.failure.at), tz)} 的备份失败，请管理员查看 /status`, en: `; ⚠️ the backup at ${formatDateTime(new Date(s.failure.at), tz)} failed, admins see /status` }
    : { zh: '', en: '' };
  return [hr(), md(`**备份** ${last.zh}${failed.zh}。`, `**Backups**: ${last.en}${failed.en}.`)];
}
