// Excel in, Excel out (issue 17): ledgers as bureaus keep them — .xlsx with Chinese headers, a
// title row above the header, 序号, units in full-width brackets — imported all-or-nothing with
// errors naming sheet, row and column; and /export's 隐患 sheet read back by the import unchanged.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprises, hazardEvents, hazards } from '../src/db/schema.ts';
import { formatImportResult, runImport } from '../src/import/framework.ts';
import { importers } from '../src/import/index.ts';
import { readTable } from '../src/import/table.ts';
import { fromLocal } from '../src/domain/time.ts';
import type { Harness } from './support/harness.ts';
import { CONTACT, FIXER, hazardRow, INSPECTOR, LEADER, MEIHE, reportHazard, startTown } from './support/hazard-helpers.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const TZ = 'Asia/Shanghai';
const fixer = { openId: FIXER, name: '孙整改' };
let h: Harness;
let dir: string;

beforeAll(async () => {
  h = await startTown({ start: new Date('2026-12-01T01:00:00Z') });
  dir = mkdtempSync(join(tmpdir(), 'wk-xlsx-'));
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A workbook as a bureau makes one: optional title row, then the header, then the rows. */
async function workbook(sheets: { name: string; title?: string; rows: unknown[][] }[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    if (s.title) ws.addRow([s.title]);
    for (const r of s.rows) ws.addRow(r);
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const ctx = () => ({ db: h.db, now: h.now, tz: TZ });
const snapshot = async () => ({
  hazards: await h.db.select().from(hazards).orderBy(asc(hazards.id)),
  events: await h.db.select().from(hazardEvents).orderBy(asc(hazardEvents.id)),
  enterprises: await h.db.select().from(enterprises).orderBy(asc(enterprises.id)),
});
/** Local wall time as Excel stores a date cell. */
const xlDate = (y: number, mo: number, d: number, hh = 0, mm = 0) => new Date(Date.UTC(y, mo - 1, d, hh, mm));

const HEADER = [
  '序号', '隐患编号', '企业名称', '隐患等级', '隐患描述', '隐患来源', '发现日期', '整改措施', '整改资金 （万元）', '整改责任人',
  '整改期限', '整改情况', '整改完成日期', '复查人', '复查日期/销号日期', '应急预案',
];

describe('.xlsx ledgers with Chinese headers', () => {
  it('imports enterprises and the hazard ledger from workbooks, title row and 序号 included', async () => {
    const ents = await workbook([{
      name: '企业台账',
      rows: [
        ['序号', '企业名称', '所属行业', '乡镇（街道）', '企业地址', '包保领导', '企业联系人'],
        [1, '青山矿业有限公司', '非煤矿山', '山城镇', '青山路1号', '陈领导', '刘联系'],
      ],
    }]);
    const e = await runImport(importers.enterprises, await readTable(ents, '企业.xlsx'), ctx());
    expect(e).toMatchObject({ inserted: 1, errors: [], sheet: '企业台账' });
    const [qs] = await h.db.select().from(enterprises).where(eq(enterprises.name, '青山矿业有限公司'));
    expect(qs).toMatchObject({ sector: 'mining', township: '山城镇', address: '青山路1号', supervisorOpenId: LEADER, contactOpenId: CONTACT });

    const bytes = await workbook([{
      name: '隐患台账',
      title: '山城县2026年隐患排查治理台账',
      rows: [
        HEADER,
        [1, 'YH-2025-0101', '青山矿业有限公司', '重大', '尾矿库排洪设施堵塞', '专家查隐患', xlDate(2025, 3, 2, 9, 30), '清淤并加设格栅', 12.5, '孙整改',
          xlDate(2025, 4, 30), '已销号', xlDate(2025, 4, 20), '李娜', xlDate(2025, 4, 25), '汛期每日巡查，备足抽排设备'],
        [2, '', '青山矿业有限公司', '一般', '配电室未配绝缘垫', '企业自查', '2025-03-05', '', '', '孙整改', '2025-03-20', '整改中', '', '', '', ''],
      ],
    }]);
    const r = await runImport(importers.hazards, await readTable(bytes, '台账.xlsx'), ctx());
    expect(formatImportResult(r)).toEqual(['导入成功 / imported: 2 new, 0 updated, 0 unchanged']);
    expect(await hazardRow(h, 'YH-2025-0101')).toMatchObject({
      level: 'major',
      source: 'expert',
      measures: '清淤并加设格栅',
      fundsFen: 12_500_000, // 12.5 万元 = 125,000 元 = 12,500,000 分
      contingency: '汛期每日巡查，备足抽排设备',
      assigneeOpenId: FIXER,
      verifierOpenId: INSPECTOR,
      status: 'closed',
      reportedAt: fromLocal(2025, 3, 2, 9, 30, TZ).getTime(),
      closedAt: fromLocal(2025, 4, 25, 0, 0, TZ).getTime(),
    });
    expect(await hazardRow(h, 'YH-2025-0102')).toMatchObject({ source: 'self_check', status: 'dispatched', measures: null, fundsFen: null });

    // The same workbook again changes nothing.
    const before = await snapshot();
    expect(await runImport(importers.hazards, await readTable(bytes, '台账.xlsx'), ctx())).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it('names the sheet, row and column of a bad cell as the person sees them, and writes nothing', async () => {
    const before = await snapshot();
    const bytes = await workbook([{
      name: '隐患台账',
      title: '隐患排查治理台账',
      rows: [
        HEADER,
        [1, '', MEIHE, '一般', '消防通道堆放杂物', '检查发现', '2026-11-20', '清理', 0.2, '孙整改', '2026-11-30', '整改中', '', '', '', ''],
        [2, '', MEIHE, '一般', '灭火器过期', '检查发现', '2026-11-21', '更换', 0.1, '孙整改', '2026-11-30', '整改中', '', '', '', ''],
        [3, '', MEIHE, '一般', '安全出口指示灯不亮', '检查发现', '2026-11-22', '维修', 0.1, '孙整改', '下周', '整改中', '', '', '', ''],
        [4, '', MEIHE, '较大', '储罐液位计失灵', '暗访', '2026-11-22', '更换', 'abc', '孙整改', '2026-12-20', '整改中', '', '', '', ''],
      ],
    }]);
    const r = await runImport(importers.hazards, await readTable(bytes, '台账.xlsx'), ctx());
    // Row 5 in Excel: the title is row 1, the header row 2.
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([[5, '整改期限（K列）'], [6, '隐患等级（D列）']]);
    const text = formatImportResult(r).join('\n');
    expect(text).toContain('导入失败，未写入任何数据');
    expect(text).toContain('工作表「隐患台账」第5行 整改期限（K列） / sheet 隐患台账, row 5, 整改期限（K列）: 整改期限 日期无效');
    expect(text).toContain('第6行 隐患等级（D列）');
    expect(await snapshot()).toEqual(before);
  });

  it('matches headers ignoring spaces, brackets and a unit, and refuses a wrong unit', async () => {
    const csv = ['序号,隐患编号,企业名称,隐患 等级,隐患描述,发现日期,整改资金（元）,整改责任人,整改期限,整改情况,整改完成日期,复查日期/销号日期',
      `1,,${MEIHE},一般,x,2026-11-01,100,孙整改,2026-11-30,整改中,,`].join('\n');
    const r = await runImport(importers.hazards, csv, ctx());
    expect(r.errors.map((e) => e.reason)).toEqual(['整改资金（元） 的单位应为万元 / 整改资金（元）: the unit must be 万元']);
    const missing = await runImport(importers.hazards, '序号,企业名称,隐患描述\n1,a,b', ctx());
    expect(missing.errors[0].reason).toContain('表头缺少列 / missing columns: 隐患编号, 隐患等级, 发现日期, 整改期限, 整改情况, 整改完成日期, 复查日期/销号日期, 整改责任人');
  });

  it('npm run import reads a named sheet with --sheet, and says which sheets there are otherwise', async () => {
    const file = join(dir, 'book.xlsx');
    writeFileSync(file, await workbook([
      { name: '说明', rows: [['本工作簿含检查记录']] },
      { name: '检查记录', rows: [['序号', '企业名称', '检查日期', '检查人', '暗查暗访'], [1, MEIHE, '2026-11-03', '李娜', '是']] },
    ]));
    const env = { DATABASE_URL: `file:${h.dbPath}`, LARK_APP_ID: '', LOG_LEVEL: 'silent' };
    const good = await cli(['inspections', file, '--sheet', '检查记录'], env);
    expect(good.stdout).toContain('导入成功 / imported: 1 new');
    const wrong = await cli(['inspections', file, '--sheet=检查'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('找不到工作表「检查」（有：说明、检查记录）');
    const first = await cli(['inspections', file], env);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('表头缺少列');
  });
});

describe('/export → import', () => {
  it('reads the exported 隐患 sheet back without changing anything', async () => {
    // Hazards worked in chat, in every state, with seconds and milliseconds on every time.
    const a = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 储罐区静电接地断开 @_user_1`, { mentions: [fixer] });
    const b = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 消防栓缺水带 @_user_1 措施:补齐水带 资金:0.35 预案:临时配备灭火器 来源:专家`, { mentions: [fixer] });
    await h.say(FIXER, `/rectify ${b.no} 已配齐`);
    await h.say(INSPECTOR, `/verify ${b.no} 通过`);
    await reportHazard(h, INSPECTOR, `/report 山城建材厂 粉尘未清理`);
    expect(await hazardRow(h, b.no)).toMatchObject({ status: 'closed', verifierOpenId: INSPECTOR, source: 'expert', fundsFen: 350_000 });
    expect((await hazardRow(h, a.no)).status).toBe('dispatched');

    const { replies } = await h.say(LEADER, '/export 2026-12');
    const file = replies.find((m) => m.msgType === 'file')!;
    const stored = h.fake.files.get((JSON.parse(file.content) as { file_key: string }).file_key)!;
    const table = await readTable(stored.bytes, stored.name);
    expect(table.sheet).toBe('隐患');
    const row = table.records.find((r) => r.fields[1] === b.no)!.fields;
    expect(row.slice(3, 16)).toEqual(['一般', '消防栓缺水带', '专家查隐患', expect.stringMatching(/^2026-12-01 \d\d:\d\d$/), '补齐水带', '0.35', '孙整改', '2026-12-08 23:59', '已销号', expect.any(String), '李娜', expect.any(String), '临时配备灭火器']);

    const before = await snapshot();
    const r = await runImport(importers.hazards, table, ctx());
    expect(r).toEqual({ inserted: 0, updated: 0, unchanged: 3, errors: [], sheet: '隐患' });
    expect(await snapshot()).toEqual(before);
  });
});

function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(join(root, 'node_modules/.bin/tsx'), ['src/cli/import.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
