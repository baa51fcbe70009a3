import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';
import { bj, runJob, to } from './support/roster-helpers.ts';
import { chatBindings, hazards, jobRuns, nagDigests, nagLog, outbox } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { catchUp, runSlot, tick } from '../src/jobs/runner.ts';
import type { Job } from '../src/jobs/types.ts';
import { Effects } from '../src/outbox/effects.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

let h: Harness;
const ASSIGNEE = 'ou_assignee';
const CONTACT = 'ou_contact';
const SUPERVISOR = 'ou_supervisor';
const ADMIN = 'ou_admin';
const LEADERS = 'oc_leaders';
let enterpriseId = 0;

const nags = findJob('overdue-nags')!;
const dueSoon = findJob('due-soon')!;
const brief = findJob('daily-brief')!;

const run = (job: Job, at: Date, instance = 'test') => runJob(h, job, at, instance);
const cardText = (m: FakeMessage) => m.content;

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN], start: bj('2026-12-01T09:00:00') });
  await addPerson(h.db, ASSIGNEE, '王整改', 'contact');
  await addPerson(h.db, CONTACT, '刘联系', 'contact');
  await addPerson(h.db, SUPERVISOR, '陈包保', 'leader');
  enterpriseId = await addEnterprise(h.db, { name: '梅河化工有限公司', sector: 'hazardous_chemicals', township: '红梅镇', contactOpenId: CONTACT, supervisorOpenId: SUPERVISOR });
  await h.db.insert(chatBindings).values({ kind: 'leaders', name: '', chatId: LEADERS, boundAt: 0 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.db.delete(hazards);
  await h.db.delete(nagLog);
  await h.db.delete(nagDigests);
  await h.db.delete(jobRuns);
  await h.db.delete(outbox);
  // Tests travel back in time between cases; the fake's rate windows must not remember the future.
  h.fake.reset();
});

