// Which enterprise a sentence names: full name, without township prefix or legal suffix, an alias
// (from the enterprises import's aliases column), pinyin initials, one wrong character; the longest
// match wins and equal matches are a tie. The index follows the registry as it changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { EnterpriseIndex, type EnterpriseEntry } from '../../src/bot/understand/enterprise-index.ts';
import { enterpriseIndexFor } from '../../src/bot/understand/index-cache.ts';
import { normalize } from '../../src/bot/understand/text.ts';
import { runImport } from '../../src/import/framework.ts';
import { enterprisesImporter } from '../../src/import/enterprises.ts';
import { enterpriseByName } from '../../src/domain/enterprises.ts';

const REGISTRY: EnterpriseEntry[] = [
  { id: 1, name: '梅河化工有限公司', township: '红梅镇', aliases: null },
  { id: 2, name: '红星烟花爆竹有限公司', township: '红梅镇', aliases: '红星花炮' },
  { id: 3, name: '山城建筑工程公司', township: '山城镇', aliases: null },
  { id: 4, name: '山城建材厂', township: '山城镇', aliases: null },
  { id: 5, name: '红梅镇永安机械有限公司', township: '红梅镇', aliases: null },
  { id: 6, name: '青石化工有限公司', township: '青石街道', aliases: null },
  { id: 7, name: '青石化工厂', township: '青石街道', aliases: null },
  { id: 8, name: '城东燃气有限公司', township: '青石街道', aliases: null },
];
const index = new EnterpriseIndex(REGISTRY);
const find = (text: string) => {
  const f = index.find(normalize(text));
  return f.kind === 'one' ? { id: f.id, how: f.how } : f.kind === 'many' ? { ids: [...f.ids].sort() } : 'none';
};

describe('the enterprise a sentence names', () => {
  it('by full name, without the legal suffix, and without the township prefix', () => {
    expect(find('梅河化工有限公司储罐区消防通道堵塞')).toEqual({ id: 1, how: 'name' });
    expect(find('梅河化工储罐区消防通道堵塞')).toEqual({ id: 1, how: 'short' });
    expect(find('永安机械有限公司车间配电箱无盖板')).toEqual({ id: 5, how: 'short' });
    expect(find('永安机械车间配电箱无盖板')).toEqual({ id: 5, how: 'short' });
    expect(find('山城建材厂 脚手架没有连墙件')).toEqual({ id: 4, how: 'name' });
    expect(find('山城建材 脚手架没有连墙件')).toEqual({ id: 4, how: 'short' });
  });

  it('by a registered alias, and by the short name’s leading words', () => {
    expect(find('红星花炮仓库违规存放')).toEqual({ id: 2, how: 'alias' });
    expect(find('红星烟花仓库违规存放')).toEqual({ id: 2, how: 'prefix' });
  });

  it('by pinyin initials, in either case and full width', () => {
    expect(find('mhhg 储罐区静电接地断开')).toEqual({ id: 1, how: 'pinyin' });
    expect(find('ＭＨＨＧ储罐区静电接地断开')).toEqual({ id: 1, how: 'pinyin' });
    expect(find('scjcc 配电箱')).toEqual({ id: 4, how: 'pinyin' });
  });

  it('with one wrong character in a name of four or more, never in a shorter one', () => {
    expect(find('梅和化工储罐区消防栓损坏')).toEqual({ id: 1, how: 'typo' });
    expect(find('城东燃汽有限公司调压箱锈蚀')).toEqual({ id: 8, how: 'typo' });
    expect(find('梅和化储罐区')).toBe('none');
  });

  it('the longest, most specific match wins; equally good matches are a tie', () => {
    // 青石化工有限公司 is named in full; its short form 青石化工 would tie with 青石化工厂.
    expect(find('青石化工有限公司危废间无标识')).toEqual({ id: 6, how: 'name' });
    expect(find('青石化工厂危废间无标识')).toEqual({ id: 7, how: 'name' });
    expect(find('青石化工危废间无标识')).toEqual({ ids: [6, 7] });
    expect(find('城东加油站燃气泄漏')).toBe('none');
  });

  it('finds one among 5,000 quickly', () => {
    const many: EnterpriseEntry[] = [...REGISTRY];
    for (let i = 0; i < 5000; i++) many.push({ id: 100 + i, name: `测试${i}号精密制造有限公司`, township: null, aliases: null });
    const big = new EnterpriseIndex(many);
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) big.find(normalize('梅和化工储罐区消防栓损坏，麻烦尽快处理，谢谢'));
    const perCall = (performance.now() - t0) / 200;
    expect(big.find('梅河化工储罐区')).toMatchObject({ kind: 'one', id: 1 });
    expect(perCall).toBeLessThan(5);
  });
});

describe('aliases from the enterprises import, and an index that follows the registry', () => {
  let dir: string;
  let database: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wk-understand-'));
    database = await openDatabase('file:' + join(dir, 'test.db'));
    await migrateDatabase(database.db);
  });
  afterAll(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ctx = () => ({ db: database.db, now: new Date('2026-12-01T02:00:00Z'), tz: 'Asia/Shanghai' });

  it('takes an optional aliases column, |-separated, and matches by it at once', async () => {
    const before = await runImport(enterprisesImporter, ['name,sector,township,address,supervisor,contact', '梅河化工有限公司,危险化学品,红梅镇,,,'].join('\n'), ctx());
    expect(before.errors).toEqual([]);
    expect((await enterpriseIndexFor(database.db)).find('梅化储罐区')).toEqual({ kind: 'none' });
    const r = await runImport(enterprisesImporter, ['name,sector,township,address,supervisor,contact,aliases', '梅河化工有限公司,危险化学品,红梅镇,,,,梅化|河化'].join('\n'), ctx());
    expect(r).toMatchObject({ errors: [], updated: 1 });
    expect((await enterpriseByName(database.db, '梅河化工有限公司'))?.aliases).toBe('梅化|河化');
    const e = (await enterpriseIndexFor(database.db)).find('梅化储罐区');
    expect(e).toMatchObject({ kind: 'one', how: 'alias' });
    // A file without the column leaves the aliases alone.
    await runImport(enterprisesImporter, ['name,sector,township,address,supervisor,contact', '梅河化工有限公司,危险化学品,红梅镇,化工园区1号,,'].join('\n'), ctx());
    expect((await enterpriseByName(database.db, '梅河化工有限公司'))?.aliases).toBe('梅化|河化');
  });
});
