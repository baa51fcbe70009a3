// What people read when a calendar year has no holidays loaded (see src/domain/holiday-years.ts).

import type { Bi } from '../bi.ts';
import { md, type Card, type Element } from '../lark/cards.ts';
import { noticeCard } from './roster-cards.ts';

/** The one sentence, in Chinese and English, asking an admin to import a year's calendar. */
export function missingCalendarText(year: number): Bi {
  return {
    zh: `${year}年节假日安排尚未导入，请管理员导入（npm run import -- holidays 文件）。`,
    en: `The ${year} holiday calendar is not loaded yet, so holidays and make-up workdays in ${year} are not marked; an admin should import it (npm run import -- holidays FILE.csv).`,
  };
}

/** The sentences as card lines, one per missing year (none when every year is loaded). */
export function missingCalendarLines(years: readonly number[]): Element[] {
  return years.map((y) => {
    const { zh, en } = missingCalendarText(y);
    return md(`⚠️ ${zh}`, `⚠️ ${en}`);
  });
}

/** The admins' notice for one missing year. */
export function missingCalendarCard(year: number): Card {
  return noticeCard({ zh: `${year}年节假日安排未导入`, en: `${year} holiday calendar missing` }, 'orange', [missingCalendarText(year)]);
}
