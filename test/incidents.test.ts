import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { bj, runJob } from './support/roster-helpers.ts';
import { buttonValues, cardJson, cardOf, currentCard as current, shown, type Card } from './support/cards.ts';
import { chatBindings, escalations, incidentDispatches, incidents, jobRuns, outbox, sequences, shifts, teams } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { runSlot } from '../src/jobs/runner.ts';
import { cardToText } from '../src/lark/card-text.ts';
import { dailyBriefCard } from '../jobs/daily-brief.ts';
import { incidentStats, median } from '../src/domain/incident-stats.ts';
import { cardIdsOf } from '../src/domain/incidents.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

const MIN = 60_000;

const ADMIN = 'ou_i_admin';
const LEADER = 'ou_i_chenjing'; // a leader, not on duty
const OFFICER = 'ou_i_wangqiang'; // an officer, not on duty
const DUTY_LEADER = 'ou_i_zhangwei'; // 带班领导 on duty
const DUTY_OFFICER = 'ou_i_sunli'; // 值班员 on duty
const INSPECTOR = 'ou_i_lina';
const TEAM_LEADER = 'ou_i_ligang';
const TEAM_LEADER2 = 'ou_i_zhouqiang';
const LEADERS_CHAT = 'oc_i_leaders';
const DUTY_CHAT = 'oc_i_duty';

let h: Harness;
let floodTeam = 0;
let generalTeam = 0;
const followup = findJob('dispatch-followup')!;

const cardsIn = (msgs: FakeMessage[], chatOrOpenId: string) => msgs.filter((m) => m.msgType === 'interactive' && (m.chatId === chatOrOpenId || m.receiveId === chatOrOpenId));
const textsTo = (msgs: FakeMessage[], chatOrOpenId: string) => msgs.filter((m) => m.msgType === 'text' && (m.chatId === chatOrOpenId || m.receiveId === chatOrOpenId)).map(textOf);

async function onDutyAllDay() {
  const t = Date.UTC(2026, 0, 1);
  const start = bj('2026-12-01T08:30:00').getTime();
  const end = bj('2026-12-02T08:30:00').getTime();
  await h.db.insert(shifts).values([
    { role: 'leader', personOpenId: DUTY_LEADER, start, end, origin: 'imported', createdAt: t, updatedAt: t },
    { role: 'officer', personOpenId: DUTY_OFFICER, start, end, origin: 'imported', createdAt: t, updatedAt: t },
  ]);
}

/** Reports an incident as the officer in the duty chat; returns its number and every message sent. */
async function report(text = '/incident 防汛 红梅镇河堤 管涌险情 级别:较大', as = OFFICER, chatId = DUTY_CHAT) {
  const r = await h.say(as, text, { chatId });
  const no = /XQ-\d{4}-\d{4}/.exec(r.replies.map(shown).join('\n'))?.[0];
  return { ...r, no: no! };
}

async function incidentRow(no: string) {
  const [row] = await h.db.select().from(incidents).where(eq(incidents.no, no));
  return row;
}

/** Lark messages of the incident's cards (thread reply, chats, DMs). */
async function incidentCards(no: string): Promise<FakeMessage[]> {
  const ids = cardIdsOf(await incidentRow(no));
  const rows = await h.db.select({ id: outbox.id, mid: outbox.larkMessageId }).from(outbox);
  const mids = rows.filter((r) => ids.includes(r.id)).map((r) => r.mid);
  return h.fake.messages.filter((m) => mids.includes(m.messageId));
}

/**
 * Submits the 调度队伍 form of the leaders' copy. The card's multi-select sends the chosen team ids
 * as a list; `single` sends one string, as cards sent before the multi-select still do.
 */
async function dispatch(no: string, team: number | number[], opts: { as?: string; messageId?: string; single?: boolean } = {}) {
  const ids = Array.isArray(team) ? team : [team];
  const cards = await incidentCards(no);
  const leadersCopy = cards.find((m) => m.chatId === LEADERS_CHAT)!;
  return h.click({
    operatorOpenId: opts.as ?? OFFICER,
    value: { action: 'incident.dispatch', no },
    formValue: { team: opts.single ? String(ids[0]) : ids.map(String) },
    tag: 'button',
    messageId: opts.messageId ?? leadersCopy.messageId,
    chatId: LEADERS_CHAT,
  });
}

