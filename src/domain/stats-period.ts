// The periods leaders count over: 今天, 本周 (Monday-start local week), 本月, 今年, 上周 (the weekly
// report), and inclusive local date ranges. A period is a half-open [from, to) in UTC ms whose ends
// are local midnights, so a hazard at 23:30 on the last day of a month belongs to that month.

import type { Bi } from '../bi.ts';
import { addLocalDays, fromLocal, localParts, pad2 } from './time.ts';
import { own } from '../own.ts';

export interface Period {
  /** Start, inclusive (UTC ms of a local midnight). */
  from: number;
  /** End, exclusive (UTC ms of a local midnight). */
  to: number;
  /** What the person asked for (本月) with the dates, for card titles. */
  label: Bi;
  /** How a report names it: 2026年11月, 2026年, 2026年11月9日至15日. */
  phrase: string;
  /** For file names: 2026-11, 2026Q3, 2026, 2026-11-09_2026-11-15. */
  tag: string;
  /** A whole month, quarter or year — the periods 同比/环比 compare — or any other span. */
  kind?: 'month' | 'quarter' | 'year';
}

type Word = 'today' | 'yesterday' | 'week' | 'last_week' | 'month' | 'last_month' | 'quarter' | 'last_quarter' | 'year' | 'last_year';

const WORDS: Record<string, Word> = {
  今天: 'today', 今日: 'today', today: 'today',
  昨天: 'yesterday', 昨日: 'yesterday', yesterday: 'yesterday',
  本周: 'week', 这周: 'week', week: 'week', 'this-week': 'week',
  上周: 'last_week', 'last-week': 'last_week', lastweek: 'last_week',
  本月: 'month', 这个月: 'month', month: 'month', 'this-month': 'month',
  上月: 'last_month', 上个月: 'last_month', 'last-month': 'last_month', lastmonth: 'last_month',
  本季度: 'quarter', 本季: 'quarter', 这季度: 'quarter', quarter: 'quarter', 'this-quarter': 'quarter',
  上季度: 'last_quarter', 上季: 'last_quarter', 上个季度: 'last_quarter', 'last-quarter': 'last_quarter',
  今年: 'year', 本年: 'year', year: 'year', 'this-year': 'year',
  去年: 'last_year', 上年: 'last_year', 'last-year': 'last_year',
};

const WORD_EN: Record<Word, string> = {
  today: 'today', yesterday: 'yesterday', week: 'this week', last_week: 'last week',
  month: 'this month', last_month: 'last month', quarter: 'this quarter', last_quarter: 'last quarter', year: 'this year', last_year: 'last year',
};

export const DEFAULT_PERIOD = '本月';
export const PERIOD_HINT = '今天|本周|上周|本月|上月|本季度|上季度|第三季度|今年|去年|YYYY-MM|YYYYQ3|YYYY-MM-DD..YYYY-MM-DD';

/** A range longer than this is almost certainly a typo in the year. */
const MAX_RANGE_DAYS = 366 * 5;

const D = String.raw`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`;
const DATE_RANGE = new RegExp(String.raw`^${D}\s*(?:\.\.|~|～|至|—|–)\s*${D}$`);
const DAY = new RegExp(`^${D}$`);
const MONTH = /^(\d{4})(?:[-/.]|年)(\d{1,2})月?$/;
const YEAR = /^(\d{4})年$/;
// 2026Q3, 2026-Q3, 2026年第三季度, 2026年三季度, 第三季度 / 三季度 / Q3 (this year).
const QUARTER = /^(?:(\d{4})\s*(?:年|-)?\s*)?(?:[Qq]([1-4])|第?([一二三四1-4])季度?)$/;
const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
export const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度'];

export type PeriodParse = { ok: true; period: Period } | ({ ok: false } & Bi);

