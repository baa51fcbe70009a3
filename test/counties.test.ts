// Organisations above the county (issue 20): the enterprises import places townships in counties,
// /stats … 按县 groups by county for a province's leaders, and a county's people see their county only.
// The November fixture (test/support/stats-fixture.ts): 红梅镇 found 5 / rectified 2 / 5 visits,
// 山城镇 2 / 1 / 1, 海龙镇 2 / 2 / 1. Here 红梅镇 and 山城镇 are in 东山县, 海龙镇 in 西江区.

import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { bj, seedNovember, seedPeople } from './support/stats-fixture.ts';
import { addPerson } from './support/seed.ts';
import { computeStats } from '../src/domain/stats.ts';
import { parsePeriod } from '../src/domain/stats-period.ts';
import { runImport, type ImportContext } from '../src/import/framework.ts';
import { enterprisesImporter } from '../src/import/enterprises.ts';
import { peopleImporter } from '../src/import/people.ts';
import { people, townships } from '../src/db/schema.ts';
import { cardToText } from '../src/lark/card-text.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

const TZ = 'Asia/Shanghai';
const NOW = bj('2026-12-01T10:00:00');
const PROVINCE_LEADER = 'ou_stats_leader';
const EAST_LEADER = 'ou_county_east_leader';
const WEST_LEADER = 'ou_county_west_leader';
const WEST_INSPECTOR = 'ou_county_west_inspector';
let h: Harness;

const ctx = (): ImportContext => ({ db: h.db, now: NOW, tz: TZ });
const november = () => {
  const p = parsePeriod('2026-11', NOW, TZ);
  if (!p.ok) throw new Error(p.zh);
  return p.period;
};
const tableRows = (m: FakeMessage) => {
  const card = JSON.parse(m.content) as { body: { elements: Record<string, unknown>[] } };
  const table = card.body.elements.find((e) => e.tag === 'table') as { rows: Record<string, unknown>[] } | undefined;
  return table?.rows.map((r) => [r.name, r.found, r.rect]);
};
const storedTownships = async () => (await h.db.select().from(townships).orderBy(asc(townships.name))).map((t) => [t.name, t.county]);

beforeAll(async () => {
  h = await startHarness({ start: NOW, adminOpenIds: ['ou_stats_admin'] });
  await seedPeople(h.db);
  await seedNovember(h.db);
});
afterAll(() => h.close());

