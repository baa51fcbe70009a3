import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { bj, INSPECTOR, LEADER, seedNovember, seedPeople } from './support/stats-fixture.ts';
import { computeStats, zeroFigures, type Stats } from '../src/domain/stats.ts';
import { bulletin } from '../src/domain/stats-bulletin.ts';
import { parsePeriod } from '../src/domain/stats-period.ts';

const NOW = bj('2026-12-01T10:00:00');
let h: Harness;

const november = () => {
  const p = parsePeriod('2026-11', NOW, 'Asia/Shanghai');
  if (!p.ok) throw new Error(p.zh);
  return p.period;
};

/** A Stats with only the given figures, for the sentence rules. */
const only = (figures: Partial<Stats['total']>, covertHazards = { found: 0, rectified: 0 }): Stats => ({
  period: november(),
  scope: { kind: 'all' },
  groupedBy: 'sector',
  now: NOW.getTime(),
  total: { ...zeroFigures(), ...figures },
  groups: [],
  covertHazards,
});

beforeAll(async () => {
  h = await startHarness({ start: NOW });
  await seedPeople(h.db);
  await seedNovember(h.db);
});
afterAll(() => h.close());

describe('the bulletin paragraph', () => {
  it('reads like the source article, with the period first', async () => {
    const s = await computeStats(h.db, november(), undefined, NOW);
    expect(bulletin(s)).toBe(
      '2026年11月，累计排查生产经营单位7户次，排查事故隐患9条，已整改5条，下达执法文书3份，停产整顿企业1户，查封企业1户，约谈企业负责人2人，拘留1人，经济处罚2.78万元。' +
        '其中，对2户企业进行暗查暗访，检查出安全隐患2条，已整改1条。',
    );
  });

  it('reproduces the article’s own sentence from its figures', () => {
    const s = only(
      { inspections: 1073, found: 612, rectified: 388, documents: 309, suspensions: 2, seals: 2, interviews: 38, detentions: 2, fineFen: 105_000_000, covert: 25, covertEnterprises: 25 },
      { found: 60, rectified: 60 },
    );
    expect(bulletin(s)).toBe(
      '2026年11月，累计排查生产经营单位1073户次，排查事故隐患612条，已整改388条，下达执法文书309份，停产整顿企业2户，查封企业2户，约谈企业负责人38人，拘留2人，经济处罚105万元。' +
        '其中，对25户企业进行暗查暗访，检查出安全隐患60条，已全部整改。',
    );
  });

  it('leaves out figures that are zero', () => {
    expect(bulletin(only({ found: 4, documents: 1 }))).toBe('2026年11月，排查事故隐患4条，下达执法文书1份。');
    expect(bulletin(only({ inspections: 3, fineFen: 4_000 }))).toBe('2026年11月，累计排查生产经营单位3户次，经济处罚40元。');
    expect(bulletin(only({ covert: 1, covertEnterprises: 1 }))).toBe('2026年11月，对1户企业进行暗查暗访。');
    expect(bulletin(only({}))).toBe('2026年11月，暂无排查、隐患和执法记录。');
  });

  it('names an inspector’s township', async () => {
    const s = await computeStats(h.db, november(), undefined, NOW, { kind: 'township', township: '红梅镇' });
    expect(bulletin(s)).toBe(
      '2026年11月，红梅镇累计排查生产经营单位5户次，排查事故隐患5条，已整改2条，下达执法文书2份，停产整顿企业1户，约谈企业负责人2人，经济处罚1.73万元。' +
        '其中，对1户企业进行暗查暗访，检查出安全隐患1条，已全部整改。',
    );
  });
});

describe('/bulletin', () => {
  it('answers with the paragraph alone, ready to paste (/通报 too)', async () => {
    const { replies } = await h.say(LEADER, '/bulletin 2026-11');
    // Issue 17: the paragraph is still a message of its own; 同比/环比 and the ledger figures follow in a second.
    expect(replies).toHaveLength(2);
    expect(textOf(replies[1])).not.toContain('2026年11月，');
    expect(textOf(replies[0])).toMatch(/^2026年11月，累计排查生产经营单位7户次，排查事故隐患9条，已整改5条，.*经济处罚2\.78万元。其中，对2户企业进行暗查暗访/);
    const zh = await h.say(INSPECTOR, '/通报 2026-11-01..2026-11-30');
    expect(textOf(zh.replies[0])).toMatch(/^2026年11月，红梅镇累计排查生产经营单位5户次/);
  });

  it('defaults to this month and takes week words', async () => {
    expect(textOf((await h.say(LEADER, '/通报')).replies[0])).toBe('2026年12月，累计排查生产经营单位1户次，排查事故隐患1条，经济处罚100万元。其中，对1户企业进行暗查暗访。');
    expect(textOf((await h.say(LEADER, '/通报 上周')).replies[0])).toMatch(/^2026年11月23日至29日，/);
  });

  it('refuses a grouping word', async () => {
    const { replies } = await h.say(LEADER, '/bulletin 本月 按行业');
    expect(textOf(replies[0])).toContain('用法');
  });
});
