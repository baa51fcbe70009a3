// Acknowledge or escalate: an incident at 3 a.m. buzzes the people on duty in-app at once, by SMS
// after 5 minutes, by phone after 10, and hands the card to the admins after 15 — each rung once,
// stopped by 收到 or a reply in the card's thread, within the month's budget of paid buzzes.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { bj, runJob } from './support/roster-helpers.ts';
import { currentCard } from './support/cards.ts';
import { chatBindings, escalations, incidentDispatches, incidents, jobRuns, outbox, sequences, shifts, teams } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { runSlot } from '../src/jobs/runner.ts';
import { insertOutbox } from '../src/outbox/messages.ts';
import { cardIdsOf } from '../src/domain/incidents.ts';
import { startFakeLark, type FakeLark, type FakeMessage } from '../src/lark/fake/server.ts';
import type { BatchItem } from 'drizzle-orm/batch';

const ADMIN = 'ou_e_admin';
const REPORTER = 'ou_e_wangqiang'; // an officer, not on duty
const LEADER = 'ou_e_zhangwei'; // 带班领导 on duty
const OFFICER = 'ou_e_sunli'; // 值班员 on duty
const DUTY_CHAT = 'oc_e_duty';
const LEADERS_CHAT = 'oc_e_leaders';
const job = findJob('escalations')!;

let fake: FakeLark;
let h: Harness;

async function setup(settings: Parameters<typeof startHarness>[0] = {}) {
  h = await startHarness({ adminOpenIds: [ADMIN], start: bj('2026-12-02T02:59:59'), fake, ...settings });
  await addPerson(h.db, ADMIN, '管理员', 'admin');
  await addPerson(h.db, REPORTER, '王强', 'officer');
  await addPerson(h.db, LEADER, '张伟', 'leader', { mobile: '13900000001' });
  await addPerson(h.db, OFFICER, '孙丽', 'officer', { mobile: '13900000006' });
  await h.db.insert(chatBindings).values([
    { kind: 'leaders', name: '', chatId: LEADERS_CHAT, boundAt: 0 },
    { kind: 'duty', name: '', chatId: DUTY_CHAT, boundAt: 0 },
  ]).onConflictDoNothing();
}

beforeAll(async () => {
  fake = await startFakeLark({ now: () => h?.now.getTime() ?? Date.now() });
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
});

async function onDutyTonight() {
  const start = bj('2026-12-01T08:30:00').getTime();
  const end = bj('2026-12-02T08:30:00').getTime();
  await h.db.insert(shifts).values([
    { role: 'leader', personOpenId: LEADER, start, end, origin: 'imported', createdAt: 0, updatedAt: 0 },
    { role: 'officer', personOpenId: OFFICER, start, end, origin: 'imported', createdAt: 0, updatedAt: 0 },
  ]);
}

/** Reported at 03:00:00 (say() takes a second). */
async function report() {
  h.setNow(bj('2026-12-02T02:59:59'));
  const r = await h.say(REPORTER, '/incident 防汛 红梅镇河堤 管涌险情 级别:较大', { chatId: DUTY_CHAT });
  const no = /XQ-\d{4}-\d{4}/.exec(r.replies.map((m) => m.content).join('\n'))![0];
  return { ...r, no };
}

/** The direct-message card a person was buzzed on. */
const dmCard = (openId: string, no: string): FakeMessage => fake.messages.find((m) => m.receiveId === openId && m.msgType === 'interactive' && m.content.includes(no))!;
const kinds = (m: FakeMessage | undefined) => (m ? m.urgent.map((u) => u.kind) : []);
const at = (hhmm: string) => bj(`2026-12-02T${hhmm}:00`);

/** Runs the job at each minute from..to (inclusive), delivering after each, and records when each buzz arrived. */
async function minutes(from: string, to: string, watch: Record<string, () => FakeMessage | undefined>, instance = 'test') {
  const log: string[] = [];
  const seen = new Map<string, number>(Object.entries(watch).map(([who, find]) => [who, kinds(find()).length]));
  const local = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(11, 16);
  for (let t = at(from).getTime(); t <= at(to).getTime(); t += 60_000) {
    await runJob(h, job, new Date(t), instance);
    for (const [who, find] of Object.entries(watch)) {
      const k = kinds(find());
      for (let i = seen.get(who) ?? 0; i < k.length; i++) log.push(`${local(t)} ${who} ${k[i]}`);
      seen.set(who, k.length);
    }
  }
  return log;
}