describe('the enterprises import places townships in counties', () => {
  const HEADER = 'name,sector,township,address,supervisor,contact';

  it('refuses a township put in two counties, and a county without a township, writing nothing', async () => {
    const r = await runImport(enterprisesImporter, [
      `${HEADER},county`,
      '梅河化工有限公司,危化,红梅镇,,,,东山县',
      '梅河建筑工程公司,建筑施工,红梅镇,,,,西江区',
    ].join('\n'), ctx());
    expect(r.errors.map((e) => [e.line, e.reason.split(' / ')[0]])).toEqual([[3, '乡镇「红梅镇」在第2行属于「东山县」，这里写的是「西江区」']]);
    const lone = await runImport(enterprisesImporter, [`${HEADER},county`, '无乡镇企业,其他,,,,,东山县'].join('\n'), ctx());
    expect(lone.errors.map((e) => [e.line, e.reason.split(' / ')[0]])).toEqual([[2, '填写县区时须同时填写乡镇']]);
    expect(await storedTownships()).toEqual([]);
  });

  it('reads the county column in English or as 县区, and a re-import changes nothing', async () => {
    const first = await runImport(enterprisesImporter, [
      `${HEADER},county`,
      '梅河化工有限公司,hazardous_chemicals,红梅镇,,,,东山县',
      '梅河建筑工程公司,construction,红梅镇,,,,东山县',
    ].join('\n'), ctx());
    expect(first.errors).toEqual([]);
    const chinese = [
      '企业名称,行业,乡镇,地址,包保领导,企业联系人,县区',
      '山城燃气公司,城市燃气,山城镇,,,,东山县',
      '海龙烟花厂,烟花爆竹,海龙镇,,,,西江区',
    ].join('\n');
    const second = await runImport(enterprisesImporter, chinese, ctx());
    expect(second.errors).toEqual([]);
    expect(await storedTownships()).toEqual([['山城镇', '东山县'], ['海龙镇', '西江区'], ['红梅镇', '东山县']]);
    const again = await runImport(enterprisesImporter, chinese, ctx());
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });

  it('a file without the column, or a blank county cell, leaves the townships’ counties alone', async () => {
    const r = await runImport(enterprisesImporter, [HEADER, '海龙烟花厂,烟花爆竹,海龙镇,,,'].join('\n'), ctx());
    expect(r.errors).toEqual([]);
    const blank = await runImport(enterprisesImporter, [`${HEADER},county`, '山城燃气公司,城市燃气,山城镇,,,,'].join('\n'), ctx());
    expect(blank.errors).toEqual([]);
    expect(await storedTownships()).toEqual([['山城镇', '东山县'], ['海龙镇', '西江区'], ['红梅镇', '东山县']]);
  });

  it('the people import reads an optional county (县区) column', async () => {
    const r = await runImport(peopleImporter, [
      '姓名,OpenID,手机号,角色,部门,乡镇,县区',
      `东山县长,${EAST_LEADER},,leader,东山县应急管理局,,东山县`,
      `西江区长,${WEST_LEADER},,leader,西江区应急管理局,,西江区`,
      `西江检查员,${WEST_INSPECTOR},,inspector,西江区应急管理局,,西江区`,
    ].join('\n'), ctx());
    expect(r.errors).toEqual([]);
    const rows = await h.db.select({ openId: people.openId, county: people.county }).from(people).orderBy(asc(people.openId));
    expect(rows.filter((p) => p.county)).toEqual([
      { openId: EAST_LEADER, county: '东山县' },
      { openId: WEST_INSPECTOR, county: '西江区' },
      { openId: WEST_LEADER, county: '西江区' },
    ]);
  });
});

