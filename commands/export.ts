import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { PERIOD_USAGE, readStatsWords, STATS_ROLES, statsArgs, statsScope } from '../src/bot/stats-view.ts';
import { computeStats } from '../src/domain/stats.ts';
import { buildExport } from '../src/domain/stats-export.ts';
import { errorFields } from '../src/log.ts';

const USAGE = `/export ${PERIOD_USAGE}`;

export default defineCommand({
  name: 'export',
  aliases: ['导出'],
  summary: {
    zh: '导出 Excel（默认本月）：隐患明细一张表、统计一张表，发到本会话',
    en: 'an Excel file (this month by default): one sheet of hazards, one of statistics, sent to this chat',
  },
  usage: USAGE,
  args: statsArgs,
  roles: STATS_ROLES,
  async handle(ctx, { words }) {
    const scope = statsScope(ctx.caller);
    const { period } = readStatsWords(words, { grouping: false, usage: USAGE }, ctx.now, ctx.settings.tz);
    const lark = ctx.deps.lark;
    if (!lark) throw new BotError('当前环境无法上传文件。', 'Files cannot be uploaded here.');
    const [bySector, byTownship] = await Promise.all([
      computeStats(ctx.db, period, 'sector', ctx.now, scope),
      computeStats(ctx.db, period, 'township', ctx.now, scope),
    ]);
    const file = await buildExport(ctx.db, { bySector, byTownship, tz: ctx.settings.tz, now: ctx.now });
    let fileKey: string;
    try {
      ({ fileKey } = await lark.uploadFile({ bytes: file.bytes, fileName: file.fileName, fileType: 'xls' }));
    } catch (e) {
      ctx.deps.log.warn('export upload failed', errorFields(e));
      throw new BotError('导出文件上传失败，请稍后重试。', 'The export could not be uploaded; please try again later.');
    }
    ctx.reply({ fileKey });
    if (file.total > file.written) {
      ctx.reply({
        text: `本期共 ${file.total} 条隐患，文件中仅含按上报时间最早的 ${file.written} 条；请缩小时间范围分批导出。\nThe period has ${file.total} hazards; the file holds the first ${file.written} by report time. Export shorter periods for the rest.`,
      });
    }
  },
});
