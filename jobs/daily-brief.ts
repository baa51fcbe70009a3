import type { Db } from '../src/db/client.ts';
import { briefFigures } from '../src/domain/brief.ts';
import { boundChat } from '../src/domain/chats.ts';
import { openIncidents } from '../src/domain/incidents.ts';
import { onDutyToday } from '../src/domain/roster-brief.ts';
import { formatDate } from '../src/domain/time.ts';
import type { Job, JobDeps } from '../src/jobs/types.ts';
import type { Backups } from '../src/backup/backups.ts';
import { backupState } from '../src/domain/backup-status.ts';
import type { Element } from '../src/lark/cards.ts';
import { Effects } from '../src/outbox/effects.ts';
import type { Settings } from '../src/settings.ts';
import { buzzUsage } from '../src/domain/escalations.ts';
import { buzzUsageLines } from '../src/views/escalation-cards.ts';
import { backupBriefLines, briefFigureLines, dailyBriefCard as briefCard, onDutyTodayLines, openIncidentsLines } from '../src/views/daily-brief.ts';

type BriefSection = (deps: BriefDeps, now: Date) => Promise<Element[]>;
type BriefDeps = Pick<JobDeps, 'db' | 'settings' | 'backups'>;

/** The brief's sections, in the order they appear: each asks a rule for its data and renders it. */
export const BRIEF_SECTIONS: readonly BriefSection[] = [
  async ({ db, settings }, now) => onDutyTodayLines(await onDutyToday(db, settings.tz, now), settings.tz),
  async ({ db, settings }, now) => briefFigureLines(await briefFigures(db, settings, now), settings.tz),
  async ({ db, settings }) => openIncidentsLines(await openIncidents(db, 20), settings.tz),
  // This month's paid buzzes against their limits (issue 16).
  async ({ db, settings }, now) => buzzUsageLines(await buzzUsage(db, now, settings.tz), settings),
  // The last good backup, and a failure newer than it (issue 12); nothing where this process takes none.
  async ({ db, settings, backups }) => (backups ? backupBriefLines(await backupState(db, backups), settings.tz) : []),
];

export async function dailyBriefCard(db: Db, settings: Settings, now: Date, backups?: Backups) {
  const sections: Element[][] = [];
  for (const section of BRIEF_SECTIONS) sections.push(await section({ db, settings, backups }, now));
  return briefCard(sections, now, settings.tz);
}

/** 08:30 to the leaders' chat. */
const dailyBrief: Job = {
  name: 'daily-brief',
  cron: '30 8 * * *',
  summary: { zh: '每天 08:30 向领导群发送安全简报', en: "the leaders' brief at 08:30" },
  async run({ db, settings, log, backups }, now) {
    const fx = new Effects(now);
    const chatId = await boundChat(db, 'leaders');
    if (!chatId) {
      log.warn('daily-brief: no leaders chat is bound (/bind leaders); nothing sent');
      return fx;
    }
    fx.send({ chatId }, { card: await dailyBriefCard(db, settings, now, backups) }, { dedupeKey: `daily-brief:${formatDate(now, settings.tz)}` });
    return fx;
  },
};

export default dailyBrief;
