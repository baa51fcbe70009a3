import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { requireRole } from '../src/bot/access.ts';
import { BotError } from '../src/bot/errors.ts';
import { mirrorKeyPeriods } from '../src/bot/mirror-flow.ts';
import { addKeyPeriod, keyPeriodById, listKeyPeriods, parseDateRange, removeKeyPeriod } from '../src/domain/holidays.ts';
import { yearsBetween, yearsWithoutHolidays } from '../src/domain/holiday-years.ts';
import { formatDate } from '../src/domain/time.ts';
import { missingCalendarText } from '../src/views/holiday-calendar.ts';

const USAGE = '/keyperiod 2026-03-04..2026-03-11 全国两会 | /keyperiod [all] | /keyperiod remove 编号';
const WHAT = { zh: '设置重点时段', en: 'Declaring key periods' };

export default defineCommand({
  name: 'keyperiod',
  aliases: ['重点时段'],
  summary: { zh: '查看重点时段；管理员可设置（如 全国两会）或删除', en: 'list key periods; admins declare (e.g. 全国两会) or remove them' },
  usage: USAGE,
  args: z.object({ words: z.array(z.string()).max(20) }),
  roles: 'registered',
  async handle(ctx, { words }) {
    const { tz } = ctx.settings;
    const first = (words[0] ?? '').toLowerCase();
    if (words.length === 0 || ((first === 'all' || first === '全部') && words.length === 1)) {
      const rows = await listKeyPeriods(ctx.db, formatDate(ctx.now, tz), words.length === 1);
      const lines = rows.map((r) => `#${r.id}  ${r.startDate} – ${r.endDate}  ${r.name}`);
      ctx.reply({
        text: rows.length
          ? ['重点时段 Key periods:', ...lines, '', '节假日也按重点时段处理。 Public holidays count as key periods too.'].join('\n')
          : '当前没有设置重点时段（节假日自动视为重点时段）。\nNo key periods declared (public holidays count as key periods anyway).',
      });
      return;
    }
    requireRole(ctx.caller, ['admin'], WHAT);
    if (first === 'remove' || first === 'delete' || first === 'del' || first === '删除') {
      const id = Number((words[1] ?? '').replace(/^#/, ''));
      if (!Number.isInteger(id) || id <= 0 || words.length !== 2) throw new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);
      const row = await keyPeriodById(ctx.db, id);
      if (!row) throw new BotError(`没有编号为 #${id} 的重点时段。`, `There is no key period #${id}.`);
      ctx.write(removeKeyPeriod(ctx.db, id));
      mirrorKeyPeriods(ctx, ctx.settings);
      ctx.reply({ text: `已删除重点时段 #${id}：${row.startDate} – ${row.endDate} ${row.name}\nRemoved key period #${id}: ${row.startDate} – ${row.endDate} ${row.name}` });
      return;
    }
    const range = parseDateRange(words[0], ctx.now, tz);
    const name = words.slice(1).join(' ').trim();
    if (!range || !name) throw new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);
    if (name.length > 50) throw new BotError('名称过长（最多 50 字）。', 'The name is too long (50 characters at most).');
    ctx.write(addKeyPeriod(ctx.db, { ...range, name }, ctx.caller.openId, ctx.now));
    mirrorKeyPeriods(ctx, ctx.settings);
    // An admin reads this reply, so the missing calendar is named right here as well.
    const missing = (await yearsWithoutHolidays(ctx.db, yearsBetween(range.startDate, range.endDate))).map(missingCalendarText);
    ctx.reply({
      text: [
        `已设置重点时段：${range.startDate} – ${range.endDate} ${name}。期间值班提醒同时发给带班领导。`,
        ...missing.map((t) => t.zh),
        `Key period declared: ${range.startDate} – ${range.endDate} ${name}. Shift reminders in it also go to the leader on duty.`,
        ...missing.map((t) => t.en),
      ].join('\n'),
    });
  },
});
