import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { bj, CONTACT, INSPECTOR, INSPECTOR_NOWHERE, LEADER, seedIncidents, seedNovember, seedPeople } from './support/stats-fixture.ts';
import { addEnterprise, addHazard } from './support/seed.ts';
import { computeStats, type Stats } from '../src/domain/stats.ts';
import { parsePeriod, type Period } from '../src/domain/stats-period.ts';
import { finePhrase, fineWan, rectificationRate } from '../src/domain/stats-format.ts';
import { cardToText } from '../src/lark/card-text.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

const TZ = 'Asia/Shanghai';
const NOW = bj('2026-12-01T10:00:00');
let h: Harness;

const period = (text: string | undefined, now = NOW): Period => {
  const p = parsePeriod(text, now, TZ);
  if (!p.ok) throw new Error(p.zh);
  return p.period;
};
const november = () => period('2026-11-01..2026-11-30');
const cardOf = (m: FakeMessage) => JSON.parse(m.content) as { header: { title: { content: string } }; body: { elements: Record<string, unknown>[] } };
const elementsOf = (m: FakeMessage, tag: string) => cardOf(m).body.elements.filter((e) => e.tag === tag);

beforeAll(async () => {
  h = await startHarness({ start: NOW, adminOpenIds: ['ou_stats_admin'] });
  await seedPeople(h.db);
  await seedNovember(h.db);
  await seedIncidents(h.db);
});
afterAll(() => h.close());

describe('figures as leaders write them', () => {
  it('rounds the rectification rate half up to one decimal; nothing found is a dash', () => {
    expect(rectificationRate(5, 9)).toBe('55.6%');
    expect(rectificationRate(2, 3)).toBe('66.7%');
    expect(rectificationRate(1, 3)).toBe('33.3%');
    expect(rectificationRate(1, 8)).toBe('12.5%');
    expect(rectificationRate(1, 16)).toBe('6.3%'); // 6.25 → half up
    expect(rectificationRate(388, 612)).toBe('63.4%'); // the article's figures
    expect(rectificationRate(3, 3)).toBe('100.0%');
    expect(rectificationRate(0, 4)).toBe('0.0%');
    expect(rectificationRate(0, 0)).toBe('—');
  });

  it('writes fines in 万元 with at most two decimals, half up, trailing zeros dropped', () => {
    expect(fineWan(105_000_000)).toBe('105'); // 1,050,000 元 → 105 万元
    expect(fineWan(1_050_000)).toBe('1.05'); // 10,500 元
    expect(fineWan(1_234_500)).toBe('1.23'); // 12,345 元
    expect(fineWan(1_235_500)).toBe('1.24'); // 12,355 元: half up
    expect(fineWan(1_500_000)).toBe('1.5'); // 15,000 元
    expect(fineWan(2_784_500)).toBe('2.78');
    expect(fineWan(5_000)).toBe('0.01'); // 50 元
    expect(fineWan(4_000)).toBe('<0.01'); // 40 元
    expect(fineWan(0)).toBe('0');
    expect(finePhrase(105_000_000)).toBe('105万元');
    expect(finePhrase(4_050)).toBe('40.5元');
  });
});

