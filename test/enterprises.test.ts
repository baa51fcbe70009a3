import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';
import { checkCard, checkCardResponse } from './support/card-check.ts';
import { buttonValues, cardOf, type Card } from './support/cards.ts';
import { enterprises } from '../src/db/schema.ts';
import { enterpriseByName, insertUnregisteredEnterprise, matchEnterprise } from '../src/domain/enterprises.ts';
import { cardToText } from '../src/lark/card-text.ts';

let h: Harness;
const ADMIN = 'ou_ent_admin';
const INSPECTOR = 'ou_ent_lina';
const LEADER = 'ou_ent_zhangwei';
const CONTACT = 'ou_ent_liuyang';
const FANG1 = 'ou_ent_wangfang1';
const FANG2 = 'ou_ent_wangfang2';
let chem: number;

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN] });
  await addPerson(h.db, INSPECTOR, '李娜', 'inspector', { mobile: '13900000003' });
  await addPerson(h.db, LEADER, '张伟', 'leader', { mobile: '13900000001' });
  await addPerson(h.db, CONTACT, '刘洋', 'contact', { mobile: '13900000007' });
  await addPerson(h.db, FANG1, '王芳', 'contact');
  await addPerson(h.db, FANG2, '王芳', 'contact');
  chem = await addEnterprise(h.db, {
    name: '梅河化工有限公司',
    sector: 'hazardous_chemicals',
    township: '红梅镇',
    address: '红梅镇工业园1号',
    supervisorOpenId: LEADER,
    contactOpenId: CONTACT,
  });
  await addEnterprise(h.db, { name: '梅河烟花厂', sector: 'fireworks', township: '红梅镇' });
  await addEnterprise(h.db, { name: '山城建筑工程公司', sector: 'construction', township: '山城镇' });
  await addHazard(h.db, { enterpriseId: chem, no: 'YH-2026-0001', level: 'major', status: 'dispatched', deadline: Date.UTC(2026, 10, 20, 15, 59) });
  await addHazard(h.db, { enterpriseId: chem, no: 'YH-2026-0002', level: 'general', status: 'reported', deadline: Date.UTC(2026, 11, 20, 15, 59) });
  await addHazard(h.db, { enterpriseId: chem, no: 'YH-2026-0003', status: 'closed' });
});
afterAll(() => h.close());

