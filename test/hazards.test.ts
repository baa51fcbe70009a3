import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { textOf, type Harness } from './support/harness.ts';
import { allButtons, cardJson, currentCard, isCard, shown } from './support/cards.ts';
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
  startTown,
  STRANGER,
  SUPERVISOR,
} from './support/hazard-helpers.ts';
import { enterprises, hazards, inspections } from '../src/db/schema.ts';
import { loadHazard, planDispatch } from '../src/domain/hazards.ts';
import { nextSequence } from '../src/domain/sequences.ts';
import type { Caller } from '../src/domain/people.ts';
import type { BatchItem } from 'drizzle-orm/batch';

let h: Harness;

beforeAll(async () => {
  h = await startTown({ adminOpenIds: [CONFIG_ADMIN] });
});
afterAll(() => h.close());

const fixer = { openId: FIXER, name: '孙整改' };

/** A report as someone types it; returns the hazard card reply and its number. */
async function report(who: string, text: string, opts: Parameters<Harness['say']>[2] = {}) {
  const r = await h.say(who, text, opts);
  const card = r.replies.find((m) => m.parentId === r.messageId && isCard(m));
  return { ...r, card, no: card ? noIn(shown(card)) : undefined, text: r.replies.map(shown).join('\n') };
}

const hazardCount = async () => (await h.db.select({ n: count() }).from(hazards))[0].n;
/** 23:59 local (UTC+8) on the given December 2026 day, as UTC ms. */
const dec = (day: number) => Date.UTC(2026, 11, day, 15, 59);

