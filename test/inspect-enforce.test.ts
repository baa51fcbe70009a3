import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';
import { checkCard, checkCardResponse } from './support/card-check.ts';
import { buttonValues, cardOf, type Card } from './support/cards.ts';
import { enforcementActions, hazards, inspections } from '../src/db/schema.ts';
import { enforcementFacts, splitEnforceWords } from '../src/domain/enforcement.ts';
import { inspectionForHazard } from '../src/domain/inspections.ts';
import { formatWan, formatYuan, parseMoney } from '../src/domain/money.ts';
import { cardToText } from '../src/lark/card-text.ts';

const TZ = 'Asia/Shanghai';
const ADMIN = 'ou_ie_admin';
const LINA = 'ou_ie_lina';
const ZHAO = 'ou_ie_zhaolei';
const LEADER = 'ou_ie_leader';
const OFFICER = 'ou_ie_officer';
const CONTACT = 'ou_ie_contact';
// 2026-12-01 09:00 in Shanghai.
const START = new Date('2026-12-01T01:00:00Z');

let h: Harness;
let chem: number;
let fireworks: number;

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN], start: START });
  await addPerson(h.db, LINA, '李娜', 'inspector');
  await addPerson(h.db, ZHAO, '赵磊', 'inspector');
  await addPerson(h.db, LEADER, '陈静', 'leader');
  await addPerson(h.db, OFFICER, '王强', 'officer');
  await addPerson(h.db, CONTACT, '刘洋', 'contact');
  chem = await addEnterprise(h.db, { name: '梅河化工有限公司', sector: 'hazardous_chemicals', township: '红梅镇' });
  fireworks = await addEnterprise(h.db, { name: '梅河烟花厂', sector: 'fireworks', township: '红梅镇' });
});
afterAll(() => h.close());

describe('money', () => {
  it.each([
    ['50000', 5_000_000],
    ['50000元', 5_000_000],
    ['5万', 5_000_000],
    ['5万元', 5_000_000],
    ['1.05万', 1_050_000], // 10,500 元 exactly
    ['1.05万元', 1_050_000],
    ['0.5', 50],
    ['12.34元', 1234],
    ['1.10元', 110],
    ['¥1,000', 100_000],
    ['￥50,000元', 5_000_000],
    ['5千', 500_000],
    ['1.234567万', 1_234_567],
    ['105万', 105_000_000],
    ['10000万', 10_000_000_000], // 1 亿, the cap
  ])('reads %s as %i fen', (text, fen) => {
    expect(parseMoney(text)).toEqual({ ok: true, fen });
  });

  it.each([
    ['0', '大于零'],
    ['0.00万', '大于零'],
    ['-5', '无法识别'],
    ['五万', '无法识别'],
    ['abc', '无法识别'],
    ['1e5', '无法识别'],
    ['5.', '无法识别'],
    ['5万5', '无法识别'],
    ['1,00', '无法识别'],
    ['1.001元', '精确到分'],
    ['1.0000001万', '精确到分'],
    ['10001万', '超过1亿元'],
    ['99999999999999999', '超过1亿元'],
  ])('refuses %s with a reason', (text, reason) => {
    const r = parseMoney(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.zh).toContain(reason);
      expect(r.en.length).toBeGreaterThan(0);
    }
  });

  it('formats fen as yuan and as 万元', () => {
    expect(formatYuan(1_050_000)).toBe('10,500元');
    expect(formatYuan(1_050_050)).toBe('10,500.50元');
    expect(formatYuan(5)).toBe('0.05元');
    expect(formatWan(1_050_000)).toBe('1.05万元');
    expect(formatWan(105_000_000)).toBe('105万元');
    expect(formatWan(1_234_567)).toBe('1.234567万元');
  });
});

