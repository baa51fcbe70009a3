// 整改期限 as people write it in a sentence, relative to the message's time in TZ_NAME:
// 今天/明天/后天, N天内/N日内 (三, 两, 十五, 3), N个工作日内 (holidays and 调休 from the table),
// 一周内/两周内/半个月内/一个月内, 本周五前/下周一前/周五前, 月底前/本月底/下月底/年底前,
// 12月5日前/12.5前/12-05前/2027年1月10日前, 立即/马上/当天 (end of today). A day means its end
// (23:59), as /report's 期限 does. A date already past is reported as such, for the bot to refuse.

import { NUMBER, readNumber, type Span } from './text.ts';
import {
  addDays,
  addMonths,
  addWorkdays,
  compare,
  daysBetween,
  daysIn,
  endOf,
  isoWeekday,
  isValid,
  todayIn,
  type HolidayKinds,
  type Ymd,
} from './calendar.ts';

export interface DeadlineContext {
  now: Date;
  tz: string;
  holidays: HolidayKinds;
}

export interface DeadlineFound {
  /** 2: the words say "by" (内, 前, 立即); 1: a bare day or duration that may be something else. */
  weight: number;
  /** 23:59 local of the day meant. */
  at: Date;
  day: Ymd;
  /** Already over when the message was written: the bot refuses it. */
  past: boolean;
  span: Span;
  said: string;
}

interface Rule {
  re: RegExp;
  /** 2 when the words themselves say "by" (内, 前, 立即); 1 for a bare day that might be something else. */
  weight: number;
  day(m: RegExpExecArray, today: Ymd, c: DeadlineContext): Ymd | undefined;
}

const BY = '(?:之内|以内|内|之前|以前|前|为止)';
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7 };
const DAY_NUM = '[0-9]{1,2}|[一二三四五六七八九十]{1,3}';
/** What follows a bare 今天/当天 when it is a deadline and not the day something was seen. */
// 今天必须修好 / 今天要清走: a must before the verb still makes 今天 the due day.
const DUE_AFTER = '(?=\\s*(?:之内|以内|内|之前|以前|前|下班前|(?:必须|务必|一定要|需要|要|得|须)?\\s*(?:完成|整改|处理|解决|改|落实|搞定|弄好|到位|清理|清走|清除|拆除|修复|修好|维修|修理|更换|恢复|补齐|配齐|停用)))';

/** A month and day without a year: this year, unless that is long gone (then next year). */
function yearFor(m: number, d: number, today: Ymd): Ymd | undefined {
  for (const y of [today.y, today.y + 1]) {
    if (!isValid(y, m, d)) continue;
    const x = { y, m, d };
    // Up to half a year back is a mistake to point out; further back means next year (1月10日 said in December).
    if (y === today.y && compare(x, today) < 0 && daysBetween(x, today) > 183) continue;
    return x;
  }
  return undefined;
}

const num = (s: string) => readNumber(s);

