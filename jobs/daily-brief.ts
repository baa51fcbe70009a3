import type { Db } from '../src/db/client.ts';
import { briefFigures } from '../src/domain/brief.ts';
import { boundChat } from '../src/domain/chats.ts';
import { openIncidents } from '../src/domain/incidents.ts';
import { onDutyToday } from '../src/domain/roster-brief.ts';
import { formatDate } from '../src/domain/time.ts';
import type { Job } from '../src/jobs/types.ts';
import type { Element } from '../src/lark/cards.ts';
import { Effects } from '../src/outbox/effects.ts';
import type { Settings } from '../src/settings.ts';
import { buzzUsage } from '../src/domain/escalations.ts';
import { buzzUsageLines } from '../src/views/escalation-cards.ts';
import { briefFigureLines, dailyBriefCard as briefCard, onDutyTodayLines, openIncidentsLines } from '../src/views/daily-brief.ts';

type BriefSection = (db: Db, settings: Settings, now: Date) => Promise<Element[]>;

/** The brief's sections, in the order they appear: each asks a rule for its data and renders it. */
export const BRIEF_SECTIONS: readonly BriefSection[] = [
  async (db, settings, now) => onDutyTodayLines(await onDutyToday(db, settings.tz, now), settings.tz),
  async (db, settings, now) => briefFigureLines(await briefFigures(db, settings, now), settings.tz),
  async (db, settings) => openIncidentsLines(await openIncidents(db, 20), settings.tz),
  // This month's paid buzzes against their limits (issue 16).
  async (db, settings, now) => buzzUsageLines(await buzzUsage(db, now, settings.tz), settings),
];

export async function dailyBriefCard(db: Db, settings: Settings, now: Date) {
  const sections: Element[][] = [];
  for (const section of BRIEF_SECTIONS) sections.push(await section(db, settings, now));
  return briefCard(sections, now, settings.tz);
}

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
