import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { holidays, people, shifts, swapRequests } from '../src/db/schema.ts';
import { formatImportResult, runImport, type ImportContext } from '../src/import/framework.ts';
import { importers } from '../src/import/index.ts';
import { rosterImporter } from '../src/import/roster.ts';
import { holidaysImporter } from '../src/import/holidays.ts';
import { dayMarks, isHoliday, isKeyPeriod, addKeyPeriod } from '../src/domain/holidays.ts';
import { parseLength, planGenerate, planRotation } from '../src/domain/roster-generate.ts';
import { addPerson } from './support/seed.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-03-01T00:00:00+08:00');
const bj = (s: string) => new Date(`${s}+08:00`).getTime();

let dir: string;
let database: Database;
const ctx = (now = NOW): ImportContext => ({ db: database.db, now, tz: TZ });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wk-roster-'));
  database = await openDatabase('file:' + join(dir, 'test.db'));
  await migrateDatabase(database.db);
  await addPerson(database.db, 'ou_wang', '王强', 'officer', { mobile: '13900000005' });
  await addPerson(database.db, 'ou_sun', '孙丽', 'officer');
  await addPerson(database.db, 'ou_zhang', '张伟', 'admin|leader');
  await addPerson(database.db, 'ou_li1', '李明', 'officer');
  await addPerson(database.db, 'ou_li2', '李明', 'officer');
});
afterAll(() => {
  database?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await database.db.delete(shifts);
  await database.db.delete(holidays);
  await database.db.delete(swapRequests);
});

const HEADER = 'start,end,role,person';

describe('roster import', () => {
  it('is registered for the CLI under "roster" and "holidays"', () => {
    expect(importers.roster).toBe(rosterImporter);
    expect(importers.holidays).toBe(holidaysImporter);
  });

  it('imports shifts by name or open_id, Chinese or code roles; a re-import changes nothing', async () => {
    const csv = [
      HEADER,
      '2026-03-04 08:30,2026-03-05 08:30,officer,王强',
      '2026-03-05 08:30,2026-03-06 08:30,值班员,ou_sun',
      '2026-03-04 08:30,2026-03-05 08:30,带班领导,张伟',
    ].join('\n');
    const first = await runImport(rosterImporter, csv, ctx());
    expect(first).toEqual({ inserted: 3, updated: 0, unchanged: 0, errors: [] });
    const rows = await database.db.select().from(shifts).orderBy(asc(shifts.start), asc(shifts.role));
    expect(rows.map((r) => [r.role, r.personOpenId, r.origin])).toEqual([
      ['leader', 'ou_zhang', 'imported'],
      ['officer', 'ou_wang', 'imported'],
      ['officer', 'ou_sun', 'imported'],
    ]);
    expect(rows[0].start).toBe(bj('2026-03-04T08:30:00'));
    expect(rows[0].end).toBe(bj('2026-03-05T08:30:00'));
    expect(await runImport(rosterImporter, csv, ctx())).toEqual({ inserted: 0, updated: 0, unchanged: 3, errors: [] });
  });

  it('refuses the whole file with every bad line numbered', async () => {
    const csv = [
      HEADER,
      '2026-03-04 08:30,2026-03-05 08:30,officer,王强', // 2 good
      '2026-03-04,2026-03-05 08:30,officer,王强', // 3 no time
      '2026-03-06 08:30,2026-03-06 08:00,officer,王强', // 4 end before start
      '2026-03-07 08:30,2026-03-08 08:30,boss,王强', // 5 bad role
      '2026-03-08 08:30,2026-03-09 08:30,officer,赵六', // 6 unknown person
      '2026-03-09 08:30,2026-03-10 08:30,officer,李明', // 7 two people named 李明
      '2026-02-30 08:30,2026-03-01 08:30,officer,王强', // 8 not a date
      '2026-03-10 08:30,2026-03-11 08:30,officer,', // 9 no person
    ].join('\n');
    const r = await runImport(rosterImporter, csv, ctx());
    expect(r.inserted).toBe(0);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const text = formatImportResult(r).join('\n');
    expect(text).toContain('第3行 / line 3: 时间须精确到分钟');
    expect(text).toContain('第4行 / line 4: 结束时间须晚于开始时间');
    expect(text).toContain('第5行 / line 5: 岗位无效 / role "boss"');
    expect(text).toContain('第6行 / line 6: person 未登记');
    expect(text).toContain('第7行 / line 7: person 重名');
    expect(text).toContain('第8行 / line 8: start 日期无效');
    expect(text).toContain('第9行 / line 9: 值班人必填');
    expect(await database.db.select().from(shifts)).toHaveLength(0);
  });

  it('refuses overlapping shifts of one role, inside the file and against the roster', async () => {
    await runImport(rosterImporter, [HEADER, '2026-03-04 08:30,2026-03-05 08:30,officer,王强'].join('\n'), ctx());
    const csv = [
      HEADER,
      '2026-03-05 08:30,2026-03-06 08:30,officer,孙丽', // 2 fine
      '2026-03-06 08:00,2026-03-07 08:30,officer,王强', // 3 overlaps line 2
      '2026-03-05 08:30,2026-03-06 08:30,leader,张伟', // 4 other role: fine
      '2026-03-05 08:00,2026-03-05 09:00,officer,孙丽', // 5 overlaps the roster's 03-04 shift (and line 2)
      '2026-03-08 08:30,2026-03-09 08:30,officer,王强', // 6 fine
      '2026-03-08 08:30,2026-03-09 08:30,officer,王强', // 7 repeats line 6
    ].join('\n');
    const r = await runImport(rosterImporter, csv, ctx());
    const byLine = new Map<number, string[]>();
    for (const e of r.errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e.reason]);
    expect([...byLine.keys()].sort()).toEqual([2, 3, 5, 7]);
    expect(byLine.get(3)!.join()).toContain('与第2行的值班员班次重叠 / overlaps the officer shift on line 2');
    expect(byLine.get(7)!.join()).toContain('与第6行重复');
    // Line 5 sorts before line 2 (earlier start), so line 2 is the one reported as overlapping it.
    expect(byLine.get(2)!.join()).toContain('line 5');
    expect(byLine.get(5)!.join()).toContain('与已有班次重叠 / overlaps shift #');
    expect(byLine.get(5)!.join()).toContain('2026-03-04 08:30 – 2026-03-05 08:30 王强');
    expect(await database.db.select().from(shifts)).toHaveLength(1);
  });
});