describe('/enterprise NAME', () => {
  it('shows the enterprise with its people and open hazards as a valid card', async () => {
    const { replies } = await h.say(INSPECTOR, '/enterprise 梅河化工');
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]);
    expect(checkCard(card)).toEqual([]);
    const text = cardToText(card);
    expect(text).toContain('【梅河化工有限公司】');
    expect(text).toContain('危化');
    expect(text).toContain('红梅镇');
    expect(text).toContain('红梅镇工业园1号');
    expect(text).toContain('张伟 13900000001');
    expect(text).toContain('刘洋 13900000007');
    expect(text).toContain('已登记');
    expect(text).toContain('未销号隐患（2条）');
    // Overdue first (sooner deadline), the closed one left out; date-only deadlines shown as dates.
    expect(text).toMatch(/YH-2026-0001 \| 重大 \| 整改中 \| 2026-11-20 逾期[\s\S]*YH-2026-0002 \| 一般 \| 待派单 \| 2026-12-20/);
    expect(text).not.toContain('YH-2026-0003');
  });

  it('answers to the Chinese alias and shows an empty hazard list', async () => {
    const { replies } = await h.say(CONTACT, '/企业 山城建筑工程公司');
    const text = cardToText(cardOf(replies[0]));
    expect(text).toContain('建筑施工');
    expect(text).toContain('暂无未销号隐患');
  });

  it('offers a pick-one card for an ambiguous name, and a click shows the chosen one inline', async () => {
    const { replies } = await h.say(INSPECTOR, '/enterprise 梅河');
    expect(replies).toHaveLength(1);
    const pick = cardOf(replies[0]);
    expect(checkCard(pick)).toEqual([]);
    expect(cardToText(pick)).toContain('"梅河" 匹配到多家企业');
    const values = buttonValues(pick);
    const fireworks = (await enterpriseByName(h.db, '梅河烟花厂'))!;
    expect(values).toEqual([
      { action: 'enterprise.show', enterpriseId: chem },
      { action: 'enterprise.show', enterpriseId: fireworks.id },
    ]);

    const { body, sent } = await h.click({ operatorOpenId: INSPECTOR, value: values[1], messageId: replies[0].messageId, chatId: 'oc_group' });
    expect(checkCardResponse(body)).toEqual([]);
    const shown = (body.card as { data: Card }).data;
    expect(cardToText(shown)).toContain('【梅河烟花厂】');
    expect(cardToText(shown)).toContain('烟花爆竹');
    expect(sent).toHaveLength(0);
  });

  it('says more names match when there are too many to list', async () => {
    for (let i = 0; i < 11; i++) await addEnterprise(h.db, { name: `长白加油站${i}`, sector: 'city_gas' });
    const m = await matchEnterprise(h.db, '长白');
    expect(m.kind === 'many' && m.candidates.length === 10 && m.more).toBe(true);
    const { replies } = await h.say(INSPECTOR, '/enterprise 长白');
    expect(cardToText(cardOf(replies[0]))).toContain('还有更多匹配的企业');
  });

  it('says when nothing matches and how an admin adds it', async () => {
    const { replies } = await h.say(INSPECTOR, '/enterprise 不存在的公司');
    expect(textOf(replies[0])).toContain('没有找到企业"不存在的公司"');
    expect(textOf(replies[0])).toContain('/enterprise add 不存在的公司');
  });

  it('refuses people who are not registered, in chat and on the pick card', async () => {
    const { replies } = await h.say('ou_stranger', '/enterprise 梅河化工');
    expect(textOf(replies[0])).toContain('尚未登记');
    const { body } = await h.click({ operatorOpenId: 'ou_stranger', value: { action: 'enterprise.show', enterpriseId: chem } });
    expect(body.toast).toMatchObject({ type: 'error', content: expect.stringContaining('尚未登记') });
    expect(body.card).toBeUndefined();
  });
});