/** Reads a period word or range; `undefined` text means 本月. */
export function parsePeriod(text: string | undefined, now: Date, tz: string): PeriodParse {
  const t = (text ?? DEFAULT_PERIOD).trim();
  const word = own(WORDS, t.toLowerCase());
  if (word) return { ok: true, period: wordPeriod(word, t, now, tz) };
  let m = DATE_RANGE.exec(t);
  if (m) {
    const a = ymd(m[1], m[2], m[3]);
    const b = ymd(m[4], m[5], m[6]);
    if (!a || !b) return bad(t);
    if (cmp(a, b) > 0) return { ok: false, zh: `起始日期晚于结束日期："${t}"`, en: `the start is after the end: "${t}"` };
    const from = fromLocal(a.y, a.m, a.d, 0, 0, tz);
    const to = addLocalDays(fromLocal(b.y, b.m, b.d, 0, 0, tz), 1, tz);
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      return { ok: false, zh: `时间范围过长（最长5年）："${t}"`, en: `the range is too long (5 years at most): "${t}"` };
    }
    return { ok: true, period: span(from, to, tz, t, t) };
  }
  m = DAY.exec(t);
  if (m) {
    const a = ymd(m[1], m[2], m[3]);
    if (!a) return bad(t);
    const from = fromLocal(a.y, a.m, a.d, 0, 0, tz);
    return { ok: true, period: span(from, addLocalDays(from, 1, tz), tz, t, t) };
  }
  m = MONTH.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return bad(t);
    return { ok: true, period: span(fromLocal(y, mo, 1, 0, 0, tz), nextMonth(y, mo, tz), tz, t, t) };
  }
  m = YEAR.exec(t);
  if (m) {
    const y = Number(m[1]);
    return { ok: true, period: span(fromLocal(y, 1, 1, 0, 0, tz), fromLocal(y + 1, 1, 1, 0, 0, tz), tz, t, t) };
  }
  m = QUARTER.exec(t);
  if (m) {
    const y = m[1] ? Number(m[1]) : localParts(now, tz).year;
    return { ok: true, period: quarterPeriod(y, Number(m[2] ?? CN_DIGIT[m[3]]), tz, t, t) };
  }
  return bad(t);
}

/** The period a word names, relative to `now`; for jobs that know what they want (上周). */
export function periodOf(word: string, now: Date, tz: string): Period {
  const p = parsePeriod(word, now, tz);
  if (!p.ok) throw new Error(`not a period word: ${word}`);
  return p.period;
}

function wordPeriod(word: Word, said: string, now: Date, tz: string): Period {
  const p = localParts(now, tz);
  const today = fromLocal(p.year, p.month, p.day, 0, 0, tz);
  const en = WORD_EN[word];
  switch (word) {
    case 'today':
      return span(today, addLocalDays(today, 1, tz), tz, said, en);
    case 'yesterday':
      return span(addLocalDays(today, -1, tz), today, tz, said, en);
    case 'week':
    case 'last_week': {
      // Monday starts the week: Sunday (0) is 6 days after Monday.
      const monday = addLocalDays(today, -((p.weekday + 6) % 7), tz);
      const start = word === 'week' ? monday : addLocalDays(monday, -7, tz);
      return span(start, addLocalDays(start, 7, tz), tz, said, en);
    }
    case 'month':
      return span(fromLocal(p.year, p.month, 1, 0, 0, tz), nextMonth(p.year, p.month, tz), tz, said, en);
    case 'last_month': {
      const [y, m] = p.month === 1 ? [p.year - 1, 12] : [p.year, p.month - 1];
      return span(fromLocal(y, m, 1, 0, 0, tz), fromLocal(p.year, p.month, 1, 0, 0, tz), tz, said, en);
    }
    case 'quarter':
    case 'last_quarter': {
      let q = Math.floor((p.month - 1) / 3) + 1;
      let y = p.year;
      if (word === 'last_quarter') [y, q] = q === 1 ? [y - 1, 4] : [y, q - 1];
      return quarterPeriod(y, q, tz, said, en);
    }
    case 'year':
      return span(fromLocal(p.year, 1, 1, 0, 0, tz), fromLocal(p.year + 1, 1, 1, 0, 0, tz), tz, said, en);
    case 'last_year':
      return span(fromLocal(p.year - 1, 1, 1, 0, 0, tz), fromLocal(p.year, 1, 1, 0, 0, tz), tz, said, en);
  }
}

function quarterPeriod(y: number, q: number, tz: string, said: string, en: string): Period {
  const from = fromLocal(y, 3 * q - 2, 1, 0, 0, tz);
  return span(from, q === 4 ? fromLocal(y + 1, 1, 1, 0, 0, tz) : fromLocal(y, 3 * q + 1, 1, 0, 0, tz), tz, said, en);
}

