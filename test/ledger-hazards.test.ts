// The ledger on every hazard (issue 17): 五落实, 来源, 立查立改, 延期 and 挂牌督办 — through signed
// events and the fake Lark, as inspectors, contacts and leaders use them.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazardExtensions } from '../src/db/schema.ts';
import { textOf, type Harness } from './support/harness.ts';
import { cardJson, cardText, findButton, shown } from './support/cards.ts';
import { checkCardResponse } from './support/card-check.ts';
import { CONTACT, dmsTo, eventsOf, FIXER, hazardCardMessage, hazardRow, INSPECTOR, INSPECTOR2, LEADER, MEIHE, OFFICER, reportHazard, startTown, SUPERVISOR } from './support/hazard-helpers.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

let h: Harness;
beforeAll(async () => {
  h = await startTown({ start: new Date('2026-12-01T01:00:00Z') });
});
afterAll(() => h.close());

const fixer = { openId: FIXER, name: '孙整改' };
const text = (r: { replies: FakeMessage[] }) => r.replies.map(shown).join('\n');

async function press(who: string, m: { messageId: string; chatId: string }, content: string, action: string, formValue?: Record<string, unknown>) {
  const value = findButton(cardJson(content), action);
  if (!value) throw new Error(`no ${action} button`);
  const r = await h.click({ operatorOpenId: who, value, formValue, messageId: m.messageId, chatId: m.chatId });
  expect(checkCardResponse(r.body)).toEqual([]);
  const card = (r.body.card as { data?: Record<string, unknown> } | undefined)?.data;
  const toast = r.body.toast as { content: string } | undefined;
  return { ...r, card, cardText: card ? cardText(card) : '', toast: toast?.content ?? '', json: card ? JSON.stringify(card) : '' };
}