/** The team leader's dispatch order for a team. */
async function orderCard(no: string, teamId: number): Promise<FakeMessage> {
  const inc = await incidentRow(no);
  const [d] = await h.db.select().from(incidentDispatches).where(eq(incidentDispatches.incidentId, inc.id));
  const all = await h.db.select().from(incidentDispatches).where(eq(incidentDispatches.incidentId, inc.id));
  const mine = all.find((x) => x.teamId === teamId) ?? d;
  const [row] = await h.db.select().from(outbox).where(eq(outbox.id, mine.cardOutboxId!));
  return h.fake.messages.find((m) => m.messageId === row.larkMessageId)!;
}

async function step(no: string, teamId: number, s: string, as = TEAM_LEADER) {
  const order = await orderCard(no, teamId);
  return h.click({ operatorOpenId: as, value: { action: 'incident.step', no, team: teamId, step: s }, messageId: order.messageId, chatId: `p2p_${as}` });
}

/** The first component with this tag anywhere in a card. */
function findTag(node: unknown, tag: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const hit = findTag(n, tag);
      if (hit) return hit;
    }
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.tag === tag) return o;
    for (const n of Object.values(o)) {
      const hit = findTag(n, tag);
      if (hit) return hit;
    }
  }
  return undefined;
}

async function dispatchRow(no: string, teamId: number) {
  const inc = await incidentRow(no);
  const all = await h.db.select().from(incidentDispatches).where(eq(incidentDispatches.incidentId, inc.id));
  return all.find((d) => d.teamId === teamId)!;
}

const runFollowup = (at: Date) => runJob(h, followup, at);

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN], start: bj('2026-12-01T09:00:00') });
  await addPerson(h.db, LEADER, '陈静', 'leader');
  await addPerson(h.db, OFFICER, '王强', 'officer');
  await addPerson(h.db, DUTY_LEADER, '张伟', 'leader');
  await addPerson(h.db, DUTY_OFFICER, '孙丽', 'officer');
  await addPerson(h.db, INSPECTOR, '李娜', 'inspector');
  await addPerson(h.db, TEAM_LEADER, '李刚', 'contact', { mobile: '13900000011' });
  await addPerson(h.db, TEAM_LEADER2, '周强', 'contact');
  await h.db.insert(chatBindings).values([
    { kind: 'leaders', name: '', chatId: LEADERS_CHAT, boundAt: 0 },
    { kind: 'duty', name: '', chatId: DUTY_CHAT, boundAt: 0 },
  ]);
  const t = Date.UTC(2026, 0, 1);
  const rows = await h.db
    .insert(teams)
    .values([
      { name: '红梅镇防汛抢险队', type: 'flood', leaderOpenId: TEAM_LEADER, members: 30, township: '红梅镇', equipment: JSON.stringify([{ name: '抽水泵', count: 12 }, { name: '冲锋舟', count: 3 }]), createdAt: t, updatedAt: t },
      { name: '市综合应急救援队', type: 'general', leaderOpenId: TEAM_LEADER2, members: 60, township: null, equipment: '[]', createdAt: t, updatedAt: t },
      { name: '山城镇森林扑火队', type: 'forest_fire', leaderOpenId: TEAM_LEADER2, members: 25, township: '山城镇', equipment: '[]', createdAt: t, updatedAt: t },
    ])
    .returning({ id: teams.id });
  [floodTeam, generalTeam] = rows.map((r) => r.id);
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.db.delete(incidentDispatches);
  await h.db.delete(incidents);
  await h.db.delete(escalations);
  await h.db.delete(sequences);
  await h.db.delete(shifts);
  await h.db.delete(outbox);
  await h.db.delete(jobRuns);
  h.fake.reset();
  h.setNow(bj('2026-12-01T09:00:00'));
});