describe('reporting', () => {
  it('numbers hazards YH-YYYY-NNNN and answers with the hazard card in the thread', async () => {
    const r = await report(INSPECTOR, `/report ${MEIHE} 储罐区静电接地断开`);
    expect(r.no).toBe('YH-2026-0001');
    expect(r.card!.replyInThread).toBe(true);
    const text = shown(r.card!);
    for (const s of ['待派单', MEIHE, '危化', '红梅镇', '一般', '储罐区静电接地断开', '李娜', '2026-12-08 23:59', '[派单]', '[详情]']) expect(text).toContain(s);
    // Chinese first, English beside it.
    expect(r.card!.content).toContain('awaiting dispatch');
    expect(r.card!.content).toContain('hazardous chemicals');

    const row = await hazardRow(h, 'YH-2026-0001');
    expect(row).toMatchObject({
      status: 'reported',
      level: 'general',
      sector: 'hazardous_chemicals',
      township: '红梅镇',
      reporterOpenId: INSPECTOR,
      assigneeOpenId: null,
      sourceChatId: 'oc_group',
      sourceMessageId: r.messageId,
      cardOutboxId: r.card!.uuid,
      deadline: dec(8),
    });
    const events = await eventsOf(h, 'YH-2026-0001');
    expect(events).toMatchObject([{ action: 'report', actorOpenId: INSPECTOR, fromStatus: null, toStatus: 'reported' }]);

    const second = await report(INSPECTOR, `/上报 ${MEIHE} 配电室门未上锁`);
    expect(second.no).toBe('YH-2026-0002');
  });

  it('gives a major hazard 30 days and tells its supervisor at once, with a buzz', async () => {
    const r = await report(INSPECTOR, `/上报 ${MEIHE} 液氯储罐泄漏报警器失效 级别:重大`);
    const row = await hazardRow(h, r.no!);
    expect(row.level).toBe('major');
    expect(row.deadline).toBe(dec(31));
    expect(shown(r.card!)).toContain('重大隐患');
    const [notice] = dmsTo(h, SUPERVISOR);
    expect(shown(notice)).toContain('您包保的企业发现重大隐患');
    expect(shown(notice)).toContain(r.no!);
    expect(notice.urgent).toEqual([{ openIds: [SUPERVISOR], kind: 'app' }]);
  });

  it('reads 期限 as days from now, a full date, or a month and day', async () => {
    const a = await report(INSPECTOR, `/report ${MEIHE} 消防通道堵塞 期限:3天`);
    expect((await hazardRow(h, a.no!)).deadline).toBe(dec(4));
    const b = await report(INSPECTOR, `/report ${MEIHE} 安全出口指示灯损坏 期限:2026-12-05`);
    expect((await hazardRow(h, b.no!)).deadline).toBe(dec(5));
    const c = await report(INSPECTOR, `/report ${MEIHE} 危化品台账缺失 期限：12-20`);
    expect((await hazardRow(h, c.no!)).deadline).toBe(dec(20));
  });

  it('refuses a deadline in the past or one it cannot read, and spends no number', async () => {
    const before = await hazardCount();
    const past = await report(INSPECTOR, `/report ${MEIHE} 灭火器过期 期限:2026-11-30`);
    expect(past.text).toContain('已经过去');
    expect(past.text).toContain('in the past');
    const bad = await report(INSPECTOR, `/report ${MEIHE} 灭火器过期 期限:下周`);
    expect(bad.text).toContain('无法识别整改期限');
    expect(await hazardCount()).toBe(before);
    const next = await report(INSPECTOR, `/report ${MEIHE} 灭火器过期 期限:1天`);
    expect(next.no).toBe(`YH-2026-${String(before + 1).padStart(4, '0')}`);
  });

  it('refuses people whose role may not report, naming the roles', async () => {
    const before = await hazardCount();
    const contact = await report(CONTACT, `/report ${MEIHE} 自查发现问题`);
    expect(contact.text).toContain('需要以下角色之一');
    expect(contact.text).toContain('检查员');
    expect(contact.text).toContain('inspector');
    const stranger = await report(STRANGER, `/report ${MEIHE} 自查发现问题`);
    expect(stranger.text).toContain('尚未登记');
    const empty = await report(INSPECTOR, `/report ${MEIHE}`);
    expect(empty.text).toContain('用法');
    expect(await hazardCount()).toBe(before);
  });

  it('answers /report with no arguments with a form card', async () => {
    const r = await h.say(OFFICER, '/report');
    const form = cardJson(r.replies[0].content);
    const json = JSON.stringify(form);
    for (const tag of ['"tag":"form"', '"tag":"input"', '"tag":"select_static"', '"tag":"date_picker"', '"tag":"select_person"']) expect(json).toContain(tag);
    for (const name of ['enterprise', 'sector', 'level', 'description', 'deadline', 'assignee']) expect(json).toContain(`"name":"${name}"`);
    expect(allButtons(form, 'hazard.report_form')).toEqual([{ action: 'hazard.report_form', src: r.messageId, chat: 'oc_group' }]);
  });

  it('files a hazard against an enterprise not registered yet and asks the admins to complete it', async () => {
    const r = await report(INSPECTOR, '/report 新河烟花厂 仓库未配备消防器材 行业:烟花爆竹');
    expect(r.no).toBeDefined();
    const [e] = await h.db.select().from(enterprises).where(eq(enterprises.name, '新河烟花厂'));
    expect(e).toMatchObject({ registered: false, sector: 'fireworks' });
    const row = await hazardRow(h, r.no!);
    expect(row.enterpriseId).toBe(e.id);
    expect(row.sector).toBe('fireworks');
    expect(shown(r.card!)).toContain('新河烟花厂（未登记）');
    expect(shown(r.card!)).toContain('通知管理员');
    for (const admin of [ADMIN, CONFIG_ADMIN]) {
      const [dm] = dmsTo(h, admin);
      expect(textOf(dm)).toContain('/enterprise add 新河烟花厂');
      expect(textOf(dm)).toContain(r.no!);
    }
    // The second report finds it by name: no second enterprise, no second request to the admins.
    const again = await report(INSPECTOR, '/report 新河烟花厂 库房电线私拉乱接');
    expect(again.no).toBeDefined();
    expect(await h.db.select().from(enterprises).where(eq(enterprises.name, '新河烟花厂'))).toHaveLength(1);
    expect(dmsTo(h, ADMIN)).toHaveLength(1);
  });

  it('answers a name matching several enterprises with a card to pick from, never a guess', async () => {
    const before = await hazardCount();
    const r = await h.say(INSPECTOR, '/report 山城 脚手架未设防护网');
    expect(r.replies).toHaveLength(1);
    const card = cardJson(r.replies[0].content);
    const text = shown(r.replies[0]);
    expect(text).toContain('请选择企业');
    expect(text).toContain('山城建筑工程公司');
    expect(text).toContain('山城建材厂');
    expect(text).toContain('都不是');
    const picks = allButtons(card, 'hazard.report_pick');
    expect(picks).toHaveLength(3);
    expect(picks[0]).toMatchObject({ description: '脚手架未设防护网', level: 'general', by: INSPECTOR, src: r.messageId });
    expect(await hazardCount()).toBe(before);
  });

  it('links the hazard to the inspection the same inspector made there the same day', async () => {
    const [meihe] = await h.db.select().from(enterprises).where(eq(enterprises.name, MEIHE));
    const t = h.now.getTime();
    const [visit] = await h.db
      .insert(inspections)
      .values({ enterpriseId: meihe.id, inspectorOpenId: INSPECTOR, at: t - 3600_000, createdAt: t })
      .returning();
    const mine = await report(INSPECTOR, `/report ${MEIHE} 防雷检测报告过期`);
    expect((await hazardRow(h, mine.no!)).inspectionId).toBe(visit.id);
    const other = await report(INSPECTOR2, `/report ${MEIHE} 员工未佩戴防护用品`);
    expect((await hazardRow(h, other.no!)).inspectionId).toBeNull();
  });
});

