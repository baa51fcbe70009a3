import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, isNull, sql } from 'drizzle-orm';
import { startHarness, type Harness } from './support/harness.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';
import { bj, to } from './support/roster-helpers.ts';
import { enterprises, hazards, jobRuns, nagDigests, nagLog, outbox } from '../src/db/schema.ts';
import { makeOverdueNags } from '../jobs/overdue-nags.ts';
import { runSlot } from '../src/jobs/runner.ts';
import { pruneOld } from '../src/domain/housekeeping.ts';

// A nag digest is queued as a row naming it (recipient, run, hazards) and rendered when the sender
// sends it (docs/adr/0024): what the card says is the hazards' state at that moment, a digest with
// nothing left to say is not sent, and a retried run still queues nothing twice.

const ASSIGNEE = 'ou_assignee';
const CONTACT = 'ou_contact';
const SUPERVISOR = 'ou_supervisor';
/** Lark refuses a card over 30 KB. */
const CARD_LIMIT_BYTES = 30 * 1024;

describe('nag digests rendered when sent', () => {
  let h: Harness;
  let enterpriseId = 0;
  const slot = bj('2026-12-02T09:05:00');
  const job = makeOverdueNags({ perMinute: 1000, chunk: 2 });
  const queue = () => runSlot(h.runtime.jobDeps, job, slot, 'test');
  const sentTo = (id: string, mark: number) => to(h.fake.messages.slice(mark), id);

  beforeAll(async () => {
    h = await startHarness({ start: slot });
    await addPerson(h.db, ASSIGNEE, '王整改', 'contact');
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    for (const t of [hazards, enterprises, nagLog, nagDigests, jobRuns, outbox]) await h.db.delete(t);
    h.fake.reset();
    h.setNow(slot);
    enterpriseId = await addEnterprise(h.db, { name: '梅河化工有限公司', contactOpenId: CONTACT, supervisorOpenId: SUPERVISOR });
  });

  it('shows each hazard as it is when the card is sent, leaving out one rectified or given more time since the run', async () => {
    const overdue = (days: number) => slot.getTime() - days * 86_400_000 - 3_600_000;
    await addHazard(h.db, { enterpriseId, no: 'YH-2026-0001', assigneeOpenId: ASSIGNEE, deadline: overdue(1) });
    const fixed = await addHazard(h.db, { enterpriseId, no: 'YH-2026-0002', assigneeOpenId: ASSIGNEE, deadline: overdue(2) });
    const extended = await addHazard(h.db, { enterpriseId, no: 'YH-2026-0003', assigneeOpenId: ASSIGNEE, deadline: overdue(1) });
    expect(await queue()).toMatchObject({ ran: true });
    const [queued] = await h.db.select().from(outbox).where(eq(outbox.target, ASSIGNEE));
    expect(queued.msgType).toBe('deferred');
    expect(queued.content.length).toBeLessThan(300); // a name for the digest, not a card

    // Between the run and the send: one is rectified, one gets a new deadline; an hour passes.
    await h.db.update(hazards).set({ status: 'rectified' }).where(eq(hazards.id, fixed));
    await h.db.update(hazards).set({ deadline: slot.getTime() + 5 * 86_400_000 }).where(eq(hazards.id, extended));
    h.setNow(new Date(slot.getTime() + 3_600_000));
    const mark = h.fake.messages.length;
    await h.settle();

    const [card] = sentTo(ASSIGNEE, mark);
    expect(card.content).toContain('YH-2026-0001');
    expect(card.content).not.toContain('YH-2026-0002');
    expect(card.content).not.toContain('YH-2026-0003');
    expect(card.content).toContain('以下 1 条隐患');
    expect(card.content).toContain('王整改，');
    expect(card.content).toContain('2026-12-02 10:05'); // the time it was sent
    // The sent row keeps what was sent.
    const [sent] = await h.db.select().from(outbox).where(eq(outbox.id, queued.id));
    expect(sent).toMatchObject({ status: 'sent', msgType: 'interactive' });
    expect(sent.content).toBe(card.content);
  });

  it('sends nothing, and no buzz, when every hazard a digest named was dealt with before it went out', async () => {
    // Four days overdue: level 2, the assignee is buzzed.
    const id = await addHazard(h.db, { enterpriseId, no: 'YH-2026-0010', assigneeOpenId: ASSIGNEE, deadline: slot.getTime() - 4 * 86_400_000 });
    await queue();
    expect((await h.db.select().from(outbox).where(eq(outbox.kind, 'urgent'))).length).toBeGreaterThan(0);
    await h.db.update(hazards).set({ status: 'rectified' }).where(eq(hazards.id, id));
    const mark = h.fake.messages.length;
    await h.settle();
    expect(h.fake.messages.length - mark).toBe(0);
    const rows = await h.db.select().from(outbox);
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'dropped'));
    expect(rows.every((r) => r.kind !== 'urgent' || r.lastError === 'parent message dropped')).toBe(true);
  });

  it('keeps the card of one recipient with thousands of hazards within the card size limit', async () => {
    const n = 3_000;
    const rows = Array.from({ length: n }, (_, i) => ({
      no: `YH-2026-${String(i).padStart(5, '0')}`, enterpriseId, sector: 'other', level: 'general', description: '消防通道堆放杂物',
      status: 'dispatched', reportedAt: 0, updatedAt: 0, assigneeOpenId: ASSIGNEE, deadline: slot.getTime() - (1 + (i % 9)) * 86_400_000,
    }));
    for (let i = 0; i < n; i += 500) await h.db.insert(hazards).values(rows.slice(i, i + 500));
    await queue();
    const [queued] = await h.db.select().from(outbox).where(eq(outbox.target, ASSIGNEE));
    expect(queued.content.length).toBeLessThan(300);
    const [digest] = await h.db.select().from(nagDigests).where(eq(nagDigests.recipient, ASSIGNEE));
    expect(JSON.parse(digest.hazards)).toHaveLength(n);

    const mark = h.fake.messages.length;
    await h.settle();
    const [card] = sentTo(ASSIGNEE, mark);
    expect(Buffer.byteLength(card.content)).toBeLessThan(CARD_LIMIT_BYTES);
    expect(card.content).toContain(`以下 ${n} 条隐患`);
    expect(card.content).toContain(`另有 ${n - 20} 条`);
    // Most urgent first: the 20 listed are the oldest (level 3, 9 days overdue), none of the newest.
    expect(card.content.match(/逾期 \d+ 天/g)!.slice(0, 20)).toEqual(Array(20).fill('逾期 9 天'));
    expect(card.content).not.toContain('逾期 1 天');
  });

  it('queues nothing twice when a run that had queued chunks ahead dies before its own commit and is retried', async () => {
    for (let i = 0; i < 5; i++) {
      const e = await addEnterprise(h.db, { name: `企业${i}`, contactOpenId: `ou_contact_${i}`, supervisorOpenId: `ou_supervisor_${i}` });
      await addHazard(h.db, { enterpriseId: e, assigneeOpenId: `ou_assignee_${i}`, deadline: slot.getTime() - (i + 1) * 2 * 86_400_000 });
    }
    await queue();
    const before = await h.db.select().from(outbox);
    const digests = await h.db.select().from(nagDigests);
    // As if the instance died after the chunks: the slot's own commit (the hazards' next looks, the
    // run's completion) never happened; what the chunks committed stays.
    await h.db.update(jobRuns).set({ status: 'failed' });
    await h.db.update(hazards).set({ nextNagAt: null });
    expect(await queue()).toMatchObject({ ran: true });
    expect((await h.db.select().from(outbox)).length).toBe(before.length);
    expect(await h.db.select().from(nagDigests)).toHaveLength(digests.length);
    expect(await h.db.select().from(hazards).where(isNull(hazards.nextNagAt))).toHaveLength(0);
    // Everyone is told once.
    const mark = h.fake.messages.length;
    await h.settle();
    const received = h.fake.messages.slice(mark).map((m) => m.receiveId);
    expect(received).toHaveLength(digests.length);
    expect(new Set(received).size).toBe(received.length);
  });

  it('stores each hazard’s next look: when it climbs a step today, else after tonight’s quiet hours', async () => {
    const hour = 3_600_000;
    // Level 2 starts 3 days after the deadline: at 13:05 today, at 23:05 tonight (quiet), in two days.
    const climbsToday = await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: slot.getTime() - 3 * 86_400_000 + 4 * hour });
    const climbsTonight = await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: slot.getTime() - 3 * 86_400_000 + 14 * hour });
    const later = await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: slot.getTime() - hour });
    await queue();
    const next = async (id: number) => (await h.db.select().from(hazards).where(eq(hazards.id, id)))[0].nextNagAt;
    expect(await next(climbsToday)).toBe(bj('2026-12-02T13:05:00').getTime());
    expect(await next(climbsTonight)).toBe(bj('2026-12-03T08:00:00').getTime());
    expect(await next(later)).toBe(bj('2026-12-03T08:00:00').getTime());
  });

  it('lets housekeeping prune the digests’ log after the retention days, keeping recent days', async () => {
    const id = await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: slot.getTime() - 86_400_000 });
    await queue();
    const old = slot.getTime() - 100 * 86_400_000;
    await h.db.insert(nagDigests).values({ recipient: ASSIGNEE, slot: old, day: '2026-08-24', level: 1, hazards: `[[${id},1]]`, createdAt: old });
    await h.db.insert(nagLog).values({ hazardId: id, recipient: ASSIGNEE, day: '2026-08-24', level: 1, at: old });
    const pruned = await pruneOld(h.db, slot.getTime() - 90 * 86_400_000);
    expect(pruned).toMatchObject({ nag_digests: 1, nag_log: 1 });
    expect((await h.db.select().from(nagDigests)).map((d) => d.slot)).toEqual([slot.getTime(), slot.getTime()]);
  });

  it('names each hazard at most once a day per recipient, across the day’s runs', async () => {
    const id = await addHazard(h.db, { enterpriseId, assigneeOpenId: ASSIGNEE, deadline: slot.getTime() - 86_400_000 });
    await queue();
    // The stored next look is lost; the 10:05 run finds the hazard due again but today's digest named it.
    await h.db.update(hazards).set({ nextNagAt: null }).where(eq(hazards.id, id));
    const later = bj('2026-12-02T10:05:00');
    h.setNow(later);
    await runSlot(h.runtime.jobDeps, job, later, 'test');
    const [{ n }] = await h.db.select({ n: sql<number>`count(*)` }).from(nagDigests);
    expect(n).toBe(2); // the assignee and the contact, once each
    expect((await h.db.select().from(hazards).where(eq(hazards.id, id)))[0].nextNagAt).toBe(bj('2026-12-03T08:00:00').getTime());
  });
});
