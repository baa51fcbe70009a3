import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { people } from '../src/db/schema.ts';
import { parseCsv, parseHeader, CsvError } from '../src/import/csv.ts';
import { runImport, type ImportContext } from '../src/import/framework.ts';
import { importers } from '../src/import/index.ts';
import { peopleImporter } from '../src/import/people.ts';
import { parseRole } from '../src/domain/roles.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const HEADER = 'name,open_id,mobile,roles,department,township';
const T0 = new Date('2025-03-01T00:00:00Z');
const T1 = new Date('2025-03-02T00:00:00Z');

let dir: string;
let database: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wk-import-'));
  database = await openDatabase('file:' + join(dir, 'test.db'));
  await migrateDatabase(database.db);
});

afterAll(() => {
  database?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await database.db.delete(people);
});

const ctx = (now = T0): ImportContext => ({ db: database.db, now, tz: 'Asia/Shanghai' });
const importPeople = (text: string, now = T0) => runImport(peopleImporter, text, ctx(now));
const allPeople = () => database.db.select().from(people).orderBy(asc(people.openId));

const GOOD = [
  HEADER,
  '张三,ou_zhangsan,13800138000,admin|officer,应急管理局,城关镇',
  'Li Si,ou_lisi,,inspector,,',
  '"王, 五",ou_wangwu,+8613900139000,contact|leader,"安监科",',
].join('\r\n');

describe('csv', () => {
  it('parses quotes, escapes, embedded newlines, BOM, blank lines and reports start lines', () => {
    const text = '\uFEFFa,b\r\n\r\n  x  , "y ""q"" "\n"multi\nline",z\n\n  \nlast,"\r\n"\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['x', 'y "q" '] },
      { line: 4, fields: ['multi\nline', 'z'] },
      { line: 8, fields: ['last', '\r\n'] },
    ]);
  });

  it('rejects an unterminated quote with its line', () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3\n')).toThrow(CsvError);
    try {
      parseCsv('a,b\n1,"oops\n2,3\n');
    } catch (e) {
      expect((e as CsvError).line).toBe(2);
    }
  });

  it('checks headers in any order and names missing and extra columns', () => {
    expect(parseHeader(['a', 'b'], ['b', 'a'])).toEqual([]);
    const problems = parseHeader(['a', 'b', 'c'], ['a', 'x', 'b']).join('\n');
    expect(problems).toContain('missing columns: c');
    expect(problems).toContain('unexpected columns: x');
  });
});

