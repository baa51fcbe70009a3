import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { Harness } from './support/harness.ts';
import { allButtons, cardJson, cardText, currentCard, findButton, shown } from './support/cards.ts';
import {
  ADMIN,
  cardProblems,
  CONFIG_ADMIN,
  CONTACT,
  dmsTo,
  eventsOf,
  FIXER,
  hazardCardMessage,
  hazardRow,
  INSPECTOR,
  INSPECTOR2,
  LEADER,
  MEIHE,
  noIn,
  OFFICER,
  reportHazard,
  startTown,
} from './support/hazard-helpers.ts';
import { checkCardResponse } from './support/card-check.ts';
import { enterprises, hazards, outbox } from '../src/db/schema.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

let h: Harness;

beforeAll(async () => {
  h = await startTown({ adminOpenIds: [CONFIG_ADMIN] });
});
afterAll(() => h.close());

const report = (text: string, who = INSPECTOR) => reportHazard(h, who, text);

/**
 * What Lark shows for a message now: a card answered inline replaces it on screen (the fake only
 * records patches), so remember inline answers and whichever came last wins.
 */
const inline = new Map<string, { card: string; patches: number }>();
function onScreen(m: FakeMessage): string {
  const i = inline.get(m.messageId);
  if (i && m.patches.length <= i.patches) return i.card;
  return m.patches.at(-1) ?? m.content;
}

/** Clicks the button with this action on a message's current card. */
async function press(who: string, m: FakeMessage, action: string, o: { formValue?: Record<string, unknown>; eventId?: string } = {}) {
  const value = findButton(cardJson(onScreen(m)), action);
  if (!value) throw new Error(`no ${action} button on ${m.messageId}`);
  const r = await h.click({ operatorOpenId: who, value, messageId: m.messageId, chatId: m.chatId, ...o });
  expect(checkCardResponse(r.body)).toEqual([]);
  const toast = r.body.toast as { type: string; content: string; i18n: { en_us: string } } | undefined;
  const card = (r.body.card as { data?: Record<string, unknown> } | undefined)?.data;
  if (card) inline.set(m.messageId, { card: JSON.stringify(card), patches: m.patches.length });
  return { ...r, value, toast, card, cardText: card ? cardText(card) : '' };
}

