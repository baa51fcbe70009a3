// Every deadline form the issue lists, read on a fixed `now` in Asia/Shanghai, and the working-day
// count across the 2026 National Day holiday and its 调休 Saturday.
import { describe, expect, it } from 'vitest';
import { findDeadline } from '../../src/bot/understand/deadline.ts';
import { normalize } from '../../src/bot/understand/text.ts';
import { formatDateTime } from '../../src/domain/time.ts';

const TZ = 'Asia/Shanghai';
/** Tuesday 2026-12-01 10:00 local. */
const NOW = new Date('2026-12-01T02:00:00Z');

// The State Council's 2026 calendar around 中秋 and 国庆 (the rows of the holidays table).
const HOLIDAYS_2026: [string, 'holiday' | 'workday'][] = [
  ['2026-09-20', 'workday'],
  ['2026-09-25', 'holiday'], ['2026-09-26', 'holiday'], ['2026-09-27', 'holiday'],
  ['2026-10-01', 'holiday'], ['2026-10-02', 'holiday'], ['2026-10-03', 'holiday'], ['2026-10-04', 'holiday'],
  ['2026-10-05', 'holiday'], ['2026-10-06', 'holiday'], ['2026-10-07', 'holiday'],
  ['2026-10-10', 'workday'],
];
const holidays = new Map(HOLIDAYS_2026);

const due = (text: string, now = NOW) => {
  const d = findDeadline(normalize(text), { now, tz: TZ, holidays });
  return d && { at: formatDateTime(d.at, TZ), past: d.past, said: d.said };
};

describe('deadlines in a sentence (now: Tue 2026-12-01 10:00)', () => {
  it.each([
    ['今天之内整改', '2026-12-01 23:59'],
    ['报警器坏了，今天必须修好', '2026-12-01 23:59'],
    ['货车今天要清走', '2026-12-01 23:59'],
    ['明天', '2026-12-02 23:59'],
    ['后天前整改完', '2026-12-03 23:59'],
    ['三天内整改', '2026-12-04 23:59'],
    ['3天内', '2026-12-04 23:59'],
    ['5日内', '2026-12-06 23:59'],
    ['两天内', '2026-12-03 23:59'],
    ['十五天内', '2026-12-16 23:59'],
    ['限期15天', '2026-12-16 23:59'],
    ['3个工作日内', '2026-12-04 23:59'],
    ['五个工作日内', '2026-12-08 23:59'],
    ['一周内', '2026-12-08 23:59'],
    ['两周内', '2026-12-15 23:59'],
    ['半个月内', '2026-12-16 23:59'],
    ['一个月内', '2027-01-01 23:59'],
    ['本周五前', '2026-12-04 23:59'],
    ['下周一前', '2026-12-07 23:59'],
    ['周五前', '2026-12-04 23:59'],
    ['月底前', '2026-12-31 23:59'],
    ['本月底', '2026-12-31 23:59'],
    ['下月底', '2027-01-31 23:59'],
    ['年底前', '2026-12-31 23:59'],
    ['12月5日前', '2026-12-05 23:59'],
    ['12.5前', '2026-12-05 23:59'],
    ['12-05前', '2026-12-05 23:59'],
    ['2027年1月10日前', '2027-01-10 23:59'],
    ['1月10日前', '2027-01-10 23:59'],
    ['立即整改', '2026-12-01 23:59'],
    ['马上处理', '2026-12-01 23:59'],
    ['当天整改', '2026-12-01 23:59'],
    ['期限：１２月８日', '2026-12-08 23:59'],
  ])('%s → %s', (text, expected) => {
    expect(due(text)).toMatchObject({ at: expected, past: false });
  });

  it('finds the deadline inside a whole report and leaves other numbers alone', () => {
    expect(due('梅河化工储罐区消防通道堵塞，三天内整改')).toMatchObject({ at: '2026-12-04 23:59', said: '三天内' });
    expect(due('今天检查发现梅河化工仓库堆放杂物，一周内清理')).toMatchObject({ at: '2026-12-08 23:59' });
    expect(due('柳溪乡北山发生山火，面积约5.5亩')).toBeUndefined();
    expect(due('3天前发现的问题还没处理')).toBeUndefined();
    expect(due('周五值班的是谁')).toBeUndefined();
  });

  it('marks a date already gone as past, for the bot to refuse', () => {
    expect(due('11月30日前整改')).toMatchObject({ at: '2026-11-30 23:59', past: true });
    expect(due('2026-11-15前')).toMatchObject({ past: true });
    // Wednesday: this week's Monday is behind us.
    expect(due('本周一前', new Date('2026-12-02T02:00:00Z'))).toMatchObject({ at: '2026-11-30 23:59', past: true });
  });

  it('counts working days across National Day, with the 调休 Saturday as a working day', () => {
    // Wed 2026-09-30: 10-01..07 are off; Thu 10-08, Fri 10-09, and Sat 10-10 (调休) are working days.
    expect(due('3个工作日内', new Date('2026-09-30T02:00:00Z'))).toMatchObject({ at: '2026-10-10 23:59' });
    // Thu 2026-09-24: 中秋 25-27 off, Mon-Wed 28-30 count, the holiday week is skipped, then 10-08 and 10-09.
    expect(due('五个工作日内', new Date('2026-09-24T02:00:00Z'))).toMatchObject({ at: '2026-10-09 23:59' });
    // Fri 2026-09-18: the next working day is Sunday 09-20, a 调休 workday.
    expect(due('1个工作日内', new Date('2026-09-18T02:00:00Z'))).toMatchObject({ at: '2026-09-20 23:59' });
    // Without the holidays table a weekend is simply skipped.
    expect(formatDateTime(findDeadline('1个工作日内', { now: new Date('2026-09-18T02:00:00Z'), tz: TZ, holidays: new Map() })!.at, TZ)).toBe('2026-09-21 23:59');
  });
});