describe('/enterprise add', () => {
  it('lets an admin register a new enterprise, with mentioned and named people', async () => {
    const { replies } = await h.say(ADMIN, '/enterprise add 红梅燃气站 行业:城市燃气 乡镇:红梅镇 地址:"红梅镇 站前路 8号" 包保:@_user_1 联系人:王芳', {
      mentions: [{ openId: LEADER, name: '张伟' }],
    });
    // 王芳 is two people: refused, nothing written.
    expect(textOf(replies[0])).toContain('有 2 位"王芳"');
    expect(await enterpriseByName(h.db, '红梅燃气站')).toBeUndefined();

    const ok = await h.say(ADMIN, '/enterprise add 红梅燃气站 行业:城市燃气 乡镇:红梅镇 地址:"红梅镇 站前路 8号" 包保:@_user_1 联系人:@_user_2', {
      mentions: [{ openId: LEADER, name: '张伟' }, { openId: FANG2, name: '王芳' }],
    });
    const text = textOf(ok.replies[0]);
    expect(text).toContain('已登记企业"红梅燃气站"');
    expect(text).toContain('行业：城市燃气');
    expect(text).toContain('包保领导：张伟 13900000001');
    expect(text).toContain('企业联系人：王芳');
    expect(text).toContain('Registered enterprise');
    expect(await enterpriseByName(h.db, '红梅燃气站')).toMatchObject({
      sector: 'city_gas',
      township: '红梅镇',
      address: '红梅镇 站前路 8号',
      supervisorOpenId: LEADER,
      contactOpenId: FANG2,
      registered: true,
    });
  });

  it('needs sector and township for a new enterprise, and a known sector', async () => {
    const missing = await h.say(ADMIN, '/enterprise add 新公司 行业:危化');
    expect(textOf(missing.replies[0])).toContain('登记新企业需要填写：乡镇');
    const bad = await h.say(ADMIN, '/enterprise add 新公司 行业:钢铁 乡镇:红梅镇');
    expect(textOf(bad.replies[0])).toContain('行业"钢铁"无效');
    const unknownKey = await h.say(ADMIN, '/enterprise add 新公司 行业:危化 乡镇:红梅镇 电话:123');
    expect(textOf(unknownKey.replies[0])).toContain('不认识的项目：电话');
    expect(await enterpriseByName(h.db, '新公司')).toBeUndefined();
  });

  it('completes an enterprise a hazard report created, saying what changed', async () => {
    await insertUnregisteredEnterprise(h.db, '无名小作坊', h.now);
    const shown = await h.say(INSPECTOR, '/enterprise 无名小作坊');
    expect(cardToText(cardOf(shown.replies[0]))).toContain('未登记');

    const { replies } = await h.say(ADMIN, '/企业 add 无名小作坊 行业:fireworks 乡镇：山城镇 联系人:刘洋');
    const text = textOf(replies[0]);
    expect(text).toContain('已完善并登记企业"无名小作坊"');
    expect(text).toContain('行业：其他 → 烟花爆竹');
    expect(text).toContain('乡镇：山城镇');
    expect(text).toContain('企业联系人：刘洋 13900000007');
    expect(text).toContain('登记状态：未登记 → 已登记');
    expect(await enterpriseByName(h.db, '无名小作坊')).toMatchObject({ sector: 'fireworks', township: '山城镇', contactOpenId: CONTACT, registered: true });
  });

  it('updates a registered enterprise field by field, and says when nothing changed', async () => {
    const { replies } = await h.say(ADMIN, '/enterprise add 山城建筑工程公司 包保:张伟');
    expect(textOf(replies[0])).toContain('已更新企业"山城建筑工程公司"');
    expect(textOf(replies[0])).toContain('包保领导：张伟');
    const e = (await enterpriseByName(h.db, '山城建筑工程公司'))!;
    expect(e).toMatchObject({ supervisorOpenId: LEADER, sector: 'construction', township: '山城镇' });

    const again = await h.say(ADMIN, '/enterprise add 山城建筑工程公司 包保:张伟');
    expect(textOf(again.replies[0])).toContain('信息没有变化');
    const [after] = await h.db.select().from(enterprises).where(eq(enterprises.id, e.id));
    expect(after.updatedAt).toBe(e.updatedAt);
  });

  it('mentions near-duplicate names when registering a new one', async () => {
    const { replies } = await h.say(ADMIN, '/enterprise add 梅河化工 行业:危化 乡镇:红梅镇');
    expect(textOf(replies[0])).toContain('已有名称相近的企业');
    expect(textOf(replies[0])).toContain('梅河化工有限公司');
  });

  it('answers a bare /enterprise add with the usage', async () => {
    const { replies } = await h.say(ADMIN, '/enterprise add');
    expect(textOf(replies[0])).toContain('用法：/enterprise 企业名称 | /enterprise add 企业名称 行业:… 乡镇:…');
  });

  it('refuses non-admins, mentions without a label, and people not registered', async () => {
    const notAdmin = await h.say(LEADER, '/enterprise add 某公司 行业:危化 乡镇:红梅镇');
    expect(textOf(notAdmin.replies[0])).toContain('登记企业需要以下角色之一：管理员');
    const bare = await h.say(ADMIN, '/enterprise add 某公司 行业:危化 乡镇:红梅镇 @_user_1', { mentions: [{ openId: LEADER, name: '张伟' }] });
    expect(textOf(bare.replies[0])).toContain('包保:@某人');
    const stranger = await h.say(ADMIN, '/enterprise add 某公司 行业:危化 乡镇:红梅镇 包保:@_user_1', { mentions: [{ openId: 'ou_nobody', name: '路人' }] });
    expect(textOf(stranger.replies[0])).toContain('包保领导 路人 尚未登记');
    expect(await enterpriseByName(h.db, '某公司')).toBeUndefined();
  });
});
