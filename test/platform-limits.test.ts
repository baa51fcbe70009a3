// Watchkeeper honouring Lark's limits: a card past the 14-day patch window gets a fresh card in its
// thread (and later changes patch that one), a 230031 is not retried, a burst of patches to one card
// stays under 5/s, the monthly call budget folds what does not matter, 99991403 does the same at
// once, and joining a group greets it and checks the bot can buzz there.
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { apiCalls, outbox } from '../src/db/schema.ts';
import { startFakeLark } from '../src/lark/fake/server.ts';
import { botAddedEnvelope, cardActionEnvelope } from '../src/lark/simulate.ts';
import { insertOutbox, patchRow, sendRow } from '../src/outbox/messages.ts';
import { OutboxSender } from '../src/outbox/sender.ts';
import { RateLimiter } from '../src/outbox/rate-limit.ts';
import { cardJson, findButton, shown } from './support/cards.ts';
import { SECRETS, textOf, type Harness } from './support/harness.ts';
import { ADMIN, FIXER, INSPECTOR, LEADER, MEIHE, NAMES, dmsTo, hazardCardMessage, hazardRow, reportHazard, startTown } from './support/hazard-helpers.ts';

const DAY = 24 * 3600_000;
const fixer = { openId: FIXER, name: NAMES[FIXER] };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const patchCallsTo = (hh: Harness, messageId: string, since = 0) =>
  hh.fake.calls.slice(since).filter((c) => c.method === 'PATCH' && c.path === `/open-apis/im/v1/messages/${messageId}`);

describe('the 14-day patch window', () => {
  it('a hazard rectified 20 days after its card was sent gets a fresh card in the thread and no patch call; verifying it patches the fresh card', async () => {
    h = await startTown();
    const { no } = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 储罐区防火堤破损 期限:30天 @_user_1`, { mentions: [fixer] });
    const original = await hazardCardMessage(h, no);
    const patchesBefore = original.patches.length;

    h.advance(20 * DAY);
    const calls = h.fake.calls.length;
    await h.say(FIXER, `/rectify ${no} 已修复防火堤`);
    expect(patchCallsTo(h, original.messageId, calls)).toHaveLength(0);
    expect(original.patches).toHaveLength(patchesBefore);
    const fresh = h.fake.messages.filter((m) => m.msgType === 'interactive' && m.parentId === original.messageId && shown(m).includes(no));
    expect(fresh).toHaveLength(1);
    expect(shown(fresh[0])).toContain('待复查');
    expect(fresh[0].replyInThread).toBe(true);

    h.advance(DAY);
    const mark = h.fake.messages.length;
    await h.say(LEADER, `/verify ${no} 通过 现场核实`);
    expect((await hazardRow(h, no)).status).toBe('closed');
    expect(patchCallsTo(h, original.messageId, calls)).toHaveLength(0);
    expect(fresh[0].patches.length).toBeGreaterThan(0);
    expect(fresh[0].patches.at(-1)).toContain('已销号');
    // No second fresh card: the change went to the fresh one.
    expect(h.fake.messages.slice(mark).filter((m) => m.parentId === original.messageId && m.msgType === 'interactive')).toHaveLength(0);
  });

  it('a patch Lark refuses with 230031 is not retried: the change goes to a fresh card', async () => {
    // Once the card is out, Lark's clock runs 5 days ahead of ours: we think it is 10 days old, Lark says 15.
    const start = Date.parse('2026-12-01T01:00:00Z');
    let skew = 0;
    const fake = await startFakeLark({ now: () => (h ? h.now.getTime() : start) + skew });
    h = await startTown({ fake, start: new Date(start) });
    const { no } = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 消防通道堵塞 期限:30天 @_user_1`, { mentions: [fixer] });
    const original = await hazardCardMessage(h, no);
    skew = 5 * DAY;
    h.advance(10 * DAY);
    const calls = h.fake.calls.length;
    await h.say(FIXER, `/rectify ${no} 已清理通道`);
    await h.settle();
    const refused = patchCallsTo(h, original.messageId, calls);
    // (A 99991663 first is the SDK's tenant token expiring across the ten days: it fetches another.)
    expect(refused.map((c) => c.code).filter((c) => c !== 99991663)).toEqual([230031]);
    const fresh = h.fake.messages.filter((m) => m.msgType === 'interactive' && m.parentId === original.messageId);
    expect(fresh).toHaveLength(1);
    expect(shown(fresh[0])).toContain('待复查');
    const failed = await h.db.select().from(outbox).where(eq(outbox.status, 'failed'));
    expect(failed).toHaveLength(0);
    await fake.close();
  });
});