describe('the ladder', () => {
  beforeAll(() => setup());
  afterAll(() => h.close({ keepFake: true }));
  beforeEach(async () => {
    for (const t of [escalations, incidents, sequences, shifts, outbox, jobRuns]) await h.db.delete(t);
    await onDutyTonight();
  });

  it('buzzes in-app at 0, SMS at 5, phone at 10, hands on at 15 — each once; 收到 at 7 stops it before the phone', async () => {
    const { no, replies } = await report();
    expect(kinds(dmCard(LEADER, no))).toEqual(['app']);
    expect(kinds(dmCard(OFFICER, no))).toEqual(['app']);
    // The buzzed card carries 收到.
    expect(currentCard(dmCard(OFFICER, no))).toContain('收到');
    expect(replies.filter((m) => m.urgent.length)).toHaveLength(2);

    const watch = { leader: () => dmCard(LEADER, no), officer: () => dmCard(OFFICER, no), admin: () => dmCard(ADMIN, no) };
    const first = await minutes('03:01', '03:06', watch);
    expect(first).toEqual(['03:05 leader sms', '03:05 officer sms']);

    // 张伟 presses 收到 at 03:07 on his card: every copy is stamped and his ladder stops.
    h.setNow(new Date(at('03:07').getTime() - 1000));
    const click = await h.click({ operatorOpenId: LEADER, value: { action: 'escalation.ack', item: `incident:${no}` }, messageId: dmCard(LEADER, no).messageId, chatId: `oc_p2p_${LEADER}` });
    expect(JSON.stringify(click.body)).toContain('已确认收到');
    const [inc] = await h.db.select().from(incidents).where(eq(incidents.no, no));
    const rows = await h.db.select().from(outbox);
    const copies = rows.filter((r) => cardIdsOf(inc).includes(r.id)).map((r) => fake.messages.find((m) => m.messageId === r.larkMessageId)!);
    expect(copies.length).toBe(4);
    for (const c of copies) expect(JSON.stringify(c.patches.at(-1) ?? JSON.stringify(click.body))).toContain('张伟 12-02 03:07 已收到');
    expect(JSON.stringify(click.body)).toContain('张伟 12-02 03:07 已收到');
    // Pressing again changes nothing.
    const again = await h.click({ operatorOpenId: LEADER, value: { action: 'escalation.ack', item: `incident:${no}` }, messageId: dmCard(LEADER, no).messageId, chatId: `oc_p2p_${LEADER}` });
    expect(JSON.stringify(again.body)).toContain('已于 12-02 03:07 确认收到');

    const mark = fake.messages.length;
    const rest = await minutes('03:07', '03:20', watch);
    // The admin's own ladder starts at 03:15: SMS at 03:20.
    expect(rest).toEqual(['03:10 officer phone', '03:15 admin app', '03:20 admin sms']);
    // The duty chat hears who did not answer, once; the leader, who acknowledged, is not named.
    const toDuty = fake.messages.slice(mark).filter((m) => m.chatId === DUTY_CHAT && m.msgType === 'text').map(textOf);
    expect(toDuty).toHaveLength(1);
    expect(toDuty[0]).toContain(`${no} 防汛险情（红梅镇河堤）：孙丽 15 分钟未确认收到（已应用内、短信、电话加急），已转 管理员`);
    // The admin's card is kept current with the others.
    const [after] = await h.db.select().from(incidents).where(eq(incidents.no, no));
    expect(cardIdsOf(after)).toHaveLength(5);

    // Every minute again, by another instance: the slots already run are taken, nothing repeats;
    // the admin's phone call comes at 03:25, and at 03:30 the chain has nobody further.
    const mark2 = fake.messages.length;
    expect(await minutes('03:00', '03:40', watch, 'other')).toEqual(['03:25 admin phone']);
    expect(kinds(dmCard(LEADER, no))).toEqual(['app', 'sms']);
    expect(kinds(dmCard(OFFICER, no))).toEqual(['app', 'sms', 'phone']);
    const last = fake.messages.slice(mark2).filter((m) => m.chatId === DUTY_CHAT).map(textOf);
    expect(last).toHaveLength(1);
    expect(last[0]).toContain('管理员 15 分钟未确认收到（已应用内、短信、电话加急），已无下一级可转，请电话联系');
  });

  it('a reply in the card’s thread by the person buzzed acknowledges', async () => {
    const { no } = await report();
    const card = dmCard(OFFICER, no);
    h.setNow(at('03:02'));
    const r = await h.say(OFFICER, '收到，马上处理', { chatId: card.chatId, chatType: 'p2p', rootId: card.messageId, parentId: card.messageId });
    expect(r.replies.map(textOf).join('\n')).toContain('已确认收到（12-02 03:02');
    expect(JSON.stringify(currentCard(dmCard(LEADER, no)))).toContain('孙丽 12-02 03:02 已收到');
    const log = await minutes('03:03', '03:11', { leader: () => dmCard(LEADER, no), officer: () => dmCard(OFFICER, no) });
    expect(log).toEqual(['03:05 leader sms', '03:10 leader phone']);
    // Someone else's reply in that thread is no acknowledgement.
    const [row] = await h.db.select().from(escalations).where(eq(escalations.personOpenId, OFFICER));
    expect(row.ackedVia).toBe('reply');
  });

  it('closing the incident stops every ladder', async () => {
    const { no } = await report();
    h.setNow(at('03:03'));
    await h.say(LEADER, `/incident ${no} 结束 误报`, { chatId: DUTY_CHAT });
    expect(await minutes('03:04', '03:16', { leader: () => dmCard(LEADER, no), officer: () => dmCard(OFFICER, no), admin: () => dmCard(ADMIN, no) })).toEqual([]);
  });

  it('two instances deciding the same minute at once queue each rung once', async () => {
    const { no } = await report();
    h.setNow(at('03:05'));
    const deps = h.runtime.jobDeps;
    // Both read the ladders before either commits (as if the slot claim had been passed twice).
    const [a, b] = [await job.run(deps, at('03:05')), await job.run(deps, at('03:05'))];
    for (const fx of [a, b]) await h.db.batch([...fx.statements, ...insertOutbox(h.db, fx.messages)] as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    await h.settle();
    expect(kinds(dmCard(LEADER, no))).toEqual(['app', 'sms']);
    expect(kinds(dmCard(OFFICER, no))).toEqual(['app', 'sms']);
    // And through the scheduler: the second instance finds the slot taken.
    expect((await runSlot(deps, job, at('03:10'), 'a')).ran).toBe(true);
    expect(await runSlot(deps, job, at('03:10'), 'b')).toEqual({ ran: false, reason: 'taken' });
  });

  it('skips a buzz more than 10 minutes late after downtime, and still hands on', async () => {
    const { no } = await report();
    // Nothing ran from 03:00 to 03:17: the SMS (due 03:05) is 12 min late and skipped; the phone call (03:10) is taken.
    const log = await minutes('03:17', '03:18', { officer: () => dmCard(OFFICER, no), admin: () => dmCard(ADMIN, no) });
    expect(log).toEqual(['03:17 officer phone', '03:18 admin app']);
  });
});

describe('a dispatched team that does not press 接令', () => {
  it('its leader is buzzed by SMS and phone, then the leader on duty gets the order; 接令 stops it', async () => {
    await setup();
    await onDutyTonight();
    const TEAM = 'ou_e_ligang';
    await addPerson(h.db, TEAM, '李刚', 'contact', { mobile: '13900000011' });
    const [team] = await h.db.insert(teams).values({ name: '红梅镇防汛抢险队', type: 'flood', leaderOpenId: TEAM, members: 30, township: '红梅镇', equipment: '[]', createdAt: 0, updatedAt: 0 }).returning({ id: teams.id });
    const { no } = await report();
    const leadersCopy = fake.messages.find((m) => m.chatId === LEADERS_CHAT && m.msgType === 'interactive' && m.content.includes(no))!;
    h.setNow(new Date(at('03:01').getTime() - 1000));
    await h.click({ operatorOpenId: REPORTER, value: { action: 'incident.dispatch', no }, formValue: { team: [String(team.id)] }, tag: 'button', messageId: leadersCopy.messageId, chatId: LEADERS_CHAT });
    const order = () => fake.messages.find((m) => m.receiveId === TEAM && m.msgType === 'interactive')!;
    expect(kinds(order())).toEqual(['app']);
    // 张伟 acknowledges the incident at once, so only the team's ladder is left to watch.
    await h.click({ operatorOpenId: LEADER, value: { action: 'escalation.ack', item: `incident:${no}` }, messageId: dmCard(LEADER, no).messageId, chatId: `oc_p2p_${LEADER}` });
    const mark = fake.messages.length;
    const log = await minutes('03:02', '03:16', { team: order });
    expect(log).toEqual(['03:06 team sms', '03:11 team phone']);
    const toLeader = fake.messages.slice(mark).filter((m) => m.receiveId === LEADER && m.msgType === 'interactive');
    expect(toLeader).toHaveLength(1);
    expect(currentCard(toLeader[0])).toContain('红梅镇防汛抢险队');
    expect(currentCard(toLeader[0])).toContain('至今未接令');
    expect(kinds(toLeader[0])).toEqual(['app']);
    expect(fake.messages.slice(mark).filter((m) => m.chatId === DUTY_CHAT).map(textOf).join('\n')).toContain('红梅镇防汛抢险队调度令：李刚 15 分钟未确认收到');
    // The team presses 接令 at 03:17: the leader on duty's ladder stops too.
    h.setNow(new Date(at('03:17').getTime() - 1000));
    await h.click({ operatorOpenId: TEAM, value: { action: 'incident.step', no, team: team.id, step: 'ack' }, messageId: order().messageId, chatId: `oc_p2p_${TEAM}` });
    expect(await minutes('03:18', '03:35', { leader: () => toLeader[0] })).toEqual([]);
    await h.db.delete(incidentDispatches);
    await h.db.delete(teams);
    await h.close({ keepFake: true });
  });
});

describe('restart mid-ladder', () => {
  it('takes the next rung once after a restart, never repeating the last', async () => {
    await setup();
    await onDutyTonight();
    const { no } = await report();
    await runJob(h, job, at('03:05'));
    const dbPath = h.dbPath;
    await h.close({ keepDb: true, keepFake: true });
    h = await startHarness({ adminOpenIds: [ADMIN], start: at('03:09'), fake, dbPath });
    await runJob(h, job, at('03:09'));
    await runJob(h, job, at('03:10'));
    await runJob(h, job, at('03:11'));
    expect(kinds(dmCard(OFFICER, no))).toEqual(['app', 'sms', 'phone']);
    await h.close({ keepFake: true });
  });
});

describe('the budget of paid buzzes', () => {
  afterAll(() => h.close({ keepFake: true }));

  it('past the monthly limit an in-app buzz stands in, and the admins are told once a day', async () => {
    await setup({ settings: { escalation: { smsMinutes: 5, phoneMinutes: 10, nextMinutes: 15, smsMonthlyLimit: 1, phoneMonthlyLimit: 100 } } });
    await onDutyTonight();
    const { no } = await report();
    const mark = fake.messages.length;
    await runJob(h, job, at('03:05'));
    expect([kinds(dmCard(LEADER, no)), kinds(dmCard(OFFICER, no))].map((k) => k.join(',')).sort()).toEqual(['app,app', 'app,sms']);
    const notices = fake.messages.slice(mark).filter((m) => m.receiveId === ADMIN).map(textOf);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('本月短信加急 1/1');
    expect(notices[0]).toContain('已改为应用内加急');
    // The brief counts the month's paid buzzes.
    const brief = await runJob(h, findJob('daily-brief')!, bj('2026-12-02T08:30:00'));
    expect(brief.sent.map((m) => m.content).join('\n')).toContain('短信 1/1，电话 0/100，降级为应用内 1 次');
    // /status shows the admins the same counts; others are refused.
    h.setNow(at('08:40'));
    const status = (await h.say(ADMIN, '/status', { chatType: 'p2p' })).replies.map(textOf).join('\n');
    expect(status).toContain('短信加急 1/1');
    expect(status).toContain('电话加急 0/100');
    expect(status).toContain('降级为应用内加急 1 次');
    expect((await h.say(REPORTER, '/status', { chatType: 'p2p' })).replies.map(textOf).join('\n')).toContain('管理员');
    // Later the same day: no second notice.
    await h.db.delete(escalations);
    const second = await report();
    const mark2 = fake.messages.length;
    await runJob(h, job, at('03:05'));
    expect(kinds(dmCard(OFFICER, second.no)).slice(-1)).toEqual(['app']);
    expect(fake.messages.slice(mark2).filter((m) => m.receiveId === ADMIN)).toHaveLength(0);
  });

  it('Lark’s 230024 (quota used up) falls back to an in-app buzz, and the admins hear of it', async () => {
    await h.close({ keepFake: true });
    await setup();
    await onDutyTonight();
    const { no } = await report();
    fake.setUrgentQuota({ sms: 0 });
    await runJob(h, job, at('03:05'));
    expect(kinds(dmCard(OFFICER, no))).toEqual(['app', 'app']);
    const refusedRows = (await h.db.select().from(outbox)).filter((r) => r.kind === 'urgent' && r.lastError?.includes('230024'));
    expect(refusedRows).toHaveLength(2);
    expect(fake.calls.filter((c) => c.path.endsWith('/urgent_sms')).map((c) => c.code)).toEqual([230024, 230024]);
    const mark = fake.messages.length;
    await runJob(h, job, at('03:06'));
    const notice = fake.messages.slice(mark).filter((m) => m.receiveId === ADMIN).map(textOf);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain('飞书拒绝了 2 次短信/电话加急');
  });
});
