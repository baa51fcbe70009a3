import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';
import { addShift, bj, body, runJob, to } from './support/roster-helpers.ts';
import { buttonValues, cardOf } from './support/cards.ts';
import { handovers, hazards, jobRuns, outbox, shifts, swapRequests } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

let h: Harness;
const WANG = 'ou_wang';
const SUN = 'ou_sun';
const ZHAO = 'ou_zhao';
const ZHANG = 'ou_zhang';
const job = findJob('shift-reminders')!;
let enterpriseId = 0;

beforeAll(async () => {
  h = await startHarness({ start: bj('2026-03-03T10:00:00') });
  await addPerson(h.db, WANG, '王强', 'officer', { mobile: '13900000005' });
  await addPerson(h.db, SUN, '孙丽', 'officer', { mobile: '13900000006' });
  await addPerson(h.db, ZHAO, '赵磊', 'officer');
  await addPerson(h.db, ZHANG, '张伟', 'leader', { mobile: '13900000001' });
  enterpriseId = await addEnterprise(h.db, { name: '梅河化工有限公司' });
});
afterAll(() => h.close());

let w5 = 0; // 王强 03-05
let s6 = 0; // 孙丽 03-06
beforeEach(async () => {
  for (const t of [shifts, swapRequests, handovers, outbox, jobRuns, hazards]) await h.db.delete(t);
  h.fake.reset();
  h.setNow(bj('2026-03-03T10:00:00'));
  w5 = await addShift(h.db, 'officer', WANG, '2026-03-05T08:30:00', '2026-03-06T08:30:00');
  s6 = await addShift(h.db, 'officer', SUN, '2026-03-06T08:30:00', '2026-03-07T08:30:00');
  await addShift(h.db, 'officer', WANG, '2026-03-07T08:30:00', '2026-03-08T08:30:00');
  // The leader on duty the whole week.
  await addShift(h.db, 'leader', ZHANG, '2026-03-01T08:00:00', '2026-03-09T08:00:00');
});

const mention = (openId: string, name: string) => ({ mentions: [{ openId, name }] });
const buttons = (m: FakeMessage) => buttonValues(cardOf(m));
const toastOf = (b: Record<string, unknown>) => (b.toast as { content: string; type: string } | undefined);

async function requestSwap() {
  const { replies } = await h.say(WANG, '/换班 2026-03-05 @_user_1', mention(SUN, '孙丽'));
  const card = replies.find((m) => m.receiveId === SUN)!;
  expect(card).toBeDefined();
  const [accept, decline] = buttons(card);
  return { replies, card, accept, decline };
}