describe('enforcement words', () => {
  const facts = (...words: string[]) => {
    const s = splitEnforceWords(words);
    if ('error' in s) return s.error;
    const f = enforcementFacts(s.kind, s.amountText, s.peopleText);
    return f.ok ? { kind: f.kind, amountFen: f.amountFen, people: f.people, enterprise: s.enterprise, note: words.slice(s.kindAt + 1 + s.taken).join(' ') } : f.zh;
  };

  it.each([
    [['梅河化工', '约谈'], { kind: 'interview', amountFen: 0, people: 1, note: '' }],
    [['梅河化工', '约谈', '2'], { kind: 'interview', amountFen: 0, people: 2, note: '' }],
    [['梅河化工', 'interview', '3人', '主要负责人'], { kind: 'interview', amountFen: 0, people: 3, note: '主要负责人' }],
    [['梅河化工', '约谈', '0', '2'], { kind: 'interview', amountFen: 0, people: 2, note: '' }],
    [['梅河化工', '拘留', '2', '因消防安全'], { kind: 'detain', amountFen: 0, people: 2, note: '因消防安全' }],
    [['梅河化工', 'detain'], { kind: 'detain', amountFen: 0, people: 1, note: '' }],
    [['梅河化工', '罚款', '5万元', '未按规定接地'], { kind: 'fine', amountFen: 5_000_000, people: 0, note: '未按规定接地' }],
    [['梅河化工', 'fine', '1.05万'], { kind: 'fine', amountFen: 1_050_000, people: 0, note: '' }],
    [['梅河化工', '罚款', '50000'], { kind: 'fine', amountFen: 5_000_000, people: 0, note: '' }],
    [['梅河化工', '执法文书', '责令限期整改'], { kind: 'document', amountFen: 0, people: 0, note: '责令限期整改' }],
    [['梅河', '化工', '停产整顿'], { kind: 'suspend', amountFen: 0, people: 0, enterprise: '梅河 化工', note: '' }],
    [['梅河化工', 'seal'], { kind: 'seal', amountFen: 0, people: 0, note: '' }],
  ])('%j', (words, expected) => {
    expect(facts(...words)).toMatchObject(expected);
  });

  it.each([
    [['梅河化工', '罚款'], '罚款需要金额'],
    [['梅河化工', '罚款', '说明'], '金额"说明"无法识别'],
    [['梅河化工', '罚款', '0'], '大于零'],
    [['梅河化工', '罚款', '5万', '2人'], '只有约谈、拘留记录人数'],
    [['梅河化工', '约谈', '5万'], '约谈不记金额'],
    [['梅河化工', '执法文书', '3'], '执法文书不记金额'],
    [['梅河化工', '查封', '2人'], '只有约谈、拘留记录人数'],
    [['梅河化工', '约谈', '0人'], '人数"0人"无效'],
    [['梅河化工', '拘留', '1000'], '人数"1000"无效'],
    [['梅河化工', '警告'], 'no-kind'],
    [['罚款', '5万'], 'no-enterprise'],
  ])('refuses %j', (words, reason) => {
    expect(facts(...words)).toEqual(expect.stringContaining(reason));
  });
});