describe('dispatch, rectify and verify by command', () => {
  it('a report naming an assignee is dispatched at once, and the assignee and the contact are told', async () => {
    const r = await report(INSPECTOR, `/report ${MEIHE} 装卸区未设防静电设施 @_user_1`, { mentions: [fixer] });
    const row = await hazardRow(h, r.no!);
    expect(row).toMatchObject({ status: 'dispatched', assigneeOpenId: FIXER });
    expect((await eventsOf(h, r.no!)).map((e) => e.action)).toEqual(['report', 'dispatch']);
    expect(shown(r.card!)).toContain('整改中');
    const toFixer = dmsTo(h, FIXER).filter((m) => shown(m).includes(r.no!));
    expect(toFixer).toHaveLength(1);
    expect(shown(toFixer[0])).toContain('您被指派整改此隐患');
    expect(shown(toFixer[0])).toContain('[整改完成]');
    expect(dmsTo(h, CONTACT).some((m) => shown(m).includes(r.no!) && shown(m).includes('贵单位有一条隐患已派单整改'))).toBe(true);
  });

  it('an officer naming an assignee files the report, which waits for someone who may dispatch', async () => {
    const mark = h.fake.messages.length;
    const r = await report(OFFICER, `/report ${MEIHE} 值班巡查发现围墙破损 @_user_1`, { mentions: [fixer] });
    expect(await hazardRow(h, r.no!)).toMatchObject({ status: 'reported', assigneeOpenId: null });
    expect(shown(r.card!)).toContain('未派单');
    expect(shown(r.card!)).toContain('派单需要以下角色之一');
    expect(dmsTo(h, FIXER, mark)).toHaveLength(0);
  });

  let no: string;

  it('dispatch is refused for an inspector who did not report it, and for officers, naming who may', async () => {
    no = (await report(INSPECTOR, `/report ${MEIHE} 反应釜温度计损坏`)).no!;
    for (const who of [INSPECTOR2, OFFICER]) {
      const r = await h.say(who, `/dispatch ${no} @_user_1`, { mentions: [fixer] });
      expect(textOf(r.replies[0])).toContain('派单需要以下角色之一：领导、管理员，或上报该隐患的检查员');
      expect(textOf(r.replies[0])).toContain('leader, admin, or the inspector who reported');
    }
    expect((await hazardRow(h, no)).status).toBe('reported');
    expect(await eventsOf(h, no)).toHaveLength(1);
  });

  it('dispatch by a leader tells the assignee and the contact, and the hazard card follows', async () => {
    const mark = h.fake.messages.length;
    const r = await h.say(LEADER, `/派单 ${no} @_user_1 期限:5天`, { mentions: [fixer] });
    const answer = textOf(r.replies.find((m) => m.parentId === r.messageId)!);
    expect(answer).toContain(`${no} 已派单给 孙整改，整改期限 2026-12-06 23:59`);
    expect(await hazardRow(h, no)).toMatchObject({ status: 'dispatched', assigneeOpenId: FIXER, deadline: dec(6), dispatchedAt: expect.any(Number) });
    expect((await eventsOf(h, no)).at(-1)).toMatchObject({ action: 'dispatch', actorOpenId: LEADER, fromStatus: 'reported', toStatus: 'dispatched' });
    expect(shown(dmsTo(h, FIXER, mark)[0])).toContain('您被指派整改此隐患');
    expect(shown(dmsTo(h, CONTACT, mark)[0])).toContain('贵单位有一条隐患已派单整改');
    const cardMsg = await hazardCardMessage(h, no);
    expect(currentCard(cardMsg)).toContain('整改中');
    expect(currentCard(cardMsg)).toContain('孙整改');
    expect(currentCard(cardMsg)).toContain('[整改完成]');
  });

  it('an illegal transition gets a clear reply and changes nothing', async () => {
    const before = await eventsOf(h, no);
    const again = await h.say(LEADER, `/dispatch ${no} @_user_1`, { mentions: [fixer] });
    const text = textOf(again.replies[0]);
    expect(text).toContain(`${no} 当前状态为「整改中」`);
    expect(text).toContain('陈领导');
    expect(text).toContain('不能派单');
    expect(text).toContain('being rectified');
    const verify = await h.say(INSPECTOR, `/verify ${no} 通过`);
    expect(textOf(verify.replies[0])).toContain('不能复查');
    const fresh = (await report(INSPECTOR, `/report ${MEIHE} 储罐液位计失灵`)).no!;
    const rectify = await h.say(FIXER, `/rectify ${fresh}`);
    expect(textOf(rectify.replies[0])).toContain('当前状态为「待派单」');
    expect(await eventsOf(h, no)).toEqual(before);
    expect((await hazardRow(h, fresh)).status).toBe('reported');
    const unknown = await h.say(LEADER, '/dispatch YH-2026-9999 @_user_1', { mentions: [fixer] });
    expect(textOf(unknown.replies[0])).toContain('没有编号为 YH-2026-9999 的隐患');
  });

  it('rectify: only the assignee or the enterprise contact may; the reporter is told', async () => {
    const refused = await h.say(INSPECTOR2, `/rectify ${no}`);
    expect(textOf(refused.replies[0])).toContain('整改责任人、该企业的企业联系人');
    expect((await hazardRow(h, no)).status).toBe('dispatched');

    const mark = h.fake.messages.length;
    const r = await h.say(FIXER, `/整改 ${no} 已更换温度计`);
    expect(textOf(r.replies[0])).toContain(`${no} 已提交整改，等待复查`);
    expect((await hazardRow(h, no)).status).toBe('rectified');
    expect((await eventsOf(h, no)).at(-1)).toMatchObject({ action: 'rectify', actorOpenId: FIXER, note: '已更换温度计', toStatus: 'rectified' });
    const [told] = dmsTo(h, INSPECTOR, mark);
    expect(shown(told)).toContain('您上报的隐患已整改完成，待复查');
    expect(shown(told)).toContain('[复查通过]');
    expect(currentCard(await hazardCardMessage(h, no))).toContain('待复查');

    // The enterprise's contact may mark it rectified too.
    const other = (await report(INSPECTOR, `/report ${MEIHE} 应急预案未演练 @_user_1`, { mentions: [fixer] })).no!;
    await h.say(CONTACT, `/rectify ${other} 已组织演练`);
    expect((await hazardRow(h, other)).status).toBe('rectified');
  });

  it('verify fail sends it back with a new deadline and tells the assignee', async () => {
    const mark = h.fake.messages.length;
    const r = await h.say(INSPECTOR, `/复查 ${no} 不通过 温度计型号不符 期限:2026-12-15`);
    expect(textOf(r.replies[0])).toContain('复查不通过，已退回整改，新期限 2026-12-15 23:59');
    expect(await hazardRow(h, no)).toMatchObject({ status: 'dispatched', deadline: dec(15) });
    const last = (await eventsOf(h, no)).at(-1)!;
    expect(last).toMatchObject({ action: 'verify_fail', fromStatus: 'rectified', toStatus: 'dispatched', actorOpenId: INSPECTOR });
    expect(last.note).toContain('温度计型号不符');
    expect(shown(dmsTo(h, FIXER, mark)[0])).toContain('复查未通过，请于 2026-12-15 23:59 前重新整改');
    expect(currentCard(await hazardCardMessage(h, no))).toContain('整改中');
  });

  it('verify: never by the assignee; only inspectors and leaders', async () => {
    const own = (await report(INSPECTOR, `/report ${MEIHE} 检查员办公室插线板老化`)).no!;
    await h.say(LEADER, `/dispatch ${own} @_user_1`, { mentions: [{ openId: INSPECTOR2, name: '赵磊' }] });
    await h.say(INSPECTOR2, `/rectify ${own}`);
    const self = await h.say(INSPECTOR2, `/verify ${own} 通过`);
    expect(textOf(self.replies[0])).toContain('整改责任人不能复查自己整改的隐患');
    for (const who of [OFFICER, ADMIN]) {
      const r = await h.say(who, `/verify ${own} 通过`);
      expect(textOf(r.replies[0])).toContain('需要以下角色之一：检查员、领导');
    }
    expect((await hazardRow(h, own)).status).toBe('rectified');
  });

  it('verify pass closes it (销号) and tells everyone involved', async () => {
    await h.say(FIXER, `/rectify ${no} 已更换为防爆温度计`);
    const mark = h.fake.messages.length;
    const r = await h.say(LEADER, `/verify ${no} 通过 现场核实`);
    expect(textOf(r.replies[0])).toContain(`${no} 复查通过，已销号`);
    const row = await hazardRow(h, no);
    expect(row.status).toBe('closed');
    expect(row.closedAt).toBeGreaterThan(0);
    for (const who of [INSPECTOR, FIXER, CONTACT]) expect(shown(dmsTo(h, who, mark)[0])).toContain('隐患已复查通过，已销号');
    expect(dmsTo(h, LEADER, mark)).toHaveLength(0); // the one who closed it sees the reply
    expect(dmsTo(h, SUPERVISOR, mark)).toHaveLength(0); // a general hazard: the supervisor was never involved
    expect((await eventsOf(h, no)).map((e) => e.action)).toEqual(['report', 'dispatch', 'rectify', 'verify_fail', 'rectify', 'verify_pass']);
    const card = currentCard(await hazardCardMessage(h, no));
    expect(card).toContain('已销号');
    expect(card).not.toContain('[复查通过]');
  });

  it('dispatches by a registered name without @, and warns when the assignee is not registered', async () => {
    const a = (await report(INSPECTOR, `/report ${MEIHE} 安全警示标志缺失`)).no!;
    await h.say(INSPECTOR, `/dispatch ${a} 孙整改`);
    expect((await hazardRow(h, a)).assigneeOpenId).toBe(FIXER);
    const b = (await report(INSPECTOR, `/report ${MEIHE} 洗眼器无水`)).no!;
    const r = await h.say(INSPECTOR, `/dispatch ${b} @_user_1`, { mentions: [{ openId: 'ou_worker', name: '钱师傅' }] });
    const text = textOf(r.replies[0]);
    expect(text).toContain('已派单给 钱师傅');
    expect(text).toContain('钱师傅 尚未登记');
    // Not registered, but the hazard's assignee: they may mark it rectified.
    await h.say('ou_worker', `/rectify ${b}`);
    expect((await hazardRow(h, b)).status).toBe('rectified');
  });
});

