import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { enforcementActions, enterprises, hazardEvents, hazards, inspections, people, sequences } from '../src/db/schema.ts';
import { insertUnregisteredEnterprise } from '../src/domain/enterprises.ts';
import { nextSequence, raiseSequence } from '../src/domain/sequences.ts';
import { fromLocal } from '../src/domain/time.ts';
import { runImport, type ImportContext, type Importer } from '../src/import/framework.ts';
import { importers } from '../src/import/index.ts';
import { enterprisesImporter } from '../src/import/enterprises.ts';
import { hazardsImporter } from '../src/import/hazards.ts';
import { inspectionsImporter } from '../src/import/inspections.ts';
import { enforcementImporter } from '../src/import/enforcement.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-06-01T04:00:00Z');
const LATER = new Date('2026-06-02T04:00:00Z');
const local = (y: number, mo: number, d: number, hh = 0, mm = 0) => fromLocal(y, mo, d, hh, mm, TZ).getTime();

let dir: string;
let database: Database;
const db = () => database.db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wk-ledgers-'));
  database = await openDatabase('file:' + join(dir, 'test.db'));
  await migrateDatabase(database.db);
  const t = NOW.getTime();
  await database.db.insert(people).values([
    { openId: 'ou_zw', name: '张伟', roles: 'leader', mobile: '13900000001', createdAt: t, updatedAt: t },
    { openId: 'ou_ln', name: '李娜', roles: 'inspector', createdAt: t, updatedAt: t },
    { openId: 'ou_ly', name: '刘洋', roles: 'contact', createdAt: t, updatedAt: t },
    { openId: 'ou_wf1', name: '王芳', roles: 'contact', createdAt: t, updatedAt: t },
    { openId: 'ou_wf2', name: '王芳', roles: 'contact', createdAt: t, updatedAt: t },
  ]);
});

afterAll(() => {
  database?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  for (const t of [enterprises, hazards, hazardEvents, inspections, enforcementActions, sequences]) await database.db.delete(t);
});

const ctx = (now = NOW): ImportContext => ({ db: database.db, now, tz: TZ });
const run = <R>(importer: Importer<R>, lines: string[], now = NOW) => runImport(importer, lines.join('\n'), ctx(now));
/** Everything the ledgers write, for "nothing changed" comparisons. */
const snapshot = async () => ({
  enterprises: await db().select().from(enterprises).orderBy(asc(enterprises.id)),
  hazards: await db().select().from(hazards).orderBy(asc(hazards.id)),
  events: await db().select().from(hazardEvents).orderBy(asc(hazardEvents.id)),
  inspections: await db().select().from(inspections).orderBy(asc(inspections.id)),
  enforcement: await db().select().from(enforcementActions).orderBy(asc(enforcementActions.id)),
  sequences: await db().select().from(sequences).orderBy(asc(sequences.name)),
});
const empty = { enterprises: [], hazards: [], events: [], inspections: [], enforcement: [], sequences: [] };

const ENTERPRISES = [
  'name,sector,township,address,supervisor,contact',
  '梅河化工有限公司,危化,红梅镇,红梅镇工业园1号,张伟,刘洋',
  '山城建筑工程公司,construction,山城镇,,ou_zw,',
  '"梅河烟花厂",烟花爆竹,红梅镇,"红梅镇, 北山路",,ou_wf2',
];
const idOf = async (name: string) => (await db().select().from(enterprises).where(eq(enterprises.name, name)))[0].id;
const seedEnterprises = async () => expect((await run(enterprisesImporter, ENTERPRISES)).errors).toEqual([]);