describe('/inspect', () => {
  // Each test starts at 09:00 on a day of its own (the clock never runs backwards: the fake Lark's rate windows follow it).
  let day = 0;
  let morning: Date;
  beforeEach(async () => {
    await h.db.delete(inspections);
    await h.db.delete(hazards);
    morning = new Date(START.getTime() + ++day * 86_400_000);
    h.setNow(morning);
  });

  const all = () => h.db.select().from(inspections).orderBy(asc(inspections.id));

  it('records a visit and answers with the day’s count for the enterprise', async () => {
    const first = await h.say(LINA, '/inspect 梅河化工有限公司');
    expect(textOf(first.replies[0])).toContain('已登记检查：梅河化工有限公司。今天该企业共 1 户次');
    const covert = await h.say(ZHAO, '/检查 梅河化工有限公司 暗查');
    expect(textOf(covert.replies[0])).toContain('梅河化工有限公司（暗查暗访）。今天该企业共 2 户次');
    expect(textOf(covert.replies[0])).toContain('(covert)');
    const rows = await all();
    expect(rows.map((r) => [r.enterpriseId, r.inspectorOpenId, r.covert, r.importKey])).toEqual([
      [chem, LINA, false, null],
      [chem, ZHAO, true, null],
    ]);
  });

  it('counts one visit per inspector, enterprise and day; the next day starts again', async () => {
    await h.say(LINA, '/inspect 梅河化工有限公司');
    const again = await h.say(LINA, '/inspect 梅河化工有限公司');
    expect(textOf(again.replies[0])).toContain('今天您已登记过');
    expect(await all()).toHaveLength(1);

    h.setNow(new Date(morning.getTime() + 15.5 * 3600_000)); // 00:30 the next day in Shanghai
    const tomorrow = await h.say(LINA, '/inspect 梅河化工有限公司');
    expect(textOf(tomorrow.replies[0])).toContain('今天该企业共 1 户次');
    expect(await all()).toHaveLength(2);
  });

  it('links the hazards the inspector already reported there today, and finds the visit for later reports', async () => {
    const today = morning.getTime() - 30 * 60_000;
    const yesterday = morning.getTime() - 24 * 3600_000;
    const mine = await addHazard(h.db, { enterpriseId: chem, reporterOpenId: LINA, reportedAt: today });
    const old = await addHazard(h.db, { enterpriseId: chem, reporterOpenId: LINA, reportedAt: yesterday });
    const theirs = await addHazard(h.db, { enterpriseId: chem, reporterOpenId: ZHAO, reportedAt: today });
    const elsewhere = await addHazard(h.db, { enterpriseId: fireworks, reporterOpenId: LINA, reportedAt: today });

    const { replies } = await h.say(LINA, '/inspect 梅河化工有限公司');
    expect(textOf(replies[0])).toContain('1 条隐患已关联到本次检查');
    const [visit] = await all();
    const link = async (id: number) => (await h.db.select().from(hazards).where(eq(hazards.id, id)))[0].inspectionId;
    expect(await link(mine)).toBe(visit.id);
    expect(await link(old)).toBeNull();
    expect(await link(theirs)).toBeNull();
    expect(await link(elsewhere)).toBeNull();

    expect(await inspectionForHazard(h.db, chem, LINA, new Date(morning.getTime() + 14 * 3600_000), TZ)).toBe(visit.id); // 23:00
    expect(await inspectionForHazard(h.db, chem, LINA, new Date(morning.getTime() - 9.5 * 3600_000), TZ)).toBeUndefined(); // 23:30 the day before
    expect(await inspectionForHazard(h.db, chem, ZHAO, morning, TZ)).toBeUndefined();
    expect(await inspectionForHazard(h.db, fireworks, LINA, morning, TZ)).toBeUndefined();
    expect(await inspectionForHazard(h.db, chem, LINA, new Date(morning.getTime() + 24 * 3600_000), TZ)).toBeUndefined();
  });

  it('asks which enterprise when the name is ambiguous, and records the one clicked', async () => {
    const { replies } = await h.say(ZHAO, '/inspect 梅河 暗查');
    const pick = cardOf(replies[0]);
    expect(checkCard(pick)).toEqual([]);
    const values = buttonValues(pick);
    expect(values).toEqual([
      { action: 'inspect.pick', enterpriseId: chem, covert: true, by: ZHAO },
      { action: 'inspect.pick', enterpriseId: fireworks, covert: true, by: ZHAO },
    ]);
    expect(await all()).toHaveLength(0);

    const other = await h.click({ operatorOpenId: LINA, value: values[1], messageId: replies[0].messageId });
    expect(other.body.toast).toMatchObject({ type: 'error' });
    expect(await all()).toHaveLength(0);

    const { body } = await h.click({ operatorOpenId: ZHAO, value: values[1], messageId: replies[0].messageId });
    expect(checkCardResponse(body)).toEqual([]);
    expect(body.toast).toMatchObject({ type: 'success', content: '已登记检查' });
    expect(cardToText((body.card as { data: Card }).data)).toContain('梅河烟花厂（暗查暗访）。今天该企业共 1 户次');
    expect((await all()).map((r) => [r.enterpriseId, r.inspectorOpenId, r.covert])).toEqual([[fireworks, ZHAO, true]]);

    const twice = await h.click({ operatorOpenId: ZHAO, value: values[1], messageId: replies[0].messageId });
    expect(twice.body.toast).toMatchObject({ content: '今天已登记过' });
    expect(await all()).toHaveLength(1);
  });

  it('refuses an unknown enterprise, pointing at /enterprise add', async () => {
    const { replies } = await h.say(LINA, '/inspect 不存在的公司');
    expect(textOf(replies[0])).toContain('没有找到企业"不存在的公司"');
    expect(textOf(replies[0])).toContain('/enterprise add');
    expect(await all()).toHaveLength(0);
  });

  it('is for inspectors, leaders and admins', async () => {
    expect(textOf((await h.say(LEADER, '/inspect 梅河烟花厂')).replies[0])).toContain('已登记检查');
    expect(textOf((await h.say(ADMIN, '/inspect 梅河烟花厂')).replies[0])).toContain('今天该企业共 2 户次');
    for (const who of [OFFICER, CONTACT]) {
      expect(textOf((await h.say(who, '/inspect 梅河烟花厂')).replies[0])).toContain('/inspect 需要以下角色之一：检查员、领导、管理员');
    }
    expect(await all()).toHaveLength(2);
  });
});

