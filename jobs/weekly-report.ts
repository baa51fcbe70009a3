import { Effects } from '../src/outbox/effects.ts';
import { chartFor } from '../src/bot/stats-view.ts';
import { boundChat } from '../src/domain/chats.ts';
import { computeStats } from '../src/domain/stats.ts';
import { bulletin } from '../src/domain/stats-bulletin.ts';
import { periodOf } from '../src/domain/stats-period.ts';
import { statsCard, weeklyReportTitle } from '../src/views/stats-cards.ts';
import type { Job } from '../src/jobs/types.ts';

/** Mondays 09:00: last week's (Monday–Sunday, local) statistics card with its chart, then the bulletin paragraph. */
const weeklyReport: Job = {
  name: 'weekly-report',
  cron: '0 9 * * 1',
  summary: { zh: '每周一 09:00 向领导群发送上周安全生产统计（图表）和通报段落', en: "last week's statistics with chart and the bulletin paragraph to the leaders' chat, Mondays 09:00" },
  async run({ db, settings, log, lark }, now) {
    const fx = new Effects(now);
    const chatId = await boundChat(db, 'leaders');
    if (!chatId) {
      log.warn('weekly-report: no leaders chat is bound (/bind leaders); nothing sent');
      return fx;
    }
    const period = periodOf('上周', now, settings.tz);
    const stats = await computeStats(db, period, undefined, now);
    const chart = await chartFor(db, lark, stats, now, log);
    const key = `weekly-report:${period.tag}`;
        fx.send({ chatId }, { card: statsCard(stats, { tz: settings.tz, chart, title: weeklyReportTitle(period) }) }, { dedupeKey: `${key}:card` });
    fx.send({ chatId }, { text: bulletin(stats) }, { dedupeKey: `${key}:bulletin` });
    return fx;
  },
};

export default weeklyReport;