describe('enterprises import', () => {
  it('imports a good file, then a re-import changes nothing', async () => {
    expect(await run(enterprisesImporter, ENTERPRISES)).toEqual({ inserted: 3, updated: 0, unchanged: 0, errors: [] });
    const before = await snapshot();
    expect(before.enterprises.map((e) => [e.name, e.sector, e.township, e.address, e.supervisorOpenId, e.contactOpenId, e.registered])).toEqual([
      ['梅河化工有限公司', 'hazardous_chemicals', '红梅镇', '红梅镇工业园1号', 'ou_zw', 'ou_ly', true],
      ['山城建筑工程公司', 'construction', '山城镇', null, 'ou_zw', null, true],
      ['梅河烟花厂', 'fireworks', '红梅镇', '红梅镇, 北山路', null, 'ou_wf2', true],
    ]);
    expect(await run(enterprisesImporter, ENTERPRISES, LATER)).toEqual({ inserted: 0, updated: 0, unchanged: 3, errors: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('completes an enterprise a hazard report created, and updates a changed one', async () => {
    await insertUnregisteredEnterprise(db(), '梅河化工有限公司', NOW);
    expect(await run(enterprisesImporter, ENTERPRISES)).toEqual({ inserted: 2, updated: 1, unchanged: 0, errors: [] });
    const [chem] = await db().select().from(enterprises).where(eq(enterprises.name, '梅河化工有限公司'));
    expect(chem).toMatchObject({ registered: true, sector: 'hazardous_chemicals', supervisorOpenId: 'ou_zw' });

    const changed = ENTERPRISES.map((l) => l.replace('山城建筑工程公司,construction,山城镇,,ou_zw,', '山城建筑工程公司,建筑施工,山城镇,站前路2号,ou_zw,刘洋'));
    expect(await run(enterprisesImporter, changed, LATER)).toEqual({ inserted: 0, updated: 1, unchanged: 2, errors: [] });
    const [build] = await db().select().from(enterprises).where(eq(enterprises.name, '山城建筑工程公司'));
    expect(build).toMatchObject({ address: '站前路2号', contactOpenId: 'ou_ly', updatedAt: LATER.getTime(), createdAt: NOW.getTime() });
  });

  it('reports every bad row with its line and writes nothing', async () => {
    const result = await run(enterprisesImporter, [
      'name,sector,township,address,supervisor,contact', // 1
      '梅河化工有限公司,危化,红梅镇,"两行', // 2
      '地址",张伟,王芳', // 3: contact is two people
      ',危化,红梅镇,,,', // 4
      '坏企业,钢铁,红梅镇,,,', // 5
      '无行业,,红梅镇,,,', // 6
      '另一家,其他,,,赵六,', // 7
      '好企业,其他,,,,', // 8
      '少列,其他,,', // 9
    ]);
    expect(result.inserted + result.updated + result.unchanged).toBe(0);
    expect(result.errors.map((e) => e.line)).toEqual([2, 4, 5, 6, 7, 9]);
    const reasons = result.errors.map((e) => e.reason);
    expect(reasons[0]).toContain('contact: 2 people are named "王芳"');
    expect(reasons[1]).toContain('name is required');
    expect(reasons[2]).toContain('unknown sector "钢铁"');
    expect(reasons[3]).toContain('sector is required');
    expect(reasons[4]).toContain('supervisor: no registered person named "赵六"');
    expect(reasons[5]).toContain('列数不对');
    expect(await snapshot()).toEqual(empty);
  });

  it('refuses a name twice in one file, and a wrong header', async () => {
    const dup = await run(enterprisesImporter, [...ENTERPRISES, '梅河化工有限公司,危化,红梅镇,,,']);
    expect(dup.errors).toEqual([{ line: 5, reason: expect.stringContaining('same name as line 2') }]);
    const header = await run(enterprisesImporter, ['name,sector,town,address,supervisor', '甲,其他,,,']);
    expect(header.errors.map((e) => e.line)).toEqual([1, 1]);
    expect(header.errors.map((e) => e.reason).join('\n')).toMatch(/missing columns: township, contact[\s\S]*unexpected columns: town/);
    expect(await snapshot()).toEqual(empty);
  });
});

const HAZARD_HEADER = 'no,enterprise,level,description,reported_at,deadline,status,rectified_at,closed_at,reporter,assignee';
const HAZARDS = [
  HAZARD_HEADER,
  'YH-2025-0012,梅河化工有限公司,重大,储罐区静电接地失效,2025-03-01 09:30,2025-03-15,整改中,,,李娜,刘洋',
  ',梅河化工有限公司,一般,消防通道堆放杂物,2025-03-02,2025-03-05 18:00,已销号,2025-03-04,2025-03-05 10:00,李娜,刘洋',
  ',山城建筑工程公司,general,脚手架未设防护网,2025-04-10 14:00,,reported,,,ou_ln,',
  ',梅河烟花厂,一般,"仓库超量储存, 约2吨",2026-01-05,2026-01-20,待复查,2026-01-18,,,',
  'yh-2024-7,梅河烟花厂,major,防雷设施失效,2024-12-30,,closed,,2025-01-02,张伟,',
];

describe('hazards import', () => {
  beforeEach(seedEnterprises);

  it('imports a ledger: numbers, copied sector and township, local dates, timeline rows and sequences', async () => {
    // A chat report already took YH-2026-0001..0005.
    for (let i = 0; i < 5; i++) await nextSequence(db(), 'YH-2026');
    expect(await run(hazardsImporter, HAZARDS)).toEqual({ inserted: 5, updated: 0, unchanged: 0, errors: [] });
    const { hazards: rows, events, sequences: seqs } = await snapshot();
    const chem = await idOf('梅河化工有限公司');
    expect(rows.map((r) => [r.no, r.status, r.level])).toEqual([
      ['YH-2025-0012', 'dispatched', 'major'],
      ['YH-2025-0013', 'closed', 'general'],
      ['YH-2025-0014', 'reported', 'general'],
      ['YH-2026-0006', 'rectified', 'general'],
      ['YH-2024-0007', 'closed', 'major'],
    ]);
    expect(rows[0]).toMatchObject({
      enterpriseId: chem,
      sector: 'hazardous_chemicals',
      township: '红梅镇',
      description: '储罐区静电接地失效',
      reporterOpenId: 'ou_ln',
      assigneeOpenId: 'ou_ly',
      reportedAt: local(2025, 3, 1, 9, 30),
      deadline: local(2025, 3, 15, 23, 59),
      nextNagAt: local(2025, 3, 15, 23, 59),
      rectifiedAt: null,
      closedAt: null,
      inspectionId: null,
      sourceMessageId: null,
      updatedAt: NOW.getTime(),
    });
    expect(rows[1]).toMatchObject({ deadline: local(2025, 3, 5, 18, 0), rectifiedAt: local(2025, 3, 4), closedAt: local(2025, 3, 5, 10, 0), nextNagAt: null });
    expect(rows[2]).toMatchObject({ sector: 'construction', township: '山城镇', deadline: null, assigneeOpenId: null });
    expect(rows[3]).toMatchObject({ description: '仓库超量储存, 约2吨', reporterOpenId: null });
    expect(events.map((e) => [e.hazardId, e.action, e.fromStatus, e.toStatus, e.at])).toEqual(
      rows.map((r) => [r.id, 'import', null, r.status, NOW.getTime()]),
    );
    expect(seqs).toEqual([
      { name: 'YH-2024', value: 7 },
      { name: 'YH-2025', value: 14 },
      { name: 'YH-2026', value: 6 },
    ]);
    // The next chat report continues after the imported numbers.
    expect(await nextSequence(db(), 'YH-2025')).toBe(15);
  });

  it('changes nothing on re-import, blank numbers included', async () => {
    await run(hazardsImporter, HAZARDS);
    const before = await snapshot();
    expect(await run(hazardsImporter, HAZARDS, LATER)).toEqual({ inserted: 0, updated: 0, unchanged: 5, errors: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('updates a corrected row in place, noting what changed on the timeline', async () => {
    await run(hazardsImporter, HAZARDS);
    const corrected = [...HAZARDS];
    corrected[3] = ',山城建筑工程公司,重大,脚手架未设防护网,2025-04-10 14:00,2025-04-20,整改中,,,ou_ln,刘洋';
    expect(await run(hazardsImporter, corrected, LATER)).toEqual({ inserted: 0, updated: 1, unchanged: 4, errors: [] });
    const [h] = await db().select().from(hazards).where(eq(hazards.no, 'YH-2025-0014'));
    expect(h).toMatchObject({ level: 'major', status: 'dispatched', assigneeOpenId: 'ou_ly', deadline: local(2025, 4, 20, 23, 59), updatedAt: LATER.getTime() });
    const events = await db().select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id)).orderBy(asc(hazardEvents.id));
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['import', null, 'reported'],
      ['import', 'reported', 'dispatched'],
    ]);
    expect(events[1].note).toContain('level, deadline, status, assignee');
    expect(await db().select().from(hazards)).toHaveLength(5);
  });

  it('refuses to overwrite a hazard worked in chat, or another enterprise’s number', async () => {
    await run(hazardsImporter, HAZARDS);
    const [h] = await db().select().from(hazards).where(eq(hazards.no, 'YH-2025-0012'));
    await db().update(hazards).set({ status: 'rectified' }).where(eq(hazards.id, h.id));
    await db().insert(hazardEvents).values({ hazardId: h.id, at: LATER.getTime(), actorOpenId: 'ou_ly', action: 'rectify', fromStatus: 'dispatched', toStatus: 'rectified' });
    const before = await snapshot();

    // Unchanged rows of a worked hazard are fine; a row that would roll it back is not.
    const stale = await run(hazardsImporter, HAZARDS, LATER);
    expect(stale.errors).toEqual([{ line: 2, reason: expect.stringContaining('YH-2025-0012 has been worked in chat (now rectified)') }]);
    const other = await run(hazardsImporter, [HAZARD_HEADER, 'YH-2025-0013,山城建筑工程公司,一般,别的隐患,2025-03-02,,待派单,,,,'], LATER);
    expect(other.errors).toEqual([{ line: 2, reason: expect.stringContaining('YH-2025-0013 is already a hazard at another enterprise') }]);
    expect(await snapshot()).toEqual(before);
  });

  it('links a hazard to its reporter’s inspection that day', async () => {
    expect((await run(inspectionsImporter, ['enterprise,date,inspector,covert', '梅河化工有限公司,2025-03-01,李娜,否'])).errors).toEqual([]);
    await run(hazardsImporter, HAZARDS);
    const [visit] = await db().select().from(inspections);
    const rows = await db().select().from(hazards).orderBy(asc(hazards.id));
    expect(rows.map((r) => r.inspectionId)).toEqual([visit.id, null, null, null, null]);
  });

  it('reports every bad row with its line and writes nothing', async () => {
    const result = await run(hazardsImporter, [
      HAZARD_HEADER, // 1
      'X-1,梅河化工有限公司,重大,a,2025-03-01,,整改中,,,,', // 2
      ',不存在公司,一般,b,2025-03-01,,整改中,,,,', // 3
      ',梅河化工有限公司,中等,c,2025-03-01,,整改中,,,,', // 4
      ',梅河化工有限公司,一般,d,03-01,,整改中,,,,', // 5
      ',梅河化工有限公司,一般,e,2025-03-01,,已销号,,,,', // 6
      ',梅河化工有限公司,一般,f,2025-03-01,,整改中,,2025-03-02,,', // 7
      ',梅河化工有限公司,一般,g,2025-03-01,2025-02-01,整改中,,,,', // 8
      ',梅河化工有限公司,一般,h,2099-03-01,,整改中,,,,', // 9
      ',梅河化工有限公司,一般,i,2025-03-01,,完成,,,,', // 10
      ',梅河化工有限公司,一般,j,2025-03-01,,待复查,2025-02-01,,,', // 11
      ',梅河化工有限公司,一般,k,2025-02-30,,待派单,,,,', // 12
      ',梅河化工有限公司,一般,,2025-03-01,,待派单,,,,', // 13
      ',梅河化工有限公司,一般,m,2025-03-01,,待派单,,,王芳,', // 14
      ',梅河化工有限公司,一般,n,2025-03-01,,待派单,2025-03-02,,,', // 15
      ',梅河化工有限公司,一般,o,2025-03-05,,已销号,2025-03-06,2025-03-05,,', // 16
      'YH-2025-0001,梅河化工有限公司,一般,good,2025-03-05,,待派单,,,,', // 17
    ]);
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const reason = (line: number) => result.errors.find((e) => e.line === line)!.reason;
    expect(reason(2)).toContain('must look like YH-2025-0001');
    expect(reason(3)).toContain('unknown enterprise "不存在公司"');
    expect(reason(4)).toContain('level "中等"');
    expect(reason(5)).toContain('reported_at: "03-01" is not a date');
    expect(reason(6)).toContain('needs closed_at');
    expect(reason(7)).toContain('closed_at is set but the status is dispatched');
    expect(reason(8)).toContain('deadline is before reported_at');
    expect(reason(9)).toContain('in the future');
    expect(reason(10)).toContain('status "完成"');
    expect(reason(11)).toContain('rectified_at is before reported_at');
    expect(reason(12)).toContain('"2025-02-30" is not a date');
    expect(reason(13)).toContain('description is required');
    expect(reason(14)).toContain('reporter: 2 people are named "王芳"');
    expect(reason(15)).toContain('rectified_at is set but the status is reported');
    expect(reason(16)).toContain('closed_at is before rectified_at');
    expect((await snapshot()).hazards).toEqual([]);
    expect((await snapshot()).sequences).toEqual([]);
  });

  it('refuses repeated numbers and repeated hazards in one file, and a wrong header', async () => {
    const dup = await run(hazardsImporter, [HAZARDS[0], HAZARDS[1], HAZARDS[1].replace('储罐区', '罐区'), HAZARDS[2], HAZARDS[2]]);
    expect(dup.errors).toEqual([
      { line: 3, reason: expect.stringContaining('same no as line 2') },
      { line: 5, reason: expect.stringContaining('same enterprise, reported_at and description as line 4') },
    ]);
    const header = await run(hazardsImporter, [HAZARD_HEADER.replace('assignee', 'owner'), HAZARDS[1]]);
    expect(header.errors.map((e) => e.reason).join('\n')).toMatch(/missing columns: assignee[\s\S]*unexpected columns: owner/);
    expect((await snapshot()).hazards).toEqual([]);
  });
});

describe('sequences', () => {
  it('raiseSequence works inside one db.batch, never lowering a counter', async () => {
    await nextSequence(db(), 'YH-2030');
    await db().batch([raiseSequence(db(), 'YH-2030', 9), raiseSequence(db(), 'YH-2030', 4), raiseSequence(db(), 'YH-2031', 2)]);
    expect(await db().select().from(sequences).orderBy(asc(sequences.name))).toEqual([
      { name: 'YH-2030', value: 9 },
      { name: 'YH-2031', value: 2 },
    ]);
  });
});

const INSPECTIONS = [
  'enterprise,date,inspector,covert',
  '梅河化工有限公司,2025-03-01,李娜,否',
  '梅河化工有限公司,2025-03-01 15:00,李娜,是',
  '山城建筑工程公司,2025/4/10,,false',
  '梅河烟花厂,2025-04-11,ou_zw,true',
];

describe('inspections import', () => {
  beforeEach(seedEnterprises);

  it('imports a good file, then a re-import changes nothing', async () => {
    expect(await run(inspectionsImporter, INSPECTIONS)).toEqual({ inserted: 4, updated: 0, unchanged: 0, errors: [] });
    const rows = (await snapshot()).inspections;
    expect(rows.map((r) => [r.enterpriseId, r.at, r.inspectorOpenId, r.covert])).toEqual([
      [await idOf('梅河化工有限公司'), local(2025, 3, 1), 'ou_ln', false],
      [await idOf('梅河化工有限公司'), local(2025, 3, 1, 15, 0), 'ou_ln', true],
      [await idOf('山城建筑工程公司'), local(2025, 4, 10), null, false],
      [await idOf('梅河烟花厂'), local(2025, 4, 11), 'ou_zw', true],
    ]);
    expect(rows.every((r) => r.importKey?.startsWith('inspection:'))).toBe(true);
    const before = await snapshot();
    expect(await run(inspectionsImporter, INSPECTIONS, LATER)).toEqual({ inserted: 0, updated: 0, unchanged: 4, errors: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('corrects covert in place instead of adding a visit, and links hazards of that day', async () => {
    await run(hazardsImporter, HAZARDS);
    await run(inspectionsImporter, INSPECTIONS);
    const [h] = await db().select().from(hazards).where(eq(hazards.no, 'YH-2025-0012'));
    const visits = (await snapshot()).inspections;
    expect(h.inspectionId).toBe(visits[0].id);

    const corrected = INSPECTIONS.map((l) => l.replace('梅河烟花厂,2025-04-11,ou_zw,true', '梅河烟花厂,2025-04-11,张伟,否'));
    expect(await run(inspectionsImporter, corrected, LATER)).toEqual({ inserted: 0, updated: 1, unchanged: 3, errors: [] });
    const after = (await snapshot()).inspections;
    expect(after).toHaveLength(4);
    expect(after[3].covert).toBe(false);
  });

  it('reports bad rows with their lines, refuses a visit twice, and writes nothing', async () => {
    const bad = await run(inspectionsImporter, [
      'enterprise,date,inspector,covert',
      '梅河化工有限公司,2025-03-01,李娜,maybe',
      '未知企业,2025-03-01,李娜,否',
      '梅河化工有限公司,,李娜,否',
      '梅河化工有限公司,2025-03-01,王芳,否',
      '梅河化工有限公司,2025-03-01,ou_nobody,否',
      '梅河化工有限公司,2099-01-01,李娜,否',
    ]);
    expect(bad.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(bad.errors[0].reason).toContain('"maybe" is not 是/否/true/false');
    expect(bad.errors[1].reason).toContain('unknown enterprise "未知企业"');
    expect(bad.errors[2].reason).toContain('date is required');
    expect(bad.errors[3].reason).toContain('inspector: 2 people are named "王芳"');
    expect(bad.errors[4].reason).toContain('no registered person with open_id "ou_nobody"');
    expect(bad.errors[5].reason).toContain('in the future');

    const twice = await run(inspectionsImporter, [...INSPECTIONS, '梅河化工有限公司,2025-03-01,ou_ln,是']);
    expect(twice.errors).toEqual([{ line: 6, reason: expect.stringContaining('as line 2') }]);
    const header = await run(inspectionsImporter, ['enterprise,date,inspector', '梅河化工有限公司,2025-03-01,李娜']);
    expect(header.errors[0]).toMatchObject({ line: 1, reason: expect.stringContaining('missing columns: covert') });
    expect((await snapshot()).inspections).toEqual([]);
  });
});

const ENFORCEMENT = [
  'enterprise,date,kind,amount,people,note',
  '梅河化工有限公司,2025-03-02,罚款,50000,,未按规定接地',
  '梅河化工有限公司,2025-03-02,约谈,,2,',
  '梅河化工有限公司,2025-03-03,fine,1.05万,,',
  '梅河烟花厂,2025-03-04,拘留,,,消防安全',
  '山城建筑工程公司,2025-03-05,执法文书,,,责令限期整改',
  '山城建筑工程公司,2025-03-05,执法文书,,,现场检查记录',
  '山城建筑工程公司,2025-03-05 10:30,停产整顿,,,',
  '山城建筑工程公司,2025-03-06,seal,,,',
];

describe('enforcement import', () => {
  beforeEach(seedEnterprises);

  it('imports a good file, then a re-import changes nothing', async () => {
    expect(await run(enforcementImporter, ENFORCEMENT)).toEqual({ inserted: 8, updated: 0, unchanged: 0, errors: [] });
    const rows = (await snapshot()).enforcement;
    expect(rows.map((r) => [r.kind, r.amountFen, r.people, r.note, r.actorOpenId])).toEqual([
      ['fine', 5_000_000, 0, '未按规定接地', null],
      ['interview', 0, 2, null, null],
      ['fine', 1_050_000, 0, null, null],
      ['detain', 0, 1, '消防安全', null],
      ['document', 0, 0, '责令限期整改', null],
      ['document', 0, 0, '现场检查记录', null],
      ['suspend', 0, 0, null, null],
      ['seal', 0, 0, null, null],
    ]);
    expect(rows[6].at).toBe(local(2025, 3, 5, 10, 30));
    const before = await snapshot();
    expect(await run(enforcementImporter, ENFORCEMENT, LATER)).toEqual({ inserted: 0, updated: 0, unchanged: 8, errors: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('corrects an amount in place instead of adding a second fine', async () => {
    await run(enforcementImporter, ENFORCEMENT);
    const corrected = ENFORCEMENT.map((l) => l.replace('fine,1.05万,,', 'fine,10600,,'));
    expect(await run(enforcementImporter, corrected, LATER)).toEqual({ inserted: 0, updated: 1, unchanged: 7, errors: [] });
    const fines = (await snapshot()).enforcement.filter((r) => r.kind === 'fine');
    expect(fines.map((r) => r.amountFen)).toEqual([5_000_000, 1_060_000]);
  });

  it('reports bad rows with their lines and writes nothing', async () => {
    const bad = await run(enforcementImporter, [
      'enterprise,date,kind,amount,people,note',
      '梅河化工有限公司,2025-03-02,罚款,,,', // 2
      '梅河化工有限公司,2025-03-02,约谈,5000,,', // 3
      '梅河化工有限公司,2025-03-02,警告,,,', // 4
      '梅河化工有限公司,2025-03-02,罚款,五万,,', // 5
      '梅河化工有限公司,2025-03-02,查封,,3,', // 6
      '梅河化工有限公司,2025-03-02,约谈,,0,', // 7
      '梅河化工有限公司,2025-03-02,罚款,1.001,,', // 8
      '梅河化工有限公司,2025-3-32,罚款,100,,', // 9
      '梅河化工有限公司,2025-03-02,罚款,100,,ok', // 10
    ]);
    expect(bad.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const reasons = bad.errors.map((e) => e.reason);
    expect(reasons[0]).toContain('a fine needs an amount');
    expect(reasons[1]).toContain('interview: no amount is recorded');
    expect(reasons[2]).toContain('unknown kind "警告"');
    expect(reasons[3]).toContain('"五万" is not an amount');
    expect(reasons[4]).toContain('only interviews and detentions count people');
    expect(reasons[5]).toContain('"0" is not a number of people');
    expect(reasons[6]).toContain('finer than one fen');
    expect(reasons[7]).toContain('is not a date');

    const twice = await run(enforcementImporter, [...ENFORCEMENT, '梅河化工有限公司,2025-03-02,约谈,,3,']);
    expect(twice.errors).toEqual([{ line: 10, reason: expect.stringContaining('same enterprise, date, kind and note as line 3') }]);
    const header = await run(enforcementImporter, ['enterprise,date,kind,amount_yuan,people,note', '梅河化工有限公司,2025-03-02,罚款,1,,']);
    expect(header.errors.map((e) => e.reason).join('\n')).toMatch(/missing columns: amount[\s\S]*unexpected columns: amount_yuan/);
    expect((await snapshot()).enforcement).toEqual([]);
  });
});

describe('registry and CLI', () => {
  it('registers every ledger for the CLI', () => {
    expect(importers.enterprises).toBe(enterprisesImporter);
    expect(importers.hazards).toBe(hazardsImporter);
    expect(importers.inspections).toBe(inspectionsImporter);
    expect(importers.enforcement).toBe(enforcementImporter);
  });

  const cli = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(join(root, 'node_modules/.bin/tsx'), ['src/cli/import.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('imports enterprises from a file, rejects a bad one with line numbers', async () => {
    const env = { DATABASE_URL: 'file:' + join(dir, 'cli.db'), TZ_NAME: TZ };
    const people = join(dir, 'people.csv');
    writeFileSync(people, 'name,open_id,mobile,roles,department,township\n张伟,ou_zw,,leader,,\n刘洋,ou_ly,,contact,,\n王芳,ou_wf2,,contact,,\n');
    expect((await cli(['people', people], env)).code).toBe(0);
    const good = join(dir, 'enterprises.csv');
    writeFileSync(good, ENTERPRISES.join('\r\n'));
    const ok = await cli(['enterprises', good], env);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('导入成功 / imported: 3 new, 0 updated, 0 unchanged');
    expect(ok.code).toBe(0);
    const again = await cli(['enterprises', good], env);
    expect(again.stdout).toContain('0 new, 0 updated, 3 unchanged');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, ['name,sector,township,address,supervisor,contact', '甲,钢铁,,,,', '乙,其他,,,赵六,'].join('\n'));
    const failed = await cli(['enterprises', bad], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('第2行 / line 2: 行业无效 / unknown sector "钢铁"');
    expect(failed.stderr).toContain('第3行 / line 3: supervisor 未登记');
  });
});
