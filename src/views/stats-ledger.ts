// The ledger's figures on the statistics card and in the bulletin's second paragraph: hazards by
// source, 按期整改率 beside 整改率, listed / extended / 立查立改, 12350 tips, and 同比 / 环比.

import { HAZARD_SOURCES, SOURCE_LABELS } from '../domain/hazard-sources.ts';
import type { Stats } from '../domain/stats.ts';
import type { LedgerFigures } from '../domain/stats-ledger.ts';
import { changeSign, compareLines, comparisonSentence, type Comparison } from '../domain/stats-compare.ts';
import { rectificationRate } from '../domain/stats-format.ts';
import { md, type Element } from '../lark/cards.ts';

/** 按期整改率: rectified by the original deadline ÷ rectified. */
export const onTimeRate = (t: { rectified: number }, l: LedgerFigures) => rectificationRate(t.rectified - l.rectifiedLate, t.rectified);

const b = (n: number | string) => `**${n}**`;

/** Card lines: by source, 按期整改率 and the ledger counts, tips; 同比/环比 when given. */
export function ledgerLines(s: Stats, comparison?: Comparison): Element[] {
  const l = s.ledger;
  const out: Element[] = [];
  if (l) {
    const t = s.total;
    const sources = HAZARD_SOURCES.filter((k) => l.bySource[k].found > 0);
    const zh = sources.map((k) => `${SOURCE_LABELS[k].zh} ${l.bySource[k].found} 条（已整改 ${l.bySource[k].rectified}）`).join('，') || '—';
    const en = sources.map((k) => `${SOURCE_LABELS[k].en} ${l.bySource[k].found} (${l.bySource[k].rectified} rectified)`).join(', ') || '—';
    out.push(
      md(
        `**隐患来源** ${zh}\n**按期整改率** ${b(onTimeRate(t, l))}（整改率 ${rectificationRate(t.rectified, t.found)}）· 挂牌督办 ${b(l.listed)} 条 · 延期 ${b(l.extended)} 条 · 立查立改 ${b(l.onTheSpot)} 条`,
        `**By source** ${en}\n**Rectified on time** ${b(onTimeRate(t, l))} (rate ${rectificationRate(t.rectified, t.found)}) · listed ${b(l.listed)} · extended ${b(l.extended)} · fixed on the spot ${b(l.onTheSpot)}`,
      ),
      md(
        `**群众举报（12350）** 受理 ${b(l.tips.received)} 件，核查属实 ${b(l.tips.substantiated)} 件、不属实 ${b(l.tips.unsubstantiated)} 件，转为隐患 ${b(l.tips.hazards)} 条`,
        `**Public tips (12350)** ${b(l.tips.received)} received, ${b(l.tips.substantiated)} substantiated, ${b(l.tips.unsubstantiated)} unfounded, ${b(l.tips.hazards)} hazards from them`,
      ),
    );
  }
  if (comparison) {
    const lines = compareLines(s.total, comparison);
    if (lines.every((x) => x.yoy === undefined && x.mom === undefined)) {
      out.push(md(`**同比 / 环比** ${comparison.yearAgo.period.phrase}、${comparison.previous.period.phrase}均无数据，不作比较。`, `**Comparisons** none: ${comparison.yearAgo.period.tag} and ${comparison.previous.period.tag} have no data.`));
      return out;
    }
    const cell = (v: number | undefined, pts: boolean) => (v === undefined ? '—' : changeSign(v, pts));
    const zh = lines.map((x) => `${x.label.zh} ${x.value}：同比 ${cell(x.yoy, x.metric === 'rate')}，环比 ${cell(x.mom, x.metric === 'rate')}`).join('\n');
    const en = lines.map((x) => `${x.label.en} ${x.value}: year on year ${cell(x.yoy, x.metric === 'rate')}, on the previous period ${cell(x.mom, x.metric === 'rate')}`).join('\n');
    out.push(
      md(
        `**同比 / 环比**（同比：${comparison.yearAgo.period.phrase}；环比：${comparison.previous.period.phrase}；上期无数据的不作比较）\n${zh}`,
        `**Year on year / on the previous period** (${comparison.yearAgo.period.tag} / ${comparison.previous.period.tag}; left out where the earlier period has no data)\n${en}`,
      ),
    );
  }
  return out;
}

/**
 * The bulletin's second paragraph: 同比/环比, the sources, 按期整改率 and the ledger counts, tips.
 * Undefined when there is nothing to add (the first paragraph stays exactly as before).
 */
export function ledgerParagraph(s: Stats, comparison?: Comparison): string | undefined {
  const parts: string[] = [];
  if (comparison) {
    const c = comparisonSentence(s.total, comparison);
    if (c) parts.push(c);
  }
  const l = s.ledger;
  if (l && s.total.found) {
    const others = HAZARD_SOURCES.filter((k) => k !== 'inspection' && l.bySource[k].found > 0);
    if (others.length) {
      parts.push(`按来源分，${HAZARD_SOURCES.filter((k) => l.bySource[k].found > 0).map((k) => `${SOURCE_LABELS[k].zh}${l.bySource[k].found}条`).join('，')}。`);
    }
    if (s.total.rectified) parts.push(`按期整改率${onTimeRate(s.total, l)}。`);
    const flags = [l.listed ? `挂牌督办${l.listed}条` : '', l.extended ? `延期整改${l.extended}条` : '', l.onTheSpot ? `立查立改${l.onTheSpot}条` : ''].filter(Boolean);
    if (flags.length) parts.push(`${flags.join('，')}。`);
  }
  if (l && l.tips.received) {
    parts.push(`受理群众举报${l.tips.received}件，核查属实${l.tips.substantiated}件，转为隐患${l.tips.hazards}条。`);
  }
  return parts.length ? parts.join('') : undefined;
}