describe('overdue-nags ladder', () => {
  it('fires each level on its exact day, buzzing only where the ladder says', async () => {
    // Deadline 2026-12-01 23:59 local.
    await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T23:59:00').getTime() });

    const before = await run(nags, bj('2026-12-01T21:05:00'));
    expect(before.sent).toHaveLength(0);

    const day1 = await run(nags, bj('2026-12-02T08:05:00'));
    expect(to(day1.sent, ASSIGNEE)).toHaveLength(1);
    expect(to(day1.sent, CONTACT)).toHaveLength(1);
    expect(to(day1.sent, SUPERVISOR)).toHaveLength(0);
    expect(day1.sent.every((m) => m.urgent.length === 0)).toBe(true);
    expect(cardText(to(day1.sent, ASSIGNEE)[0])).toContain('逾期 0 天');

    // 2 days 23 hours overdue: still level 1 (supervisor not yet told).
    const almost = await run(nags, bj('2026-12-04T21:05:00'));
    expect(to(almost.sent, SUPERVISOR)).toHaveLength(0);

    // Level 2 starts at deadline + 3 days (12-04 23:59) — inside quiet hours, so it fires at 08:05.
    const level2 = await run(nags, bj('2026-12-05T08:05:00'));
    expect(to(level2.sent, SUPERVISOR)).toHaveLength(1);
    expect(to(level2.sent, ASSIGNEE)[0].urgent).toEqual([{ openIds: [ASSIGNEE], kind: 'app' }]);
    expect(to(level2.sent, SUPERVISOR)[0].urgent).toEqual([]);
    expect(to(level2.sent, LEADERS)).toHaveLength(0);

    const level3 = await run(nags, bj('2026-12-09T08:05:00'));
    expect(to(level3.sent, LEADERS)).toHaveLength(1);
    expect(to(level3.sent, SUPERVISOR)[0].urgent).toEqual([{ openIds: [SUPERVISOR], kind: 'app' }]);
    expect(to(level3.sent, ASSIGNEE)[0].urgent).toEqual([{ openIds: [ASSIGNEE], kind: 'app' }]);
    expect(cardText(to(level3.sent, LEADERS)[0])).toContain('督办3级');
  });

  it('starts a major hazard at level 2', async () => {
    await addHazard(h.db, { enterpriseId, level: 'major', assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T23:59:00').getTime() });
    const { sent } = await run(nags, bj('2026-12-02T09:05:00'));
    expect(to(sent, SUPERVISOR)).toHaveLength(1);
    expect(to(sent, ASSIGNEE)[0].urgent).toHaveLength(1);
  });

  it('sends one digest per recipient listing all their overdue hazards', async () => {
    const a = await addHazard(h.db, { enterpriseId, no: 'YH-2026-0101', assigneeOpenId: ASSIGNEE, deadline: bj('2026-11-30T23:59:00').getTime() });
    const b = await addHazard(h.db, { enterpriseId, no: 'YH-2026-0102', assigneeOpenId: ASSIGNEE, deadline: bj('2026-11-29T23:59:00').getTime() });
    const { sent } = await run(nags, bj('2026-12-02T10:05:00'));
    const mine = to(sent, ASSIGNEE);
    expect(mine).toHaveLength(1);
    expect(cardText(mine[0])).toContain('YH-2026-0101');
    expect(cardText(mine[0])).toContain('YH-2026-0102');
    // Buttons open each hazard.
    const values = JSON.parse(mine[0].content).body.elements.filter((e: { tag: string }) => e.tag === 'button').map((e: { behaviors: { value: unknown }[] }) => e.behaviors[0].value);
    expect(values).toEqual(expect.arrayContaining([{ action: 'hazard.detail', no: 'YH-2026-0101' }, { action: 'hazard.detail', no: 'YH-2026-0102' }]));
    // The button opens the hazard for whoever presses it.
    const opened = await h.click({ operatorOpenId: ASSIGNEE, value: { action: 'hazard.detail', no: 'YH-2026-0101' }, messageId: mine[0].messageId });
    expect(JSON.stringify(opened.body)).toContain('YH-2026-0101');
    expect(opened.sent.map((m) => m.content).join()).toContain('YH-2026-0101');
    void a;
    void b;
    // No more messages than distinct recipients.
    expect(sent.length).toBeLessThanOrEqual(new Set(sent.map((m) => m.receiveId)).size);
  });

  it('nags a hazard at most once a day per recipient, and stores when to look next', async () => {
    const id = await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T23:59:00').getTime() });
    expect((await run(nags, bj('2026-12-02T08:05:00'))).sent.length).toBe(2);
    const [row] = await h.db.select().from(hazards).where(eq(hazards.id, id));
    expect(row.nextNagAt).toBe(bj('2026-12-03T08:00:00').getTime());
    expect((await run(nags, bj('2026-12-02T09:05:00'))).sent).toHaveLength(0);
    // Even if the stored time were lost, the daily log holds.
    await h.db.update(hazards).set({ nextNagAt: null });
    expect((await run(nags, bj('2026-12-02T15:05:00'))).sent).toHaveLength(0);
    expect((await run(nags, bj('2026-12-03T08:05:00'))).sent).toHaveLength(2);
  });

  it('defers nags inside quiet hours until 08:00', async () => {
    await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T20:00:00').getTime() });
    expect((await run(nags, bj('2026-12-01T22:05:00'))).sent).toHaveLength(0);
    expect((await run(nags, bj('2026-12-02T03:05:00'))).sent).toHaveLength(0);
    expect((await run(nags, bj('2026-12-02T08:05:00'))).sent).toHaveLength(2);
  });

  it('never nags a rectified hazard again', async () => {
    const id = await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T23:59:00').getTime() });
    expect((await run(nags, bj('2026-12-02T08:05:00'))).sent).toHaveLength(2);
    await h.db.update(hazards).set({ status: 'rectified' }).where(eq(hazards.id, id));
    expect((await run(nags, bj('2026-12-03T08:05:00'))).sent).toHaveLength(0);
    expect((await run(nags, bj('2026-12-10T08:05:00'))).sent).toHaveLength(0);
  });
});

describe('job slots', () => {
  it('a rerun of the same slot sends nothing new', async () => {
    await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T23:59:00').getTime() });
    const first = await run(nags, bj('2026-12-02T08:05:00'));
    expect(first.sent).toHaveLength(2);
    const again = await run(nags, bj('2026-12-02T08:05:00'));
    expect(again.outcome).toEqual({ ran: false, reason: 'taken' });
    expect(again.sent).toHaveLength(0);
  });

  it('two instances racing one slot run it once', async () => {
    await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T23:59:00').getTime() });
    const at = bj('2026-12-02T08:05:00');
    const other = await startHarness({ dbPath: h.dbPath, fake: h.fake, start: at });
    try {
      const outcomes = await Promise.all([runSlot(h.runtime.jobDeps, nags, at, 'a'), runSlot(other.runtime.jobDeps, nags, at, 'b')]);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      const mark = h.fake.messages.length;
      await h.settle();
      await other.settle();
      expect(h.fake.messages.length - mark).toBe(2);
    } finally {
      await other.close({ keepDb: true, keepFake: true });
    }
  });

  it('catches up a missed slot once after a restart', async () => {
    await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-01T23:59:00').getTime() });
    await run(nags, bj('2026-12-02T08:05:00')); // ran before the process went down
    await h.db.update(hazards).set({ nextNagAt: null });
    await h.db.delete(nagLog);
    await h.db.delete(nagDigests);
  await h.db.delete(nagDigests);
    // Down from 08:30; back at 10:20: the 10:05 slot was missed.
    const back = bj('2026-12-02T10:20:00');
    h.setNow(back);
    const mark = h.fake.messages.length;
    const ran = await catchUp(h.runtime.jobDeps, [nags], back, 'restarted');
    expect(ran.map((r) => [r.job, r.slot.toISOString()])).toEqual([['overdue-nags', bj('2026-12-02T10:05:00').toISOString()]]);
    await h.settle();
    expect(h.fake.messages.length - mark).toBe(2);
    expect(await catchUp(h.runtime.jobDeps, [nags], back, 'restarted-again')).toEqual([]);
  });

  it('a failed run is logged with its slot and retried at the next tick', async () => {
    let calls = 0;
    const flaky: Job = {
      name: 'flaky',
      cron: '* * * * *',
      summary: { zh: '测试', en: 'test' },
      async run(_deps, now) {
        calls++;
        if (calls === 1) throw new Error('database went away');
        const fx = new Effects(now);
        fx.send({ openId: ASSIGNEE }, { text: `run for ${now.toISOString()}` });
        return fx;
      },
    };
    const first = bj('2026-12-02T08:00:00');
    expect(await runSlot(h.runtime.jobDeps, flaky, first, 'x')).toEqual({ ran: true, failed: 'database went away' });
    const [failed] = await h.db.select().from(jobRuns).where(eq(jobRuns.job, 'flaky'));
    expect(failed).toMatchObject({ status: 'failed', error: 'database went away', slot: first.getTime() });
    const mark = h.fake.messages.length;
    await tick(h.runtime.jobDeps, flaky, bj('2026-12-02T08:01:00'), 'x');
    await h.settle();
    expect(h.fake.messages.slice(mark).map(textOf).sort()).toEqual([`run for ${first.toISOString()}`, `run for ${bj('2026-12-02T08:01:00').toISOString()}`].sort());
  });
});

describe('due-soon', () => {
  it('reminds the assignee once, 24 hours before the deadline', async () => {
    await addHazard(h.db, { enterpriseId, no: 'YH-2026-0200', assigneeOpenId: ASSIGNEE, deadline: bj('2026-12-03T17:00:00').getTime() });
    expect((await run(dueSoon, bj('2026-12-02T16:10:00'))).sent).toHaveLength(0);
    const { sent } = await run(dueSoon, bj('2026-12-02T17:10:00'));
    expect(to(sent, ASSIGNEE)).toHaveLength(1);
    expect(cardText(sent[0])).toContain('YH-2026-0200');
    expect((await run(dueSoon, bj('2026-12-02T18:10:00'))).sent).toHaveLength(0);
  });
});

describe('daily-brief', () => {
  it("posts yesterday's figures, overdue by level and open major hazards to the leaders' chat", async () => {
    const y = bj('2026-12-01T10:00:00').getTime();
    await addHazard(h.db, { enterpriseId, status: 'reported', reportedAt: y });
    await addHazard(h.db, { enterpriseId, status: 'rectified', reportedAt: y, rectifiedAt: y });
    await addHazard(h.db, { enterpriseId, no: 'YH-2026-0300', level: 'major', status: 'dispatched', assigneeOpenId: ASSIGNEE, deadline: bj('2026-11-28T23:59:00').getTime() });
    const { sent } = await run(brief, bj('2026-12-02T08:30:00'));
    expect(sent).toHaveLength(1);
    expect(sent[0].chatId).toBe(LEADERS);
    const c = cardText(sent[0]);
    expect(c).toContain('新增隐患 2 条');
    expect(c).toContain('整改完成 1 条');
    expect(c).toContain('逾期未整改** 1 条（1级 0 条，2级 1 条，3级 0 条）');
    expect(c).toContain('YH-2026-0300');
  });
});

describe('/bind', () => {
  it('binds the chat it is sent in (admins only) and lists bindings', async () => {
    const refused = await h.say(ASSIGNEE, '/bind duty', { chatId: 'oc_duty' });
    expect(textOf(refused.replies[0])).toContain('管理员');
    const ok = await h.say(ADMIN, '/绑定 duty', { chatId: 'oc_duty' });
    expect(textOf(ok.replies[0])).toContain('值班群');
    await h.say(ADMIN, '/bind township:红梅镇', { chatId: 'oc_hongmei' });
    const list = await h.say(ADMIN, '/bind', { chatId: 'oc_duty' });
    const text = textOf(list.replies[0]);
    expect(text).toContain('oc_duty');
    expect(text).toContain('红梅镇');
    expect(text).toContain(LEADERS);
    const rows = await h.db.select({ n: sql<number>`count(*)` }).from(chatBindings);
    expect(rows[0].n).toBe(3);
  });
});
