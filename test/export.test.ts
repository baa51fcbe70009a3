import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { bj, INSPECTOR, LEADER, seedIncidents, seedNovember, seedPeople } from './support/stats-fixture.ts';
import { sql } from 'drizzle-orm';
import { enterprises } from '../src/db/schema.ts';
import { EXPORT_MAX_HAZARDS, STATS_HEADERS } from '../src/domain/stats-export.ts';

const NOW = bj('2026-12-01T10:00:00');
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ start: NOW });
  await seedPeople(h.db);
  await seedNovember(h.db);
  await seedIncidents(h.db);
});
afterAll(() => h.close());

/** Sends the command and reads back the workbook the bot uploaded and sent. */
async function exported(who: string, text: string) {
  const { replies } = await h.say(who, text);
  const file = replies.find((m) => m.msgType === 'file');
  if (!file) throw new Error(`no file in ${replies.map(textOf).join(' | ')}`);
  const key = (JSON.parse(file.content) as { file_key: string }).file_key;
  const stored = h.fake.files.get(key)!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(stored.bytes) as unknown as ArrayBuffer);
  return { stored, wb, replies };
}

const values = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);
/** A cell shown as the person saw it: local wall time stored as an Excel date. */
const shown = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 16).replace('T', ' ') : v);

describe('/export', () => {
  it('uploads an xlsx of hazards and statistics to the chat as a file message', async () => {
    const { stored, wb } = await exported(LEADER, '/export 2026-11');
    expect(stored).toMatchObject({ name: '隐患统计_2026-11.xlsx', type: 'xls' });
    expect(wb.worksheets.map((w) => w.name)).toEqual(['隐患', '统计', '隐患明细']);
    // The 隐患 sheet is the bureau's ledger (issue 17); the detail columns moved to 隐患明细.
    expect(values(wb.getWorksheet('隐患')!.getRow(1))).toEqual([
      '序号', '隐患编号', '企业名称', '隐患等级', '隐患描述', '隐患来源', '发现日期', '整改措施', '整改资金(万元)', '整改责任人',
      '整改期限', '整改情况', '整改完成日期', '复查人', '复查日期/销号日期', '应急预案',
    ]);

    const hz = wb.getWorksheet('隐患明细')!;
    expect(values(hz.getRow(1))).toEqual([
      '隐患编号', '企业名称', '行业', '乡镇（街道）', '隐患级别', '状态', '隐患描述', '上报人', '整改责任人', '整改期限', '是否逾期',
      '上报时间', '派单时间', '整改完成时间', '销号时间', '关联检查', '暗查暗访', '来源群', '最后更新',
    ]);
    expect(hz.rowCount).toBe(10); // header + the 9 November hazards, oldest first
    const byNo = new Map<string, Record<string, unknown>>();
    hz.eachRow((row, n) => {
      if (n === 1) return;
      const v = values(row);
      byNo.set(String(v[0]), Object.fromEntries((values(hz.getRow(1)) as string[]).map((k, i) => [k, shown(v[i])])));
    });
    expect([...byNo.keys()]).toEqual(['YH-2026-0004', 'YH-2026-0001', 'YH-2026-0002', 'YH-2026-0003', 'YH-2026-0006', 'YH-2026-0007', 'YH-2026-0008', 'YH-2026-0009', 'YH-2026-0005']);
    expect(byNo.get('YH-2026-0005')).toMatchObject({ 企业名称: '梅河建筑工程公司', 行业: '建筑施工', '乡镇（街道）': '红梅镇', 隐患级别: '一般', 状态: '整改中', 上报时间: '2026-11-30 23:30', 整改期限: '2026-12-10 23:59', 隐患描述: '月末最后一条', 上报人: '李检查' });
    expect(byNo.get('YH-2026-0003')).toMatchObject({ 是否逾期: '是', 整改责任人: '刘联系' });
    expect(byNo.get('YH-2026-0002')).toMatchObject({ 隐患级别: '重大', 状态: '已销号', 暗查暗访: '是', 销号时间: '2026-11-09 09:00' });
    expect(byNo.get('YH-2026-0004')).toMatchObject({ 上报时间: '2026-11-01 07:00', 状态: '待派单' });

    const st = wb.getWorksheet('统计')!;
    const rows: unknown[][] = [];
    st.eachRow((row) => rows.push(values(row)));
    const header = rows.find((r) => r[0] === '行业')!;
    expect(header.slice(1)).toEqual([...STATS_HEADERS]);
    const totals = rows.filter((r) => r[0] === '合计');
    expect(totals).toHaveLength(2); // by sector, by township
    for (const t of totals) expect(t.slice(1)).toEqual([7, 2, 9, 5, '55.6%', 3, 2, 2, 3, 1, 1, 2, 1, 2.78]);
    expect(rows.find((r) => r[0] === '危化')!.slice(1)).toEqual([3, 1, 3, 2, '66.7%', 1, 1, 1, 2, 1, 0, 2, 0, 1.23]);
    expect(rows.find((r) => r[0] === '红梅镇')!.slice(1, 6)).toEqual([5, 1, 5, 2, '40.0%']);
    expect(rows.find((r) => r[0] === '险情（起）')![1]).toBe(2);
    const paragraph = rows.find((r) => typeof r[0] === 'string' && r[0].startsWith('2026年11月，'));
    expect(paragraph?.[0]).toContain('排查事故隐患9条，已整改5条');
  });

  it('gives an inspector their own township only (/导出)', async () => {
    const { wb } = await exported(INSPECTOR, '/导出 2026-11-01..2026-11-30');
    const hz = wb.getWorksheet('隐患明细')!;
    expect(hz.rowCount).toBe(6);
    hz.eachRow((row, n) => n > 1 && expect(values(row)[3]).toBe('红梅镇'));
    const rows: unknown[][] = [];
    wb.getWorksheet('统计')!.eachRow((row) => rows.push(values(row)));
    expect(rows.find((r) => r[0] === '统计范围')![1]).toBe('红梅镇');
    expect(rows.find((r) => r[0] === '合计')!.slice(1, 4)).toEqual([5, 1, 5]);
  });

  it('names the file after the period', async () => {
    const { stored } = await exported(LEADER, '/export 2026-11-28..2026-12-02');
    expect(stored.name).toBe('隐患统计_2026-11-28_2026-12-02.xlsx');
  });

  it('caps the hazards sheet at 10,000 rows and says so in the sheet and the chat', async () => {
    const [{ id }] = await h.db.select({ id: enterprises.id }).from(enterprises).limit(1);
    const start = bj('2025-03-01T08:00:00').getTime();
    await h.db.run(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EXPORT_MAX_HAZARDS + 5})
      INSERT INTO hazards (no, enterprise_id, sector, township, level, description, status, reported_at, updated_at)
      SELECT 'YH-2025-' || i, ${id}, 'other', '红梅镇', 'general', '批量', 'reported', ${start} + i * 60000, ${start} FROM n`);
    const { wb, replies } = await exported(LEADER, '/export 2025-03');
    const hz = wb.getWorksheet('隐患明细')!;
    const ledger = wb.getWorksheet('隐患')!;
    expect(ledger.getRow(EXPORT_MAX_HAZARDS + 1).getCell(2).value).toBe(`YH-2025-${EXPORT_MAX_HAZARDS}`);
    expect(String(ledger.getRow(ledger.rowCount).getCell(1).value)).toContain(`本期共 ${EXPORT_MAX_HAZARDS + 5} 条隐患`);
    expect(hz.getRow(EXPORT_MAX_HAZARDS + 1).getCell(1).value).toBe(`YH-2025-${EXPORT_MAX_HAZARDS}`);
    expect(String(hz.getRow(hz.rowCount).getCell(1).value)).toContain(`本期共 ${EXPORT_MAX_HAZARDS + 5} 条隐患`);
    expect(textOf(replies[replies.length - 1])).toContain(`本期共 ${EXPORT_MAX_HAZARDS + 5} 条隐患，文件中仅含按上报时间最早的 ${EXPORT_MAX_HAZARDS} 条`);
  });

  it('says so when the upload fails, and sends nothing else', async () => {
    h.fake.failNext(1, { status: 400, code: 234001, msg: 'invalid file' });
    const { replies } = await h.say(LEADER, '/export 2026-11');
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('导出文件上传失败');
  });
});
