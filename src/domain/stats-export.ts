// `/export`: an .xlsx with sheet 隐患 — every hazard of the period in the columns of the bureau's
// 隐患排查治理台账 (LEDGER_COLUMNS), which `npm run import -- hazards` reads back unchanged — sheet
// 统计 (the figures by sector and by township with totals, and the bulletin paragraph), and sheet
// 隐患明细 (the same hazards with what the ledger leaves out: sector, township, overdue, links).
// Hazards are capped at EXPORT_MAX_HAZARDS (oldest first): the workbook is built in the inbox worker
// before the reply, ~2 s for 10,000 rows (about 1 MB), and other chats wait meanwhile; the article's
// city found 612 hazards in a year. The sheet and the reply say when rows were left out.
// Left out as bookkeeping, not facts: the card's outbox id, the source message id, next_nag_at.

import { aliasedTable, and, asc, count, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards, inspections, people } from '../db/schema.ts';
import { levelLabel, statusLabel } from './hazard-terms.ts';
import { sectorLabel } from './sectors.ts';
import { sourceLabel } from './hazard-sources.ts';
import { fundsWanNumber } from './money.ts';
import { bulletin } from './stats-bulletin.ts';
import { fineWan, rectificationRate } from './stats-format.ts';
import type { Figures, Stats } from './stats.ts';
import { scopeName } from './stats-scope.ts';
import { localParts } from './time.ts';

export const EXPORT_MAX_HAZARDS = 10_000;

export interface ExportFile {
  bytes: Uint8Array;
  fileName: string;
  /** Hazards written, and how many the period holds. */
  written: number;
  total: number;
}

/** Local wall time as an Excel date (Excel has no zones: the cell shows what the person saw). */
function excelTime(ms: number | null, tz: string): Date | null {
  if (ms === null) return null;
  const p = localParts(new Date(ms), tz);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}

const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/** The 隐患 sheet: exactly the ledger's columns, in its order (the hazards import knows each). */
export const LEDGER_COLUMNS: { header: string; key: string; width: number; time?: boolean }[] = [
  { header: '序号', key: 'seq', width: 6 },
  { header: '隐患编号', key: 'no', width: 15 },
  { header: '企业名称', key: 'enterprise', width: 26 },
  { header: '隐患等级', key: 'level', width: 9 },
  { header: '隐患描述', key: 'description', width: 44 },
  { header: '隐患来源', key: 'source', width: 11 },
  { header: '发现日期', key: 'reportedAt', width: 17, time: true },
  { header: '整改措施', key: 'measures', width: 30 },
  { header: '整改资金(万元)', key: 'funds', width: 13 },
  { header: '整改责任人', key: 'assignee', width: 10 },
  { header: '整改期限', key: 'deadline', width: 17, time: true },
  { header: '整改情况', key: 'status', width: 9 },
  { header: '整改完成日期', key: 'rectifiedAt', width: 17, time: true },
  { header: '复查人', key: 'verifier', width: 10 },
  { header: '复查日期/销号日期', key: 'closedAt', width: 17, time: true },
  { header: '应急预案', key: 'contingency', width: 30 },
];

const HAZARD_COLUMNS: { header: string; key: string; width: number; time?: boolean }[] = [
  { header: '隐患编号', key: 'no', width: 16 },
  { header: '企业名称', key: 'enterprise', width: 28 },
  { header: '行业', key: 'sector', width: 10 },
  { header: '乡镇（街道）', key: 'township', width: 12 },
  { header: '隐患级别', key: 'level', width: 9 },
  { header: '状态', key: 'status', width: 9 },
  { header: '隐患描述', key: 'description', width: 48 },
  { header: '上报人', key: 'reporter', width: 10 },
  { header: '整改责任人', key: 'assignee', width: 10 },
  { header: '整改期限', key: 'deadline', width: 17, time: true },
  { header: '是否逾期', key: 'overdue', width: 9 },
  { header: '上报时间', key: 'reportedAt', width: 17, time: true },
  { header: '派单时间', key: 'dispatchedAt', width: 17, time: true },
  { header: '整改完成时间', key: 'rectifiedAt', width: 17, time: true },
  { header: '销号时间', key: 'closedAt', width: 17, time: true },
  { header: '关联检查', key: 'inspection', width: 10 },
  { header: '暗查暗访', key: 'covert', width: 9 },
  { header: '来源群', key: 'sourceChat', width: 22 },
  { header: '最后更新', key: 'updatedAt', width: 17, time: true },
];

