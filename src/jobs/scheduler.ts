import cron from 'node-cron';
import type { Job, JobDeps } from './types.ts';
import { catchUp, tick } from './runner.ts';
import { floorToMinute } from './cron.ts';
import { errorFields } from '../log.ts';

/**
 * Node's scheduler: node-cron fires each job in TZ_NAME; the slot is the minute it fired for.
 * Claims in job_runs keep a slot to one run across instances. Missed slots catch up at start.
 */
export async function startScheduler(jobs: readonly Job[], deps: JobDeps, o: { instanceId: string; onQueued: () => void }) {
  const tasks: { stop(): void | Promise<void> }[] = [];
  const running = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  track(
    catchUp(deps, jobs, new Date(), o.instanceId)
      .then((ran) => {
        for (const r of ran) deps.log.info('caught up a missed job slot', { job: r.job, slot: r.slot.toISOString() });
        if (ran.length) o.onQueued();
      })
      .catch((e) => deps.log.error('job catch-up failed', errorFields(e))),
  );

  for (const job of jobs) {
    const task = cron.schedule(
      job.cron,
      (ctx) => {
        const slot = floorToMinute(ctx?.date ?? new Date());
        track(
          tick(deps, job, slot, o.instanceId, new Date())
            .then(() => o.onQueued())
            .catch((e) => deps.log.error('job tick failed', { job: job.name, ...errorFields(e) })),
        );
      },
      { timezone: deps.settings.tz, name: job.name, noOverlap: true },
    );
    tasks.push(task);
  }

  return {
    /** Stops firing and waits for runs in flight. */
    async stop() {
      for (const t of tasks) await t.stop();
      await Promise.allSettled([...running]);
    },
  };
}
