import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { jobRuns } from '../db/schema.ts';
import { insertOutbox } from '../outbox/messages.ts';
import { affectedRows } from '../db/sql.ts';
import { errorFields } from '../log.ts';
import type { Job, JobDeps } from './types.ts';
import type { Effects } from '../outbox/effects.ts';
import { parseCron, previousSlot } from './cron.ts';

/** A run still "running" after this long is taken to have died with its instance. */
const RUN_LEASE_MS = 10 * 60_000;
/** A slot that failed this often is left for an operator (`npm run jobs -- run NAME --at …`). */
const MAX_ATTEMPTS = 5;

export type SlotOutcome = { ran: false; reason: 'taken' } | { ran: true; queued: number; outboxIds: string[] } | { ran: true; failed: string };

/**
 * Runs `job` for `slot` unless another run of that slot has it or finished it. Claiming is
 * inserting the (job, slot) row; the job's effects and the slot's completion commit together.
 */
export async function runSlot(deps: JobDeps, job: Job, slot: Date, instance: string, wallNow: Date = slot): Promise<SlotOutcome> {
  const { db } = deps;
  const at = slot.getTime();
  const started = wallNow.getTime();
  const inserted = await db.insert(jobRuns).values({ job: job.name, slot: at, status: 'running', instance, startedAt: started }).onConflictDoNothing();
  let claimed = affectedRows(inserted) > 0;
  if (!claimed) {
    // A failed run, or one whose instance died mid-run, is retried by whoever gets here first.
    const retried = await db
      .update(jobRuns)
      .set({ status: 'running', instance, startedAt: started, attempts: sql`${jobRuns.attempts} + 1`, error: null })
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.slot, at), or(eq(jobRuns.status, 'failed'), and(eq(jobRuns.status, 'running'), lt(jobRuns.startedAt, started - RUN_LEASE_MS)))));
    claimed = affectedRows(retried) > 0;
  }
  if (!claimed) return { ran: false, reason: 'taken' };

  try {
    const effects = await job.run(deps, slot);
    const items: BatchItem<'sqlite'>[] = [...effects.statements];
    items.push(...insertOutbox(db, effects.messages));
    const queued = effects.messages.length + effects.queuedAhead;
    items.push(
      db.update(jobRuns)
        .set({ status: 'done', finishedAt: Date.now(), queued })
        .where(and(eq(jobRuns.job, job.name), eq(jobRuns.slot, at), eq(jobRuns.instance, instance))),
    );
    await db.batch(items as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    return { ran: true, queued, outboxIds: effects.messages.map((m) => m.id) };
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    deps.log.error('job run failed; it will be retried at the next tick', { job: job.name, slot: slot.toISOString(), ...errorFields(e) });
    await db
      .update(jobRuns)
      .set({ status: 'failed', error: message.slice(0, 500), finishedAt: Date.now() })
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.slot, at), eq(jobRuns.instance, instance)));
    return { ran: true, failed: message };
  }
}

/**
 * Commits outbox rows now, ahead of the slot's own batch, for a run too big to hold in memory at
 * once (a province's nag digests), with `alongside` (what the rows need to exist with them: the
 * digests' nag_digests rows) in the same transaction. Every row must carry a dedupe key: a slot
 * that fails after this and is retried queues the same keys, which the insert skips, so nobody is
 * told twice. Returns how many rows were passed.
 */
export async function queueAhead(db: JobDeps['db'], rows: Effects['messages'], alongside: readonly BatchItem<'sqlite'>[] = []): Promise<number> {
  if (rows.some((r) => !r.dedupeKey)) throw new Error('queueAhead: every row needs a dedupe key (a retried slot must not queue it twice)');
  const statements = [...alongside, ...insertOutbox(db, rows)];
  if (statements.length) await db.batch(statements as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return rows.length;
}

/** Slots of this job that failed (or died) and wait for a retry, oldest first. */
export async function pendingRetries(deps: JobDeps, job: Job, now: Date): Promise<Date[]> {
  const rows = await deps.db
    .select({ slot: jobRuns.slot })
    .from(jobRuns)
    .where(and(
      eq(jobRuns.job, job.name),
      lt(jobRuns.attempts, MAX_ATTEMPTS),
      or(eq(jobRuns.status, 'failed'), and(eq(jobRuns.status, 'running'), lt(jobRuns.startedAt, now.getTime() - RUN_LEASE_MS))),
    ))
    .orderBy(jobRuns.slot);
  return rows.map((r) => new Date(r.slot));
}

/**
 * At start-up: the most recent slot of each job that has run before but not for that slot runs
 * once now (a slot missed while the process was down). A job that never ran starts fresh.
 */
export async function catchUp(deps: JobDeps, jobs: readonly Job[], now: Date, instance: string): Promise<{ job: string; slot: Date; outcome: SlotOutcome }[]> {
  const out: { job: string; slot: Date; outcome: SlotOutcome }[] = [];
  for (const job of jobs) {
    const slot = previousSlot(parseCron(job.cron), now, deps.settings.tz);
    if (!slot) continue;
    const [seen] = await deps.db.select({ n: sql<number>`count(*)` }).from(jobRuns).where(eq(jobRuns.job, job.name));
    if (!seen || seen.n === 0) continue;
    const [existing] = await deps.db.select().from(jobRuns).where(and(eq(jobRuns.job, job.name), eq(jobRuns.slot, slot.getTime())));
    if (existing) continue;
    out.push({ job: job.name, slot, outcome: await runSlot(deps, job, slot, instance, now) });
  }
  return out;
}

/** One tick of a job: retry what failed, then run the slot this tick stands for. */
export async function tick(deps: JobDeps, job: Job, slot: Date, instance: string, wallNow: Date = slot) {
  for (const failed of await pendingRetries(deps, job, wallNow)) await runSlot(deps, job, failed, instance, wallNow);
  return runSlot(deps, job, slot, instance, wallNow);
}
