// The day a duty question asks about and the period and grouping a statistics question asks
// about, turned into the words /duty and /stats already take, so the answer is theirs.

import { addDays, daysIn, isoWeekday, todayIn, ymdText } from './calendar.ts';
import { readNumber } from './text.ts';

const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const MONTH_NUM = '[0-9]{1,2}|[一二三四五六七八九十]{1,3}';

/** /duty's word: now, today, tomorrow, week, or YYYY-MM-DD. */
export function dutyWord(text: string, now: Date, tz: string): string {
  const today = todayIn(now, tz);
  // A weekday (这周六) names a day even inside 这周; a table or arrangement (值班安排表) asks for the week.
  let m = /(?:(下|本|这)?个?(?:周|星期|礼拜))([一二三四五六日天])/.exec(text);
  if (!m && /值班表|排班表|班表|安排表|值班安排|本周|这周|一周|这一周|这星期|本星期|week/i.test(text)) return 'week';
  if (m) {
    const target = WEEKDAY[m[2]];
    const dow = isoWeekday(today);
    const ahead = m[1] === '下' ? 7 - dow + target : target >= dow || m[1] ? target - dow : 7 - dow + target;
    return ymdText(addDays(today, ahead));
  }
  m = new RegExp(`(?:(\\d{4})年)?(${MONTH_NUM})月(${MONTH_NUM})[日号]?`).exec(text) ?? /(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})/.exec(text);
  if (m) {
    const mo = readNumber(m[2]);
    const d = readNumber(m[3]);
    if (mo && d && mo <= 12 && d <= 31) {
      let y = m[1] ? Number(m[1]) : today.y;
      if (!m[1] && (mo < today.m - 6)) y++;
      return ymdText({ y, m: mo, d });
    }
  }
  if (/大后天/.test(text)) return ymdText(addDays(today, 3));
  if (/后天/.test(text)) return ymdText(addDays(today, 2));
  if (/明晚|明天晚上|明天夜里|tomorrow night/i.test(text)) return 'tomorrow-night';
  if (/明天|明日|tomorrow/i.test(text)) return 'tomorrow';
  if (/昨天|昨日|昨晚/.test(text)) return ymdText(addDays(today, -1));
  if (/今晚|今天晚上|今夜|夜班|tonight/i.test(text)) return 'tonight';
  if (/今天|今日|today/i.test(text)) return 'today';
  return 'now';
}

const GROUPINGS: [RegExp, string][] = [
  [/(按|各|分|每个)(乡镇|街道|镇)/, '按乡镇'],
  // A province's leaders ask by county (issue 20): 各县、各县区、分区县; not 县城 (the county seat).
  [/(按|各|分|每个)(县市区|县区|区县|县(?!城))/, '按县'],
  [/(按|各|分|每个)行业/, '按行业'],
  [/(按|各|分|每个|哪些|哪家)企业/, '按企业'],
];

/** /stats's words: a period (今天 … 今年, YYYY-MM, a date range) and a grouping when asked. */
export function statsWords(text: string, now: Date, tz: string): string[] {
  const today = todayIn(now, tz);
  const words: string[] = [];
  const range = new RegExp(`(?:(\\d{4})年)?(${MONTH_NUM})(?:月份?)?\\s*(?:到|至|-|~|—)\\s*(${MONTH_NUM})月`).exec(text);
  const month = new RegExp(`(?:(\\d{4})年)?(${MONTH_NUM})月份?(?!\\d|[日号])`).exec(text);
  if (range) {
    const y = range[1] ? Number(range[1]) : today.y;
    const a = readNumber(range[2]);
    const b = readNumber(range[3]);
    if (a && b && a <= b && b <= 12) words.push(`${ymdText({ y, m: a, d: 1 })}..${ymdText({ y, m: b, d: daysIn(y, b) })}`);
  } else if (/去年|上一年|last year/i.test(text)) {
    words.push(`${today.y - 1}年`);
  } else if (/今年|本年|全年|年度|this year/i.test(text)) {
    words.push('今年');
  } else if (/上个?月|上月|last month/i.test(text)) {
    words.push('上月');
  } else if (/本月|这个?月|当月|this month/i.test(text)) {
    words.push('本月');
  } else if (/上周|上个?星期|last week/i.test(text)) {
    words.push('上周');
  } else if (/本周|这周|这个?星期|this week/i.test(text)) {
    words.push('本周');
  } else if (/昨天|昨日|yesterday/i.test(text)) {
    words.push('昨天');
  } else if (/今天|今日|today/i.test(text)) {
    words.push('今天');
  } else if (month) {
    const mo = readNumber(month[2]);
    if (mo && mo >= 1 && mo <= 12) {
      const y = month[1] ? Number(month[1]) : mo > today.m ? today.y - 1 : today.y;
      words.push(`${y}-${String(mo).padStart(2, '0')}`);
    }
  }
  for (const [re, g] of GROUPINGS) {
    if (re.test(text)) {
      words.push(g);
      break;
    }
  }
  return words;
}
