// What /stats, /bulletin, /export and the weekly report share: reading the period and grouping
// words, the caller's scope (inspectors see their own township), and the chart upload.

import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Caller } from '../domain/people.ts';
import { ALL, computeStats, GROUPING_LABELS, parseGrouping, type Grouping, type Scope, type Stats } from '../domain/stats.ts';
import { parsePeriod, PERIOD_HINT, type Period } from '../domain/stats-period.ts';
import type { LarkClient } from '../lark/client.ts';
import { chartGrouping, scopeText, type ChartOutcome } from '../views/stats-cards.ts';
import { errorFields, type Logger } from '../log.ts';
import { BotError } from './errors.ts';

export const STATS_ROLES = ['leader', 'admin', 'inspector'] as const;
export const PERIOD_USAGE = `[${PERIOD_HINT}]`;
export const GROUPING_USAGE = '[按行业|按乡镇|按县|按企业]';

/** Words only: a period (possibly typed as `2026-11-01 至 2026-11-30`) and, where allowed, a grouping. */
export const statsArgs = z.object({
  words: z.array(z.string()).max(5),
  options: z.record(z.string(), z.string()).refine((o) => Object.keys(o).length === 0),
});

export function readStatsWords(words: string[], o: { grouping: boolean; usage: string }, now: Date, tz: string): { period: Period; grouping?: Grouping } {
  let grouping: Grouping | undefined;
  const rest: string[] = [];
  for (const w of words) {
    const g = parseGrouping(w);
    if (!g) rest.push(w);
    else if (!o.grouping || grouping) throw usageError(o.usage);
    else grouping = g;
  }
  // A range may arrive in pieces ("2026-11-01 .. 2026-11-30"); the pieces join back into one.
  const p = parsePeriod(rest.length ? rest.join('') : undefined, now, tz);
  if (!p.ok) throw new BotError(`${p.zh}。用法：${o.usage}`, `${p.en}. Usage: ${o.usage}`);
  return { period: p.period, grouping };
}

const usageError = (usage: string) => new BotError(`参数有误。用法：${usage}`, `Bad arguments. Usage: ${usage}`);

/**
 * Admins see everything; leaders every township of their county (issue 20), or all of them when they
 * have none (a province's or a city's leaders); an inspector (only) sees their own township, or
 * their county when they are on record with a county and no township.
 */
export function statsScope(caller: Caller): Scope {
  if (caller.roles.has('admin')) return ALL;
  const county = caller.person?.county?.trim();
  if (caller.roles.has('leader')) return county ? { kind: 'county', county } : ALL;
  const township = caller.person?.township?.trim();
  if (!township && county) return { kind: 'county', county };
  if (!township) {
    throw new BotError(
      '检查员只能查看本乡镇的统计，但您的人员信息没有登记乡镇，请联系管理员补充。',
      'Inspectors see their own township, but yours is not on record; ask an admin to add it.',
    );
  }
  return { kind: 'township', township };
}

/**
 * Renders the chart (by sector, or by township when the figures are grouped so) and uploads it
 * through im/v1/images before anything is committed. Any failure leaves the card without a chart
 * and says why; it never loses the figures.
 */
export async function chartFor(db: Db, lark: LarkClient | undefined, s: Stats, now: Date, log: Logger): Promise<ChartOutcome> {
  const by = chartGrouping(s);
  const groups = s.groupedBy === by ? s.groups : (await computeStats(db, s.period, by, now, s.scope)).groups;
  const bars = groups.filter((g) => g.found > 0).map((g) => ({ label: g.label.zh, found: g.found, rectified: g.rectified }));
  if (!bars.length) return { missing: { zh: '本期没有发现隐患，未生成图表。', en: 'No hazards in this period, so no chart.' } };
  if (!lark) return { missing: { zh: '当前环境无法上传图片，未附图表。', en: 'Images cannot be uploaded here; no chart.' } };
  let png: Uint8Array;
  try {
    // Loaded on first use: the native renderer and the 10 MB font stay out of start-up.
    const { renderStatsChart } = await import('../views/stats-chart.ts');
    const { zh: scopeZh } = scopeText(s);
    png = renderStatsChart({ title: `${s.period.phrase} 隐患发现与整改（按${GROUPING_LABELS[by].zh}）`, subtitle: `${scopeZh} · ${s.period.label.zh}`, bars });
  } catch (e) {
    log.error('stats chart could not be drawn', errorFields(e));
    return { missing: { zh: '图表生成失败，本次未附图表。', en: 'The chart could not be drawn; none this time.' } };
  }
  try {
    const { imageKey } = await lark.uploadImage(png);
    return { imageKey };
  } catch (e) {
    log.warn('stats chart upload failed; sending the card without it', errorFields(e));
    return { missing: { zh: '图表上传失败，本次未附图表；数据不受影响，可稍后重发命令。', en: 'The chart upload failed, so it is missing this time; the figures are complete. Send the command again later for the chart.' } };
  }
}
