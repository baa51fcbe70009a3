import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, like } from 'drizzle-orm';
import { startHarness, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { addShift, bj, body, runJob, sweep, to } from './support/roster-helpers.ts';
import { chatBindings, holidays, jobRuns, keyPeriods, outbox, shifts } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { runSlot } from '../src/jobs/runner.ts';
import { eveWindow } from '../jobs/shift-reminders.ts';
import { loadConfig } from '../src/config.ts';
import { settingsFromConfig } from '../src/settings.ts';

let h: Harness;
const WANG = 'ou_wang'; // officer
const SUN = 'ou_sun'; // officer
const ZHANG = 'ou_zhang'; // leader
const DUTY = 'oc_duty';
const job = findJob('shift-reminders')!;

beforeAll(async () => {
  h = await startHarness({ start: bj('2026-03-04T12:00:00') });
  await addPerson(h.db, WANG, '王强', 'officer', { mobile: '13900000005' });
  await addPerson(h.db, SUN, '孙丽', 'officer', { mobile: '13900000006' });
  await addPerson(h.db, ZHANG, '张伟', 'leader', { mobile: '13900000001' });
  await h.db.insert(chatBindings).values({ kind: 'duty', name: '', chatId: DUTY, boundAt: 0 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.db.delete(shifts);
  await h.db.delete(outbox);
  await h.db.delete(jobRuns);
  await h.db.delete(holidays);
  await h.db.delete(keyPeriods);
  h.fake.reset();
});

/** Outbox rows of reminders, by dedupe key → the minute they were queued. */
async function queued() {
  const rows = await h.db.select().from(outbox).orderBy(asc(outbox.createdAt), asc(outbox.dedupeKey));
  return rows.map((r) => ({ key: r.dedupeKey, at: new Date(r.createdAt).toISOString(), kind: r.kind, target: r.target }));
}

describe('shift-reminders', () => {
  it('sends each reminder at its minute, and only once, running every minute', async () => {
    const officer = await addShift(h.db, 'officer', WANG, '2026-03-05T08:30:00', '2026-03-06T08:30:00');
    const leader = await addShift(h.db, 'leader', ZHANG, '2026-03-05T08:30:00', '2026-03-06T08:30:00');
    // Every minute around each reminder, and every 10 minutes in between (which must send nothing new).
    await sweep(h, job, bj('2026-03-04T19:50:00'), bj('2026-03-04T20:10:00'));
    for (let t = bj('2026-03-04T20:20:00').getTime(); t < bj('2026-03-05T07:50:00').getTime(); t += 600_000) await runSlot(h.runtime.jobDeps, job, new Date(t), 'sweep');
    await sweep(h, job, bj('2026-03-05T07:50:00'), bj('2026-03-05T08:50:00'));
    for (let t = bj('2026-03-05T09:00:00').getTime(); t < bj('2026-03-06T08:00:00').getTime(); t += 600_000) await runSlot(h.runtime.jobDeps, job, new Date(t), 'sweep');
    await sweep(h, job, bj('2026-03-06T08:00:00'), bj('2026-03-06T08:40:00'));

    const at = (s: string) => bj(s).toISOString();
    expect(await queued()).toEqual([
      { key: `shift:${officer}:${WANG}:eve`, at: at('2026-03-04T20:00:00'), kind: 'send', target: WANG },
      { key: `shift:${leader}:${ZHANG}:eve`, at: at('2026-03-04T20:00:00'), kind: 'send', target: ZHANG },
      { key: `shift:${officer}:${WANG}:t30`, at: at('2026-03-05T08:00:00'), kind: 'send', target: WANG },
      { key: `shift:${officer}:${WANG}:t30:buzz`, at: at('2026-03-05T08:00:00'), kind: 'urgent', target: JSON.stringify([WANG]) },
      { key: `shift:${leader}:${ZHANG}:t30`, at: at('2026-03-05T08:00:00'), kind: 'send', target: ZHANG },
      { key: `shift:${leader}:${ZHANG}:t30:buzz`, at: at('2026-03-05T08:00:00'), kind: 'urgent', target: JSON.stringify([ZHANG]) },
      { key: `shift-start:${bj('2026-03-05T08:30:00').getTime()}`, at: at('2026-03-05T08:30:00'), kind: 'send', target: DUTY },
      { key: `shift:${officer}:${WANG}:handover-ask`, at: at('2026-03-06T08:15:00'), kind: 'send', target: WANG },
    ].sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key)).map((x) => expect.objectContaining(x)));

    h.setNow(bj('2026-03-06T08:40:00'));
    await h.settle();
    const wang = to(h.fake.messages, WANG);
    expect(wang).toHaveLength(3);
    expect(body(wang[0])).toContain('明天您值班');
    expect(body(wang[0])).toContain('2026-03-05 08:30 – 03-06 08:30');
    expect(body(wang[0])).toContain('同班带班领导：张伟（13900000001）');
    expect(body(wang[1])).toContain('30 分钟后接班');
    expect(wang[1].urgent).toEqual([{ openIds: [WANG], kind: 'app' }]);
    expect(body(wang[2])).toContain('/交班');
    const zhang = to(h.fake.messages, ZHANG);
    expect(zhang).toHaveLength(2);
    expect(body(zhang[0])).toContain('同班值班员：王强（13900000005）');
    const duty = to(h.fake.messages, DUTY);
    expect(duty).toHaveLength(1);
    expect(body(duty[0])).toContain('王强（13900000005）');
    expect(body(duty[0])).toContain('张伟（13900000001）');
  });

  it('a rerun, a forced rerun and a second instance never send a reminder twice', async () => {
    await addShift(h.db, 'officer', WANG, '2026-03-05T08:30:00', '2026-03-06T08:30:00');
    const slot = bj('2026-03-05T08:00:00');
    const first = await runJob(h, job, slot);
    expect(to(first.sent, WANG)).toHaveLength(1);
    expect((await runJob(h, job, slot)).outcome).toEqual({ ran: false, reason: 'taken' });
    // An operator forcing the slot again (its claim row gone): the dedupe keys hold.
    await h.db.delete(jobRuns);
    const forced = await runJob(h, job, slot);
    expect(forced.outcome).toMatchObject({ ran: true });
    expect(forced.sent).toHaveLength(0);
    // A second instance on the same database racing the next minute.
    const other = await startHarness({ dbPath: h.dbPath, fake: h.fake, start: slot });
    try {
      const next = bj('2026-03-05T08:01:00');
      const outcomes = await Promise.all([runSlot(h.runtime.jobDeps, job, next, 'a'), runSlot(other.runtime.jobDeps, job, next, 'b')]);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      const mark = h.fake.messages.length;
      await h.settle();
      await other.settle();
      expect(h.fake.messages.length - mark).toBe(0);
    } finally {
      await other.close({ keepDb: true, keepFake: true });
    }
    expect(await h.db.select().from(outbox).where(like(outbox.dedupeKey, 'shift:%:t30'))).toHaveLength(1);
  });

  it('ignores quiet hours: a 02:00 shift is buzzed at 01:30', async () => {
    await addShift(h.db, 'officer', SUN, '2026-03-05T02:00:00', '2026-03-05T14:00:00');
    const { sent } = await runJob(h, job, bj('2026-03-05T01:30:00'));
    expect(to(sent, SUN)).toHaveLength(1);
    expect(to(sent, SUN)[0].urgent).toEqual([{ openIds: [SUN], kind: 'app' }]);
    expect(body(sent[0])).toContain('02:00');
  });

  it('after downtime sends nothing stale: only what is still inside its window', async () => {
    await addShift(h.db, 'officer', WANG, '2026-03-05T08:30:00', '2026-03-06T08:30:00');
    // Down from 19:00 the evening before; back at 08:40: the eve and T-30 reminders are past their windows.
    const back = await runJob(h, job, bj('2026-03-05T08:40:00'));
    expect(back.sent.map((m) => m.receiveId)).toEqual([DUTY]);
    // Back only at 08:45: the "on duty now" window (15 minutes) has closed too.
    await h.db.delete(outbox);
    expect((await runJob(h, job, bj('2026-03-05T08:45:00'))).sent).toHaveLength(0);
    // The evening reminder stays valid until midnight, then the T-30 one is what counts.
    await h.db.delete(shifts);
    await addShift(h.db, 'officer', SUN, '2026-03-06T08:30:00', '2026-03-07T08:30:00');
    expect(to((await runJob(h, job, bj('2026-03-05T23:59:00'))).sent, SUN)).toHaveLength(1);
    await h.db.delete(outbox);
    expect((await runJob(h, job, bj('2026-03-06T00:00:00'))).sent).toHaveLength(0);
  });

  it('the evening reminder time is configurable', () => {
    const start = bj('2026-03-05T08:30:00').getTime();
    expect(eveWindow(start, '20:00', 'Asia/Shanghai')).toEqual([bj('2026-03-04T20:00:00').getTime(), bj('2026-03-05T00:00:00').getTime()]);
    expect(eveWindow(start, '18:30', 'Asia/Shanghai')[0]).toBe(bj('2026-03-04T18:30:00').getTime());
    // A shift starting just after midnight: the T-30 reminder takes over at 23:40.
    expect(eveWindow(bj('2026-03-05T00:10:00').getTime(), '20:00', 'Asia/Shanghai')[1]).toBe(bj('2026-03-04T23:40:00').getTime());
    expect(settingsFromConfig(loadConfig({})).roster.eveningReminder).toBe('20:00');
    expect(settingsFromConfig(loadConfig({ ROSTER_EVENING_REMINDER: '19:30' })).roster.eveningReminder).toBe('19:30');
    expect(() => loadConfig({ ROSTER_EVENING_REMINDER: '8pm' })).toThrow(/ROSTER_EVENING_REMINDER: must be a local time HH:mm/);
  });

  it('a swapped shift reminds its new person once; the old person is not reminded again', async () => {
    const id = await addShift(h.db, 'officer', WANG, '2026-03-05T08:30:00', '2026-03-06T08:30:00');
    expect(to((await runJob(h, job, bj('2026-03-04T20:00:00'))).sent, WANG)).toHaveLength(1);
    await h.db.update(shifts).set({ personOpenId: SUN, origin: 'swapped' }).where(eq(shifts.id, id));
    const after = await runJob(h, job, bj('2026-03-04T20:31:00'));
    expect(after.sent.map((m) => m.receiveId)).toEqual([SUN]);
    expect((await runJob(h, job, bj('2026-03-04T20:32:00'))).sent).toHaveLength(0);
  });

  it('in a 重点时段 the officer’s reminders also go to the leader on duty', async () => {
    await h.db.insert(holidays).values({ date: '2026-10-01', kind: 'holiday', name: '国庆节' });
    await addShift(h.db, 'officer', WANG, '2026-10-01T08:30:00', '2026-10-02T08:30:00');
    await addShift(h.db, 'leader', ZHANG, '2026-10-01T08:00:00', '2026-10-02T08:00:00');
    const eve = await runJob(h, job, bj('2026-09-30T20:00:00'));
    const toZhang = to(eve.sent, ZHANG);
    // The leader's own reminder and the copy of the officer's.
    expect(toZhang).toHaveLength(2);
    expect(toZhang.some((m) => body(m).includes('重点时段值班提醒') && body(m).includes('王强（13900000005）'))).toBe(true);
    expect(body(to(eve.sent, WANG)[0])).toContain('节假日：国庆节');
    const t30 = await runJob(h, job, bj('2026-10-01T08:00:00'));
    // 08:00 is the leader's own start (the duty chat) and the officer's T-30 (officer + leader copy).
    expect(to(t30.sent, ZHANG).map((m) => body(m).includes('重点时段值班提醒'))).toEqual([true]);
    expect(to(t30.sent, ZHANG)[0].urgent).toEqual([]);
    expect(to(t30.sent, WANG)[0].urgent).toEqual([{ openIds: [WANG], kind: 'app' }]);
    // An ordinary day: no copies.
    await addShift(h.db, 'officer', SUN, '2026-10-09T08:30:00', '2026-10-10T08:30:00');
    await addShift(h.db, 'leader', ZHANG, '2026-10-09T08:00:00', '2026-10-10T08:00:00');
    const plain = await runJob(h, job, bj('2026-10-08T20:00:00'));
    expect(to(plain.sent, ZHANG)).toHaveLength(1);
    expect(body(to(plain.sent, ZHANG)[0])).not.toContain('重点时段');
  });
});