describe('details and lists', () => {
  it('/hazard NO shows the detail with its timeline', async () => {
    const [closed] = await h.db.select().from(hazards).where(eq(hazards.status, 'closed'));
    const r = await h.say(CONTACT, `/hazard ${closed.no}`);
    const text = shown(r.replies[0]);
    expect(text).toContain('处理记录');
    expect(text).toContain('李娜 上报 → 待派单');
    expect(text).toContain('陈领导 派单 → 整改中');
    expect(text).toContain('复查不通过 → 整改中 · 温度计型号不符');
    expect(text).toContain('陈领导 复查通过 → 已销号 · 现场核实');
    const stranger = await h.say(STRANGER, `/hazard ${closed.no}`);
    expect(textOf(stranger.replies[0])).toContain('尚未登记');
  });

  it('/hazards lists newest first, ten to a card, and pages with buttons answered inline', async () => {
    const total = await hazardCount();
    expect(total).toBeGreaterThan(10);
    const r = await h.say(LEADER, '/隐患');
    const first = cardJson(r.replies[0].content);
    const numbers = shown(r.replies[0]).match(/YH-\d{4}-\d{4}/g)!;
    expect(numbers).toHaveLength(10);
    expect(numbers[0]).toBe(`YH-2026-${String(total).padStart(4, '0')}`);
    expect([...numbers].sort().reverse()).toEqual(numbers);
    expect(shown(r.replies[0])).toContain(`共 ${total} 条`);
    const [next] = allButtons(first, 'hazard.page');
    expect(next).toEqual({ action: 'hazard.page', filter: '', page: 1 });
    const click = await h.click({ operatorOpenId: LEADER, value: next, messageId: r.replies[0].messageId, chatId: 'oc_group' });
    const page2 = (click.body.card as { data: Record<string, unknown> }).data;
    const more = JSON.stringify(page2).match(/"content":"[^"]*?(YH-\d{4}-\d{4})/g)!;
    expect(more.length).toBe(total - 10);
    expect(allButtons(page2, 'hazard.page')).toEqual([{ action: 'hazard.page', filter: '', page: 0 }]);
  });

  it('/hazards filters: mine, open, overdue, enterprise, sector, township', async () => {
    const list = async (who: string, filter: string) => shown((await h.say(who, `/hazards ${filter}`)).replies[0]);
    const mine = await list(FIXER, 'mine');
    const assigned = await h.db.select().from(hazards).where(eq(hazards.assigneeOpenId, FIXER));
    expect(mine.match(/YH-\d{4}-\d{4}/g)!.length).toBe(Math.min(10, assigned.length));
    expect(mine).toContain('我的隐患');

    const open = await list(LEADER, 'open');
    const closed = await h.db.select().from(hazards).where(eq(hazards.status, 'closed'));
    expect(closed.length).toBeGreaterThan(0);
    expect(open).toContain(`共 ${(await hazardCount()) - closed.length} 条`);
    expect(open).not.toContain('已销号');

    expect(await list(LEADER, '逾期')).toContain('没有符合条件的隐患');
    h.advance(20 * 86_400_000);
    const overdue = await list(LEADER, 'overdue');
    expect(overdue).toContain('· **逾期**');
    expect(overdue).toContain('整改中');
    expect(overdue).not.toContain('待派单');

    const fireworks = await list(LEADER, '烟花爆竹');
    expect(fireworks.match(/YH-\d{4}-\d{4}/g)).toHaveLength(2);
    expect((await list(LEADER, 'fireworks')).match(/YH-\d{4}-\d{4}/g)).toEqual(fireworks.match(/YH-\d{4}-\d{4}/g));
    const town = await list(LEADER, '红梅镇');
    expect(town).toContain('乡镇：红梅镇');
    expect(town).not.toContain('新河烟花厂');
    const byName = await list(LEADER, '新河');
    expect(byName).toContain('企业：新河');
    expect(byName.match(/YH-\d{4}-\d{4}/g)).toHaveLength(2);
  });
});

