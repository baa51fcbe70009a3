// Helpers for the roster and scheduled-job tests: Beijing local times, shifts, and running a job
// slot as the scheduler would, with what it delivered.
import { shifts } from '../../src/db/schema.ts';
import type { Db } from '../../src/db/client.ts';
import { runSlot } from '../../src/jobs/runner.ts';
import type { Job } from '../../src/jobs/types.ts';
import type { FakeMessage } from '../../src/lark/fake/server.ts';
import type { Harness } from './harness.ts';

/** Local Beijing time → Date. */
export const bj = (s: string) => new Date(`${s}+08:00`);

export async function addShift(db: Db, role: 'leader' | 'officer', personOpenId: string, start: string, end: string, origin = 'imported'): Promise<number> {
  const [row] = await db
    .insert(shifts)
    .values({ role, personOpenId, start: bj(start).getTime(), end: bj(end).getTime(), origin, createdAt: 0, updatedAt: 0 })
    .returning({ id: shifts.id });
  return row.id;
}

/** Runs one slot of a job as of `at`, delivers, and returns what Lark received. */
export async function runJob(h: Harness, job: Job, at: Date, instance = 'test') {
  h.setNow(at);
  const mark = h.fake.messages.length;
  const outcome = await runSlot(h.runtime.jobDeps, job, at, instance);
  await h.settle();
  return { outcome, sent: h.fake.messages.slice(mark) };
}

/** Runs a job at every minute in [from, to] (no delivery), as node-cron would. */
export async function sweep(h: Harness, job: Job, from: Date, to: Date, instance = 'sweep') {
  for (let t = from.getTime(); t <= to.getTime(); t += 60_000) await runSlot(h.runtime.jobDeps, job, new Date(t), instance);
}

export const to = (msgs: FakeMessage[], id: string) => msgs.filter((m) => m.receiveId === id);

/** The card's JSON (both languages) or the text, for `toContain`. */
export const body = (m: FakeMessage) => m.content;
