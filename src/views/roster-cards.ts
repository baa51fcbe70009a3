// Duty-roster cards: /duty answers, shift reminders, swap requests, handovers, gap reports.

import type { Bi } from '../bi.ts';
import { marksText, type DayMarks } from '../domain/holidays.ts';
import { CORE_POSTS, ROSTER_ROLES, ROSTER_ROLE_LABELS, hhmm, nameOf, shiftSpan, shiftSpanLong, withPhone, type PersonInfo, type RosterRole, type Shift } from '../domain/roster.ts';
import { SWAP_STATUS, type SwapRequest } from '../domain/swaps.ts';
import type { ShiftSummary } from '../domain/handovers.ts';
import { formatDateTime } from '../domain/time.ts';
import { button, buttonRow, card, hr, md, table, type Card, type Element, type HeaderColor } from '../lark/cards.ts';
import { own } from '../own.ts';
import { missingCalendarLines } from './holiday-calendar.ts';

type People = Map<string, PersonInfo>;

const roleZh = (r: string) => ROSTER_ROLE_LABELS[r as RosterRole]?.zh ?? r;
const roleEn = (r: string) => ROSTER_ROLE_LABELS[r as RosterRole]?.en ?? r;

/** A bilingual line for the day's holiday / key-period marks, if any. */
export function marksLine(m: DayMarks | undefined): Element[] {
  const t = m && marksText(m);
  if (!t) return [];
  return [md(`${m!.key ? '🔴 ' : ''}**${t.zh}**`, `${m!.key ? '🔴 ' : ''}**${t.en}**`)];
}

/** "带班领导：张伟（139…）　03-05 08:30 – 03-06 08:30" for each shift. */
export function shiftLines(list: Shift[], info: People, tz: string): Element {
  if (!list.length) return md('（未排班）', '(nobody on the roster)');
  const zh = list.map((s) => `**${roleZh(s.role)}**：${withPhone(info, s.personOpenId)}　${shiftSpan(s, tz)}`);
  const en = list.map((s) => `**${roleEn(s.role)}**: ${withPhone(info, s.personOpenId)}  ${shiftSpan(s, tz)}`);
  return md(zh.join('\n'), en.join('\n'));
}

/**
 * Who is on duty: every post with its people and phones. The leader and the officer always have
 * a line (a gap shows as one); the other posts appear when someone holds them.
 */
export function onDutyLines(list: Shift[], info: People, tz: string): Element {
  const zh: string[] = [];
  const en: string[] = [];
  for (const role of ROSTER_ROLES) {
    const mine = list.filter((s) => s.role === role);
    if (!mine.length && !CORE_POSTS.includes(role)) continue;
    const who = mine.length ? mine.map((s) => `${withPhone(info, s.personOpenId)}　${shiftSpan(s, tz)}`).join('；') : '—（空档 / gap）';
    zh.push(`**${ROSTER_ROLE_LABELS[role].zh}**：${who}`);
    en.push(`**${ROSTER_ROLE_LABELS[role].en}**: ${who}`);
  }
  return md(zh.join('\n'), en.join('\n'));
}

export function dutyNowCard(o: { at: Date; list: Shift[]; info: People; marks?: DayMarks; tz: string; night?: boolean }): Card {
  const when = formatDateTime(o.at, o.tz);
  return card({
    title: o.night ? { zh: `夜间值班 ${when}`, en: `On duty at night, ${when}` } : { zh: `当前值班 ${when}`, en: `On duty now ${when}` },
    template: o.marks?.key ? 'red' : 'blue',
    elements: [...marksLine(o.marks), onDutyLines(o.list, o.info, o.tz)],
  });
}

export function dutyDayCard(o: { date: string; list: Shift[]; info: People; marks?: DayMarks; missingYears?: number[]; tz: string }): Card {
  return card({
    title: { zh: `${o.date} 值班安排`, en: `Duty roster for ${o.date}` },
    template: o.marks?.key ? 'red' : 'blue',
    elements: [...marksLine(o.marks), shiftLines(o.list, o.info, o.tz), ...missingCalendarLines(o.missingYears ?? [])],
  });
}

export interface WeekRow {
  date: string;
  weekday: number;
  leaders: Shift[];
  officers: Shift[];
  /** Shifts of the other posts (值班长, 协调调度, 综合信息, 技术保障). */
  others?: Shift[];
  marks: DayMarks;
}