describe('patch rate', () => {
  it('a burst of 12 changes to one card goes out at no more than 5 a second', async () => {
    // Real time here: the sender's limiter and the fake's per-message window both run on the wall clock.
    const fake = await startFakeLark();
    h = await startTown({ fake });
    const sender = new OutboxSender({ client: h.client, lark: h.runtime.deps.lark!, clock: () => new Date(), log: h.runtime.deps.log, instanceId: 'burst', limiter: new RateLimiter() });
    const now = new Date();
    const card = (n: number) => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: `第 ${n} 版` }] } });
    const first = sendRow({ chatId: 'oc_group' }, { card: card(0) }, { now });
    const patches = Array.from({ length: 12 }, (_, i) => patchRow({ outboxId: first.id }, card(i + 1), { now }));
    await h.db.batch(insertOutbox(h.db, [first, ...patches]) as [ReturnType<typeof insertOutbox>[0]]);
    await sender.drain();
    const message = fake.messages.find((m) => m.content.includes('第 0 版'))!;
    expect(message.patches).toHaveLength(12);
    expect(message.patches.at(-1)).toContain('第 12 版');
    const times = fake.calls.filter((c) => c.method === 'PATCH').map((c) => c.at);
    expect(fake.calls.filter((c) => c.method === 'PATCH' && c.code !== 0)).toHaveLength(0);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5);
    await fake.close();
  });
});

describe('the monthly Lark call budget', () => {
  async function seedCalls(hh: Harness, calls: number) {
    await hh.db.insert(apiCalls).values({ day: '2026-12-01', kind: 'send', calls, failed: 0 })
      .onConflictDoUpdate({ target: [apiCalls.day, apiCalls.kind], set: { calls } });
    hh.advance(61_000); // the budget re-reads the month's total once a minute
  }

  it('counts every call by kind per day, warns the admins at 80%, and past 100% folds card patches but still answers people', async () => {
    h = await startTown({ settings: { ops: { monthlyCallBudget: 100, silenceAlarmHours: 12, retentionDays: 90 } } });
    await h.say(ADMIN, '/whoami');
    await h.runtime.budget.flush();
    const counted = await h.db.select().from(apiCalls).where(eq(apiCalls.day, '2026-12-01'));
    expect(counted.find((r) => r.kind === 'reply')?.calls).toBeGreaterThanOrEqual(1);
    expect(counted.find((r) => r.kind === 'bot')?.calls).toBe(1);

    await seedCalls(h, 79);
    const mark = h.fake.messages.length;
    await h.say(INSPECTOR, '/whoami');
    await h.say(INSPECTOR, '/whoami');
    const warned = dmsTo(h, ADMIN, mark).filter((m) => textOf(m).includes('达到预算'));
    expect(warned).toHaveLength(1);
    expect(textOf(warned[0])).toMatch(/达到预算 100 次的 8\d%/);

    const { no } = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 配电室门未上锁 @_user_1`, { mentions: [fixer] });
    const card = await hazardCardMessage(h, no);
    await seedCalls(h, 200);
    const calls = h.fake.calls.length;
    const before = card.patches.length;
    const r = await h.say(FIXER, `/rectify ${no} 已加锁`);
    expect(textOf(r.replies.find((m) => m.parentId === r.messageId)!)).toContain(no); // the person is answered
    expect(patchCallsTo(h, card.messageId, calls)).toHaveLength(0);
    expect(card.patches).toHaveLength(before);
    const folded = await h.db.select().from(outbox).where(eq(outbox.status, 'folded'));
    expect(folded.map((f) => f.kind)).toEqual(['patch']);
    expect(dmsTo(h, ADMIN, mark).filter((m) => textOf(m).includes('⛔') && textOf(m).includes('超过预算'))).toHaveLength(1);
    expect(dmsTo(h, INSPECTOR).some((m) => shown(m).includes(no) && shown(m).includes('待复查'))).toBe(true); // notices to people still go

    // The month turns: card changes go out again (as a fresh card: the first is a month old by now).
    h.setNow(new Date('2026-12-31T16:30:00Z'));
    await h.say(LEADER, `/verify ${no} 通过`);
    expect(h.fake.messages.some((m) => m.parentId === card.messageId && m.msgType === 'interactive' && shown(m).includes('已销号'))).toBe(true);
  });

  it('on 99991403 folds at once, keeps what matters for later, and tells the admins', async () => {
    h = await startTown();
    const { no } = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 气瓶未固定 @_user_1`, { mentions: [fixer] });
    const card = await hazardCardMessage(h, no);
    h.fake.setMonthlyQuota(h.fake.callsThisMonth()); // the tenant's quota is spent from here
    const r = await h.say(FIXER, `/rectify ${no} 已固定`);
    expect(r.replies.filter((m) => m.senderOpenId === h!.fake.botOpenId)).toHaveLength(0); // nothing got through
    const rows = await h.db.select().from(outbox).where(sql`${outbox.createdAt} = ${h.now.getTime()}`);
    expect(rows.find((x) => x.kind === 'patch')?.status).toBe('folded');
    const reply = rows.find((x) => x.kind === 'reply')!;
    expect(reply.status).toBe('pending');
    expect(reply.lastError).toContain('99991403');
    expect(reply.nextAttemptAt).toBeGreaterThan(h.now.getTime() + 10 * 60_000);
    const notice = await h.db.select().from(outbox).where(sql`${outbox.dedupeKey} LIKE 'lark-budget:2026-12:quota:%'`);
    expect(notice.map((n) => n.target)).toContain(ADMIN);
    expect(JSON.parse(notice[0].content).text).toContain('99991403');

    // 1 January in China: the quota turns, and what was kept goes out.
    h.setNow(new Date('2026-12-31T16:05:00Z'));
    await h.settle();
    expect(h.fake.messages.some((m) => m.parentId === r.messageId && textOf(m).includes(no))).toBe(true);
    expect(card.patches.at(-1) ?? '').not.toContain('待复查'); // the folded patch stays folded
  });
});