describe('/incident', () => {
  it('numbers the incident, posts the card once per chat and buzzes the leader and officer on duty', async () => {
    await onDutyAllDay();
    const r = await report();
    expect(r.no).toBe('XQ-2026-0001');
    const inc = await incidentRow(r.no);
    expect(inc).toMatchObject({ type: 'flood', severity: 'larger', location: '红梅镇河堤', description: '管涌险情', status: 'open', reporterOpenId: OFFICER });

    // The thread reply is the duty chat's card; the leaders' chat gets its own; no second card in the duty chat.
    expect(cardsIn(r.replies, DUTY_CHAT)).toHaveLength(1);
    expect(cardsIn(r.replies, DUTY_CHAT)[0].parentId).toBe(r.messageId);
    expect(cardsIn(r.replies, LEADERS_CHAT)).toHaveLength(1);
    expect(shown(cardsIn(r.replies, LEADERS_CHAT)[0])).toContain('XQ-2026-0001 防汛险情 · 较大 · 处置中');

    // 加急 (urgent_app) exactly the leader and officer on duty, each on their own DM with the card.
    const buzzed = r.replies.filter((m) => m.urgent.length);
    expect(buzzed.map((m) => [m.receiveId, m.urgent])).toEqual(
      expect.arrayContaining([
        [DUTY_LEADER, [{ openIds: [DUTY_LEADER], kind: 'app' }]],
        [DUTY_OFFICER, [{ openIds: [DUTY_OFFICER], kind: 'app' }]],
      ]),
    );
    expect(buzzed).toHaveLength(2);
    expect(buzzed.every((m) => m.msgType === 'interactive' && shown(m).includes('管涌险情'))).toBe(true);

    const answer = textsTo(r.replies, DUTY_CHAT).join('\n');
    expect(answer).toContain('已加急：带班领导 张伟、值班员 孙丽');
    expect(answer).toContain('领导群、值班群');
    // Four cards are kept current: the thread reply, the leaders' chat and the two DMs.
    expect(cardIdsOf(inc)).toHaveLength(4);

    // The card offers the suited teams of 红梅镇 and the city, not the forest team of 山城镇, in a
    // required multi-select: several teams go in one submit.
    const leadersCard = cardOf(cardsIn(r.replies, LEADERS_CHAT)[0]);
    const options = JSON.stringify(leadersCard);
    expect(options).toContain('红梅镇防汛抢险队 · 防汛抢险 · 红梅镇 · 30人 · 设备15台');
    expect(options).toContain('市综合应急救援队');
    expect(options).not.toContain('山城镇森林扑火队');
    const picker = findTag(leadersCard, 'multi_select_static');
    expect(picker).toMatchObject({ name: 'team', required: true });
    expect((picker!.options as { value: string }[]).map((o) => o.value)).toEqual([String(floodTeam), String(generalTeam)]);
    expect(findTag(leadersCard, 'select_static')).toBeUndefined();
    expect(shown(cardsIn(r.replies, LEADERS_CHAT)[0])).toContain('可派 2 支，可多选');

    const second = await report('/险情 森林防火 山城镇后山 山火 级别:重大', LEADER, LEADERS_CHAT);
    expect(second.no).toBe('XQ-2026-0002');
    expect(cardsIn(second.replies, LEADERS_CHAT)).toHaveLength(1);
    expect(cardsIn(second.replies, DUTY_CHAT)).toHaveLength(1);
  });

  it('says so when nobody is on duty, and buzzes nobody', async () => {
    const r = await report();
    expect(r.replies.every((m) => m.urgent.length === 0)).toBe(true);
    expect(textsTo(r.replies, DUTY_CHAT).join('\n')).toContain('当前值班表上没有人在班');
    expect(cardsIn(r.replies, LEADERS_CHAT)).toHaveLength(1);
  });

  it('does not buzz the reporter who is on duty; the other one still is', async () => {
    await onDutyAllDay();
    const r = await report('/incident 火灾 红梅镇商业街 仓库起火', DUTY_OFFICER);
    const buzzed = r.replies.filter((m) => m.urgent.length);
    expect(buzzed.map((m) => m.receiveId)).toEqual([DUTY_LEADER]);
    expect(textsTo(r.replies, DUTY_CHAT).join('\n')).toContain('已加急：带班领导 张伟。值班员 孙丽即上报人，未加急。');
  });

  it('ignores quiet hours: at 23:30 everything goes out at once', async () => {
    await onDutyAllDay();
    h.setNow(bj('2026-12-01T23:30:00'));
    const r = await report();
    expect(r.replies.filter((m) => m.urgent.length)).toHaveLength(2);
    const rows = await h.db.select().from(outbox);
    expect(rows.every((o) => o.nextAttemptAt === o.createdAt && o.status === 'sent')).toBe(true);
  });

  it('is for officers, leaders and admins; reads types and severities; refuses bad input', async () => {
    expect(textsTo((await h.say(INSPECTOR, '/incident 防汛 红梅镇河堤 管涌', { chatId: DUTY_CHAT })).replies, DUTY_CHAT)[0]).toContain('需要以下角色之一');
    expect(textsTo((await h.say(OFFICER, '/incident 打架 红梅镇 斗殴', { chatId: DUTY_CHAT })).replies, DUTY_CHAT)[0]).toContain('无法识别险情类型');
    expect(textsTo((await h.say(OFFICER, '/incident 防汛 红梅镇 管涌 级别:很大', { chatId: DUTY_CHAT })).replies, DUTY_CHAT)[0]).toContain('级别应为');
    expect(textsTo((await h.say(OFFICER, '/incident 防汛 红梅镇', { chatId: DUTY_CHAT })).replies, DUTY_CHAT)[0]).toContain('用法');
    const r = await report('/incident accident 梅河化工 储罐 泄漏 水位:2米 级别:特别重大', ADMIN);
    expect(await incidentRow(r.no)).toMatchObject({ type: 'accident', severity: 'especially_major', description: '储罐 泄漏 水位:2米' });
  });
});

