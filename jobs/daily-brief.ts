import { Effects } from '../src/outbox/effects.ts';
import { boundChat } from '../src/domain/chats.ts';
import { dailyBriefCard } from '../src/domain/brief.ts';
import { formatDate } from '../src/domain/time.ts';
import type { Job } from '../src/jobs/types.ts';
// Sections other modules add to the brief register when imported.
import '../src/domain/roster-brief.ts';

/** 08:30 to the leaders' chat. */
const dailyBrief: Job = {
  name: 'daily-brief',
  cron: '30 8 * * *',
  summary: { zh: '每天 08:30 向领导群发送安全简报', en: "the leaders' brief at 08:30" },
  async run({ db, settings, log }, now) {
    const fx = new Effects(now);
    const chatId = await boundChat(db, 'leaders');
    if (!chatId) {
      log.warn('daily-brief: no leaders chat is bound (/bind leaders); nothing sent');
      return fx;
    }
    fx.send({ chatId }, { card: await dailyBriefCard(db, settings, now) }, { dedupeKey: `daily-brief:${formatDate(now, settings.tz)}` });
    return fx;
  },
};

export default dailyBrief;