describe('people import', () => {
  it('imports a good file, then a re-import changes nothing', async () => {
    expect(await importPeople(GOOD)).toEqual({ inserted: 3, updated: 0, unchanged: 0, errors: [] });
    const rows = await allPeople();
    expect(rows.map((p) => [p.openId, p.name, p.mobile, p.roles, p.department, p.township])).toEqual([
      ['ou_lisi', 'Li Si', null, 'inspector', null, null],
      ['ou_wangwu', '王, 五', '+8613900139000', 'leader|contact', '安监科', null],
      ['ou_zhangsan', '张三', '13800138000', 'admin|officer', '应急管理局', '城关镇'],
    ]);
    expect(rows.every((p) => p.createdAt === T0.getTime() && p.updatedAt === T0.getTime())).toBe(true);

    expect(await importPeople(GOOD, T1)).toEqual({ inserted: 0, updated: 0, unchanged: 3, errors: [] });
    expect(await allPeople()).toEqual(rows);
  });

  it('writes nothing when any row is bad and reports every bad line', async () => {
    const text = [
      HEADER, // 1
      '张三,ou_zhangsan,13800138000,admin,,', // 2
      '"地址',
      '两行",ou_two_lines,,officer,,', // 3-4: a quoted newline
      '坏人,ou_bad,,boss,,', // 5: unknown role
      'Good,ou_good,,leader,,', // 6
      'Nobody,not_an_open_id,,,,', // 7: bad open_id
    ].join('\n');
    const result = await importPeople(text);
    expect(result.inserted + result.updated + result.unchanged).toBe(0);
    expect(result.errors.map((e) => e.line)).toEqual([5, 7]);
    expect(result.errors[0].reason).toContain('角色无效 / unknown role "boss"');
    expect(result.errors[1].reason).toContain('open_id');
    expect(await allPeople()).toEqual([]);
  });

  it('reports bad mobiles, missing names, wrong column counts and duplicate open_ids', async () => {
    const text = [
      HEADER,
      'A,ou_a,138-0013,,,', // 2
      ',ou_b,,,,', // 3
      'C,ou_c,,', // 4
      'D,ou_d,,,,', // 5
      'D again,ou_d,,,,', // 6
    ].join('\n');
    const first = await importPeople(text);
    expect(first.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(first.errors[0].reason).toContain('手机号无效');
    expect(first.errors[1].reason).toContain('姓名必填');
    expect(first.errors[2].reason).toContain('列数不对');

    const dup = await importPeople([HEADER, 'D,ou_d,,,,', 'D again,ou_d,,,,'].join('\n'));
    expect(dup.errors).toEqual([{ line: 3, reason: expect.stringContaining('duplicate open_id "ou_d" (first on line 2)') }]);
    expect(await allPeople()).toEqual([]);
  });

  it('rejects a wrong header, naming the columns', async () => {
    const result = await importPeople('name,open_id,phone,roles,department,township\n张三,ou_x,,,,\n');
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.every((e) => e.line === 1)).toBe(true);
    const reasons = result.errors.map((e) => e.reason).join('\n');
    expect(reasons).toContain('missing columns: mobile');
    expect(reasons).toContain('unexpected columns: phone');
    expect(await allPeople()).toEqual([]);
  });

  it('accepts columns in another order', async () => {
    const result = await importPeople('open_id,name,roles,mobile,township,department\nou_x,X,officer,,城关镇,\n');
    expect(result).toEqual({ inserted: 1, updated: 0, unchanged: 0, errors: [] });
    expect((await allPeople())[0]).toMatchObject({ openId: 'ou_x', name: 'X', roles: 'officer', township: '城关镇' });
  });

  it('updates a changed row and leaves the others alone', async () => {
    await importPeople(GOOD);
    const changed = GOOD.replace('Li Si,ou_lisi,,inspector,,', 'Li Si,ou_lisi,13700137000,inspector|admin,安监科,');
    expect(await importPeople(changed, T1)).toEqual({ inserted: 0, updated: 1, unchanged: 2, errors: [] });
    const rows = await allPeople();
    const lisi = rows.find((p) => p.openId === 'ou_lisi')!;
    expect(lisi).toMatchObject({ mobile: '13700137000', roles: 'admin|inspector', department: '安监科', createdAt: T0.getTime(), updatedAt: T1.getTime() });
    expect(rows.filter((p) => p.openId !== 'ou_lisi').every((p) => p.updatedAt === T0.getTime())).toBe(true);
  });

  it('accepts Chinese role labels and stores canonical roles', async () => {
    const text = `${HEADER}\n赵六,ou_zhaoliu,,企业联系人|值班员 | 管理员|领导|检查员,,\n钱七,ou_qianqi,,Officer|值班员,,\n`;
    expect((await importPeople(text)).errors).toEqual([]);
    const rows = await allPeople();
    expect(rows.find((p) => p.openId === 'ou_zhaoliu')!.roles).toBe('admin|leader|inspector|officer|contact');
    expect(rows.find((p) => p.openId === 'ou_qianqi')!.roles).toBe('officer');
    expect(parseRole('领导')).toBe('leader');
    expect(parseRole('boss')).toBeUndefined();
  });

  it('is registered for the CLI', () => {
    expect(importers.people).toBe(peopleImporter);
  });
});

describe('import CLI', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(join(root, 'node_modules/.bin/tsx'), ['src/cli/import.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('exits 1 and lists every bad line for a failing file, 0 for a good one', async () => {
    const dbFile = join(dir, 'cli.db');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, [HEADER, '张三,ou_zhangsan,,admin,,', '坏人,ou_bad,,boss,,', 'X,ou_x,12ab,,,'].join('\n'));
    const env = { DATABASE_URL: 'file:' + dbFile, TZ_NAME: 'Asia/Shanghai' };
    const failed = await run(['people', bad], env);
    expect(failed.code).toBe(1);
    const out = failed.stdout + failed.stderr;
    expect(out).toContain('导入失败，未写入任何数据 / import failed, nothing was written:');
    expect(out).toContain('  第3行 / line 3: 角色无效 / unknown role "boss"');
    expect(out).toContain('  第4行 / line 4: 手机号无效');

    const good = join(dir, 'good.csv');
    writeFileSync(good, GOOD);
    const ok = await run(['people', good], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('导入成功 / imported: 3 new, 0 updated, 0 unchanged');

    const usage = await run(['nonsense', good], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('known kinds: people');
  });
});