const WEEKDAY_ZH = ['日', '一', '二', '三', '四', '五', '六'];
const WEEKDAY_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function dutyWeekCard(o: { rows: WeekRow[]; info: People; missingYears?: number[]; tz: string }): Card {
  const who = (list: Shift[]) =>
    list.length ? list.map((s) => `${withPhone(o.info, s.personOpenId)} ${hhmm(s.start, o.tz)}`).join('；') : '—';
  const rows = o.rows.map((r) => {
    const t = marksText(r.marks);
    return {
      date: `${r.date.slice(5)} 周${WEEKDAY_ZH[r.weekday]} ${WEEKDAY_EN[r.weekday]}`,
      leader: who(r.leaders),
      officer: who(r.officers),
      others: (r.others ?? []).length ? r.others!.map((s) => `${roleZh(s.role)} ${withPhone(o.info, s.personOpenId)}`).join('；') : '—',
      note: t ? `${r.marks.key ? '🔴 ' : ''}${t.zh}` : '',
    };
  });
  return card({
    title: { zh: `一周值班表 ${o.rows[0]?.date ?? ''} 起`, en: `Duty roster, week from ${o.rows[0]?.date ?? ''}` },
    template: 'blue',
    elements: [
      table(
        [
          { name: 'date', label: { zh: '日期', en: 'Date' } },
          { name: 'leader', label: { zh: '带班领导', en: 'Leader' } },
          { name: 'officer', label: { zh: '值班员', en: 'Officer' } },
          { name: 'others', label: { zh: '其他岗位', en: 'Other posts' } },
          { name: 'note', label: { zh: '备注', en: 'Note' } },
        ],
        rows,
        10,
      ),
      md('时间为接班时刻；🔴 为重点时段。', 'Times are when each shift starts; 🔴 marks a key period.'),
      ...missingCalendarLines(o.missingYears ?? []),
    ],
  });
}

export function personShiftsCard(o: { openId: string; list: { shift: Shift; marks?: DayMarks }[]; info: People; tz: string }): Card {
  const name = nameOf(o.info, o.openId);
  const lines = o.list.map(({ shift, marks }) => {
    const t = marks && marksText(marks);
    return [
      `- ${shiftSpanLong(shift, o.tz)}　${roleZh(shift.role)}${t ? `　🔴 ${t.zh}` : ''}`,
      `- ${shiftSpanLong(shift, o.tz)}  ${roleEn(shift.role)}${t ? `  🔴 ${t.en}` : ''}`,
    ];
  });
  return card({
    title: { zh: `${name} 的后续班次`, en: `${name}'s next shifts` },
    template: 'blue',
    elements: [
      lines.length
        ? md(lines.map((l) => l[0]).join('\n'), lines.map((l) => l[1]).join('\n'))
        : md('近期没有排班。', 'No shifts coming up.'),
    ],
  });
}

/** A one-message notice: header, a few bilingual lines, optional buttons. */
export function noticeCard(title: Bi, template: HeaderColor, lines: Bi[], buttons: Element[] = []): Card {
  const elements: Element[] = lines.map(({ zh, en }) => md(zh, en));
  if (buttons.length) elements.push(buttons.length === 1 ? buttons[0] : buttonRow(buttons));
  return card({ title, template, elements });
}