const RULES: Rule[] = [
  // 立即/马上 need nothing after them; 今天/当天 only as a due day (今天检查发现… is when it was seen).
  { re: /立即|立刻|马上|即刻|immediately|right away/gi, weight: 2, day: (_m, t) => t },
  { re: new RegExp(`(?:今天|今日|当天|当日|today)${DUE_AFTER}`, 'gi'), weight: 2, day: (_m, t) => t },
  { re: new RegExp(`(?<=(?:期限|限期|截止|要求|务必|必须|请在|请于|最迟|最晚)[:\\s]*)(?:今天|今日|当天|当日)`, 'g'), weight: 2, day: (_m, t) => t },
  { re: new RegExp(`(大后天|后天|明天|明日|tomorrow)${BY}?`, 'gi'), weight: 1, day: (m, t) => addDays(t, /大后天/.test(m[1]) ? 3 : /后天/.test(m[1]) ? 2 : 1) },
  {
    re: new RegExp(`(${NUMBER})\\s*个?\\s*工作日${BY}?`, 'g'),
    weight: 2,
    day: (m, t, c) => {
      const n = num(m[1]);
      return n && n <= 250 ? addWorkdays(t, n, c.holidays) : undefined;
    },
  },
  {
    // 3天内, 三日内; not 3天前 (three days ago).
    re: new RegExp(`(${NUMBER})\\s*(?:天|日)(?:之内|以内|内)`, 'g'),
    weight: 2,
    day: (m, t) => {
      const n = num(m[1]);
      return n && n <= 365 ? addDays(t, n) : undefined;
    },
  },
  {
    // 限期3天, 三天整改: a bare number of days may also be a duration said in passing (存储不足30天).
    re: new RegExp(`(${NUMBER})\\s*天(?![之以]?前|之内|以内|内)`, 'g'),
    weight: 1,
    day: (m, t) => {
      const n = num(m[1]);
      return n && n <= 365 ? addDays(t, n) : undefined;
    },
  },
  { re: /(?:within|in)\s+(\d{1,3})\s*days?/gi, weight: 2, day: (m, t) => addDays(t, Number(m[1])) },
  { re: new RegExp(`半个?月${BY}`, 'g'), weight: 2, day: (_m, t) => addDays(t, 15) },
  // 半个月 without 内 is weaker: 半月维保 is a kind of maintenance, not a deadline.
  { re: /半个月/g, weight: 1, day: (_m, t) => addDays(t, 15) },
  {
    re: new RegExp(`(${NUMBER})\\s*个?\\s*(周|星期|礼拜|月)${BY}`, 'g'),
    weight: 2,
    day: (m, t) => {
      const n = num(m[1]);
      if (!n || n > 24) return undefined;
      return m[2] === '月' ? addMonths(t, n) : addDays(t, 7 * n);
    },
  },
  {
    re: new RegExp(`(本|这个?|下下|下个?)?(?:周|星期|礼拜)([一二三四五六日天1-7])\\s*(${BY})?`, 'g'),
    weight: 2,
    day: (m, t) => {
      const [, week, w, by] = m;
      if (!week && !by) return undefined; // "周五" alone is a day, not a deadline
      const target = WEEKDAY[w];
      const dow = isoWeekday(t);
      const monday = addDays(t, 1 - dow);
      if (!week) return addDays(t, target >= dow ? target - dow : 7 - dow + target);
      const weeks = /下下/.test(week) ? 2 : /下/.test(week) ? 1 : 0;
      return addDays(monday, 7 * weeks + target - 1);
    },
  },
  { re: new RegExp(`(?:本周|这周)?周末${BY}?`, 'g'), weight: 2, day: (_m, t) => addDays(t, 7 - isoWeekday(t)) },
  {
    re: new RegExp(`(下个?月|本月|这个?月)?\\s*(?:月底|月末|底)${BY}?`, 'g'),
    weight: 2,
    day: (m, t) => {
      if (!m[1] && !/月/.test(m[0])) return undefined; // a bare 底 is nothing
      const x = /下/.test(m[1] ?? '') ? addMonths({ ...t, d: 1 }, 1) : t;
      return { y: x.y, m: x.m, d: daysIn(x.y, x.m) };
    },
  },
  { re: new RegExp(`(?:今年|本年)?\\s*(?:年底|年末)${BY}?`, 'g'), weight: 2, day: (_m, t) => ({ y: t.y, m: 12, d: 31 }) },
  {
    // 2027年1月10日前, 2026-12-05, 2026/12/5, 2026.12.5
    re: new RegExp(`(\\d{4})\\s*(?:年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?|[-/.](\\d{1,2})[-/.](\\d{1,2}))\\s*(${BY})?`, 'g'),
    weight: 2,
    day: (m) => {
      const y = Number(m[1]);
      const mo = Number(m[2] ?? m[4]);
      const d = Number(m[3] ?? m[5]);
      return isValid(y, mo, d) ? { y, m: mo, d } : undefined;
    },
  },
  {
    // 12月5日前, 十二月五日, 12月5号
    re: new RegExp(`(?<![0-9])(${DAY_NUM})\\s*月\\s*(${DAY_NUM})\\s*(?:[日号]\\s*(${BY})?|(${BY}))`, 'g'),
    weight: 2,
    day: (m, t) => {
      const mo = num(m[1]);
      const d = num(m[2]);
      return mo && d ? yearFor(mo, d, t) : undefined;
    },
  },
  {
    // 12.5前, 12-05前, 12/5之前 — with 前 (5.5亩 is an area), or after 期限/截止
    re: new RegExp(`(?<![0-9.\\-/])(\\d{1,2})[.\\-/](\\d{1,2})(?![0-9.\\-/])\\s*${BY}`, 'g'),
    weight: 2,
    day: (m, t) => yearFor(Number(m[1]), Number(m[2]), t),
  },
  {
    re: new RegExp(`(?<=(?:期限|截止|deadline)\\s*[:]?\\s*)(\\d{1,2})[.\\-/](\\d{1,2})(?![0-9.\\-/])`, 'gi'),
    weight: 2,
    day: (m, t) => yearFor(Number(m[1]), Number(m[2]), t),
  },
  {
    // 5号前 / 20日之前: that day of this month, or of next month when it has gone by.
    re: new RegExp(`(?<![0-9月.\\-/一二三四五六七八九十])(${DAY_NUM})\\s*[日号]\\s*${BY}`, 'g'),
    weight: 2,
    day: (m, t) => {
      const d = num(m[1]);
      if (!d || d > 31) return undefined;
      const x = isValid(t.y, t.m, d) && d >= t.d ? { y: t.y, m: t.m, d } : addMonths({ y: t.y, m: t.m, d: 1 }, 1);
      return isValid(x.y, x.m, d) ? { y: x.y, m: x.m, d } : undefined;
    },
  },
];

/**
 * The deadline a sentence gives, or undefined when it gives none. When several phrases could be
 * one, a phrase that says "by" (内, 前, 立即) beats a bare day, then the earliest in the text, then
 * the longest.
 */
export function findDeadline(text: string, c: DeadlineContext): DeadlineFound | undefined {
  const today = todayIn(c.now, c.tz);
  let best: { m: RegExpExecArray; day: Ymd; weight: number } | undefined;
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      if (m[0].length === 0) {
        rule.re.lastIndex++;
        continue;
      }
      const day = rule.day(m, today, c);
      if (!day) continue;
      if (
        !best ||
        rule.weight > best.weight ||
        (rule.weight === best.weight && (m.index < best.m.index || (m.index === best.m.index && m[0].length > best.m[0].length)))
      ) {
        best = { m, day, weight: rule.weight };
      }
    }
  }
  if (!best) return undefined;
  const at = endOf(best.day, c.tz);
  const said = best.m[0].trim();
  return { weight: best.weight, at, day: best.day, past: at.getTime() <= c.now.getTime(), span: { start: best.m.index, end: best.m.index + best.m[0].length }, said };
}