describe('numbering and races', () => {
  it('hands out unique numbers when many are taken at once', async () => {
    const got = await Promise.all(Array.from({ length: 30 }, () => nextSequence(h.db, 'YH-2099')));
    expect(new Set(got).size).toBe(30);
    expect(Math.max(...got)).toBe(30);
  });

  it('a change that lost a race rolls back whole: no second timeline row, no notices', async () => {
    const no = (await report(INSPECTOR, `/report ${MEIHE} 围堰排水阀常开`)).no!;
    const rec = (await loadHazard(h.db, no))!;
    const leader: Caller = { openId: LEADER, roles: new Set(['leader']) };
    const { tz, hazardDefaults } = h.runtime.deps.settings;
    const a = await planDispatch(h.db, rec, { actor: leader, assigneeOpenId: FIXER }, h.now, tz, hazardDefaults);
    const b = await planDispatch(h.db, rec, { actor: leader, assigneeOpenId: CONTACT }, h.now, tz, hazardDefaults);
    await h.db.batch(a.statements as [BatchItem<'sqlite'>]);
    await expect(h.db.batch(b.statements as [BatchItem<'sqlite'>])).rejects.toThrow();
    expect((await hazardRow(h, no)).assigneeOpenId).toBe(FIXER);
    expect((await eventsOf(h, no)).map((e) => e.action)).toEqual(['report', 'dispatch']);
  });

  it('every card the bot sent is valid card JSON 2.0', () => {
    expect(cardProblems(h)).toEqual([]);
  });

  it('starts again at 0001 in a new (local) year', async () => {
    h.setNow(new Date('2026-12-31T16:30:00Z')); // 2027-01-01 00:30 in Shanghai
    const r = await report(INSPECTOR, `/report ${MEIHE} 新年第一条隐患`);
    expect(r.no).toBe('YH-2027-0001');
  });
});