describe('periods in local time', () => {
  it('本月 runs from local midnight on the 1st to local midnight on the 1st of the next month', () => {
    const p = period('本月', bj('2026-11-30T23:30:00'));
    expect(p.from).toBe(bj('2026-11-01T00:00:00').getTime());
    expect(p.to).toBe(bj('2026-12-01T00:00:00').getTime());
    expect(p.phrase).toBe('2026年11月');
    expect(p.tag).toBe('2026-11');
    expect(p.label.zh).toBe('本月（2026年11月）');
    // 23:30 on the last day is in; 00:30 on the next day (still 11-30 in UTC) is out.
    const lastEvening = bj('2026-11-30T23:30:00').getTime();
    const nextMorning = bj('2026-12-01T00:30:00').getTime();
    expect(lastEvening >= p.from && lastEvening < p.to).toBe(true);
    expect(nextMorning >= p.from && nextMorning < p.to).toBe(false);
    expect(new Date(nextMorning).toISOString().slice(0, 10)).toBe('2026-11-30');
  });

  it('defaults to 本月', () => {
    expect(period(undefined)).toEqual(period('本月'));
  });

  it('本周 starts on Monday, 上周 is the Monday–Sunday before, 今天 and 今年 are local', () => {
    const sunday = bj('2026-11-29T22:00:00');
    expect(period('本周', sunday).from).toBe(bj('2026-11-23T00:00:00').getTime());
    expect(period('本周', sunday).to).toBe(bj('2026-11-30T00:00:00').getTime());
    const monday = bj('2026-11-30T09:00:00');
    expect(period('本周', monday).from).toBe(bj('2026-11-30T00:00:00').getTime());
    const last = period('上周', monday);
    expect([last.from, last.to]).toEqual([bj('2026-11-23T00:00:00').getTime(), bj('2026-11-30T00:00:00').getTime()]);
    expect(last.phrase).toBe('2026年11月23日至29日');
    const today = period('今天', bj('2026-11-30T00:10:00'));
    expect([today.from, today.to]).toEqual([bj('2026-11-30T00:00:00').getTime(), bj('2026-12-01T00:00:00').getTime()]);
    const year = period('今年', NOW);
    expect([year.from, year.to, year.phrase]).toEqual([bj('2026-01-01T00:00:00').getTime(), bj('2027-01-01T00:00:00').getTime(), '2026年']);
  });

  it('takes inclusive local date ranges', () => {
    const p = period('2026-11-28..2026-12-02');
    expect([p.from, p.to]).toEqual([bj('2026-11-28T00:00:00').getTime(), bj('2026-12-03T00:00:00').getTime()]);
    expect(p.phrase).toBe('2026年11月28日至12月2日');
    expect(p.tag).toBe('2026-11-28_2026-12-02');
    // A whole month typed as a range reads as that month.
    expect(november().phrase).toBe('2026年11月');
    expect(period('2025-12-29..2026-01-04').phrase).toBe('2025年12月29日至2026年1月4日');
    expect(parsePeriod('2026-12-02..2026-11-28', NOW, TZ).ok).toBe(false);
    expect(parsePeriod('2026-02-30..2026-03-01', NOW, TZ).ok).toBe(false);
    expect(parsePeriod('下个月', NOW, TZ).ok).toBe(false);
  });
});