describe('/swap', () => {
  it('asks the other person with a card; accepting swaps both shifts and tells both and the leader on duty', async () => {
    const { replies, card, accept } = await requestSwap();
    expect(textOf(replies.find((m) => m.receiveId !== SUN)!)).toContain('已向 孙丽 发送换班申请');
    expect(body(card)).toContain('王强** 申请与 **孙丽** 换班');
    expect(body(card)).toContain('2026-03-06 08:30 – 03-07 08:30');
    expect(accept).toMatchObject({ action: 'swap.accept' });

    // Somebody else: refused, naming who may answer.
    const outsider = await h.click({ operatorOpenId: ZHAO, value: accept, messageId: card.messageId });
    expect(toastOf(outsider.body)).toMatchObject({ type: 'error', content: '只有 孙丽 可以答复此换班申请（王强 发起）。' });
    // The requester cannot accept their own request.
    const self = await h.click({ operatorOpenId: WANG, value: accept, messageId: card.messageId });
    expect(toastOf(self.body)?.content).toContain('申请人不能自己同意或拒绝');
    expect((await h.db.select().from(shifts).where(eq(shifts.id, w5)))[0].personOpenId).toBe(WANG);

    const ok = await h.click({ operatorOpenId: SUN, value: accept, messageId: card.messageId });
    expect(toastOf(ok.body)).toMatchObject({ type: 'success', content: '已同意换班' });
    expect(JSON.stringify(ok.body.card)).toContain('已同意');
    const [a, b] = await Promise.all([h.db.select().from(shifts).where(eq(shifts.id, w5)), h.db.select().from(shifts).where(eq(shifts.id, s6))]);
    expect([a[0].personOpenId, a[0].origin, b[0].personOpenId, b[0].origin]).toEqual([SUN, 'swapped', WANG, 'swapped']);
    expect(ok.sent.map((m) => m.receiveId).sort()).toEqual([SUN, WANG, ZHANG].sort());
    expect(textOf(to(ok.sent, ZHANG)[0])).toContain('王强 与 孙丽 已换班');

    // A second click: nothing changes, and the toast says who acted and when.
    const again = await h.click({ operatorOpenId: SUN, value: accept, messageId: card.messageId });
    expect(toastOf(again.body)?.content).toMatch(/^此申请已由 孙丽 于 2026-03-03 10:00 同意$/);
    expect(again.sent).toHaveLength(0);
  });

  it('declining tells the asker and changes nothing', async () => {
    const { card, decline } = await requestSwap();
    const no = await h.click({ operatorOpenId: SUN, value: decline, messageId: card.messageId });
    expect(toastOf(no.body)?.content).toBe('已拒绝换班');
    expect(no.sent.map((m) => m.receiveId)).toEqual([WANG]);
    expect(textOf(no.sent[0])).toContain('孙丽 拒绝了您的换班申请');
    expect((await h.db.select().from(shifts).where(eq(shifts.id, w5)))[0].personOpenId).toBe(WANG);
    const [req] = await h.db.select().from(swapRequests);
    expect(req.status).toBe('declined');
  });

  it('an unanswered request expires when the earlier shift starts', async () => {
    const { card, accept } = await requestSwap();
    expect((await runJob(h, job, bj('2026-03-05T08:29:00'))).sent.filter((m) => textOf(m).includes('作废'))).toHaveLength(0);
    const { sent } = await runJob(h, job, bj('2026-03-05T08:30:00'));
    const notice = sent.filter((m) => m.receiveId === WANG && textOf(m).includes('自动作废'));
    expect(notice).toHaveLength(1);
    const [req] = await h.db.select().from(swapRequests);
    expect(req.status).toBe('expired');
    // The card the other person holds is greyed out.
    const held = h.fake.messages.find((m) => m.messageId === card.messageId)!;
    expect(held.patches.at(-1)).toContain('已过期');
    const late = await h.click({ operatorOpenId: SUN, value: accept, messageId: card.messageId });
    expect(toastOf(late.body)?.content).toBe('此申请已于 2026-03-05 08:30 过期');
    expect((await h.db.select().from(shifts).where(eq(shifts.id, w5)))[0].personOpenId).toBe(WANG);
    // The job does not expire it twice.
    expect((await runJob(h, job, bj('2026-03-05T08:31:00'))).sent.filter((m) => textOf(m).includes('作废'))).toHaveLength(0);
  });

  it('refuses what cannot be swapped', async () => {
    const self = await h.say(WANG, '/swap 2026-03-05 @_user_1', mention(WANG, '王强'));
    expect(textOf(self.replies[0])).toContain('不能和自己换班');
    const none = await h.say(WANG, '/swap 2026-03-20 @_user_1', mention(SUN, '孙丽'));
    expect(textOf(none.replies[0])).toContain('2026-03-20 您和对方都没有班次');
    const notDate = await h.say(WANG, '/swap 明天 @_user_1', mention(SUN, '孙丽'));
    expect(textOf(notDate.replies[0])).toContain('不是日期');
    await h.say(WANG, '/swap 2026-03-05 孙丽');
    const twice = await h.say(WANG, '/swap 2026-03-05 孙丽');
    expect(textOf(twice.replies[0])).toContain('已有待答复的换班申请');
    // Once the shift has started it can no longer be swapped.
    h.setNow(bj('2026-03-05T09:00:00'));
    const started = await h.say(WANG, '/swap 2026-03-05 @_user_1', mention(ZHAO, '赵磊'));
    expect(textOf(started.replies[0])).toContain('已经开始');
  });

  it('a date on which only the other person has a shift picks the asker’s nearest shift', async () => {
    const { card } = await (async () => {
      const { replies } = await h.say(SUN, '/swap 2026-03-05 @_user_1', mention(WANG, '王强'));
      return { card: replies.find((m) => m.receiveId === WANG)! };
    })();
    // 孙丽 has no shift on 03-05; 王强 has. 孙丽's nearest officer shift is 03-06.
    expect(body(card)).toContain('孙丽 的班次：2026-03-06 08:30');
    expect(body(card)).toContain('王强 的班次：2026-03-05 08:30');
  });
});

