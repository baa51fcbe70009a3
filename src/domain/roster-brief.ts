// The daily brief's "on duty today" line (and a 重点时段 line on key days). Imported for its
// effect by the jobs that send the brief.

import { md, type Element } from '../lark/cards.ts';
import { briefSections } from './brief.ts';
import { dayMarks, marksText } from './holidays.ts';
import { hhmm, onDuty, peopleInfo, shiftsStartingOn, withPhone, type Shift } from './roster.ts';
import { formatDate } from './time.ts';

export async function onDutyTodaySection(db: Parameters<typeof onDuty>[0], settings: { tz: string }, now: Date): Promise<Element[]> {
  const { tz } = settings;
  const today = await shiftsStartingOn(db, now, tz);
  // A day whose shifts all started yesterday (long shifts) is covered by whoever is on now.
  let leaders = today.filter((s) => s.role === 'leader');
  let officers = today.filter((s) => s.role === 'officer');
  if (!leaders.length || !officers.length) {
    const current = await onDuty(db, now);
    if (!leaders.length && current.leader) leaders = [current.leader];
    if (!officers.length && current.officer) officers = [current.officer];
  }
  const info = await peopleInfo(db, [...leaders, ...officers].map((s) => s.personOpenId));
  const who = (list: Shift[]) => (list.length ? list.map((s) => `${withPhone(info, s.personOpenId)} ${hhmm(s.start, tz)}起`).join('、') : '未排班');
  const whoEn = (list: Shift[]) => (list.length ? list.map((s) => `${withPhone(info, s.personOpenId)} from ${hhmm(s.start, tz)}`).join(', ') : 'nobody on the roster');
  const out: Element[] = [
    md(`**今日值班** 带班领导：${who(leaders)}；值班员：${who(officers)}`, `**On duty today** leader: ${whoEn(leaders)}; officer: ${whoEn(officers)}`),
  ];
  const marks = await dayMarks(db, formatDate(now, tz));
  const t = marksText(marks);
  if (marks.key && t) {
    out.push(md(`🔴 **今日为重点时段**（${t.zh}）：值班提醒同时发送带班领导。`, `🔴 **Today is a key period** (${t.en}): shift reminders also go to the leader on duty.`));
  }
  return out;
}

briefSections.beforeFigures.push(onDutyTodaySection);
