import { and, count, eq, gte, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards } from '../db/schema.ts';
import type { Settings } from '../settings.ts';
import { stepFor } from './nag-ladder.ts';
import { statusLabel } from './hazard-terms.ts';
import { addLocalDays, formatDate, formatDateTime, startOfLocalDay } from './time.ts';
import { card, md, hr, type Element } from '../lark/cards.ts';

/** Lines other parts of the product add to the brief (the roster adds who is on duty). */
export type BriefSection = (db: Db, settings: Settings, now: Date) => Promise<Element[]>;
export const briefSections: { beforeFigures: BriefSection[]; afterFigures: BriefSection[] } = { beforeFigures: [], afterFigures: [] };

/** The leaders' morning brief: yesterday's movement, overdue by level, open major hazards. */
export async function dailyBriefCard(db: Db, settings: Settings, now: Date) {
  const tz = settings.tz;
  const today = startOfLocalDay(now, tz).getTime();
  const yesterday = startOfLocalDay(addLocalDays(now, -1, tz), tz).getTime();
  const within = (col: typeof hazards.reportedAt | typeof hazards.rectifiedAt | typeof hazards.closedAt) => and(gte(col, yesterday), lt(col, today));
  const [[reported], [rectified], [closed]] = await Promise.all([
    db.select({ n: count() }).from(hazards).where(within(hazards.reportedAt)),
    db.select({ n: count() }).from(hazards).where(within(hazards.rectifiedAt)),
    db.select({ n: count() }).from(hazards).where(within(hazards.closedAt)),
  ]);
  const overdue = await db
    .select({ level: hazards.level, deadline: sql<number>`${hazards.deadline}` })
    .from(hazards)
    .where(and(eq(hazards.status, 'dispatched'), lt(hazards.deadline, now.getTime())));
  const byLevel = new Map<number, number>();
  for (const h of overdue) {
    const step = stepFor(settings.nagLadder, h, now.getTime());
    if (step) byLevel.set(step.level, (byLevel.get(step.level) ?? 0) + 1);
  }
  const majors = await db
    .select({ no: hazards.no, status: hazards.status, enterprise: enterprises.name, deadline: hazards.deadline })
    .from(hazards)
    .innerJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(and(eq(hazards.level, 'major'), ne(hazards.status, 'closed')))
    .orderBy(hazards.deadline)
    .limit(10);

  const day = formatDate(new Date(yesterday), tz);
  const levels = settings.nagLadder.steps.map((s) => `${s.level}级 ${byLevel.get(s.level) ?? 0} 条`).join('，');
  const levelsEn = settings.nagLadder.steps.map((s) => `level ${s.level}: ${byLevel.get(s.level) ?? 0}`).join(', ');
  const elements: Element[] = [];
  for (const section of briefSections.beforeFigures) elements.push(...(await section(db, settings, now)));
  elements.push(
    md(
      `**昨日（${day}）** 新增隐患 ${reported.n} 条，整改完成 ${rectified.n} 条，销号 ${closed.n} 条。`,
      `**Yesterday (${day})**: ${reported.n} new hazards, ${rectified.n} rectified, ${closed.n} closed.`,
    ),
    md(`**逾期未整改** ${overdue.length} 条（${levels}）。`, `**Overdue**: ${overdue.length} (${levelsEn}).`),
    hr(),
    md(
      majors.length
        ? `**在办重大隐患 Open major hazards**\n${majors.map((m) => `- ${m.no} ${m.enterprise}（${statusLabel(m.status).zh}）期限 ${m.deadline ? formatDateTime(new Date(m.deadline), tz) : '—'}`).join('\n')}`
        : '无在办重大隐患。 No open major hazards.',
    ),
  );
  for (const section of briefSections.afterFigures) elements.push(...(await section(db, settings, now)));
  return card({ title: { zh: `每日安全简报 ${formatDate(now, tz)}`, en: `Daily safety brief ${formatDate(now, tz)}` }, template: 'blue', elements });
}
