// Statistics of the ledger (issue 17) on fixed data: hazards by source, 按期整改率 beside 整改率,
// listed / extended / 立查立改 counts, and 同比/环比 — including an earlier period with no data,
// which is left out rather than shown as ∞ — for a month, a quarter (第四季度, 2026Q4, 上季度).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforcementActions, inspections } from '../src/db/schema.ts';
import { computeStats } from '../src/domain/stats.ts';
import { changeTenths, compareLines, computeComparison } from '../src/domain/stats-compare.ts';
import { comparisonPeriods, parsePeriod } from '../src/domain/stats-period.ts';
import { fromLocal } from '../src/domain/time.ts';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { cardText } from './support/cards.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-12-01T02:00:00Z');
const at = (mo: number, d: number, y = 2026) => fromLocal(y, mo, d, 10, 0, TZ).getTime();
const LEADER = 'ou_stats_leader';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ start: NOW });
  await addPerson(h.db, LEADER, '统计领导', 'leader');
  const e = await addEnterprise(h.db, { name: '统计测试企业', township: '红梅镇' });
  // November 2026: 10 found, 9 rectified — 7 by their original deadline, 2 after it (one was extended).
  const nov = (i: number, o: Record<string, unknown>) => addHazard(h.db, { enterpriseId: e, township: '红梅镇', reportedAt: at(11, 2 + i), deadline: at(11, 12 + i), ...o });
  for (let i = 0; i < 6; i++) await nov(i, { status: 'closed', rectifiedAt: at(11, 5 + i), closedAt: at(11, 6 + i), source: i < 2 ? 'expert' : 'inspection' });
  await nov(6, { status: 'closed', rectifiedAt: at(11, 25), closedAt: at(11, 26), originalDeadline: at(11, 18), deadline: at(11, 28), extensions: 1 });
  await nov(7, { status: 'rectified', rectifiedAt: at(11, 28), source: 'tip', level: 'major', superviseLevel: 'county' });
  await nov(8, { status: 'dispatched', onTheSpot: false });
  await nov(9, { status: 'closed', rectifiedAt: at(11, 11), closedAt: at(11, 11), onTheSpot: true });
  // October 2026: 8 found, 4 rectified. November 2025: nothing at all.
  for (let i = 0; i < 8; i++) {
    await addHazard(h.db, { enterpriseId: e, township: '红梅镇', reportedAt: at(10, 3 + i), deadline: at(10, 20), status: i < 4 ? 'closed' : 'dispatched', rectifiedAt: i < 4 ? at(10, 15) : null, closedAt: i < 4 ? at(10, 16) : null });
  }
  const visits = [...[1, 2, 3, 4, 5].map((d) => at(11, d)), ...[1, 2, 3, 4].map((d) => at(10, d))];
  await h.db.insert(inspections).values(visits.map((t) => ({ enterpriseId: e, at: t, createdAt: t })));
  await h.db.insert(enforcementActions).values({ enterpriseId: e, kind: 'fine', amountFen: 1_000_000, at: at(11, 20), createdAt: at(11, 20) });
});
afterAll(() => h.close());

const period = (text: string) => {
  const p = parsePeriod(text, NOW, TZ);
  if (!p.ok) throw new Error(p.zh);
  return p.period;
};

describe('按期整改率 and the ledger counts', () => {
  it('counts by source, rectified on time against the original deadline, listed, extended, on the spot', async () => {
    const s = await computeStats(h.db, period('2026-11'), undefined, NOW);
    expect(s.total).toMatchObject({ found: 10, rectified: 9 });
    expect(s.ledger).toMatchObject({
      bySource: { inspection: { found: 7, rectified: 6 }, expert: { found: 2, rectified: 2 }, tip: { found: 1, rectified: 1 } },
      rectifiedLate: 2,
      listed: 1,
      extended: 1,
      onTheSpot: 1,
    });
  });
});

