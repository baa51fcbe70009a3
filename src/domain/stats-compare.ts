// 同比 / 环比: a month, quarter or year against the period before it (环比) and the same period a
// year earlier (同比), for the figures leaders compare — 户次, hazards found, rectified, 整改率 and
// 经济处罚 — computed exactly as the period's own (computeStats, by sector), so the definitions
// cannot drift. A comparison whose earlier figure is zero is left out: a change from nothing is
// not a percentage (never ∞). 整改率 changes by percentage points.

import type { Db } from '../db/client.ts';
import { computeStats, type Figures, type Scope } from './stats.ts';
import { comparisonPeriods, type Period } from './stats-period.ts';
import { finePhrase, rectificationRate } from './stats-format.ts';

export interface Comparison {
  previous: { period: Period; total: Figures };
  yearAgo: { period: Period; total: Figures };
}

export async function computeComparison(db: Db, period: Period, now: Date, scope: Scope, tz: string): Promise<Comparison | undefined> {
  const ps = comparisonPeriods(period, tz);
  if (!ps) return undefined;
  const [previous, yearAgo] = await Promise.all([
    computeStats(db, ps.previous, 'sector', now, scope),
    computeStats(db, ps.yearAgo, 'sector', now, scope),
  ]);
  return { previous: { period: ps.previous, total: previous.total }, yearAgo: { period: ps.yearAgo, total: yearAgo.total } };
}

/** The change from `before` to `now` in tenths of a percent, half up; undefined when before is 0. */
export function changeTenths(now: number, before: number): number | undefined {
  if (before <= 0) return undefined;
  const diff = Math.abs(now - before);
  const tenths = Math.floor((2000 * diff + before) / (2 * before));
  return now >= before ? tenths : -tenths;
}

/** 整改率 in tenths of a percent (as rectificationRate rounds it); undefined when nothing was found. */
function rateTenths(f: Figures): number | undefined {
  if (f.found <= 0) return undefined;
  return Math.floor((2000 * f.rectified + f.found) / (2 * f.found));
}

const tenthsText = (t: number) => `${Math.floor(Math.abs(t) / 10)}.${Math.abs(t) % 10}`;

/** `增长12.5%`, `下降3.0%`, `持平`. */
export function changeWords(t: number): string {
  if (t === 0) return '持平';
  return `${t > 0 ? '增长' : '下降'}${tenthsText(t)}%`;
}
/** `提高5.2个百分点` for a rate. */
export function pointWords(t: number): string {
  if (t === 0) return '持平';
  return `${t > 0 ? '提高' : '下降'}${tenthsText(t)}个百分点`;
}
/** For a card: `+12.5%` / `−3.0%` / `±0` (points: `+5.2pt`). */
export const changeSign = (t: number, points = false) => (t === 0 ? '±0' : `${t > 0 ? '+' : '−'}${tenthsText(t)}${points ? '个百分点' : '%'}`);

export type CompareMetric = 'inspections' | 'found' | 'rectified' | 'rate' | 'fine';

export interface CompareLine {
  metric: CompareMetric;
  label: { zh: string; en: string };
  /** The figure as written in the period. */
  value: string;
  /** Tenths of a percent (of a point, for the rate); undefined = left out. */
  yoy?: number;
  mom?: number;
}

const LABELS: Record<CompareMetric, { zh: string; en: string }> = {
  inspections: { zh: '户次', en: 'visits' },
  found: { zh: '发现隐患', en: 'hazards found' },
  rectified: { zh: '已整改', en: 'rectified' },
  rate: { zh: '整改率', en: 'rectification rate' },
  fine: { zh: '经济处罚', en: 'fines' },
};

/** Each compared figure with its 同比 and 环比 (either left out when the earlier period has no data). */
export function compareLines(cur: Figures, c: Comparison): CompareLine[] {
  const count = (metric: 'inspections' | 'found' | 'rectified' | 'fine', pick: (f: Figures) => number, value: string): CompareLine => ({
    metric,
    label: LABELS[metric],
    value,
    yoy: changeTenths(pick(cur), pick(c.yearAgo.total)),
    mom: changeTenths(pick(cur), pick(c.previous.total)),
  });
  const rate = rateTenths(cur);
  const pts = (before: Figures) => {
    const b = rateTenths(before);
    return rate === undefined || b === undefined ? undefined : rate - b;
  };
  return [
    count('inspections', (f) => f.inspections, `${cur.inspections}户次`),
    count('found', (f) => f.found, `${cur.found}条`),
    count('rectified', (f) => f.rectified, `${cur.rectified}条`),
    { metric: 'rate', label: LABELS.rate, value: rectificationRate(cur.rectified, cur.found), yoy: pts(c.yearAgo.total), mom: pts(c.previous.total) },
    count('fine', (f) => f.fineFen, finePhrase(cur.fineFen)),
  ];
}

const PHRASE: Record<CompareMetric, (v: string) => string> = {
  inspections: (v) => `累计排查生产经营单位${v}`,
  found: (v) => `排查隐患${v}`,
  rectified: (v) => `已整改${v}`,
  rate: (v) => `整改率${v}`,
  fine: (v) => `经济处罚${v}`,
};

/**
 * The bulletin's comparison sentence: `排查隐患612条，同比增长12.5%，环比下降3.1%；…`. Figures with
 * neither comparison are left out; undefined when nothing can be compared.
 */
export function comparisonSentence(cur: Figures, c: Comparison): string | undefined {
  const parts: string[] = [];
  for (const l of compareLines(cur, c)) {
    const words = l.metric === 'rate' ? pointWords : changeWords;
    const bits = [l.yoy !== undefined ? `同比${words(l.yoy)}` : '', l.mom !== undefined ? `环比${words(l.mom)}` : ''].filter(Boolean);
    if (bits.length) parts.push(`${PHRASE[l.metric](l.value)}，${bits.join('，')}`);
  }
  return parts.length ? `${parts.join('；')}。` : undefined;
}
