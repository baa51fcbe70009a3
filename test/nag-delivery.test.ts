import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startHarness, type Harness } from './support/harness.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';
import { bj } from './support/roster-helpers.ts';
import { chatBindings, enterprises, hazards, jobRuns, nagDigests, nagLog, outbox } from '../src/db/schema.ts';
import { makeOverdueNags } from '../jobs/overdue-nags.ts';
import { planNagDelivery } from '../src/domain/nag-delivery.ts';
import { packEntry, type NagDigest } from '../src/domain/nags.ts';
import { runSlot } from '../src/jobs/runner.ts';

// A digest run bigger than an hour of Lark's per-app limit (a province's morning run) must not
// bury the most urgent reminders under the least: level 3 goes first, then 2, then 1, paced so a
// minute never carries more than the limit leaves for everyone else, and the admins are told.

const digest = (i: number, level: number, buzz: boolean): NagDigest => ({
  to: { openId: `ou_${i}` },
  recipient: `ou_${i}`,
  entries: [packEntry(i, level, buzz)],
  level,
  buzz,
  dedupeKey: `nag:${i}`,
});

describe('planNagDelivery', () => {
  const now = bj('2026-12-02T08:05:00');

  it('releases a run of more than an hour in waves by level, each minute within 90% of the limit', () => {
    // 40,000 level 1, 12,000 level 2 and 6,000 level 3 digests (the last two buzzed): 76,000 calls, 76 minutes at 1,000/min.
    const all = [
      ...Array.from({ length: 40_000 }, (_, i) => digest(i, 1, false)),
      ...Array.from({ length: 12_000 }, (_, i) => digest(100_000 + i, 2, true)),
      ...Array.from({ length: 6_000 }, (_, i) => digest(200_000 + i, 3, true)),
    ];
    const d = planNagDelivery(all, { perMinute: 1000, now });
    expect(d.calls).toBe(76_000);
    expect(d.overHour).toBe(true);
    expect(d.byLevel).toEqual({ 1: 40_000, 2: 12_000, 3: 6_000 });
    expect(d.order.map((o) => o.level)).toEqual([...Array(6_000).fill(3), ...Array(12_000).fill(2), ...Array(40_000).fill(1)]);
    const perMinute = new Map<number, number>();
    let last = 0;
    for (const o of d.order) {
      const at = o.notBefore!.getTime();
      expect(at).toBeGreaterThanOrEqual(last); // never a lower level before a higher one
      last = at;
      perMinute.set(at, (perMinute.get(at) ?? 0) + (o.digest.buzz ? 2 : 1));
    }
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(900);
    expect(d.order[0].notBefore).toEqual(now);
    expect(d.minutes).toBe(perMinute.size);
    expect(d.minutes).toBeGreaterThan(76); // slower than the bare limit: a tenth of every minute is left free
    expect(d.lastWaveAt!.getTime() - now.getTime()).toBe((d.minutes - 1) * 60_000);
  });

  it('queues a run that fits in an hour at once, most urgent first', () => {
    const d = planNagDelivery([digest(1, 1, false), digest(2, 3, true), digest(3, 2, true)], { perMinute: 1000, now });
    expect(d.overHour).toBe(false);
    expect(d.order.map((o) => o.level)).toEqual([3, 2, 1]);
    expect(d.order.every((o) => o.notBefore === undefined)).toBe(true);
    expect(d.minutes).toBe(1);
  });
});

