import { defineCommand } from '../src/bot/command.ts';
import { chartFor, GROUPING_USAGE, PERIOD_USAGE, readStatsWords, STATS_ROLES, statsArgs, statsScope } from '../src/bot/stats-view.ts';
import { computeStats } from '../src/domain/stats.ts';
import { computeComparison } from '../src/domain/stats-compare.ts';
import { statsCard } from '../src/views/stats-cards.ts';

const USAGE = `/stats ${PERIOD_USAGE} ${GROUPING_USAGE}`;

export default defineCommand({
  name: 'stats',
  aliases: ['统计'],
  summary: {
    zh: '安全生产统计（默认本月）：排查户次、隐患与整改率、执法、应急响应，附图表；可按行业/乡镇/企业分列。检查员只看本乡镇',
    en: 'safety statistics (this month by default): inspections, hazards and rectification rate, enforcement, emergency response, with a chart; by sector/township/enterprise. Inspectors see their own township',
  },
  usage: USAGE,
  args: statsArgs,
  roles: STATS_ROLES,
  async handle(ctx, { words }) {
    const scope = statsScope(ctx.caller);
    const { period, grouping } = readStatsWords(words, { grouping: true, usage: USAGE }, ctx.now, ctx.settings.tz);
    const [stats, comparison] = await Promise.all([
      computeStats(ctx.db, period, grouping, ctx.now, scope),
      computeComparison(ctx.db, period, ctx.now, scope, ctx.settings.tz),
    ]);
    const chart = await chartFor(ctx.db, ctx.deps.lark, stats, ctx.now, ctx.deps.log);
    ctx.reply({ card: statsCard(stats, { tz: ctx.settings.tz, chart, comparison }) });
  },
});
