import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { dayMarks, shiftMarks } from '../src/domain/holidays.ts';
import { yearsWithoutHolidays } from '../src/domain/holiday-years.ts';
import { findPeople } from '../src/domain/people.ts';
import { everyoneOnDuty, nextShifts, peopleInfo, shiftsOn, shiftsStartingOn } from '../src/domain/roster.ts';
import { addLocalDays, formatDate, fromLocal, localParts, parseLocalDate } from '../src/domain/time.ts';
import { dutyDayCard, dutyNowCard, dutyWeekCard, personShiftsCard, type WeekRow } from '../src/views/roster-cards.ts';
import type { BotContext } from '../src/bot/context.ts';

const USAGE = '/duty [now|today|tonight|tomorrow|week|YYYY-MM-DD|@某人]';

const args = z.object({
  words: z.array(z.string()).max(1),
  mentions: z.array(z.object({ openId: z.string(), name: z.string() })).max(1),
});

export default defineCommand({
  name: 'duty',
  aliases: ['值班'],
  summary: { zh: '查看值班：当前、今天、明天、一周、某天或某人的班次（含电话）', en: 'who is on duty: now, today, tomorrow, the week, a date, or a person’s next shifts (with phones)' },
  usage: USAGE,
  args,
  roles: 'registered',
  async handle(ctx, a) {
    if (a.mentions.length) {
      if (a.words.length) throw new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);
      return personShifts(ctx, a.mentions[0].openId);
    }
    const word = (a.words[0] ?? 'now').trim();
    const w = word.toLowerCase();
    const { tz } = ctx.settings;
    if (w === 'now' || w === '现在' || w === '当前') return now(ctx);
    if (w === 'today' || w === '今天') return day(ctx, ctx.now);
    if (w === 'tonight' || w === '今晚') return night(ctx, 0);
    if (w === 'tomorrow-night' || w === '明晚') return night(ctx, 1);
    if (w === 'tomorrow' || w === '明天') return day(ctx, addLocalDays(ctx.now, 1, tz));
    if (w === 'week' || w === '本周' || w === '一周' || w === '周') return week(ctx);
    const date = parseLocalDate(word, ctx.now, tz);
    if (date && !date.hasTime) return day(ctx, date.date);
    const found = await findPeople(ctx.db, word.replace(/^@/, ''));
    if (found.length === 1) return personShifts(ctx, found[0].openId);
    if (found.length > 1) throw new BotError(`有多人名为「${word}」，请用 @ 指定。`, `Several people are called "${word}"; @-mention the one you mean.`);
    throw new BotError(`无法识别「${word}」。用法：${USAGE}`, `"${word}" is not a day, a date or a registered person. Usage: ${USAGE}`);
  },
});

/** Everyone on duty at `at` (now, or a night asked about) with phones. */
async function now(ctx: BotContext, at = ctx.now, night = false) {
  const list = await everyoneOnDuty(ctx.db, at);
  const info = await peopleInfo(ctx.db, list.map((s) => s.personOpenId));
  const marks = await dayMarks(ctx.db, formatDate(at, ctx.settings.tz));
  ctx.reply({ card: dutyNowCard({ at, list, info, marks, tz: ctx.settings.tz, night }) });
}

/** The hour a night shift is asked about (今晚谁值班 asks who is on at night, not the whole day). */
const NIGHT_HOUR = 21;

/**
 * Who is on duty tonight (days 0) or tomorrow night (1): at 21:00 that evening — or now, when
 * "tonight" is asked during the night itself (after 21:00 or before 06:00).
 */
async function night(ctx: BotContext, days: number) {
  const { tz } = ctx.settings;
  const p = localParts(ctx.now, tz);
  const duringNight = days === 0 && (p.hour >= NIGHT_HOUR || p.hour < 6);
  const base = days === 0 && p.hour < 6 ? ctx.now : addLocalDays(ctx.now, days, tz);
  const b = localParts(base, tz);
  return now(ctx, duringNight ? ctx.now : fromLocal(b.year, b.month, b.day, NIGHT_HOUR, 0, tz), true);
}

async function day(ctx: BotContext, d: Date) {
  const { tz } = ctx.settings;
  const list = await shiftsOn(ctx.db, d, tz);
  const info = await peopleInfo(ctx.db, list.map((s) => s.personOpenId));
  const date = formatDate(d, tz);
  const missingYears = await yearsWithoutHolidays(ctx.db, [Number(date.slice(0, 4))]);
  ctx.reply({ card: dutyDayCard({ date, list, info, marks: await dayMarks(ctx.db, date), missingYears, tz }) });
}

async function week(ctx: BotContext) {
  const { tz } = ctx.settings;
  const rows: WeekRow[] = [];
  for (let i = 0; i < 7; i++) {
    const d = addLocalDays(ctx.now, i, tz);
    const date = formatDate(d, tz);
    const list = await shiftsStartingOn(ctx.db, d, tz);
    rows.push({
      date,
      weekday: localParts(d, tz).weekday,
      leaders: list.filter((s) => s.role === 'leader'),
      officers: list.filter((s) => s.role === 'officer'),
      others: list.filter((s) => s.role !== 'leader' && s.role !== 'officer'),
      marks: await dayMarks(ctx.db, date),
    });
  }
  const info = await peopleInfo(ctx.db, rows.flatMap((r) => [...r.leaders, ...r.officers, ...(r.others ?? [])].map((s) => s.personOpenId)));
  // A week crossing into a year with no calendar would show its holidays as ordinary days: say so.
  const missingYears = await yearsWithoutHolidays(ctx.db, rows.map((r) => Number(r.date.slice(0, 4))));
  ctx.reply({ card: dutyWeekCard({ rows, info, missingYears, tz }) });
}

async function personShifts(ctx: BotContext, openId: string) {
  const { tz } = ctx.settings;
  const shifts = await nextShifts(ctx.db, openId, ctx.now, 10);
  const list = [];
  for (const shift of shifts) list.push({ shift, marks: await shiftMarks(ctx.db, shift, tz) });
  const info = await peopleInfo(ctx.db, [openId]);
  ctx.reply({ card: personShiftsCard({ openId, list, info, tz }) });
}