describe('/enforce', () => {
  beforeEach(async () => {
    await h.db.delete(enforcementActions);
  });
  const all = () => h.db.select().from(enforcementActions).orderBy(asc(enforcementActions.id));

  it('records each kind with its amount or count and the note as typed', async () => {
    const fine = await h.say(LINA, '/enforce 梅河化工有限公司 罚款 1.05万 原因:未按规定接地 第2次');
    expect(textOf(fine.replies[0])).toContain('已记录执法：梅河化工有限公司 · 罚款 10,500元（原因:未按规定接地 第2次）');
    await h.say(LEADER, '/执法 梅河化工有限公司 约谈 2人 主要负责人');
    await h.say(ADMIN, '/enforce 梅河烟花厂 detain');
    await h.say(LINA, '/enforce 梅河烟花厂 执法文书 责令限期整改指令书');
    await h.say(LINA, '/enforce 梅河烟花厂 suspend');
    await h.say(LINA, '/enforce 梅河烟花厂 查封');
    await h.say(LINA, '/enforce 梅河化工有限公司 fine 50000元');
    expect((await all()).map((a) => [a.enterpriseId, a.kind, a.amountFen, a.people, a.note])).toEqual([
      [chem, 'fine', 1_050_000, 0, '原因:未按规定接地 第2次'],
      [chem, 'interview', 0, 2, '主要负责人'],
      [fireworks, 'detain', 0, 1, null],
      [fireworks, 'document', 0, 0, '责令限期整改指令书'],
      [fireworks, 'suspend', 0, 0, null],
      [fireworks, 'seal', 0, 0, null],
      [chem, 'fine', 5_000_000, 0, null],
    ]);
    const actors = (await all()).map((a) => a.actorOpenId);
    expect(actors.slice(0, 3)).toEqual([LINA, LEADER, ADMIN]);
  });

  it.each([
    ['/enforce 梅河化工有限公司 罚款', '罚款需要金额'],
    ['/enforce 梅河化工有限公司 罚款 五万', '无法识别'],
    ['/enforce 梅河化工有限公司 罚款 0', '大于零'],
    ['/enforce 梅河化工有限公司 约谈 5000元', '约谈不记金额'],
    ['/enforce 梅河化工有限公司 查封 2人', '只有约谈、拘留记录人数'],
    ['/enforce 梅河化工有限公司 警告', '请写明执法类别'],
    ['/enforce 罚款 5万', '请先写企业名称'],
    ['/enforce 不存在的公司 罚款 5万', '没有找到企业'],
  ])('refuses %s', async (text, reason) => {
    const { replies } = await h.say(LINA, text);
    expect(textOf(replies[0])).toContain(reason);
    expect(await all()).toHaveLength(0);
  });

  it('is for inspectors, leaders and admins', async () => {
    for (const who of [OFFICER, CONTACT, 'ou_stranger']) {
      const { replies } = await h.say(who, '/enforce 梅河化工有限公司 查封');
      expect(textOf(replies[0])).toMatch(/需要以下角色之一|尚未登记/);
    }
    expect(await all()).toHaveLength(0);
  });

  it('asks which enterprise when ambiguous; a click records once', async () => {
    const { replies } = await h.say(LINA, '/enforce 梅河 约谈 3 企业负责人');
    const pick = cardOf(replies[0]);
    expect(checkCard(pick)).toEqual([]);
    const values = buttonValues(pick);
    expect(values[0]).toEqual({ action: 'enforce.pick', enterpriseId: chem, kind: 'interview', amountFen: 0, people: 3, note: '企业负责人', by: LINA });
    const { body } = await h.click({ operatorOpenId: LINA, value: values[0], messageId: replies[0].messageId });
    expect(checkCardResponse(body)).toEqual([]);
    expect(cardToText((body.card as { data: Card }).data)).toContain('已记录执法：梅河化工有限公司 · 约谈 3人（企业负责人）');
    const again = await h.click({ operatorOpenId: LINA, value: values[0], messageId: replies[0].messageId });
    expect(again.body.toast).toMatchObject({ content: '已记录过' });
    expect((await all()).map((a) => [a.enterpriseId, a.kind, a.people, a.note])).toEqual([[chem, 'interview', 3, '企业负责人']]);
  });
});
