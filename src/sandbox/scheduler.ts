import { parseCron, slotsBetween } from '../jobs/cron.ts';
import { catchUp, runSlot, type SlotOutcome } from '../jobs/runner.ts';
import type { Job, JobDeps } from '../jobs/types.ts';
import { errorFields } from '../log.ts';
import { saveClockOffset, type SandboxClock } from './clock.ts';

export interface SlotRun {
  job: string;
  slot: string;
  outcome: SlotOutcome;
}

/** Jumps longer than this are refused. */
export const MAX_ADVANCE_MS = 31 * 86_400_000;
/**
 * In a jump, a job runs at most once per this much sandbox time (its last slot always runs).
 * Every-minute jobs would otherwise make a week's jump twenty thousand runs. Their reminders are
 * due inside windows of 15 minutes or more and carry dedupe keys, and runs 15 minutes apart
 * land exactly once in any 15-minute window, so none is lost — only sent up to 14 minutes late.
 */
export const JUMP_STEP_MS = 15 * 60_000;
const POLL_MS = 15_000;
/**
 * Jumps up to this long keep every minute of the jobs that ask for it (the escalation ladder's
 * rungs are minutes apart); longer jumps thin them like the rest.
 */
export const FINE_JUMP_MS = 3 * 3600_000;

/**
 * The sandbox's scheduler. node-cron fires on wall time, which the sandbox clock leaves behind
 * once it has been moved; so here the slots of every job between the last look and sandbox
 * "now" run in time order (the same runSlot claims as production), whether sandbox time got
 * there by waiting or by a jump (thinned to JUMP_STEP_MS per job). One run at a time: a jump
 * waits for a tick in flight.
 */
export class SandboxScheduler {
  private last: Date;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly o: {
      jobs: readonly Job[];
      deps: JobDeps;
      instanceId: string;
      clock: SandboxClock;
      /** Called after runs that queued messages (wakes the outbox sender). */
      onQueued: () => void;
    },
  ) {
    this.last = o.clock.now();
  }

  /** Catches up the slot missed while the sandbox was down (as production does), then ticks. */
  async start() {
    const now = this.o.clock.now();
    this.last = now;
    const ran = await catchUp(this.o.deps, this.o.jobs, now, this.o.instanceId);
    if (ran.length) this.o.onQueued();
    this.timer = setInterval(() => void this.tick().catch((e) => this.o.deps.log.error('sandbox job tick failed', errorFields(e))), POLL_MS);
    this.timer.unref?.();
  }

  /** Runs the slots that sandbox time has reached since the last look. */
  tick(): Promise<SlotRun[]> {
    return this.serial(() => this.runUntil(this.o.clock.now()));
  }

  /** Moves sandbox time forward by `ms` and runs every job slot passed on the way. */
  advance(ms: number): Promise<{ from: Date; to: Date; ran: SlotRun[] }> {
    if (!Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_ADVANCE_MS) {
      return Promise.reject(new RangeError(`advance by 1 minute to ${MAX_ADVANCE_MS / 86_400_000} days`));
    }
    return this.serial(async () => {
      const from = this.o.clock.now();
      // Slots reached by waiting run first, at their own time.
      const before = await this.runUntil(from);
      const to = this.o.clock.advance(ms);
      await saveClockOffset(this.o.deps.db, this.o.clock.offset, to);
      const ran = await this.runUntil(to, JUMP_STEP_MS);
      return { from, to, ran: [...before, ...ran] };
    });
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain.catch(() => {});
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  private async runUntil(to: Date, stepMs = 0): Promise<SlotRun[]> {
    const from = this.last;
    if (to.getTime() <= from.getTime()) return [];
    const due: { job: Job; slot: Date; order: number }[] = [];
    const fine = to.getTime() - from.getTime() <= FINE_JUMP_MS;
    this.o.jobs.forEach((job, order) => {
      const slots = slotsBetween(parseCron(job.cron), from, to, this.o.deps.settings.tz);
      const step = fine && job.sandboxStepMs !== undefined ? Math.min(stepMs, job.sandboxStepMs) : stepMs;
      let kept = -Infinity;
      slots.forEach((slot, i) => {
        if (slot.getTime() - kept < step && i < slots.length - 1) return;
        kept = slot.getTime();
        due.push({ job, slot, order });
      });
    });
    due.sort((a, b) => a.slot.getTime() - b.slot.getTime() || a.order - b.order);
    const ran: SlotRun[] = [];
    for (const d of due) {
      const outcome = await runSlot(this.o.deps, d.job, d.slot, this.o.instanceId, d.slot);
      ran.push({ job: d.job.name, slot: d.slot.toISOString(), outcome });
    }
    this.last = to;
    if (ran.some((r) => r.outcome.ran)) this.o.onQueued();
    return ran;
  }
}
