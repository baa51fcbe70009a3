// The statistics card: the figures leaders publish, the chart, and (with a grouping) the same
// columns per sector / township / enterprise in a table sorted by hazards found.

import type { Bi } from '../bi.ts';
import { GROUPING_LABELS, type Figures, type Stats } from '../domain/stats.ts';
import { scopeName } from '../domain/stats-scope.ts';
import { formatDuration } from '../domain/incidents.ts';
import { fineWan, rectificationRate } from '../domain/stats-format.ts';
import { formatDateTime } from '../domain/time.ts';
import { card, hr, image, md, table, type Card, type Element } from '../lark/cards.ts';
import { ledgerLines } from './stats-ledger.ts';
import type { Comparison } from '../domain/stats-compare.ts';

/** At most this many groups in the card's table (the card must stay under Lark's 30 KB). */
export const TABLE_MAX_ROWS = 50;

export type ChartOutcome = { imageKey: string } | { missing: Bi };

export function scopeText(s: Stats): Bi {
  const name = scopeName(s.scope);
  return name ? { zh: name, en: name } : { zh: '全部乡镇', en: 'all townships' };
}

/** The figures as lines (Chinese and English), shared with the weekly report. */
export function figureLines(s: Stats): Element[] {
  const t = s.total;
  const b = (n: number | string) => `**${n}**`;
  const rate = rectificationRate(t.rectified, t.found);
  const covertZh = t.covert ? `，其中暗查暗访 ${b(t.covert)} 户次（${t.covertEnterprises} 户企业，发现隐患 ${s.covertHazards.found} 条、已整改 ${s.covertHazards.rectified} 条）` : '';
  const covertEn = t.covert ? `, ${b(t.covert)} of them covert (${t.covertEnterprises} enterprises; ${s.covertHazards.found} hazards found, ${s.covertHazards.rectified} rectified)` : '';
  const lines: Element[] = [
    md(`**排查** 生产经营单位 ${b(t.inspections)} 户次${covertZh}`, `**Inspections** ${b(t.inspections)} visits${covertEn}`),
    md(
      `**隐患** 发现 ${b(t.found)} 条，已整改 ${b(t.rectified)} 条，整改率 ${b(rate)}\n重大隐患 发现 ${b(t.majorFound)} 条，已整改 ${b(t.majorRectified)} 条；当前逾期未整改 ${b(t.overdue)} 条`,
      `**Hazards** ${b(t.found)} found, ${b(t.rectified)} rectified, rate ${b(rate)}\nMajor: ${b(t.majorFound)} found, ${b(t.majorRectified)} rectified; overdue now: ${b(t.overdue)}`,
    ),
    md(
      `**执法** 执法文书 ${b(t.documents)} 份 · 停产整顿 ${b(t.suspensions)} 户 · 查封 ${b(t.seals)} 户 · 约谈 ${b(t.interviews)} 人 · 拘留 ${b(t.detentions)} 人 · 经济处罚 ${b(fineWan(t.fineFen))} 万元`,
      `**Enforcement** ${b(t.documents)} documents · ${b(t.suspensions)} suspended · ${b(t.seals)} sealed · ${b(t.interviews)} interviewed · ${b(t.detentions)} detained · fines ${b(fineWan(t.fineFen))} × 10k yuan`,
    ),
  ];
  const inc = s.incidents;
  if (inc) {
    const zh = (ms: number | null) => (ms === null ? '—' : formatDuration(ms).zh);
    const en = (ms: number | null) => (ms === null ? '—' : formatDuration(ms).en);
    lines.push(
      md(
        `**应急** 险情 ${b(inc.count)} 起 · 接报→接令 中位 ${b(zh(inc.medianAckMs))} · 接报→到达 中位 ${b(zh(inc.medianArriveMs))}`,
        `**Emergencies** ${b(inc.count)} incidents · report→acknowledged median ${b(en(inc.medianAckMs))} · report→arrived median ${b(en(inc.medianArriveMs))}`,
      ),
    );
    const rep = s.reports;
    if (rep) {
      const pct = rep.onTimePct === null ? '—' : `${rep.onTimePct}%`;
      const mins = rep.medianFirstMinutes === null ? null : rep.medianFirstMinutes * 60_000;
      lines.push(md(`**信息报送** 首报按时率 ${b(pct)} · 接报→首报 中位 ${b(zh(mins))}`, `**Reporting upward** first reports on time ${b(pct)} · recorded→first report median ${b(en(mins))}`));
    }
  }
  return lines;
}