export function swapCard(o: { req: SwapRequest | { status: 'pending' }; mine: Shift; theirs: Shift; requester: string; target: string; info: People; tz: string; key: { a: number; b: number; t: number }; by?: string; at?: number }): Card {
  const req = o.req;
  const status = own(SWAP_STATUS, req.status) ?? SWAP_STATUS.pending;
  const rq = nameOf(o.info, o.requester);
  const tg = nameOf(o.info, o.target);
  const lines: Element[] = [
    md(
      `**${rq}** 申请与 **${tg}** 换班：\n- ${rq} 的班次：${shiftSpanLong(o.mine, o.tz)}（${roleZh(o.mine.role)}）→ 由 ${tg} 值\n- ${tg} 的班次：${shiftSpanLong(o.theirs, o.tz)}（${roleZh(o.theirs.role)}）→ 由 ${rq} 值`,
      `**${rq}** asks **${tg}** to swap shifts:\n- ${rq}'s shift ${shiftSpanLong(o.mine, o.tz)} (${roleEn(o.mine.role)}) → ${tg}\n- ${tg}'s shift ${shiftSpanLong(o.theirs, o.tz)} (${roleEn(o.theirs.role)}) → ${rq}`,
    ),
  ];
  if (req.status === 'pending') {
    lines.push(
      md(`请在 ${formatDateTime(new Date(Math.min(o.mine.start, o.theirs.start)), o.tz)} 前答复，逾期自动作废。`, `Answer before ${formatDateTime(new Date(Math.min(o.mine.start, o.theirs.start)), o.tz)}; after that the request expires.`),
      buttonRow([
        button({ zh: '同意', en: 'Accept' }, { action: 'swap.accept', ...o.key }, 'primary_filled'),
        button({ zh: '拒绝', en: 'Decline' }, { action: 'swap.decline', ...o.key }, 'danger'),
      ]),
    );
  } else {
    const when = o.at ? formatDateTime(new Date(o.at), o.tz) : '';
    const who = o.by ? nameOf(o.info, o.by) : '';
    const zh = [who, when].filter(Boolean).join(' ');
    lines.push(hr(), md(`**${status.zh}**${zh ? `（${zh}）` : ''}`, `**${status.en}**${who ? ` by ${who}` : ''}${when ? ` at ${when}` : ''}`));
  }
  const template: HeaderColor = req.status === 'accepted' ? 'green' : req.status === 'pending' ? 'orange' : 'grey';
  return card({ title: { zh: '换班申请', en: 'Shift swap request' }, subtitle: { zh: status.zh, en: status.en }, template, elements: lines });
}

export function summaryLines(s: ShiftSummary): Element {
  const hz = s.hazards.count ? `${s.hazards.count} 条（${s.hazards.nos.join('、')}${s.hazards.count > s.hazards.nos.length ? '…' : ''}）` : '0 条';
  const hzEn = s.hazards.count ? `${s.hazards.count} (${s.hazards.nos.join(', ')}${s.hazards.count > s.hazards.nos.length ? '…' : ''})` : '0';
  const inc = s.incidentsOpen.count ? `${s.incidentsOpen.count} 起（${s.incidentsOpen.nos.join('、')}）` : '0 起';
  const incEn = s.incidentsOpen.count ? `${s.incidentsOpen.count} (${s.incidentsOpen.nos.join(', ')})` : '0';
  return md(
    `**本班概况**\n- 上报隐患：${hz}\n- 未结险情：${inc}\n- 发送失败消息：${s.failedMessages} 条`,
    `**This shift**\n- Hazards reported: ${hzEn}\n- Incidents open: ${incEn}\n- Messages that failed: ${s.failedMessages}`,
  );
}

export function handoverCard(o: { fromShift: Shift; from: string; to?: string; notes: string; summary: ShiftSummary; info: People; tz: string; signedAt?: number | null; signable?: boolean }): Card {
  const from = nameOf(o.info, o.from);
  const elements: Element[] = [
    md(`**交班人**：${from}　${shiftSpan(o.fromShift, o.tz)}\n**接班人**：${o.to ? nameOf(o.info, o.to) : '—'}`, `**From**: ${from}  ${shiftSpan(o.fromShift, o.tz)}\n**To**: ${o.to ? nameOf(o.info, o.to) : '—'}`),
    md(`**交班记录**\n${o.notes}`, `**Notes**\n${o.notes}`),
    summaryLines(o.summary),
  ];
  if (o.signedAt) {
    elements.push(hr(), md(`**已签收** ${formatDateTime(new Date(o.signedAt), o.tz)}`, `**Signed** at ${formatDateTime(new Date(o.signedAt), o.tz)}`));
  } else if (o.to && o.signable !== false) {
    elements.push(button({ zh: '签收', en: 'Sign off' }, { action: 'handover.sign', shift: o.fromShift.id }, 'primary_filled'));
  }
  return card({
    title: { zh: '交接班', en: 'Shift handover' },
    subtitle: o.signedAt ? { zh: '已签收', en: 'signed' } : { zh: '待签收', en: 'awaiting sign-off' },
    template: o.signedAt ? 'green' : 'orange',
    elements,
  });
}