describe('computeStats', () => {
  let s: Stats;
  beforeAll(async () => {
    s = await computeStats(h.db, november(), undefined, NOW);
  });

  it('counts exactly the fixture figures', () => {
    expect(s.total).toEqual({
      inspections: 7,
      covert: 2,
      covertEnterprises: 2,
      found: 9,
      rectified: 5,
      majorFound: 3,
      majorRectified: 2,
      overdue: 2,
      documents: 3,
      suspensions: 1,
      seals: 1,
      interviews: 2,
      detentions: 1,
      fineFen: 2_784_500,
    });
    expect(s.covertHazards).toEqual({ found: 2, rectified: 1 });
    expect(rectificationRate(s.total.rectified, s.total.found)).toBe('55.6%');
    expect(fineWan(s.total.fineFen)).toBe('2.78');
  });

  it('reports the period’s incidents with median response times', () => {
    expect(s.incidents).toEqual({ count: 2, medianAckMs: 5 * 60_000, medianArriveMs: 35 * 60_000 });
  });

  it('overdue is judged at now: before the deadlines pass nothing is overdue', async () => {
    const early = await computeStats(h.db, november(), undefined, bj('2026-11-20T12:00:00'));
    expect(early.total.overdue).toBe(0);
    const later = await computeStats(h.db, november(), undefined, bj('2026-11-26T12:00:00'));
    expect(later.total.overdue).toBe(2);
  });

  it('a month in local time: the 23:30 hazard on the last day counts, the 00:30 one the next day does not', async () => {
    const dec = await computeStats(h.db, period('本月', NOW), undefined, NOW);
    expect(dec.total.found).toBe(1);
    expect(dec.total.inspections).toBe(1);
    expect(dec.total.fineFen).toBe(100_000_000);
    const lastDay = await computeStats(h.db, period('2026-11-30..2026-11-30'), undefined, NOW);
    expect(lastDay.total.found).toBe(1);
    const oct = await computeStats(h.db, period('2026-10'), undefined, NOW);
    expect(oct.total.found).toBe(1);
  });

  it('groups by sector, sorted by hazards found, with the same columns', async () => {
    const by = await computeStats(h.db, november(), 'sector', NOW);
    expect(by.groups.map((g) => [g.label.zh, g.found, g.rectified])).toEqual([
      ['危化', 3, 2],
      ['建筑施工', 2, 0],
      ['城市燃气', 2, 1],
      ['烟花爆竹', 2, 2],
    ]);
    const chem = by.groups[0];
    expect(chem).toMatchObject({ inspections: 3, covert: 1, majorFound: 1, majorRectified: 1, overdue: 1, documents: 2, suspensions: 1, seals: 0, interviews: 2, detentions: 0, fineFen: 1_234_500 });
    const gas = by.groups.find((g) => g.key === 'city_gas')!;
    expect(gas).toMatchObject({ inspections: 1, covert: 1, found: 2, majorFound: 2, overdue: 1, seals: 1, detentions: 1, fineFen: 1_050_000 });
    expect(by.total).toEqual(s.total);
  });

  it('groups by township and by enterprise', async () => {
    const town = await computeStats(h.db, november(), 'township', NOW);
    expect(town.groups.map((g) => [g.label.zh, g.found, g.rectified, g.inspections])).toEqual([
      ['红梅镇', 5, 2, 5],
      ['山城镇', 2, 1, 1],
      ['海龙镇', 2, 2, 1],
    ]);
    expect(town.total).toEqual(s.total);
    const ent = await computeStats(h.db, november(), 'enterprise', NOW);
    expect(ent.groups.map((g) => [g.label.zh, g.found])).toEqual([
      ['梅河化工有限公司', 3],
      ['梅河建筑工程公司', 2],
      ['山城燃气公司', 2],
      ['海龙烟花厂', 2],
    ]);
    expect(ent.total).toEqual(s.total);
  });

  it('restricts to one township (hazards by their township, inspections and enforcement by the enterprise’s)', async () => {
    const mine = await computeStats(h.db, november(), undefined, NOW, { kind: 'township', township: '红梅镇' });
    expect(mine.total).toEqual({
      inspections: 5, covert: 1, covertEnterprises: 1, found: 5, rectified: 2, majorFound: 1, majorRectified: 1, overdue: 1,
      documents: 2, suspensions: 1, seals: 0, interviews: 2, detentions: 0, fineFen: 1_734_500,
    });
    expect(mine.covertHazards).toEqual({ found: 1, rectified: 1 });
    expect(mine.incidents).toBeUndefined();
    const byEnterprise = await computeStats(h.db, november(), 'enterprise', NOW, { kind: 'township', township: '红梅镇' });
    expect(byEnterprise.groups.map((g) => g.label.zh)).toEqual(['梅河化工有限公司', '梅河建筑工程公司']);
    const byTown = await computeStats(h.db, november(), 'township', NOW, { kind: 'township', township: '红梅镇' });
    expect(byTown.groups.map((g) => g.label.zh)).toEqual(['红梅镇']);
  });

  it('an empty period is all zeros', async () => {
    const empty = await computeStats(h.db, period('2025-01'), 'sector', NOW);
    expect(empty.groups).toEqual([]);
    expect(Object.values(empty.total).every((v) => v === 0)).toBe(true);
  });
});