describe('五落实 and 来源', () => {
  it('/report takes 措施: 资金: 预案: 来源:, and the card and /hazard show them', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 储罐区可燃气体报警器失灵 措施:更换报警探头 资金:1.5 预案:人工每两小时巡检 来源:专家`);
    expect(await hazardRow(h, r.no)).toMatchObject({ measures: '更换报警探头', fundsFen: 1_500_000, contingency: '人工每两小时巡检', source: 'expert' });
    const card = shown(r.card);
    for (const s of ['五落实', '更换报警探头', '1.5万元', '人工每两小时巡检', '专家查隐患']) expect(card).toContain(s);
    const detail = text(await h.say(LEADER, `/hazard ${r.no}`));
    expect(detail).toContain('更换报警探头');
    expect(detail).toContain('专家查隐患');
  });

  it('/dispatch sets them too, and a bad 资金 or 来源 is refused with nothing changed', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 消防通道堵塞`);
    const bad = await h.say(LEADER, `/dispatch ${r.no} @_user_1 资金:很多`, { mentions: [fixer] });
    expect(text(bad)).toContain('整改资金');
    expect((await hazardRow(h, r.no)).status).toBe('reported');
    const badSource = await h.say(INSPECTOR, `/report ${MEIHE} 某隐患 来源:天上`);
    expect(text(badSource)).toContain('无法识别隐患来源「天上」');
    await h.say(LEADER, `/dispatch ${r.no} @_user_1 措施:清理杂物 资金:3000元 预案:设专人看守`, { mentions: [fixer] });
    expect(await hazardRow(h, r.no)).toMatchObject({ status: 'dispatched', measures: '清理杂物', fundsFen: 300_000, contingency: '设专人看守', assigneeOpenId: FIXER });
  });

  it('编辑五落实 on the card: the assignee may, someone else may not', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 配电柜未接地 @_user_1`, { mentions: [fixer] });
    const m = await hazardCardMessage(h, r.no);
    const open = await press(OFFICER, m, m.patches.at(-1) ?? m.content, 'hazard.edit_open');
    expect(open.toast).toContain('修改五落实需要');
    const mine = await press(FIXER, m, m.patches.at(-1) ?? m.content, 'hazard.edit_open');
    expect(mine.cardText).toContain('整改措施');
    const saved = await press(FIXER, m, mine.json, 'hazard.edit_save', { measures: '加装接地线', funds: '0.8', contingency: '断电挂牌' });
    expect(saved.toast).toContain('五落实已更新');
    expect(saved.cardText).toContain('加装接地线');
    expect(await hazardRow(h, r.no)).toMatchObject({ measures: '加装接地线', fundsFen: 800_000, contingency: '断电挂牌' });
    expect((await eventsOf(h, r.no)).map((e) => e.action)).toContain('edit');
  });
});

describe('立查立改', () => {
  it('an inspector’s /report … 已整改 is found and rectified at once and closed without dispatch', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 灭火器压力不足 已整改`);
    const row = await hazardRow(h, r.no);
    expect(row).toMatchObject({ status: 'closed', onTheSpot: true, assigneeOpenId: null, description: '灭火器压力不足', verifierOpenId: INSPECTOR });
    expect(row.rectifiedAt).toBe(row.reportedAt);
    expect(shown(r.card)).toContain('立查立改');
  });

  it('by an officer it goes to verification, and the 立查立改 button on the form does the same', async () => {
    const r = await reportHazard(h, OFFICER, `/report ${MEIHE} 安全出口指示灯损坏 立查立改`);
    expect(await hazardRow(h, r.no)).toMatchObject({ status: 'rectified', onTheSpot: true });
    const form = (await h.say(OFFICER, '/report')).replies[0];
    const spot = await press(OFFICER, form, form.content, 'hazard.report_spot', { enterprise: MEIHE, level: 'general', description: '应急照明不亮' });
    expect(spot.toast).toContain('已上报');
    expect(spot.cardText).toContain('待复查');
  });

  it('a major one waits for its photo: dispatched to the reporter, closed by 整改完成 after the photo', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 液氨储罐安全阀失效 级别:重大 已整改`);
    expect(await hazardRow(h, r.no)).toMatchObject({ status: 'dispatched', assigneeOpenId: INSPECTOR, onTheSpot: true });
    expect(shown(r.card)).toContain('请在本卡片下回复整改照片');
    const refused = await h.say(INSPECTOR, `/rectify ${r.no}`);
    expect(text(refused)).toContain('请先上传至少一张整改照片');
    const m = await hazardCardMessage(h, r.no);
    await h.say(INSPECTOR, '', { parentId: m.messageId, rootId: m.messageId, imageKey: 'img_fix_1' });
    await h.say(INSPECTOR, `/rectify ${r.no}`);
    expect(await hazardRow(h, r.no)).toMatchObject({ status: 'closed', verifierOpenId: INSPECTOR });
  });
});

describe('延期', () => {
  it('the assignee asks, the reporter approves on the card, the deadline moves and the history is in the timeline', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 围堰破损 @_user_1 期限:2026-12-05`, { mentions: [fixer] });
    const before = await hazardRow(h, r.no);
    const notYou = await h.say(OFFICER, `/extend ${r.no} 2026-12-20 材料未到`);
    expect(text(notYou)).toContain('申请延期需要');
    const asked = await h.say(FIXER, `/延期 ${r.no} 2026-12-20 防渗材料未到货`);
    expect(text(asked)).toContain('已提交');
    const card = dmsTo(h, INSPECTOR).find((m) => shown(m).includes('延期申请'))!;
    expect(shown(card)).toContain('防渗材料未到货');
    const again = await h.say(FIXER, `/extend ${r.no} 2026-12-25 再延`);
    expect(text(again)).toContain('已有一条待审批的延期申请');
    const selfApprove = await h.say(FIXER, `/extend ${r.no} 同意`);
    expect(text(selfApprove)).toContain('不能审批自己');
    const ok = await press(INSPECTOR, card, card.content, 'hazard.extend_decide');
    expect(ok.toast).toContain('已同意');
    const after = await hazardRow(h, r.no);
    expect(after.extensions).toBe(1);
    expect(after.originalDeadline).toBe(before.deadline);
    expect(after.deadline).toBeGreaterThan(before.deadline!);
    expect(after.nextNagAt).toBe(after.deadline);
    const actions = (await eventsOf(h, r.no)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['extend_request', 'extend_approve']));
    expect(shown(dmsTo(h, FIXER).at(-1)!)).toContain('已同意');
  });

  it('申请延期 on the hazard card opens the form; its submit sends the request card to the 包保 supervisor; 不同意 keeps the deadline', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 避雷设施锈蚀 @_user_1 期限:2026-12-06`, { mentions: [fixer] });
    const m = await hazardCardMessage(h, r.no);
    const open = await press(FIXER, m, m.patches.at(-1) ?? m.content, 'hazard.extend_open');
    expect(open.cardText).toContain('当前整改期限：2026-12-06');
    const sent = await press(FIXER, m, open.json, 'hazard.extend_request', { deadline: '2026-12-18 +0800', reason: '需停产检修' });
    expect(sent.toast).toContain('已提交');
    const toSupervisor = dmsTo(h, SUPERVISOR).filter((x) => shown(x).includes(`延期申请 · ${r.no}`));
    expect(toSupervisor).toHaveLength(1);
    // The card's first decision button is 同意 (不同意 is tested by command below).
    const approved = await press(SUPERVISOR, toSupervisor[0], toSupervisor[0].content, 'hazard.extend_decide');
    expect(approved.toast).toContain('已同意');
    expect((await hazardRow(h, r.no)).extensions).toBe(1);
    const again = await h.say(FIXER, `/extend ${r.no} 2026-12-25 仍需检修`);
    expect(text(again)).toContain('已提交');
    await h.say(SUPERVISOR, `/extend ${r.no} 不同意 请按期完成`);
    const row = await hazardRow(h, r.no);
    expect(row.extensions).toBe(1);
    expect(row.deadline).toBe(Date.UTC(2026, 11, 18, 15, 59));
    expect((await eventsOf(h, r.no)).map((e) => e.action)).toContain('extend_refuse');
  });

  it('after two extensions only a leader may approve', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 泄压口锈蚀 @_user_1 期限:2026-12-05`, { mentions: [fixer] });
    for (const d of ['2026-12-10', '2026-12-15']) {
      await h.say(FIXER, `/extend ${r.no} ${d} 备件等待`);
      await h.say(SUPERVISOR, `/extend ${r.no} 同意`);
    }
    expect((await hazardRow(h, r.no)).extensions).toBe(2);
    await h.say(FIXER, `/extend ${r.no} 2026-12-30 仍在等待`);
    const byReporter = await h.say(INSPECTOR, `/extend ${r.no} 同意`);
    expect(text(byReporter)).toContain('再次延期须由领导审批');
    await h.say(LEADER, `/extend ${r.no} 同意 特批`);
    expect((await hazardRow(h, r.no)).extensions).toBe(3);
    const rows = await h.db.select().from(hazardExtensions).where(eq(hazardExtensions.hazardId, (await hazardRow(h, r.no)).id));
    expect(rows.map((x) => x.status)).toEqual(['approved', 'approved', 'approved']);
  });
});