describe('card answers after the 3-second window', () => {
  it('a slow click is answered with a toast; the card follows with the callback token, or as a new message once the token is spent', async () => {
    h = await startTown({ cardAnswerByMs: 0 }); // every click "slow"
    const { no, card } = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 叉车无证驾驶`);
    const value = findButton(cardJson(card.content), 'hazard.dispatch')!;
    const token = h.fake.issueCardToken();
    const r = await h.click({ operatorOpenId: LEADER, value, formValue: { assignee: FIXER }, messageId: card.messageId, chatId: card.chatId, cardToken: token });
    expect(r.body).toEqual({ toast: expect.objectContaining({ content: '正在处理…' }) });
    expect((await hazardRow(h, no)).status).toBe('dispatched');
    expect(h.fake.cardUpdates.map((u) => u.token)).toEqual([token]);
    expect(JSON.stringify(h.fake.cardUpdates[0].card)).toContain(no);

    // The worker path a day later (the token long spent): the card comes as a reply in the thread.
    const mark = h.fake.messages.length;
    const notice = dmsTo(h, FIXER).find((m) => shown(m).includes(no))!;
    const fix = findButton(cardJson(notice.content), 'hazard.rectify')!;
    const late = h.fake.issueCardToken();
    const env = cardActionEnvelope({ operatorOpenId: FIXER, value: fix, messageId: notice.messageId, chatId: notice.chatId, token: SECRETS.verificationToken, cardToken: late, eventId: 'ev_late_card' });
    await h.runtime.ingestDeps.inboxEvent('ev_late_card', 'card.action.trigger', JSON.stringify(env));
    h.advance(31 * 60_000);
    await h.settle();
    expect(h.fake.cardUpdates.map((u) => u.token)).toEqual([token]);
    const reply = h.fake.messages.slice(mark).find((m) => m.parentId === notice.messageId && m.msgType === 'interactive');
    expect(reply && shown(reply)).toContain(no);
  });
});

describe('joining a group', () => {
  const join = (hh: Harness, chatId: string, name: string) =>
    hh.post(botAddedEnvelope({ chatId, name, operatorOpenId: INSPECTOR, token: SECRETS.verificationToken })).then(() => hh.settle());

  it('greets the group with what it can do and how to /bind it; with members allowed to buzz, the admins hear nothing', async () => {
    h = await startTown();
    h.fake.setChat('oc_hongmei', { name: '红梅镇安全群', urgentSetting: 'all_members' });
    const mark = h.fake.messages.length;
    await join(h, 'oc_hongmei', '红梅镇安全群');
    const hello = h.fake.messages.slice(mark).filter((m) => m.chatId === 'oc_hongmei');
    expect(hello).toHaveLength(1);
    expect(textOf(hello[0])).toContain('/bind township:');
    expect(textOf(hello[0])).toContain('/report');
    expect(dmsTo(h, ADMIN, mark)).toHaveLength(0);
    expect(h.fake.calls.some((c) => c.method === 'GET' && c.path === '/open-apis/im/v1/chats/oc_hongmei')).toBe(true);
  });

  it('tells the admins what to change when only the owner and managers may buzz and the bot is not a manager', async () => {
    h = await startTown();
    h.fake.setChat('oc_strict', { name: '应急指挥群', urgentSetting: 'only_owner', botIsManager: false });
    h.fake.setChat('oc_managed', { name: '值班群', urgentSetting: 'only_owner', botIsManager: true });
    const mark = h.fake.messages.length;
    await join(h, 'oc_strict', '应急指挥群');
    await join(h, 'oc_managed', '值班群');
    const warnings = dmsTo(h, ADMIN, mark);
    expect(warnings).toHaveLength(1);
    expect(textOf(warnings[0])).toContain('应急指挥群');
    expect(textOf(warnings[0])).toContain('谁可以加急');
    expect(textOf(warnings[0])).toContain('群管理员');
  });
});