describe('/stats', () => {
  it('answers a leader with the figures, the chart uploaded through im/v1/images, and the incidents', async () => {
    const images = h.fake.images.size;
    const { replies } = await h.say(LEADER, '/stats 2026-11-01..2026-11-30');
    expect(replies).toHaveLength(1);
    const text = cardToText(JSON.parse(replies[0].content));
    expect(text).toContain('安全生产统计 · 2026年11月');
    expect(text).toContain('生产经营单位 **7** 户次，其中暗查暗访 **2** 户次（2 户企业，发现隐患 2 条、已整改 1 条）');
    expect(text).toContain('发现 **9** 条，已整改 **5** 条，整改率 **55.6%**');
    expect(text).toContain('重大隐患 发现 **3** 条，已整改 **2** 条；当前逾期未整改 **2** 条');
    expect(text).toContain('执法文书 **3** 份 · 停产整顿 **1** 户 · 查封 **1** 户 · 约谈 **2** 人 · 拘留 **1** 人 · 经济处罚 **2.78** 万元');
    expect(text).toContain('险情 **2** 起 · 接报→接令 中位 **5分** · 接报→到达 中位 **35分**');
    const [img] = elementsOf(replies[0], 'img');
    expect(h.fake.images.size).toBe(images + 1);
    expect(h.fake.images.has(img.img_key as string)).toBe(true);
    expect(elementsOf(replies[0], 'table')).toHaveLength(0);
  });

  it('/统计 with a grouping adds the table, sorted by hazards found', async () => {
    const { replies } = await h.say(LEADER, '/统计 按乡镇 2026-11');
    const [table] = elementsOf(replies[0], 'table') as { rows: Record<string, unknown>[] }[];
    expect(table.rows.map((r) => [r.name, r.found, r.rect, r.rate, r.fine])).toEqual([
      ['红梅镇', 5, 2, '40.0%', '1.73'],
      ['山城镇', 2, 1, '50.0%', '1.05'],
      ['海龙镇', 2, 2, '100.0%', '0'],
    ]);
    expect(cardToText(JSON.parse(replies[0].content))).toContain('按乡镇（按发现隐患数排序）');
  });

  it('按县 before any county is on record says how to place townships in counties', async () => {
    const { replies } = await h.say(LEADER, '/统计 2026-11 按县');
    const text = cardToText(JSON.parse(replies[0].content));
    expect(text).toContain('（未填县区）');
    expect(text).toContain('尚未登记县区：在企业或人员导入表中加“县区”列即可按县统计。');
    const towns = cardToText(JSON.parse((await h.say(LEADER, '/统计 2026-11 按乡镇')).replies[0].content));
    expect(towns).not.toContain('尚未登记县区');
  });

  it('defaults to this month', async () => {
    const { replies } = await h.say(LEADER, '/stats');
    const text = cardToText(JSON.parse(replies[0].content));
    expect(text).toContain('2026年12月');
    expect(text).toContain('发现 **1** 条');
  });

  it('shows an inspector their own township only, and says so', async () => {
    const { replies } = await h.say(INSPECTOR, '/stats 2026-11 按行业');
    const text = cardToText(JSON.parse(replies[0].content));
    expect(text).toContain('红梅镇');
    expect(text).toContain('检查员只能查看本乡镇');
    expect(text).toContain('发现 **5** 条，已整改 **2** 条，整改率 **40.0%**');
    expect(text).not.toContain('险情');
    const [table] = elementsOf(replies[0], 'table') as { rows: Record<string, unknown>[] }[];
    expect(table.rows.map((r) => r.name)).toEqual(['危化', '建筑施工']);
  });

  it('refuses an inspector with no township and people without the role', async () => {
    const nowhere = await h.say(INSPECTOR_NOWHERE, '/stats');
    expect(textOf(nowhere.replies[0])).toContain('没有登记乡镇');
    const contact = await h.say(CONTACT, '/stats');
    expect(textOf(contact.replies[0])).toMatch(/领导|管理员/);
  });

  it('explains a period it cannot read', async () => {
    const { replies } = await h.say(LEADER, '/stats 下个月');
    expect(textOf(replies[0])).toContain('无法识别的时间');
    const two = await h.say(LEADER, '/stats 按行业 按乡镇');
    expect(textOf(two.replies[0])).toContain('用法');
  });

  it('still answers with the figures when the chart upload fails, and says so', async () => {
    h.fake.failNext(1, { status: 400, code: 234001, msg: 'invalid image' });
    const { replies } = await h.say(LEADER, '/stats 2026-11');
    expect(replies).toHaveLength(1);
    expect(elementsOf(replies[0], 'img')).toHaveLength(0);
    const text = cardToText(JSON.parse(replies[0].content));
    expect(text).toContain('图表上传失败');
    expect(text).toContain('发现 **9** 条');
  });

  it('keeps a big enterprise table to 50 rows, inside Lark’s card size, and points to /export', async () => {
    for (let i = 1; i <= 60; i++) {
      const id = await addEnterprise(h.db, { name: `梅河市第${i}号危险化学品经营储存有限责任公司`, sector: 'hazardous_chemicals', township: '红梅镇' });
      for (let j = 0; j < (i % 3) + 1; j++) await addHazard(h.db, { enterpriseId: id, sector: 'hazardous_chemicals', township: '红梅镇', status: 'closed', reportedAt: bj('2025-06-10T10:00:00').getTime() });
    }
    const { replies } = await h.say(LEADER, '/stats 2025-06 按企业');
    expect(replies).toHaveLength(1);
    expect(Buffer.byteLength(replies[0].content)).toBeLessThan(30 * 1024);
    const [table] = elementsOf(replies[0], 'table') as { rows: Record<string, unknown>[] }[];
    expect(table.rows).toHaveLength(50);
    expect(table.rows[0].found).toBe(3);
    expect(cardToText(JSON.parse(replies[0].content))).toContain('共 60 项，仅显示隐患最多的前 50 项');
  });

  it('says why there is no chart when nothing was found', async () => {
    const { replies } = await h.say(LEADER, '/stats 2025-01');
    expect(cardToText(JSON.parse(replies[0].content))).toContain('本期没有发现隐患');
  });
});