describe('holidays import', () => {
  it('imports the State Council 2026 calendar shipped in data/holidays', async () => {
    const csv = readFileSync(join(root, 'data/holidays/2026.csv'), 'utf8');
    // The migrations already loaded it; empty the table to import it as an admin would a new year.
    await database.db.delete(holidays);
    const r = await runImport(holidaysImporter, csv, ctx());
    expect(r.errors).toEqual([]);
    expect(r.inserted).toBe(39);
    expect(await runImport(holidaysImporter, csv, ctx())).toEqual({ inserted: 0, updated: 0, unchanged: 39, errors: [] });
    expect(await isHoliday(database.db, '2026-10-01')).toBe(true);
    // 2026-02-28 is a Saturday and a make-up workday: not a holiday, not a key period.
    expect(await isHoliday(database.db, '2026-02-28')).toBe(false);
    expect(await isKeyPeriod(database.db, '2026-02-28')).toBe(false);
    expect((await dayMarks(database.db, '2026-02-28')).holiday?.kind).toBe('workday');
    // An ordinary weekend is not a key period either.
    expect(await isKeyPeriod(database.db, '2026-03-07')).toBe(false);
    await database.db.batch([addKeyPeriod(database.db, { startDate: '2026-03-04', endDate: '2026-03-11', name: '全国两会' }, 'ou_zhang', NOW)]);
    expect(await isKeyPeriod(database.db, '2026-03-07')).toBe(true);
    expect(await isKeyPeriod(database.db, '2026-03-12')).toBe(false);
  });

  it('updates a changed name and refuses bad rows with their lines', async () => {
    await runImport(holidaysImporter, 'date,kind,name\n2026-01-01,holiday,元旦', ctx());
    expect(await runImport(holidaysImporter, 'date,kind,name\n2026-01-01,holiday,元旦节', ctx())).toMatchObject({ updated: 1 });
    const r = await runImport(holidaysImporter, 'date,kind,name\n2026-13-01,holiday,x\n2026-05-01,vacation,劳动节\n2026-05-02,holiday,\n2026-05-03,放假,劳动节\n2026-05-03,holiday,劳动节', ctx());
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    const again = await runImport(holidaysImporter, 'date,kind,name\n2026-05-03,放假,劳动节\n2026-05-03,holiday,劳动节', ctx());
    expect(again.errors).toEqual([{ line: 3, reason: '与第2行重复 / same date as line 2' }]);
  });
});

