import { defineCommand } from '../src/bot/command.ts';
import { PERIOD_USAGE, readStatsWords, STATS_ROLES, statsArgs, statsScope } from '../src/bot/stats-view.ts';
import { computeStats } from '../src/domain/stats.ts';
import { bulletin } from '../src/domain/stats-bulletin.ts';
import { computeComparison } from '../src/domain/stats-compare.ts';
import { ledgerParagraph } from '../src/views/stats-ledger.ts';

const USAGE = `/bulletin ${PERIOD_USAGE}`;

export default defineCommand({
  name: 'bulletin',
  aliases: ['通报'],
  summary: {
    zh: '生成一段可直接粘贴进报告的通报文字（默认本月），如"累计排查生产经营单位N户次，排查事故隐患N条……"',
    en: 'a Chinese paragraph for reports (this month by default), in the style of "累计排查生产经营单位N户次，排查事故隐患N条…"',
  },
  usage: USAGE,
  args: statsArgs,
  roles: STATS_ROLES,
  async handle(ctx, { words }) {
    const scope = statsScope(ctx.caller);
    const { period } = readStatsWords(words, { grouping: false, usage: USAGE }, ctx.now, ctx.settings.tz);
    const [stats, comparison] = await Promise.all([
      computeStats(ctx.db, period, undefined, ctx.now, scope),
      computeComparison(ctx.db, period, ctx.now, scope, ctx.settings.tz),
    ]);
    // The paragraph alone, so it can be copied as it is; 同比/环比 and the ledger's figures follow as a second.
    ctx.reply({ text: bulletin(stats) });
    const more = ledgerParagraph(stats, comparison);
    if (more) ctx.reply({ text: more });
  },
});