describe('挂牌督办', () => {
  it('a leader lists a major hazard; the card says so; only the 督办人 or a leader verifies it', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 重大危险源监控缺失 级别:重大 @_user_1`, { mentions: [fixer] });
    const general = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 一般问题`);
    expect(text(await h.say(LEADER, `/督办 ${general.no} 县级 县应急管理局`))).toContain('只用于重大隐患');
    expect(text(await h.say(INSPECTOR, `/supervise ${r.no} 县级 县应急管理局`))).toContain('领导');
    const listed = await h.say(LEADER, `/supervise ${r.no} 县级 县应急管理局 督办人:@_user_1`, { mentions: [{ openId: INSPECTOR2, name: '赵磊' }] });
    expect(text(listed)).toContain('已挂牌督办');
    expect(await hazardRow(h, r.no)).toMatchObject({ superviseLevel: 'county', superviseUnit: '县应急管理局', superviseOpenId: INSPECTOR2 });
    const m = await hazardCardMessage(h, r.no);
    expect(cardText(m.patches.at(-1)!)).toContain('挂牌督办 · 县级');
    const list = text(await h.say(LEADER, '/hazards 督办'));
    expect(list).toContain(r.no);
    expect(list).not.toContain(general.no);

    await h.say(FIXER, '', { parentId: m.messageId, rootId: m.messageId, imageKey: 'img_fix_2' });
    await h.say(FIXER, `/rectify ${r.no}`);
    expect(text(await h.say(INSPECTOR, `/verify ${r.no} 通过`))).toContain('须由督办人或领导验收销号');
    await h.say(INSPECTOR2, `/verify ${r.no} 通过`);
    expect(await hazardRow(h, r.no)).toMatchObject({ status: 'closed', verifierOpenId: INSPECTOR2 });
  });
});