describe('rotation generation', () => {
  it('takes turns from the handoff time, one shift per length, through the last date', () => {
    const planned = planRotation({ fromDate: '2026-03-01', toDate: '2026-03-04', role: 'officer', people: ['a', 'b', 'c'], handoff: 8 * 60 + 30, lengthMs: parseLength('24h')!, tz: TZ });
    expect(planned.map((p) => [new Date(p.start).toISOString(), p.personOpenId])).toEqual([
      ['2026-03-01T00:30:00.000Z', 'a'],
      ['2026-03-02T00:30:00.000Z', 'b'],
      ['2026-03-03T00:30:00.000Z', 'c'],
      ['2026-03-04T00:30:00.000Z', 'a'],
    ]);
    expect(planned.at(-1)!.end).toBe(bj('2026-03-05T08:30:00'));
    expect(planRotation({ fromDate: '2026-03-01', toDate: '2026-03-01', role: 'leader', people: ['a', 'b'], handoff: 8 * 60, lengthMs: parseLength('12h')!, tz: TZ })).toHaveLength(2);
    expect(parseLength('1d')).toBe(86_400_000);
    expect(parseLength('30m')).toBeUndefined();
    expect(parseLength('8天')).toBeUndefined();
  });

  it('refuses to overwrite existing shifts unless told to, and never replaces a started one', async () => {
    await runImport(rosterImporter, [HEADER, '2026-03-05 08:30,2026-03-06 08:30,officer,张伟'].join('\n'), ctx());
    const planned = planRotation({ fromDate: '2026-03-04', toDate: '2026-03-06', role: 'officer', people: ['ou_wang', 'ou_sun'], handoff: 510, lengthMs: 86_400_000, tz: TZ });
    const refused = await planGenerate(database.db, planned, NOW, false);
    expect(refused.conflicts.map((s) => s.personOpenId)).toEqual(['ou_zhang']);
    expect(refused.statements).toHaveLength(0);
    const replaced = await planGenerate(database.db, planned, NOW, true);
    await database.db.batch(replaced.statements as [never]);
    const rows = await database.db.select().from(shifts).orderBy(asc(shifts.start));
    expect(rows.map((r) => [r.personOpenId, r.origin])).toEqual([['ou_wang', 'generated'], ['ou_sun', 'generated'], ['ou_wang', 'generated']]);
    // The same rotation again is a no-op, not a conflict.
    const again = await planGenerate(database.db, planned, NOW, false);
    expect([again.create.length, again.unchanged.length, again.conflicts.length]).toEqual([0, 3, 0]);
    const late = await planGenerate(database.db, planRotation({ fromDate: '2026-03-04', toDate: '2026-03-04', role: 'officer', people: ['ou_sun'], handoff: 510, lengthMs: 86_400_000, tz: TZ }), new Date(bj('2026-03-04T12:00:00')), true);
    expect(late.started).toHaveLength(1);
    expect(late.statements).toHaveLength(0);
  });

  it('npm run roster -- generate prints what it created and refuses overlaps without --replace', async () => {
    const dbFile = join(dir, 'cli.db');
    const env = { DATABASE_URL: 'file:' + dbFile, TZ_NAME: TZ };
    const run = (args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(join(root, 'node_modules/.bin/tsx'), ['src/cli/roster.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        );
      });
    const cli = await openDatabase('file:' + dbFile);
    await migrateDatabase(cli.db);
    await cli.db.insert(people).values([
      { openId: 'ou_a', name: '甲', roles: 'officer', createdAt: 0, updatedAt: 0 },
      { openId: 'ou_b', name: '乙', roles: 'officer', createdAt: 0, updatedAt: 0 },
    ]);
    cli.close();
    const args = ['generate', '--from', '2030-01-01', '--to', '2030-01-03', '--role', 'officer', '--people', '甲,乙', '--handoff', '08:30', '--length', '24h'];
    const ok = await run(args);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('已生成 3 个值班员班次 / created 3 duty officer shifts');
    expect(ok.out).toContain('2030-01-02 08:30 – 01-03 08:30  乙');
    const clash = await run([...args.slice(0, 7), '--people', '乙']);
    expect(clash.code).toBe(1);
    expect(clash.out).toContain('确认覆盖请加 --replace');
    const forced = await run([...args.slice(0, 7), '--people', '乙', '--replace']);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('已替换');
    const usage = await run(['generate', '--from', '2030-01-01']);
    expect(usage.code).toBe(2);
  }, 120_000);
});