/**
 * The period before (环比: the previous month, quarter or year) and the same period a year earlier
 * (同比), for a whole month, quarter or year; undefined for other spans, which have no such pair.
 */
export function comparisonPeriods(p: Period, tz: string): { previous: Period; yearAgo: Period } | undefined {
  if (!p.kind) return undefined;
  const a = localParts(new Date(p.from), tz);
  const months = p.kind === 'month' ? 1 : p.kind === 'quarter' ? 3 : 12;
  const shift = (back: number) => {
    const start = a.year * 12 + (a.month - 1) - back;
    const end = start + months;
    const from = fromLocal(Math.floor(start / 12), (start % 12) + 1, 1, 0, 0, tz);
    const to = fromLocal(Math.floor(end / 12), (end % 12) + 1, 1, 0, 0, tz);
    return span(from, to, tz, '', '');
  };
  return { previous: shift(months), yearAgo: shift(12) };
}

const nextMonth = (y: number, m: number, tz: string) => (m === 12 ? fromLocal(y + 1, 1, 1, 0, 0, tz) : fromLocal(y, m + 1, 1, 0, 0, tz));

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function ymd(ys: string, ms: string, ds: string): Ymd | undefined {
  const [y, m, d] = [Number(ys), Number(ms), Number(ds)];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? { y, m, d } : undefined;
}

const cmp = (a: Ymd, b: Ymd) => a.y - b.y || a.m - b.m || a.d - b.d;

const bad = (t: string): PeriodParse => ({
  ok: false,
  zh: `无法识别的时间"${t}"，可用：${PERIOD_HINT}`,
  en: `"${t}" is not a period; use ${PERIOD_HINT}`,
});

const iso = (p: Ymd) => `${p.y}-${pad2(p.m)}-${pad2(p.d)}`;

function span(from: Date, to: Date, tz: string, said: string, en: string): Period {
  const a = localParts(from, tz);
  const last = localParts(addLocalDays(to, -1, tz), tz);
  const first: Ymd = { y: a.year, m: a.month, d: a.day };
  const end: Ymd = { y: last.year, m: last.month, d: last.day };
  const lastDayOfMonth = localParts(addLocalDays(nextMonth(end.y, end.m, tz), -1, tz), tz).day;
  const wholeMonths = first.d === 1 && end.d === lastDayOfMonth;
  let phrase: string;
  let tag: string;
  let zh: string;
  let enDates: string;
  let kind: Period['kind'];
  if (wholeMonths && first.m === 1 && end.m === 12 && first.y === end.y) {
    phrase = zh = `${first.y}年`;
    tag = enDates = `${first.y}`;
    kind = 'year';
  } else if (wholeMonths && first.y === end.y && first.m === end.m) {
    phrase = zh = `${first.y}年${first.m}月`;
    tag = enDates = `${first.y}-${pad2(first.m)}`;
    kind = 'month';
  } else if (wholeMonths && first.y === end.y && first.m % 3 === 1 && end.m === first.m + 2) {
    const q = (first.m + 2) / 3;
    phrase = zh = `${first.y}年${QUARTER_NAMES[q - 1]}`;
    tag = enDates = `${first.y}Q${q}`;
    kind = 'quarter';
  } else if (cmp(first, end) === 0) {
    phrase = `${first.y}年${first.m}月${first.d}日`;
    tag = zh = enDates = iso(first);
  } else {
    const tail = first.y !== end.y ? `${end.y}年${end.m}月${end.d}日` : first.m !== end.m ? `${end.m}月${end.d}日` : `${end.d}日`;
    phrase = `${first.y}年${first.m}月${first.d}日至${tail}`;
    tag = `${iso(first)}_${iso(end)}`;
    zh = `${iso(first)} 至 ${iso(end)}`;
    enDates = `${iso(first)} to ${iso(end)}`;
  }
  // A word (本月) is shown with its dates; dates typed by the person are shown as dates.
  const typed = !own(WORDS, said.toLowerCase());
  const label = typed ? { zh, en: enDates } : { zh: `${said}（${zh}）`, en: `${en} (${enDates})` };
  return { from: from.getTime(), to: to.getTime(), label, phrase, tag, ...(kind ? { kind } : {}) };
}