describe('/handover', () => {
  it('asks the outgoing officer 15 minutes before the end; records notes and a summary; the incoming officer signs', async () => {
    await addHazard(h.db, { enterpriseId, no: 'YH-2026-0042', reportedAt: bj('2026-03-05T15:00:00').getTime() });
    await addHazard(h.db, { enterpriseId, no: 'YH-2026-0041', reportedAt: bj('2026-03-05T07:00:00').getTime() }); // before the shift
    await h.db.insert(outbox).values({ id: 'failed-1', kind: 'send', target: 'ou_x', targetType: 'open_id', msgType: 'text', content: '{}', status: 'failed', nextAttemptAt: 0, createdAt: bj('2026-03-05T20:00:00').getTime() });

    const ask = await runJob(h, job, bj('2026-03-06T08:15:00'));
    expect(to(ask.sent, WANG)).toHaveLength(1);
    expect(body(to(ask.sent, WANG)[0])).toContain('接班值班员：孙丽（13900000006）');

    h.setNow(bj('2026-03-06T08:20:00'));
    const notOfficer = await h.say(ZHAO, '/交班 无');
    expect(textOf(notOfficer.replies[0])).toContain('您现在没有值班员班次');
    const { replies } = await h.say(WANG, '/交班 消防通道已检查，夜间无异常。注意:3号罐区温度偏高');
    const card = replies.find((m) => m.receiveId === SUN)!;
    expect(body(card)).toContain('消防通道已检查，夜间无异常。注意:3号罐区温度偏高');
    expect(body(card)).toContain('上报隐患：1 条（YH-2026-0042）');
    expect(body(card)).toContain('未结险情：0 起');
    expect(body(card)).toContain('发送失败消息：1 条');
    const [sign] = buttons(card);
    expect(sign).toEqual({ action: 'handover.sign', shift: w5 });
    expect(textOf(replies.at(-1)!)).toContain('已请接班值班员 孙丽 签收');
    // The ask is not repeated once the handover is in.
    expect(to((await runJob(h, job, bj('2026-03-06T08:21:00'))).sent, WANG)).toHaveLength(0);
    const twice = await h.say(WANG, '/交班 补充');
    expect(textOf(twice.replies[0])).toContain('本班已于 2026-03-06 08:2');

    const other = await h.click({ operatorOpenId: ZHAO, value: sign, messageId: card.messageId });
    expect(toastOf(other.body)?.content).toBe('只有接班值班员 孙丽 可以签收。');
    const ok = await h.click({ operatorOpenId: SUN, value: sign, messageId: card.messageId });
    expect(toastOf(ok.body)?.content).toBe('已签收');
    expect(JSON.stringify(ok.body.card)).toContain('已签收');
    expect(ok.sent.map((m) => m.receiveId)).toEqual([WANG]);
    const again = await h.click({ operatorOpenId: SUN, value: sign, messageId: card.messageId });
    expect(toastOf(again.body)?.content).toMatch(/^已由 孙丽 于 2026-03-06 08:\d\d 签收$/);
    // Signed: no escalation.
    expect((await runJob(h, job, bj('2026-03-06T09:00:00'))).sent).toHaveLength(0);
  });

  it('a handover written as a message (交班：…) is recorded as /交班 would, not read as an emergency', async () => {
    h.setNow(bj('2026-03-06T08:20:00'));
    const { replies } = await h.say(WANG, '@_user_1 交班：夜间无异常，北山山火已扑灭，3号罐区温度偏高', { mentions: [{ openId: h.fake.botOpenId, name: '安全值守助手' }], chatType: 'group' });
    expect(replies.some((m) => body(m).includes('请确认：上报险情'))).toBe(false);
    expect(textOf(replies.at(-1)!)).toContain('已请接班值班员 孙丽 签收');
    const [row] = await h.db.select().from(handovers);
    expect(row.notes).toBe('夜间无异常，北山山火已扑灭，3号罐区温度偏高');
    // A bare 交班 asks for the notes and records nothing.
    const bare = await h.say(SUN, '交班', { chatType: 'p2p' });
    expect(textOf(bare.replies[0])).toMatch(/请写明交班事项|没有值班员班次/);
    expect(await h.db.select().from(handovers)).toHaveLength(1);
  });

  it('unsigned 30 minutes into the shift: the incoming officer is buzzed and the leader on duty told, once', async () => {
    h.setNow(bj('2026-03-06T08:10:00'));
    await h.say(WANG, '/handover 一切正常');
    h.fake.reset();
    expect((await runJob(h, job, bj('2026-03-06T08:59:00'))).sent).toHaveLength(0);
    const { sent } = await runJob(h, job, bj('2026-03-06T09:00:00'));
    expect(sent.map((m) => m.receiveId).sort()).toEqual([SUN, ZHANG].sort());
    expect(to(sent, SUN)[0].urgent).toEqual([{ openIds: [SUN], kind: 'app' }]);
    expect(body(to(sent, ZHANG)[0])).toContain('仍未签收 王强 的交班记录');
    const [row] = await h.db.select().from(handovers);
    expect(row.escalatedAt).toBe(bj('2026-03-06T09:00:00').getTime());
    expect((await runJob(h, job, bj('2026-03-06T09:01:00'))).sent).toHaveLength(0);
    expect(await h.db.select().from(handovers).orderBy(asc(handovers.id))).toHaveLength(1);
  });
});