describe('overdue-nags over an hour of the limit', () => {
  let h: Harness;
  const ADMIN = 'ou_admin';
  const LEADERS = 'oc_leaders';
  // perMinute 1: 21 hazards reach 57 recipients, 78 calls with the buzzes: more than an hour's 60. Chunks of 7 digests.
  const job = makeOverdueNags({ perMinute: 1, chunk: 7 });
  const slot = bj('2026-12-02T09:05:00');

  beforeAll(async () => {
    h = await startHarness({ adminOpenIds: [ADMIN], start: slot });
    await addPerson(h.db, ADMIN, '张伟', 'admin');
    await h.db.insert(chatBindings).values({ kind: 'leaders', name: '', chatId: LEADERS, boundAt: 0 });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    for (const t of [hazards, enterprises, nagLog, nagDigests, jobRuns, outbox]) await h.db.delete(t);
    h.fake.reset();
    h.setNow(slot);
    // 7 hazards at each level (1: 1 day overdue, 2: 4 days, 3: 8 days), each with its own assignee, contact and supervisor.
    for (let i = 0; i < 21; i++) {
      const level = 1 + Math.floor(i / 7);
      const e = await addEnterprise(h.db, { name: `企业${i}`, contactOpenId: `ou_contact_${i}`, supervisorOpenId: `ou_supervisor_${i}` });
      await addHazard(h.db, { enterpriseId: e, no: `YH-2026-${String(100 + i)}`, assigneeOpenId: `ou_assignee_${i}`, deadline: slot.getTime() - ([1, 4, 8][level - 1] * 86_400_000 + 3_600_000) });
    }
  });

  // A sent card's level is its colour; a queued digest (rendered when sent) names its level.
  const levelOf = (content: string) => ({ red: 3, orange: 2, yellow: 1 })[(JSON.parse(content) as { header: { template: string } }).header.template as 'red'];
  const queuedLevel = (content: string) => (JSON.parse(content) as { kind: string; level: number }).level;

  it('tells the admins how long it takes, and delivers level 3, then 2, then 1', async () => {
    const outcome = await runSlot(h.runtime.jobDeps, job, slot, 'test');
    expect(outcome).toMatchObject({ ran: true });
    const rows = await h.db.select().from(outbox);
    const [run] = await h.db.select().from(jobRuns);
    expect(run.status).toBe('done');
    expect(run.queued).toBe(rows.length); // the chunks queued ahead are counted

    const digests = rows.filter((r) => r.kind === 'send' && r.msgType === 'deferred');
    expect(digests).toHaveLength(7 * 2 + 7 * 3 + 7 * 3 + 1); // assignee + contact; + supervisor; + the leaders' chat once
    // Release times never put a lower level before a higher one.
    const byTime = [...digests].sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    const levels = byTime.map((r) => queuedLevel(r.content));
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    expect(byTime[0].nextAttemptAt).toBe(slot.getTime());
    // One call a minute leaves no room to share: each digest has a minute of its own.
    expect(byTime.at(-1)!.nextAttemptAt).toBe(slot.getTime() + (digests.length - 1) * 60_000);

    const notice = rows.find((r) => r.target === ADMIN && r.msgType === 'text')!;
    const text = JSON.parse(notice.content).text as string;
    expect(text).toContain('先发三级 22 份，再发二级 21 份，最后一级 14 份');
    expect(text).toContain('level 3 first (22)');
    expect(text).toMatch(/约需 \d+ 分钟/);

    // Delivered minute by minute as Lark allows: the phones see the same order.
    const mark = h.fake.messages.length;
    for (let m = 0; m <= 120 && (await h.db.select().from(outbox).where(eq(outbox.status, 'pending'))).length > 0; m++) {
      await h.settle();
      h.advance(60_000);
    }
    const arrived = h.fake.messages.slice(mark).filter((m) => m.msgType === 'interactive').map((m) => levelOf(m.content));
    expect(arrived).toHaveLength(digests.length);
    expect(arrived).toEqual([...arrived].sort((a, b) => b - a));
  });

  it('queues nothing twice when a slot that had queued chunks ahead is retried', async () => {
    await runSlot(h.runtime.jobDeps, job, slot, 'test');
    const before = (await h.db.select().from(outbox)).length;
    // As if the instance died after the chunks and before the slot's own commit.
    await h.db.update(jobRuns).set({ status: 'failed' });
    await h.db.delete(nagLog);
    await h.db.delete(nagDigests);
  await h.db.delete(nagDigests);
    await h.db.update(hazards).set({ nextNagAt: null });
    expect(await runSlot(h.runtime.jobDeps, job, slot, 'test')).toMatchObject({ ran: true });
    expect((await h.db.select().from(outbox)).length).toBe(before);
  });

  it('says nothing to the admins and releases everything at once when the run fits in an hour', async () => {
    await runSlot(h.runtime.jobDeps, makeOverdueNags({ perMinute: 1000, chunk: 7 }), slot, 'test');
    const rows = await h.db.select().from(outbox);
    expect(rows.some((r) => r.target === ADMIN)).toBe(false);
    expect(rows.every((r) => r.nextAttemptAt === slot.getTime())).toBe(true);
  });
});