describe('调度队伍 and the team steps', () => {
  it('dispatches two teams in one submit: each team leader gets a buzzed order with 接令 only; every card lists both', async () => {
    await onDutyAllDay();
    const { no } = await report();
    h.setNow(bj('2026-12-01T09:01:00'));
    const click = await dispatch(no, [floodTeam, generalTeam]);
    expect(click.body.toast).toMatchObject({ type: 'success', content: '已派出 红梅镇防汛抢险队、市综合应急救援队' });
    const flood = '**红梅镇防汛抢险队**（队长 李刚 13900000011，30人）**待接令**';
    const general = '**市综合应急救援队**（队长 周强，60人）**待接令**';
    // The clicked card is answered inline, listing both; with both suited teams sent, nothing is left to offer …
    const inlineCard = (click.body.card as { data: Card }).data;
    const inline = cardToText(inlineCard);
    expect(inline).toContain('已调度队伍（2）');
    expect(inline).toContain(flood);
    expect(inline).toContain(general);
    expect(inline).toContain('没有可派的适用队伍');
    expect(JSON.stringify(inlineCard)).not.toContain('incident.dispatch');

    // … each team leader gets their own order, buzzed, offering 接令 only …
    for (const [leader, team] of [[TEAM_LEADER, floodTeam], [TEAM_LEADER2, generalTeam]] as const) {
      const orders = click.sent.filter((m) => m.receiveId === leader && m.msgType === 'interactive');
      expect(orders).toHaveLength(1);
      expect(orders[0].urgent).toEqual([{ openIds: [leader], kind: 'app' }]);
      expect(buttonValues(cardOf(orders[0]))).toEqual([{ action: 'incident.step', no, team, step: 'ack' }]);
      expect(await orderCard(no, team)).toBe(orders[0]);
    }
    expect(await h.db.select().from(incidentDispatches)).toHaveLength(2);
    // … the other copies are patched in place (not the clicked one), and the duty chat is told once, of both.
    const cards = await incidentCards(no);
    const leadersCopy = cards.find((m) => m.chatId === LEADERS_CHAT)!;
    expect(leadersCopy.patches).toHaveLength(0);
    for (const m of cards.filter((x) => x !== leadersCopy)) {
      expect(current(m)).toContain(flood);
      expect(current(m)).toContain(general);
    }
    const told = textsTo(click.sent, DUTY_CHAT).filter((t) => t.includes('已调度'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`${no} 已调度：红梅镇防汛抢险队（队长 李刚，30人，设备15台）；市综合应急救援队（队长 周强，60人，设备0台）`);

    // Sending the same teams again changes nothing.
    const again = await dispatch(no, [floodTeam, generalTeam]);
    expect(again.body.toast).toMatchObject({ type: 'warning', content: expect.stringContaining('已派出，无需重复') });
    expect(again.sent).toHaveLength(0);
    expect(await h.db.select().from(incidentDispatches)).toHaveLength(2);

    // Inspectors may not dispatch.
    const refused = await dispatch(no, generalTeam, { as: INSPECTOR });
    expect(refused.body.toast).toMatchObject({ type: 'error' });
  });

  it('still takes the single team of cards sent before the multi-select; skips a team already sent; refuses an empty choice', async () => {
    const { no } = await report();
    const empty = await dispatch(no, []);
    expect(empty.body.toast).toMatchObject({ type: 'error', content: expect.stringContaining('请先选择要派出的队伍') });
    expect(empty.sent).toHaveLength(0);

    const one = await dispatch(no, floodTeam, { single: true });
    expect(one.body.toast).toMatchObject({ type: 'success', content: '已派出 红梅镇防汛抢险队' });
    expect(one.sent.filter((m) => m.receiveId === TEAM_LEADER && m.msgType === 'interactive')).toHaveLength(1);
    // The answered card still offers the city team.
    expect(JSON.stringify((one.body.card as { data: Card }).data)).toContain('市综合应急救援队 · 综合应急');

    // Both chosen, one already out: only the new one is sent, and the toast says so.
    const both = await dispatch(no, [floodTeam, generalTeam]);
    expect(both.body.toast).toMatchObject({ type: 'success', content: '已派出 市综合应急救援队（红梅镇防汛抢险队 已派出过）' });
    expect(both.sent.filter((m) => m.receiveId === TEAM_LEADER)).toHaveLength(0);
    expect(both.sent.filter((m) => m.receiveId === TEAM_LEADER2 && m.msgType === 'interactive')).toHaveLength(1);
    expect((await h.db.select().from(incidentDispatches)).map((d) => d.teamId).sort((a, b) => a - b)).toEqual([floodTeam, generalTeam].sort((a, b) => a - b));
  });

  it('takes the steps in order, stamping each on every card and telling the duty chat; out-of-order clicks are refused', async () => {
    await onDutyAllDay();
    const { no } = await report(); // 09:00:01
    h.setNow(bj('2026-12-01T09:01:00'));
    await dispatch(no, floodTeam);

    // 出发 before 接令: refused with a toast, nothing changes, nothing is sent.
    const early = await step(no, floodTeam, 'depart');
    expect(early.body.toast).toMatchObject({ type: 'warning', content: '请先点「接令」' });
    expect(early.sent).toHaveLength(0);
    expect(await dispatchRow(no, floodTeam)).toMatchObject({ ackedAt: null, departedAt: null });
    expect((await incidentCards(no)).every((m) => !current(m).includes('已接令'))).toBe(true);

    // Somebody else cannot press the team leader's buttons.
    const other = await step(no, floodTeam, 'ack', OFFICER);
    expect(other.body.toast).toMatchObject({ type: 'error', content: expect.stringContaining('只有 红梅镇防汛抢险队 的队长 李刚') });

    h.setNow(bj('2026-12-01T09:03:00'));
    const ack = await step(no, floodTeam, 'ack');
    expect(ack.body.toast).toMatchObject({ type: 'success', content: '已接令' });
    expect(buttonValues((ack.body.card as { data: Card }).data)).toEqual([{ action: 'incident.step', no, team: floodTeam, step: 'depart' }]);
    expect((await dispatchRow(no, floodTeam)).ackedAt).toBe(bj('2026-12-01T09:03:01').getTime());
    for (const m of await incidentCards(no)) {
      expect(current(m)).toContain('**已接令**');
      expect(current(m)).toContain('上报→接令 3分 · 上报→到达 —');
    }
    expect(textsTo(ack.sent, DUTY_CHAT)[0]).toContain(`${no} 红梅镇防汛抢险队（队长 李刚）已接令，2026-12-01 09:03（距上报 3分）`);

    // Pressing 接令 again: refused, nothing changes.
    const twice = await step(no, floodTeam, 'ack');
    expect(twice.body.toast).toMatchObject({ type: 'warning', content: expect.stringContaining('无需重复') });
    expect(twice.sent).toHaveLength(0);
    expect((await dispatchRow(no, floodTeam)).ackedAt).toBe(bj('2026-12-01T09:03:01').getTime());

    h.setNow(bj('2026-12-01T09:05:00'));
    expect((await step(no, floodTeam, 'depart')).body.toast).toMatchObject({ content: '已出发' });
    // 处置完毕 before 到达: refused.
    expect((await step(no, floodTeam, 'done')).body.toast).toMatchObject({ type: 'warning', content: '请先点「到达」' });
    h.setNow(bj('2026-12-01T09:20:00'));
    const arrive = await step(no, floodTeam, 'arrive');
    expect(arrive.body.toast).toMatchObject({ content: '已到达' });
    expect(textsTo(arrive.sent, DUTY_CHAT)[0]).toContain('已到达');
    h.setNow(bj('2026-12-01T10:30:00'));
    const done = await step(no, floodTeam, 'done');
    expect(buttonValues((done.body.card as { data: Card }).data)).toEqual([]);

    const d = await dispatchRow(no, floodTeam);
    expect([d.ackedAt, d.departedAt, d.arrivedAt, d.doneAt].every((t, i, a) => t !== null && (i === 0 || t > a[i - 1]!))).toBe(true);
    const leadersCopy = (await incidentCards(no)).find((m) => m.chatId === LEADERS_CHAT)!;
    expect(current(leadersCopy)).toContain('上报→接令 3分 · 上报→到达 20分');
    expect(current(leadersCopy)).toContain('派出 09:01 → 接令 09:03 → 出发 09:05 → 到达 09:20 → 处置完毕 10:30');
    // The duty chat heard each step once.
    const dutyTexts = textsTo(h.fake.messages, DUTY_CHAT).filter((t) => t.includes('红梅镇防汛抢险队（队长 李刚）'));
    expect(dutyTexts.map((t) => /）(已接令|已出发|已到达|处置完毕)/.exec(t)?.[1])).toEqual(['已接令', '已出发', '已到达', '处置完毕']);
  });
});

describe('dispatch-followup', () => {
  it('re-buzzes an unacknowledged team leader after 5 minutes and tells the duty officer, exactly once', async () => {
    await onDutyAllDay();
    const { no } = await report(); // 09:00:01
    h.setNow(bj('2026-12-01T09:01:00'));
    await dispatch(no, floodTeam); // dispatched 09:01:01
    h.setNow(bj('2026-12-01T09:02:00'));
    await dispatch(no, generalTeam); // dispatched 09:02:01
    h.setNow(bj('2026-12-01T09:03:00'));
    await step(no, generalTeam, 'ack', TEAM_LEADER2); // acknowledged in time: never chased

    expect((await runFollowup(bj('2026-12-01T09:05:00'))).sent).toHaveLength(0);
    expect((await runFollowup(bj('2026-12-01T09:06:00'))).sent).toHaveLength(0); // 4 min 59 s
    const due = await runFollowup(bj('2026-12-01T09:07:00'));
    const toLeader = due.sent.filter((m) => m.receiveId === TEAM_LEADER);
    expect(toLeader).toHaveLength(1);
    expect(toLeader[0].urgent).toEqual([{ openIds: [TEAM_LEADER], kind: 'app' }]);
    expect(textOf(toLeader[0])).toContain(`【加急】${no}`);
    const toOfficer = due.sent.filter((m) => m.receiveId === DUTY_OFFICER);
    expect(toOfficer).toHaveLength(1);
    expect(textOf(toOfficer[0])).toContain('红梅镇防汛抢险队（队长 李刚 13900000011）派出 6分 未接令');
    expect(due.sent.filter((m) => m.receiveId === TEAM_LEADER2)).toHaveLength(0);
    expect(due.sent).toHaveLength(2);

    // The next minutes, and a rerun of the same slot by another instance, send nothing more.
    expect((await runFollowup(bj('2026-12-01T09:08:00'))).sent).toHaveLength(0);
    expect((await runFollowup(bj('2026-12-01T09:30:00'))).sent).toHaveLength(0);
    h.setNow(bj('2026-12-01T09:07:00'));
    expect(await runSlot(h.runtime.jobDeps, followup, bj('2026-12-01T09:07:00'), 'other')).toEqual({ ran: false, reason: 'taken' });
    const keyed = (await h.db.select().from(outbox)).filter((o) => o.dedupeKey?.startsWith('dispatch-followup:'));
    expect(keyed.map((o) => o.kind).sort()).toEqual(['send', 'send', 'urgent']);
  });

  it('leaves closed incidents alone', async () => {
    const { no } = await report();
    await dispatch(no, floodTeam);
    await h.say(LEADER, `/incident ${no} 结束 误报`, { chatId: LEADERS_CHAT });
    expect((await runFollowup(bj('2026-12-01T09:30:00'))).sent).toHaveLength(0);
  });
});

describe('closing and listing', () => {
  it('closes by a leader or admin with a summary, patches the cards and tells the duty chat', async () => {
    await onDutyAllDay();
    const a = await report();
    const b = await report('/incident 火灾 山城镇商业街 仓库起火');
    await dispatch(a.no, floodTeam);

    const list = await h.say(OFFICER, '/险情列表', { chatId: DUTY_CHAT });
    const listed = shown(list.replies[0]);
    expect(listed).toContain('处置中的险情（2）');
    expect(listed).toContain(`**${a.no}** 防汛·较大 · 红梅镇河堤`);
    expect(listed).toContain('队伍：红梅镇防汛抢险队 待接令');
    expect(listed).toContain(`**${b.no}** 火灾·一般`);

    const officerTry = await h.say(OFFICER, `/incident ${a.no} 结束 已排除`, { chatId: DUTY_CHAT });
    expect(textOf(officerTry.replies[0])).toContain('需要以下角色之一：领导、管理员');
    expect((await incidentRow(a.no)).status).toBe('open');

    h.setNow(bj('2026-12-01T11:00:00'));
    const close = await h.say(LEADER, `/incident ${a.no} 结束 险情已排除，无人员伤亡`, { chatId: LEADERS_CHAT });
    expect(await incidentRow(a.no)).toMatchObject({ status: 'closed', closedBy: LEADER, summary: '险情已排除，无人员伤亡', closedAt: bj('2026-12-01T11:00:01').getTime() });
    expect(textsTo(close.replies, LEADERS_CHAT)[0]).toContain(`${a.no} 已结束（陈静，2026-12-01 11:00）`);
    expect(textsTo(close.replies, DUTY_CHAT)[0]).toContain('总结：险情已排除，无人员伤亡');
    for (const m of await incidentCards(a.no)) {
      expect(current(m)).toContain('已结束');
      expect(JSON.stringify(cardJson(m.patches.at(-1)!))).not.toContain('incident.dispatch');
    }
    expect(current(await orderCard(a.no, floodTeam))).toContain('险情已结束');

    // Closed: no second close, no more teams.
    expect(textOf((await h.say(ADMIN, `/incident ${a.no} 结束`, { chatId: LEADERS_CHAT })).replies[0])).toContain('已于 2026-12-01 11:00 结束');
    expect((await dispatch(a.no, generalTeam)).body.toast).toMatchObject({ type: 'error', content: expect.stringContaining('已结束') });

    const after = shown((await h.say(OFFICER, '/incidents', { chatId: DUTY_CHAT })).replies[0]);
    expect(after).toContain('处置中的险情（1）');
    expect(after).not.toContain(a.no);
    expect(after).toContain(b.no);

    // /incident NO shows the card again and keeps that copy current too.
    const again = await h.say(OFFICER, `/incident ${b.no}`, { chatId: DUTY_CHAT });
    expect(shown(again.replies[0])).toContain(`${b.no} 火灾险情 · 一般 · 处置中`);
    expect(cardIdsOf(await incidentRow(b.no))).toHaveLength(5);
  });
});

describe('response times', () => {
  async function seedIncident(no: string, reportedAt: Date, dispatches: { ackMin?: number; arriveMin?: number; teamId: number }[], status = 'open') {
    const t = reportedAt.getTime();
    const [row] = await h.db
      .insert(incidents)
      .values({ no, type: 'flood', location: '红梅镇河堤', description: '管涌', severity: 'general', status, reportedAt: t, updatedAt: t })
      .returning({ id: incidents.id });
    for (const d of dispatches) {
      await h.db.insert(incidentDispatches).values({
        incidentId: row.id,
        teamId: d.teamId,
        leaderOpenId: TEAM_LEADER,
        dispatchedAt: t + MIN,
        ackedAt: d.ackMin === undefined ? null : t + d.ackMin * MIN,
        arrivedAt: d.arriveMin === undefined ? null : t + d.arriveMin * MIN,
        departedAt: d.arriveMin === undefined ? null : t + (d.arriveMin - 1) * MIN,
      });
    }
  }

  it('gives the count and the median report→接令 and report→到达 for a period', async () => {
    await seedIncident('XQ-2026-0101', bj('2026-11-03T10:00:00'), [{ teamId: floodTeam, ackMin: 3, arriveMin: 20 }, { teamId: generalTeam, ackMin: 2, arriveMin: 40 }]);
    await seedIncident('XQ-2026-0102', bj('2026-11-10T10:00:00'), [{ teamId: floodTeam, ackMin: 5, arriveMin: 40 }]);
    await seedIncident('XQ-2026-0103', bj('2026-11-20T10:00:00'), [{ teamId: floodTeam, ackMin: 10 }]);
    await seedIncident('XQ-2026-0104', bj('2026-11-25T10:00:00'), []);
    await seedIncident('XQ-2026-0105', bj('2026-12-01T08:00:00'), [{ teamId: floodTeam, ackMin: 1, arriveMin: 5 }]);

    const nov = await incidentStats(h.db, bj('2026-11-01T00:00:00'), bj('2026-12-01T00:00:00'));
    // The first team counts: acks 2, 5, 10 → 5 min; arrivals 20, 40 → 30 min.
    expect(nov).toEqual({ count: 4, medianAckMs: 5 * MIN, medianArriveMs: 30 * MIN });
    expect(await incidentStats(h.db, bj('2026-10-01T00:00:00'), bj('2026-11-01T00:00:00'))).toEqual({ count: 0, medianAckMs: null, medianArriveMs: null });
    expect(median([1, 2, 3, 10])).toBe(3);
  });

  it('lists open incidents with their response times in the daily brief', async () => {
    await seedIncident('XQ-2026-0201', bj('2026-12-01T07:00:00'), [{ teamId: floodTeam, ackMin: 4, arriveMin: 25 }]);
    await seedIncident('XQ-2026-0202', bj('2026-11-30T07:00:00'), [], 'closed');
    const brief = cardToText(await dailyBriefCard(h.db, h.runtime.jobDeps.settings, bj('2026-12-02T08:30:00')));
    expect(brief).toContain('处置中的险情（1）');
    expect(brief).toContain('- XQ-2026-0201 防汛·一般 · 红梅镇河堤 · 上报 12-01 07:00 · 红梅镇防汛抢险队 已到达 · 上报→接令 4分 · 上报→到达 25分');
    expect(brief).not.toContain('XQ-2026-0202');
  });
});