describe('the hazard card buttons', () => {
  let no: string;
  let card: FakeMessage;

  it('派单 on the card dispatches inline: a toast and the updated card', async () => {
    ({ no, card } = await report(`/report ${MEIHE} 储罐区静电接地断开`));
    const r = await press(LEADER, card, 'hazard.dispatch', { formValue: { assignee: FIXER, deadline: '2026-12-10 +0800' } });
    expect(r.toast).toMatchObject({ type: 'success', content: `${no} 已派单给 孙整改，整改期限 2026-12-10 23:59。` });
    expect(r.toast!.i18n.en_us).toContain('dispatched to 孙整改');
    expect(r.cardText).toContain('整改中');
    expect(r.cardText).toContain('孙整改');
    expect(r.cardText).toContain('[整改完成]');
    expect(r.cardText).not.toContain('[派单]');
    expect(await hazardRow(h, no)).toMatchObject({ status: 'dispatched', assigneeOpenId: FIXER, deadline: Date.UTC(2026, 11, 10, 15, 59) });
    expect(shown(dmsTo(h, FIXER)[0])).toContain('您被指派整改此隐患');
    // The clicked card is the hazard's card: answered inline, not patched as well.
    expect(card.patches).toHaveLength(0);
  });

  it('a click on a card whose hazard has moved on names who acted and when, and changes nothing', async () => {
    const before = await eventsOf(h, no);
    const mark = h.fake.messages.length;
    // ADMIN still looks at the old card (status 待派单) and submits its 派单 form.
    const value = findButton(cardJson(card.content), 'hazard.dispatch')!;
    const r = await h.click({ operatorOpenId: ADMIN, value, formValue: { assignee: CONTACT }, messageId: card.messageId, chatId: card.chatId });
    const toast = r.body.toast as { type: string; content: string; i18n: { en_us: string } };
    expect(toast.type).toBe('warning');
    expect(toast.content).toMatch(/^已由 陈领导 于 2026-12-01 09:00 处理（派单，当前：整改中）$/);
    expect(toast.i18n.en_us).toContain('Already handled by 陈领导 at 2026-12-01 09:00');
    expect(cardText((r.body.card as { data: Record<string, unknown> }).data)).toContain('整改中');
    expect(await eventsOf(h, no)).toEqual(before);
    expect((await hazardRow(h, no)).assigneeOpenId).toBe(FIXER);
    expect(h.fake.messages.length).toBe(mark);
  });

  it('buttons refuse people whose role does not allow it, naming the role', async () => {
    const officer = await press(OFFICER, card, 'hazard.rectify');
    expect(officer.toast).toMatchObject({ type: 'error' });
    expect(officer.toast!.content).toContain('整改责任人、该企业的企业联系人');
    const other = await report(`/report ${MEIHE} 配电室门未上锁`);
    const inspector = await press(INSPECTOR2, other.card, 'hazard.dispatch', { formValue: { assignee: FIXER } });
    expect(inspector.toast!.content).toContain('派单需要以下角色之一');
    const empty = await press(LEADER, other.card, 'hazard.dispatch', { formValue: {} });
    expect(empty.toast!.content).toContain('请指定整改责任人');
    const past = await press(LEADER, other.card, 'hazard.dispatch', { formValue: { assignee: FIXER, deadline: '2026-11-30 +0800' } });
    expect(past.toast!.content).toContain('已经过去');
    expect((await hazardRow(h, no)).status).toBe('dispatched');
    expect((await hazardRow(h, other.no)).status).toBe('reported');
  });

  it('a repeated callback (the same event delivered twice) changes nothing', async () => {
    const mark = h.fake.messages.length;
    const notice = dmsTo(h, FIXER).find((m) => shown(m).includes(no))!;
    const first = await press(FIXER, notice, 'hazard.rectify', { eventId: 'ev_repeat_1' });
    expect(first.toast).toMatchObject({ type: 'success' });
    // Lark delivers the very same callback again (same event_id, same button).
    const again = await h.click({ operatorOpenId: FIXER, value: first.value, messageId: notice.messageId, chatId: notice.chatId, eventId: 'ev_repeat_1' });
    expect(again.body).toEqual({});
    expect((await eventsOf(h, no)).filter((e) => e.action === 'rectify')).toHaveLength(1);
    expect(dmsTo(h, INSPECTOR, mark)).toHaveLength(1);
  });

  it('a click on a notice card updates it inline, and the hazard card in the chat follows', async () => {
    // The previous test clicked 整改完成 on the assignee's direct message, not on the chat's card.
    expect((await hazardRow(h, no)).status).toBe('rectified');
    expect(card.patches).toHaveLength(1);
    expect(currentCard(card)).toContain('待复查');
    expect(cardText(onScreen(card))).toContain('[复查通过]');
    expect(cardText(onScreen(card))).toContain('[复查不通过]');
  });

  it('复查 buttons: never by the assignee; 不通过 sends it back with the default period; 通过 closes it', async () => {
    const self = await press(FIXER, card, 'hazard.verify_pass');
    expect(self.toast!.content).toContain('整改责任人不能复查');

    const fail = await press(INSPECTOR, card, 'hazard.verify_fail');
    expect(fail.toast).toMatchObject({ type: 'success' });
    expect(fail.toast!.content).toContain('新期限 2026-12-08 23:59');
    expect(fail.cardText).toContain('整改中');
    expect(await hazardRow(h, no)).toMatchObject({ status: 'dispatched', deadline: Date.UTC(2026, 11, 8, 15, 59) });
    expect(shown(dmsTo(h, FIXER).at(-1)!)).toContain('复查未通过');

    // The stale 复查通过 on the old notice the reporter got is refused.
    const reporterNotice = dmsTo(h, INSPECTOR).find((m) => shown(m).includes('待复查'))!;
    const stale = await press(INSPECTOR, reporterNotice, 'hazard.verify_pass');
    expect(stale.toast).toMatchObject({ type: 'warning' });
    expect(stale.toast!.content).toContain('已由 李娜');
    expect(stale.toast!.content).toContain('复查不通过');

    const fixed = await press(FIXER, card, 'hazard.rectify');
    expect(fixed.toast).toMatchObject({ type: 'success' });
    const pass = await press(LEADER, card, 'hazard.verify_pass');
    expect(pass.toast!.content).toBe(`${no} 复查通过，已销号。`);
    expect(pass.cardText).toContain('已销号');
    expect(allButtons(pass.card, 'hazard.verify_pass')).toHaveLength(0);
    expect((await hazardRow(h, no)).status).toBe('closed');
  });

  it('详情 replies in the thread with the timeline', async () => {
    const r = await press(OFFICER, card, 'hazard.detail');
    expect(r.toast).toMatchObject({ type: 'info' });
    const reply = r.sent.find((m) => m.parentId === card.messageId)!;
    const text = shown(reply);
    expect(text).toContain('处理记录');
    expect(text).toContain('陈领导 派单 → 整改中');
    expect(text).toContain('孙整改 整改完成 → 待复查');
    expect(text).toContain('李娜 复查不通过 → 整改中');
    expect(text).toContain('陈领导 复查通过 → 已销号');
  });
});