describe('statistics by county', () => {
  it('按县 folds townships into their counties; totals are unchanged', async () => {
    const all = await computeStats(h.db, november(), undefined, NOW);
    const byCounty = await computeStats(h.db, november(), 'county', NOW);
    expect(byCounty.groups.map((g) => [g.label.zh, g.found, g.rectified, g.inspections])).toEqual([
      ['东山县', 7, 3, 6],
      ['西江区', 2, 2, 1],
    ]);
    expect(byCounty.total).toEqual(all.total);
  });

  it('a county’s scope is its townships’ figures, hazards and visits alike', async () => {
    const west = await computeStats(h.db, november(), undefined, NOW, { kind: 'county', county: '西江区' });
    const town = await computeStats(h.db, november(), undefined, NOW, { kind: 'township', township: '海龙镇' });
    expect(west.total).toEqual(town.total);
    expect(west.ledger).toEqual(town.ledger);
    const east = await computeStats(h.db, november(), 'township', NOW, { kind: 'county', county: '东山县' });
    expect(east.groups.map((g) => [g.label.zh, g.found])).toEqual([['红梅镇', 5], ['山城镇', 2]]);
    expect(east.total.found + west.total.found).toBe(9);
    expect(east.total.inspections + west.total.inspections).toBe(7);
  });

  it('/stats 按县 answers a province leader with one row per county', async () => {
    const { replies } = await h.say(PROVINCE_LEADER, '/stats 2026-11 按县');
    expect(tableRows(replies[0])).toEqual([['东山县', 7, 3], ['西江区', 2, 2]]);
    expect(cardToText(JSON.parse(replies[0].content))).toContain('按县（按发现隐患数排序）');
  });

  it('a sentence asking by county (各县) answers as /stats … 按县', async () => {
    const mention = { mentions: [{ openId: h.fake.botOpenId, name: '安全值守助手' }] };
    const plain = await h.say(PROVINCE_LEADER, '@_user_1 11月各县隐患情况怎么样', mention);
    expect(tableRows(plain.replies.find((m) => m.msgType === 'interactive')!)).toEqual([['东山县', 7, 3], ['西江区', 2, 2]]);
    const seat = await h.say(PROVINCE_LEADER, '@_user_1 11月分县区统计', mention);
    expect(tableRows(seat.replies.find((m) => m.msgType === 'interactive')!)).toEqual([['东山县', 7, 3], ['西江区', 2, 2]]);
  });

  it('a county’s leader sees their county only, and is told so', async () => {
    const { replies } = await h.say(WEST_LEADER, '/stats 2026-11 按乡镇');
    const text = cardToText(JSON.parse(replies[0].content));
    expect(text).toContain('发现 **2** 条，已整改 **2** 条');
    expect(text).toContain('县区人员只能查看本县区：以上仅含西江区的数据');
    expect(tableRows(replies[0])).toEqual([['海龙镇', 2, 2]]);
    const east = await h.say(EAST_LEADER, '/统计 2026-11 按县');
    expect(tableRows(east.replies[0])).toEqual([['东山县', 7, 3]]);
  });

  it('a county’s inspector with no township sees the county; one with a township still sees the township', async () => {
    const west = await h.say(WEST_INSPECTOR, '/stats 2026-11');
    expect(cardToText(JSON.parse(west.replies[0].content))).toContain('发现 **2** 条');
    await addPerson(h.db, 'ou_county_town_inspector', '红梅检查员', 'inspector', { township: '红梅镇', county: '东山县' });
    const town = await h.say('ou_county_town_inspector', '/stats 2026-11');
    const text = cardToText(JSON.parse(town.replies[0].content));
    expect(text).toContain('发现 **5** 条');
    expect(text).toContain('检查员只能查看本乡镇');
  });

  it('/hazards lists a county’s hazards only for its people, and a county’s name is a filter', async () => {
    const inCounty = async (county: string) =>
      Number((await h.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM hazards WHERE township IN (SELECT name FROM townships WHERE county = ${county})`))[0].n);
    const all = Number((await h.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM hazards`))[0].n);
    const [westN, eastN] = [await inCounty('西江区'), await inCounty('东山县')];
    expect(westN).toBeGreaterThan(0);
    expect(eastN).toBeGreaterThan(0);
    const west = cardToText(JSON.parse((await h.say(WEST_LEADER, '/hazards')).replies[0].content));
    expect(west).toContain('隐患列表 · 全部隐患 · 西江区');
    expect(west).toContain(`共 ${westN} 条`);
    expect(west).not.toContain('红梅');
    const province = cardToText(JSON.parse((await h.say(PROVINCE_LEADER, '/hazards')).replies[0].content));
    expect(province).toContain(`共 ${all} 条`);
    const east = cardToText(JSON.parse((await h.say(PROVINCE_LEADER, '/hazards 东山县')).replies[0].content));
    expect(east).toContain('隐患列表 · 县区：东山县');
    expect(east).toContain(`共 ${eastN} 条`);
    // Another county's name inside one's own scope finds nothing rather than showing it.
    const across = cardToText(JSON.parse((await h.say(WEST_LEADER, '/hazards 东山县')).replies[0].content));
    expect(across).toContain('共 0 条');
  });

  it('the bulletin and the export are the county’s too', async () => {
    const bulletin = await h.say(WEST_LEADER, '/bulletin 2026-11');
    expect(textOf(bulletin.replies[0])).toContain('2026年11月，西江区');
    expect(textOf(bulletin.replies[0])).toContain('排查事故隐患2条');
    const province = await h.say(PROVINCE_LEADER, '/bulletin 2026-11');
    expect(textOf(province.replies[0])).toContain('排查事故隐患9条');
  });
});