export const STATS_HEADERS = [
  '户次', '暗查暗访(户次)', '发现隐患(条)', '已整改(条)', '整改率', '重大隐患(条)', '重大已整改(条)', '逾期(条)',
  '执法文书(份)', '停产整顿(户)', '查封(户)', '约谈(人)', '拘留(人)', '经济处罚(万元)',
] as const;

/** One statistics row, in STATS_HEADERS order. */
export function statsCells(f: Figures): (number | string)[] {
  const wan = fineWan(f.fineFen);
  return [
    f.inspections, f.covert, f.found, f.rectified, rectificationRate(f.rectified, f.found), f.majorFound, f.majorRectified, f.overdue,
    f.documents, f.suspensions, f.seals, f.interviews, f.detentions, wan === '<0.01' ? wan : Number(wan),
  ];
}

/**
 * Builds the workbook. `bySector` and `byTownship` are the same period and scope grouped two ways;
 * `scopeWhere` limits the hazard rows the same way (an inspector's township).
 */
export async function buildExport(
  db: Db,
  o: { bySector: Stats; byTownship: Stats; tz: string; now: Date },
): Promise<ExportFile> {
  const { default: ExcelJS } = await import('exceljs');
  const s = o.bySector;
  const wb = new ExcelJS.Workbook();
  wb.creator = '安全值守助手 Watchkeeper';
  wb.created = o.now;

  const addSheet = (name: string, columns: typeof HAZARD_COLUMNS) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.time ? { numFmt: TIME_FORMAT } : {} }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };
  const ledger = addSheet('隐患', LEDGER_COLUMNS);
  // Sheets appear in the order they are added: 统计 second, as before, the detail sheet after it.
  const st = wb.addWorksheet('统计');
  const sheet = addSheet('隐患明细', HAZARD_COLUMNS);
  const where: SQL[] = [gte(hazards.reportedAt, s.period.from), lt(hazards.reportedAt, s.period.to)];
  if (s.scope.kind === 'township') where.push(eq(hazards.township, s.scope.township));
  if (s.scope.kind === 'county') where.push(sql`${hazards.township} IN (SELECT name FROM townships WHERE county = ${s.scope.county})`);
  const reporter = aliasedTable(people, 'reporter');
  const assignee = aliasedTable(people, 'assignee');
  const verifier = aliasedTable(people, 'verifier');
  const rows = await db
    .select({
      h: hazards,
      enterprise: enterprises.name,
      reporter: reporter.name,
      assignee: assignee.name,
      verifier: verifier.name,
      covert: inspections.covert,
    })
    .from(hazards)
    .leftJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .leftJoin(reporter, eq(reporter.openId, hazards.reporterOpenId))
    .leftJoin(assignee, eq(assignee.openId, hazards.assigneeOpenId))
    .leftJoin(verifier, eq(verifier.openId, hazards.verifierOpenId))
    .leftJoin(inspections, eq(inspections.id, hazards.inspectionId))
    .where(and(...where))
    .orderBy(asc(hazards.reportedAt), asc(hazards.id))
    .limit(EXPORT_MAX_HAZARDS);
  const now = o.now.getTime();
  let seq = 0;
  for (const r of rows) {
    const h = r.h;
    const t = (ms: number | null) => excelTime(ms, o.tz);
    ledger.addRow({
      seq: ++seq,
      no: h.no,
      enterprise: r.enterprise ?? `#${h.enterpriseId}`,
      level: levelLabel(h.level).zh,
      description: h.description,
      source: sourceLabel(h.source).zh,
      reportedAt: t(h.reportedAt),
      measures: h.measures ?? '',
      funds: h.fundsFen === null ? '' : fundsWanNumber(h.fundsFen),
      assignee: r.assignee ?? h.assigneeOpenId ?? '',
      deadline: t(h.deadline),
      status: statusLabel(h.status).zh,
      rectifiedAt: t(h.rectifiedAt),
      verifier: r.verifier ?? h.verifierOpenId ?? '',
      closedAt: t(h.closedAt),
      contingency: h.contingency ?? '',
    });
    sheet.addRow({
      no: h.no,
      enterprise: r.enterprise ?? `#${h.enterpriseId}`,
      sector: sectorLabel(h.sector),
      township: h.township ?? '',
      level: levelLabel(h.level).zh,
      status: statusLabel(h.status).zh,
      description: h.description,
      reporter: r.reporter ?? h.reporterOpenId ?? '',
      assignee: r.assignee ?? h.assigneeOpenId ?? '',
      deadline: t(h.deadline),
      overdue: h.status === 'dispatched' && h.deadline !== null && h.deadline < now ? '是' : '',
      reportedAt: t(h.reportedAt),
      dispatchedAt: t(h.dispatchedAt),
      rectifiedAt: t(h.rectifiedAt),
      closedAt: t(h.closedAt),
      inspection: h.inspectionId ?? '',
      covert: h.inspectionId === null ? '' : r.covert ? '是' : '否',
      sourceChat: h.sourceChatId ?? '',
      updatedAt: t(h.updatedAt),
    });
  }
  let total = rows.length;
  if (rows.length === EXPORT_MAX_HAZARDS) {
    const [c] = await db.select({ n: count() }).from(hazards).where(and(...where));
    total = Number(c.n);
  }
  if (total > rows.length) {
    for (const ws of [ledger, sheet]) {
      ws.addRow([]);
      ws.addRow([`本期共 ${total} 条隐患，仅导出按上报时间最早的 ${rows.length} 条；请缩小时间范围分批导出。`]);
    }
  }

  st.getColumn(1).width = 18;
  for (let i = 2; i <= STATS_HEADERS.length + 1; i++) st.getColumn(i).width = 13;
  st.addRow([`安全生产统计 ${s.period.phrase}`]).font = { bold: true, size: 14 };
  st.addRow(['统计期间', s.period.label.zh]);
  st.addRow(['统计范围', scopeName(s.scope) ?? '全部乡镇']);
  const gen = st.addRow(['生成时间', excelTime(now, o.tz)]);
  gen.getCell(2).numFmt = TIME_FORMAT;
  for (const [title, stats] of [['行业', o.bySector], ['乡镇', o.byTownship]] as const) {
    st.addRow([]);
    st.addRow([title, ...STATS_HEADERS]).font = { bold: true };
    for (const g of stats.groups) st.addRow([g.label.zh, ...statsCells(g)]);
    st.addRow(['合计', ...statsCells(stats.total)]).font = { bold: true };
  }
  st.addRow([]);
  const c = s.covertHazards;
  st.addRow(['暗查暗访', `${s.total.covertEnterprises} 户企业，${s.total.covert} 户次，发现隐患 ${c.found} 条，已整改 ${c.rectified} 条`]);
  if (s.incidents) {
    const min = (ms: number | null) => (ms === null ? '—' : Math.round(ms / 60_000));
    st.addRow(['险情（起）', s.incidents.count]);
    st.addRow(['接报→接令中位（分钟）', min(s.incidents.medianAckMs)]);
    st.addRow(['接报→到达中位（分钟）', min(s.incidents.medianArriveMs)]);
  }
  st.addRow([]);
  st.addRow(['通报']).font = { bold: true };
  st.addRow([bulletin(s)]);

  const buffer = await wb.xlsx.writeBuffer();
  return { bytes: new Uint8Array(buffer as ArrayBuffer), fileName: `隐患统计_${s.period.tag}.xlsx`, written: rows.length, total };
}
