// The ledger mirrored to a Bitable (issue 19, FEISHU_BITABLE_APP_TOKEN + FEISHU_BITABLE_TABLE_ID):
// an empty table gets the ledger's columns, every hazard change is one upsert of its record in
// /export's 隐患 columns, `npm run mirror -- bitable --full` rebuilds it 1,000 records a call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS } from '../src/domain/stats-export.ts';
import { mirrorStatements } from '../src/outbox/mirror-rows.ts';
import { hazards } from '../src/db/schema.ts';
import type { Harness } from './support/harness.ts';
import { FIXER, hazardRow, INSPECTOR, LEADER, MEIHE, reportHazard, startTown } from './support/hazard-helpers.ts';
import { addHazard } from './support/seed.ts';

let h: Harness;
const table = { appToken: 'bascnLedgerTest', tableId: 'tblLedgerTest' };
const mirrors = { tasks: false, dutyCalendar: false, bitable: table };
beforeAll(async () => {
  h = await startTown({ start: new Date('2026-12-01T01:00:00Z'), settings: { mirrors } });
  h.fake.workspace.createTable(table.appToken, table.tableId);
});
afterAll(() => h.close());

const fixer = { openId: FIXER, name: '孙整改' };
const theTable = () => h.fake.workspace.bitables.get(table.appToken)!.get(table.tableId)!;
const recordOf = (no: string) => [...theTable().records.values()].filter((r) => r['隐患编号'] === no);
const recordCalls = (since = 0) => h.fake.calls.slice(since).filter((c) => c.path.includes('/records/'));

describe('ledger Bitable', () => {
  it('the first report creates the ledger columns in the empty table, then the hazard as a record in those columns', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 储罐区消防通道堵塞 措施:清理通道 资金:1.5`);
    expect([...theTable().fields.keys()]).toEqual(LEDGER_COLUMNS.map((c) => c.header));
    expect(theTable().fields.get('整改期限')).toBe(5); // a date, so leaders can sort and filter by it
    const [rec] = recordOf(r.no);
    expect(rec).toMatchObject({ 隐患编号: r.no, 企业名称: MEIHE, 隐患等级: '一般', 隐患描述: '储罐区消防通道堵塞', 整改措施: '清理通道', '整改资金(万元)': 1.5, 整改情况: '待派单' });
    expect(rec['发现日期']).toBe((await hazardRow(h, r.no)).reportedAt);
  });

  it('a hazard change is one upsert of its record, never a second record', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 配电箱未接地`);
    const mark = h.fake.calls.length;
    await h.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
    const calls = recordCalls(mark);
    expect(calls).toHaveLength(1);
    expect(calls[0].path).toMatch(/batch_update$/);
    expect(recordOf(r.no)).toHaveLength(1);
    expect(recordOf(r.no)[0]).toMatchObject({ 整改责任人: '孙整改', 整改情况: '整改中', 整改期限: (await hazardRow(h, r.no)).deadline });
  });

  it('a record deleted in Feishu is created again on the next change', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 仓库堆放杂物`);
    const [[id]] = [...theTable().records].filter(([, f]) => f['隐患编号'] === r.no);
    theTable().records.delete(id);
    await h.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
    expect(recordOf(r.no)).toHaveLength(1);
    expect(recordOf(r.no)[0]['整改情况']).toBe('整改中');
  });

  it('--full rebuilds the table 1,000 records a call, and a retried row creates nothing twice', async () => {
    const [{ enterpriseId }] = await h.db.select({ enterpriseId: hazards.enterpriseId }).from(hazards).limit(1);
    const t = h.now.getTime();
    for (let i = 0; i < 1205; i++) {
      await addHazard(h.db, { enterpriseId, no: `YH-2025-${String(i + 1).padStart(4, '0')}`, sector: 'hazardous_chemicals', level: 'general', description: `历史隐患${i + 1}`, status: 'closed', reportedAt: t - 86_400_000 * 400, updatedAt: t });
    }
    const total = (await h.db.select({ no: hazards.no }).from(hazards)).length;
    const mark = h.fake.calls.length;
    // What `npm run mirror -- bitable --full` queues.
    const statements = mirrorStatements(h.db, mirrors, { now: h.now, hazards: (await h.db.select({ no: hazards.no }).from(hazards)).map((x) => x.no) });
    const [first, ...rest] = statements;
    await h.db.batch([first, ...rest]);
    await h.settle();
    const calls = recordCalls(mark);
    for (const c of calls) expect(((c.body as { records: unknown[] }).records).length).toBeLessThanOrEqual(1000);
    expect(calls.filter((c) => c.path.endsWith('batch_create')).map((c) => (c.body as { records: unknown[] }).records.length)).toEqual([1000, 205]);
    expect(theTable().records.size).toBe(total);
    // Run again (new rows, as a second --full would queue): every record is updated, none created.
    const again = h.fake.calls.length;
    const [f2, ...r2] = mirrorStatements(h.db, mirrors, { now: h.now, hazards: (await h.db.select({ no: hazards.no }).from(hazards)).map((x) => x.no) });
    await h.db.batch([f2, ...r2]);
    await h.settle();
    expect(theTable().records.size).toBe(total);
    expect(recordCalls(again).every((c) => c.path.endsWith('batch_update'))).toBe(true);
  });
});