describe('同比 / 环比', () => {
  it('a month against the month before and the same month a year earlier, leaving out what has no earlier data', async () => {
    const p = period('2026-11');
    const c = (await computeComparison(h.db, p, NOW, { kind: 'all' }, TZ))!;
    expect(c.previous.period.tag).toBe('2026-10');
    expect(c.yearAgo.period.tag).toBe('2025-11');
    const s = await computeStats(h.db, p, undefined, NOW);
    const lines = Object.fromEntries(compareLines(s.total, c).map((l) => [l.metric, [l.value, l.mom, l.yoy]]));
    expect(lines).toEqual({
      inspections: ['5户次', 250, undefined], // 5 vs 4: +25.0%; no visits in 2025-11
      found: ['10条', 250, undefined], // 10 vs 8
      rectified: ['9条', 1250, undefined], // 9 vs 4: +125.0%
      rate: ['90.0%', 400, undefined], // 90.0% vs 50.0%: +40.0 points
      fine: ['1万元', undefined, undefined], // nothing fined in October: no percentage, never ∞
    });
  });

  it('rounds half up in integers, and says nothing for an earlier zero', () => {
    expect(changeTenths(612, 544)).toBe(125); // 12.5%
    expect(changeTenths(3, 4)).toBe(-250);
    expect(changeTenths(7, 0)).toBeUndefined();
    expect(changeTenths(0, 0)).toBeUndefined();
  });

  it('/stats and /bulletin show it in the bureau’s words', async () => {
    const card = cardText((await h.say(LEADER, '/stats 2026-11')).replies[0].content);
    expect(card).toContain('**按期整改率** **77.8%**（整改率 90.0%）');
    expect(card).toContain('专家查隐患 2 条');
    expect(card).toContain('发现隐患 10条：同比 —，环比 +25.0%');
    expect(card).toContain('整改率 90.0%：同比 —，环比 +40.0个百分点');
    expect(card).not.toContain('∞');
    const { replies } = await h.say(LEADER, '/通报 2026-11');
    const second = textOf(replies[1]);
    expect(second).toContain('排查隐患10条，环比增长25.0%');
    expect(second).toContain('整改率90.0%，环比提高40.0个百分点');
    expect(second).not.toContain('同比');
    expect(second).toContain('按期整改率77.8%');
    expect(second).toContain('挂牌督办1条，延期整改1条，立查立改1条');
  });
});

describe('quarters', () => {
  it('第四季度, 2026Q4, 本季度 and 上季度 are periods, compared with the quarter before and a year earlier', () => {
    const q4 = period('第四季度');
    expect(q4).toMatchObject({ from: fromLocal(2026, 10, 1, 0, 0, TZ).getTime(), to: fromLocal(2027, 1, 1, 0, 0, TZ).getTime(), phrase: '2026年第四季度', tag: '2026Q4', kind: 'quarter' });
    expect(period('2026Q4').from).toBe(q4.from);
    expect(period('本季度').from).toBe(q4.from);
    expect(period('上季度')).toMatchObject({ tag: '2026Q3', phrase: '2026年第三季度' });
    expect(period('2025年第一季度').tag).toBe('2025Q1');
    const c = comparisonPeriods(q4, TZ)!;
    expect([c.previous.tag, c.yearAgo.tag]).toEqual(['2026Q3', '2025Q4']);
    expect(comparisonPeriods(period('2026年'), TZ)!.previous.tag).toBe('2025');
    expect(comparisonPeriods(period('本周'), TZ)).toBeUndefined();
  });

  it('/stats 第四季度 answers for the quarter, against 第三季度', async () => {
    const card = cardText((await h.say(LEADER, '/stats 第四季度')).replies[0].content);
    expect(card).toContain('2026年第四季度');
    expect(card).toContain('2025年第四季度、2026年第三季度均无数据，不作比较'); // never ∞, never a table of dashes
  });
});
