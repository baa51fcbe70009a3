// The statistics card: the figures leaders publish, the chart, and (with a grouping) the same
// columns per sector / township / enterprise in a table sorted by hazards found.

import { GROUPING_LABELS, type Figures, type Stats } from '../domain/stats.ts';
import { formatDuration } from '../domain/incidents.ts';
import { fineWan, rectificationRate } from '../domain/stats-format.ts';
import { formatDateTime } from '../domain/time.ts';
import { card, hr, image, md, table, type Bi, type Card, type Element } from '../lark/cards.ts';

/** At most this many groups in the card's table (the card must stay under Lark's 30 KB). */
export const TABLE_MAX_ROWS = 50;

export type ChartOutcome = { imageKey: string } | { missing: Bi };

export function scopeText(s: Stats): Bi {
  return s.scope.kind === 'township' ? [s.scope.township, s.scope.township] : ['全部乡镇', 'all townships'];
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
  }
  return lines;
}

const COLUMNS: { name: string; label: Bi; type?: 'number' | 'text'; value: (f: Figures) => string | number }[] = [
  { name: 'insp', label: ['户次', 'visits'], type: 'number', value: (f) => f.inspections },
  { name: 'covert', label: ['暗查暗访', 'covert'], type: 'number', value: (f) => f.covert },
  { name: 'found', label: ['隐患', 'hazards'], type: 'number', value: (f) => f.found },
  { name: 'rect', label: ['已整改', 'rectified'], type: 'number', value: (f) => f.rectified },
  { name: 'rate', label: ['整改率', 'rate'], value: (f) => rectificationRate(f.rectified, f.found) },
  { name: 'mf', label: ['重大', 'major'], type: 'number', value: (f) => f.majorFound },
  { name: 'mr', label: ['重大已整改', 'major rectified'], type: 'number', value: (f) => f.majorRectified },
  { name: 'od', label: ['逾期', 'overdue'], type: 'number', value: (f) => f.overdue },
  { name: 'doc', label: ['执法文书', 'documents'], type: 'number', value: (f) => f.documents },
  { name: 'susp', label: ['停产整顿', 'suspended'], type: 'number', value: (f) => f.suspensions },
  { name: 'seal', label: ['查封', 'sealed'], type: 'number', value: (f) => f.seals },
  { name: 'itv', label: ['约谈', 'interviewed'], type: 'number', value: (f) => f.interviews },
  { name: 'det', label: ['拘留', 'detained'], type: 'number', value: (f) => f.detentions },
  { name: 'fine', label: ['罚款(万元)', 'fines (10k yuan)'], value: (f) => fineWan(f.fineFen) },
];

export function statsTable(s: Stats, maxRows = TABLE_MAX_ROWS): Element {
  const g = GROUPING_LABELS[s.groupedBy];
  const rows = s.groups.slice(0, maxRows).map((x) => {
    const row: Record<string, string | number> = { name: x.label.zh };
    for (const c of COLUMNS) row[c.name] = c.value(x);
    return row;
  });
  return table([{ name: 'name', label: [g.zh, g.en] }, ...COLUMNS.map((c) => ({ name: c.name, label: c.label, type: c.type ?? 'text' }))], rows, 10);
}

const grey = (zh: string, en: string) => ({
  tag: 'div',
  text: { tag: 'plain_text', content: zh, i18n_content: { zh_cn: zh, en_us: en }, text_size: 'notation', text_color: 'grey' },
});

export function statsCard(s: Stats, o: { tz: string; chart?: ChartOutcome; title?: Bi }): Card {
  const [scopeZh, scopeEn] = scopeText(s);
  const elements: Element[] = [...figureLines(s)];
  if (o.chart && 'imageKey' in o.chart) elements.push(image(o.chart.imageKey, [`隐患发现与整改（按${GROUPING_LABELS[chartGrouping(s)].zh}）`, `Hazards found and rectified by ${GROUPING_LABELS[chartGrouping(s)].en}`]));
  else if (o.chart) elements.push(grey(o.chart.missing[0], o.chart.missing[1]));
  if (s.grouping) {
    const g = GROUPING_LABELS[s.grouping];
    elements.push(hr(), md(`**按${g.zh}（按发现隐患数排序）**`, `**By ${g.en} (most hazards first)**`), statsTable(s));
    if (s.groups.length > TABLE_MAX_ROWS) {
      elements.push(grey(`共 ${s.groups.length} 项，仅显示隐患最多的前 ${TABLE_MAX_ROWS} 项；完整数据请用 /export 导出。`, `${s.groups.length} rows; the ${TABLE_MAX_ROWS} with most hazards are shown. /export has them all.`));
    }
  }
  if (s.scope.kind === 'township') {
    elements.push(grey(`检查员只能查看本乡镇：以上仅含${s.scope.township}的数据。`, `Inspectors see their own township: these figures are for ${s.scope.township} only.`));
  }
  const asOf = formatDateTime(new Date(s.now), o.tz);
  elements.push(
    grey(
      `已整改含待复查和已销号；逾期指本期发现、截至 ${asOf} 仍在整改中且已过整改期限的隐患；停产整顿、查封按企业户数计；罚款四舍五入到0.01万元。`,
      `Rectified includes awaiting verification and closed; overdue: found in the period, still being rectified and past the deadline at ${asOf}; suspensions and seals count enterprises; fines rounded half up to 0.01 × 10k yuan.`,
    ),
  );
  return card({
    title: o.title ?? [`安全生产统计 · ${s.period.phrase}`, `Safety statistics · ${s.period.label.en}`],
    subtitle: [`${s.period.label.zh} · ${scopeZh}`, `${s.period.label.en} · ${scopeEn}`],
    template: 'blue',
    summary: [`安全生产统计 ${s.period.phrase}`, `Safety statistics ${s.period.label.en}`],
    elements,
  });
}

/** The chart follows a sector or township grouping; otherwise it is by sector. */
export const chartGrouping = (s: Stats) => (s.groupedBy === 'township' ? 'township' : 'sector');