describe('reporting from cards', () => {
  it('the report form files the hazard and becomes its card; submitting it again changes nothing', async () => {
    const asked = await h.say(INSPECTOR, '/上报');
    const form = asked.replies[0];
    const before = (await h.db.select({ n: count() }).from(hazards))[0].n;
    const past = await press(INSPECTOR, form, 'hazard.report_form', {
      formValue: { enterprise: MEIHE, level: 'general', description: '过期日期', deadline: '2026-11-01 +0800' },
    });
    expect(past.toast!.content).toContain('已经过去');

    const r = await press(INSPECTOR, form, 'hazard.report_form', {
      formValue: { enterprise: MEIHE, sector: 'other', level: 'major', description: '液氨管道腐蚀', deadline: '2026-12-20 +0800', assignee: FIXER },
    });
    const no = noIn(r.toast!.content)!;
    expect(r.toast!.content).toBe(`已上报 ${no}`);
    expect(r.cardText).toContain(`${no} 重大隐患 · 整改中`);
    const row = await hazardRow(h, no);
    expect(row).toMatchObject({ level: 'major', status: 'dispatched', assigneeOpenId: FIXER, sourceMessageId: asked.messageId, deadline: Date.UTC(2026, 11, 20, 15, 59) });
    const [formRow] = await h.db.select().from(outbox).where(eq(outbox.larkMessageId, form.messageId));
    expect(row.cardOutboxId).toBe(formRow.id);

    // Someone whose screen still shows the form submits it too.
    const again = await h.click({ operatorOpenId: LEADER, value: r.value, formValue: { enterprise: MEIHE, level: 'general', description: '重复提交' }, messageId: form.messageId, chatId: form.chatId });
    expect(again.body.toast).toMatchObject({ type: 'info', content: `已上报为 ${no}` });
    expect((await h.db.select({ n: count() }).from(hazards))[0].n).toBe(before + 1);
  });

  it('the pick-one card: only the reporter may choose; the choice files the report against it', async () => {
    const asked = await h.say(INSPECTOR, '/report 山城 脚手架未设防护网 级别:重大 期限:5天');
    const pick = asked.replies[0];
    const [building] = await h.db.select().from(enterprises).where(eq(enterprises.name, '山城建筑工程公司'));
    const value = allButtons(cardJson(pick.content), 'hazard.report_pick').find((v) => v.enterpriseId === building.id)!;

    const other = await h.click({ operatorOpenId: INSPECTOR2, value, messageId: pick.messageId, chatId: pick.chatId });
    expect((other.body.toast as { content: string }).content).toContain('属于发起命令的人');

    const r = await h.click({ operatorOpenId: INSPECTOR, value, messageId: pick.messageId, chatId: pick.chatId });
    const toast = r.body.toast as { content: string };
    const no = noIn(toast.content)!;
    expect(cardText((r.body.card as { data: Record<string, unknown> }).data)).toContain('山城建筑工程公司');
    const row = await hazardRow(h, no);
    expect(row).toMatchObject({ enterpriseId: building.id, sector: 'construction', township: '山城镇', level: 'major', sourceMessageId: asked.messageId, deadline: Date.UTC(2026, 11, 6, 15, 59) });
    const [pickRow] = await h.db.select().from(outbox).where(eq(outbox.larkMessageId, pick.messageId));
    expect(row.cardOutboxId).toBe(pickRow.id);

    // A second press (the other candidate, or the same) finds the report already filed.
    const twice = await h.click({ operatorOpenId: INSPECTOR, value, messageId: pick.messageId, chatId: pick.chatId });
    expect((twice.body.toast as { content: string }).content).toBe(`已上报为 ${no}`);
  });

  it('都不是 on the pick-one card files it against a new, unregistered enterprise', async () => {
    const asked = await h.say(INSPECTOR, '/report 山城 采石场边坡未设警示 行业:矿山');
    const pick = asked.replies[0];
    const value = allButtons(cardJson(pick.content), 'hazard.report_pick').find((v) => v.newName)!;
    expect(value.newName).toBe('山城');
    const mark = h.fake.messages.length;
    const r = await h.click({ operatorOpenId: INSPECTOR, value, messageId: pick.messageId, chatId: pick.chatId });
    const no = noIn((r.body.toast as { content: string }).content)!;
    const [e] = await h.db.select().from(enterprises).where(eq(enterprises.name, '山城'));
    expect(e).toMatchObject({ registered: false, sector: 'mining' });
    expect((await hazardRow(h, no)).enterpriseId).toBe(e.id);
    expect(shown(dmsTo(h, CONFIG_ADMIN, mark)[0])).toContain('/enterprise add 山城');
  });

  it('every card and callback answer is valid card JSON 2.0', async () => {
    expect(cardProblems(h)).toEqual([]);
    const r = await h.say(LEADER, '/hazards');
    expect(r.replies).toHaveLength(1);
    expect(cardProblems(h)).toEqual([]);
    // The main card of a hazard exists for each hazard reported by command.
    const [any] = await h.db.select().from(hazards).limit(1);
    expect((await hazardCardMessage(h, any.no)).messageId).toBeTruthy();
  });
});