const COLUMNS: { name: string; label: Bi; type?: 'number' | 'text'; value: (f: Figures) => string | number }[] = [
  { name: 'insp', label: { zh: '户次', en: 'visits' }, type: 'number', value: (f) => f.inspections },
  { name: 'covert', label: { zh: '暗查暗访', en: 'covert' }, type: 'number', value: (f) => f.covert },
  { name: 'found', label: { zh: '隐患', en: 'hazards' }, type: 'number', value: (f) => f.found },
  { name: 'rect', label: { zh: '已整改', en: 'rectified' }, type: 'number', value: (f) => f.rectified },
  { name: 'rate', label: { zh: '整改率', en: 'rate' }, value: (f) => rectificationRate(f.rectified, f.found) },
  { name: 'mf', label: { zh: '重大', en: 'major' }, type: 'number', value: (f) => f.majorFound },
  { name: 'mr', label: { zh: '重大已整改', en: 'major rectified' }, type: 'number', value: (f) => f.majorRectified },
  { name: 'od', label: { zh: '逾期', en: 'overdue' }, type: 'number', value: (f) => f.overdue },
  { name: 'doc', label: { zh: '执法文书', en: 'documents' }, type: 'number', value: (f) => f.documents },
  { name: 'susp', label: { zh: '停产整顿', en: 'suspended' }, type: 'number', value: (f) => f.suspensions },
  { name: 'seal', label: { zh: '查封', en: 'sealed' }, type: 'number', value: (f) => f.seals },
  { name: 'itv', label: { zh: '约谈', en: 'interviewed' }, type: 'number', value: (f) => f.interviews },
  { name: 'det', label: { zh: '拘留', en: 'detained' }, type: 'number', value: (f) => f.detentions },
  { name: 'fine', label: { zh: '罚款(万元)', en: 'fines (10k yuan)' }, value: (f) => fineWan(f.fineFen) },
];

export function statsTable(s: Stats, maxRows = TABLE_MAX_ROWS): Element {
  const g = GROUPING_LABELS[s.groupedBy];
  const rows = s.groups.slice(0, maxRows).map((x) => {
    const row: Record<string, string | number> = { name: x.label.zh };
    for (const c of COLUMNS) row[c.name] = c.value(x);
    return row;
  });
  return table([{ name: 'name', label: { zh: g.zh, en: g.en } }, ...COLUMNS.map((c) => ({ name: c.name, label: c.label, type: c.type ?? 'text' }))], rows, 10);
}

const grey = (zh: string, en: string) => ({
  tag: 'div',
  text: { tag: 'plain_text', content: zh, i18n_content: { zh_cn: zh, en_us: en }, text_size: 'notation', text_color: 'grey' },
});

export function statsCard(s: Stats, o: { tz: string; chart?: ChartOutcome; title?: Bi; comparison?: Comparison }): Card {
  const { zh: scopeZh, en: scopeEn } = scopeText(s);
  const elements: Element[] = [...figureLines(s), ...ledgerLines(s, o.comparison)];
  if (o.chart && 'imageKey' in o.chart) elements.push(image(o.chart.imageKey, { zh: `隐患发现与整改（按${GROUPING_LABELS[chartGrouping(s)].zh}）`, en: `Hazards found and rectified by ${GROUPING_LABELS[chartGrouping(s)].en}` }));
  else if (o.chart) elements.push(grey(o.chart.missing.zh, o.chart.missing.en));
  if (s.grouping) {
    const g = GROUPING_LABELS[s.grouping];
    elements.push(hr(), md(`**按${g.zh}（按发现隐患数排序）**`, `**By ${g.en} (most hazards first)**`), statsTable(s));
    // 按县 where no township has a county yet: say how to place them, not only "(no county)".
    if (s.grouping === 'county' && s.groups.every((x) => x.key === null)) {
      elements.push(grey('尚未登记县区：在企业或人员导入表中加“县区”列即可按县统计。', 'No counties on record yet: add a 县区 (county) column to the enterprises or people import to group by county.'));
    }
    if (s.groups.length > TABLE_MAX_ROWS) {
      elements.push(grey(`共 ${s.groups.length} 项，仅显示隐患最多的前 ${TABLE_MAX_ROWS} 项；完整数据请用 /export 导出。`, `${s.groups.length} rows; the ${TABLE_MAX_ROWS} with most hazards are shown. /export has them all.`));
    }
  }
  if (s.scope.kind === 'township') {
    elements.push(grey(`检查员只能查看本乡镇：以上仅含${s.scope.township}的数据。`, `Inspectors see their own township: these figures are for ${s.scope.township} only.`));
  }
  if (s.scope.kind === 'county') {
    elements.push(grey(`县区人员只能查看本县区：以上仅含${s.scope.county}的数据。`, `A county's people see their own county: these figures are for ${s.scope.county} only.`));
  }
  const asOf = formatDateTime(new Date(s.now), o.tz);
  elements.push(
    grey(
      `已整改含待复查和已销号；逾期指本期发现、截至 ${asOf} 仍在整改中且已过整改期限的隐患；停产整顿、查封按企业户数计；罚款四舍五入到0.01万元。`,
      `Rectified includes awaiting verification and closed; overdue: found in the period, still being rectified and past the deadline at ${asOf}; suspensions and seals count enterprises; fines rounded half up to 0.01 × 10k yuan.`,
    ),
  );
  return card({
    title: o.title ?? { zh: `安全生产统计 · ${s.period.phrase}`, en: `Safety statistics · ${s.period.label.en}` },
    subtitle: { zh: `${s.period.label.zh} · ${scopeZh}`, en: `${s.period.label.en} · ${scopeEn}` },
    template: 'blue',
    summary: { zh: `安全生产统计 ${s.period.phrase}`, en: `Safety statistics ${s.period.label.en}` },
    elements,
  });
}

/** The chart follows a sector or township grouping; otherwise it is by sector. */
export const chartGrouping = (s: Stats) => (s.groupedBy === 'township' || s.groupedBy === 'county' ? s.groupedBy : 'sector');

/** The weekly report's card title: last week's statistics, with the week. */
export const weeklyReportTitle = (period: { phrase: string; label: Bi }): Bi => ({
  zh: `上周安全生产统计 · ${period.phrase}`,
  en: `Last week's safety statistics · ${period.label.en}`,
});
