// The shift-reminders job's messages: the evening-before and T-30 reminders (and their copy to
// the leader in a key period), the handover ask, and "on duty now" for the duty chat.

import type { Bi } from '../bi.ts';
import { marksText, type DayMarks } from '../domain/holidays.ts';
import { hhmm, withPhone, type PersonInfo, type Shift } from '../domain/roster.ts';
import { card, type Card } from '../lark/cards.ts';
import { marksLine, noticeCard, onDutyLines } from './roster-cards.ts';

type People = Map<string, PersonInfo>;
export type ReminderKind = 'eve' | 't30';

function reminderCard(title: Bi, lead: Bi, co: Bi | undefined, marks: DayMarks | undefined): Card {
  const lines: Bi[] = [lead];
  if (co) lines.push(co);
  const m = marks && marksText(marks);
  if (m) lines.push({ zh: `🔴 **${m.zh}**，请加强值守。`, en: `🔴 **${m.en}**: stay especially alert.` });
  return noticeCard(title, marks ? 'red' : 'blue', lines);
}

/** "明天您值班" / "30 分钟后接班" to the person on the shift, naming who is on with them. */
export function shiftReminderCard(o: { kind: ReminderKind; role: Bi; span: string; start: number; tz: string; coRole: Bi; coText: string; marks?: DayMarks }): Card {
  const { role, span } = o;
  const title: Bi = o.kind === 'eve' ? { zh: '明天您值班', en: 'You are on duty tomorrow' } : { zh: '30 分钟后接班', en: 'Your shift starts in 30 minutes' };
  const lead: Bi =
    o.kind === 'eve'
      ? { zh: `明天您值班（${role.zh}）：**${span}**`, en: `You are on duty tomorrow (${role.en}): **${span}**` }
      : { zh: `您的值班（${role.zh}）将于 **${hhmm(o.start, o.tz)}** 开始：${span}`, en: `Your shift (${role.en}) starts at **${hhmm(o.start, o.tz)}**: ${span}` };
  return reminderCard(title, lead, { zh: `同班${o.coRole.zh}：${o.coText}`, en: `${o.coRole.en} with you: ${o.coText}` }, o.marks);
}

/** 重点时段: the officer's reminder as the leader on duty receives it. */
export function keyPeriodCopyCard(o: { kind: ReminderKind; who: string; span: string; start: number; tz: string; marks?: DayMarks }): Card {
  const { who, span } = o;
  return reminderCard(
    { zh: '重点时段值班提醒', en: 'Key-period duty reminder' },
    o.kind === 'eve'
      ? { zh: `明天值班员 ${who} 值班：**${span}**，您为带班领导。`, en: `Tomorrow's duty officer is ${who}: **${span}**; you are the leader on duty.` }
      : { zh: `值班员 ${who} 将于 **${hhmm(o.start, o.tz)}** 接班（${span}），您为带班领导。`, en: `Duty officer ${who} starts at **${hhmm(o.start, o.tz)}** (${span}); you are the leader on duty.` },
    undefined,
    o.marks,
  );
}

/** 15 minutes before an officer's shift ends: hand over, and who comes next. */
export function handoverAskCard(o: { end: string; next?: Shift; info: People }): Card {
  const { end, next, info } = o;
  return noticeCard({ zh: '请准备交班', en: 'Time to hand over' }, 'orange', [
    {
      zh: `您的值班将于 **${end}** 结束。请发送 \`/交班 交班事项…\` 记录交班，系统会自动附上本班概况；接班值班员：${next ? withPhone(info, next.personOpenId) : '未排班'}。`,
      en: `Your shift ends at **${end}**. Send \`/handover NOTES…\` to hand over; a summary of the shift is added for you. Incoming officer: ${next ? withPhone(info, next.personOpenId) : 'nobody on the roster'}.`,
    },
  ]);
}

/** To the duty chat as a shift starts: who is on duty now. */
/** "on duty now" to the duty chat: every post's people at the start of a shift. */
export function onDutyNowCard(o: { start: number; list: Shift[]; info: People; marks?: DayMarks; tz: string }): Card {
  return card({
    title: { zh: `${hhmm(o.start, o.tz)} 接班：现在值班`, en: `${hhmm(o.start, o.tz)} handover: on duty now` },
    template: o.marks ? 'red' : 'turquoise',
    elements: [...marksLine(o.marks), onDutyLines(o.list, o.info, o.tz)],
  });
}
