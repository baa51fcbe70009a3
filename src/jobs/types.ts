import type { Bi } from '../bi.ts';
import type { Db } from '../db/client.ts';
import type { Effects } from '../outbox/effects.ts';
import type { Logger } from '../log.ts';
import type { LarkClient } from '../lark/client.ts';
import type { Settings } from '../settings.ts';
import type { Backups } from '../backup/backups.ts';

export interface JobDeps {
  db: Db;
  settings: Settings;
  log: Logger;
  /** For the few jobs that upload before queueing (the weekly report's chart); messages still go through the outbox. */
  lark?: LarkClient;
  /** Database snapshots (the backup job); absent where this process takes none (tests, the sandbox). */
  backups?: Backups;
}

/**
 * A scheduled job: a plain function of (deps, now) that returns the effects of one run.
 * The runner commits them with the slot's completion in one batch.
 */
export interface Job {
  name: string;
  /** Five-field cron in TZ_NAME. */
  cron: string;
  summary: Bi;
  /** In the sandbox, clock jumps of a few hours run this job at least this often (default: thinned to 15 minutes). */
  sandboxStepMs?: number;
  run(deps: JobDeps, now: Date): Promise<Effects>;
}
