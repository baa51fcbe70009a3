import { d1Drizzle, d1SqlClient, type D1DatabaseLike } from './db/d1.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger, errorFields } from './log.ts';
import { FetchLarkClient } from './lark/fetch-client.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import { settingsFromConfig } from './settings.ts';
import { jobs } from '../jobs/index.ts';
import { cronMatches, floorToMinute, parseCron } from './jobs/cron.ts';
import { tick } from './jobs/runner.ts';
import { toUtcCron } from './jobs/utc-cron.ts';
import { D1_BACKUPS } from './backup/backups.ts';

// The Workers entry: the same createApp and jobs over D1, with fetch for Lark (docs/adr/0010).
// Processing continues after the response through ctx.waitUntil; every cron tick also sweeps
// the inbox and outbox, so nothing a crashed request left behind waits longer than a minute.

export interface Env {
  DB: D1DatabaseLike;
  [name: string]: unknown;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

interface ScheduledController {
  scheduledTime: number;
  cron: string;
}

let runtime: Promise<Runtime> | undefined;

/** One runtime per isolate, built on first use from the bindings and vars. */
function runtimeFor(env: Env): Promise<Runtime> {
  runtime ??= build(env).catch((e) => {
    runtime = undefined; // a bad start is retried by the next request
    throw e;
  });
  return runtime;
}

async function build(env: Env): Promise<Runtime> {
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const config = loadConfig(vars);
  if (!config.LARK_APP_ID) throw new ConfigError(['LARK_APP_ID: is required on Workers (there is no sandbox here)']);
  const log = createLogger(config.LOG_LEVEL, (line) => console.log(line));
  const rt = await createRuntime({
    settings: settingsFromConfig(config),
    database: { db: d1Drizzle(env.DB), sql: d1SqlClient(env.DB) },
    lark: new FetchLarkClient({ appId: config.LARK_APP_ID, appSecret: config.LARK_APP_SECRET!, domain: config.LARK_DOMAIN }),
    secrets: { encryptKey: config.LARK_ENCRYPT_KEY!, verificationToken: config.LARK_VERIFICATION_TOKEN! },
    maxAgeSeconds: config.EVENT_MAX_AGE_SECONDS,
    log,
    backups: D1_BACKUPS,
  });
  // Events are acknowledged (stored) even when Lark cannot say who the bot is yet; the inbox
  // worker leaves them waiting until it can, and every sweep asks again.
  await identifyOnce(rt);
  return rt;
}

async function identifyOnce(rt: Runtime) {
  if (rt.ready) return;
  await rt.identify().catch((e) => console.log(JSON.stringify({ level: 'warn', msg: 'cannot reach Lark for the bot identity; events wait', ...errorFields(e) })));
}

/** Processes what the inbox holds and delivers what the outbox holds. */
async function sweep(rt: Runtime) {
  await identifyOnce(rt);
  await rt.worker.runOnce();
  await rt.sender.drain();
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let rt: Runtime;
    try {
      rt = await runtimeFor(env);
    } catch (e) {
      console.log(JSON.stringify({ level: 'error', msg: 'worker cannot start', ...errorFields(e) }));
      return new Response(JSON.stringify({ error: 'not configured' }), { status: 503, headers: { 'content-type': 'application/json' } });
    }
    const response = await rt.app.fetch(request);
    ctx.waitUntil(sweep(rt).catch((e) => console.log(JSON.stringify({ level: 'error', msg: 'sweep failed', ...errorFields(e) }))));
    return response;
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const rt = await runtimeFor(env);
    const slot = floorToMinute(new Date(controller.scheduledTime));
    const tz = rt.jobDeps.settings.tz;
    ctx.waitUntil(
      (async () => {
        // A trigger runs the jobs whose cron it is (wrangler.toml lists them in UTC); an unknown
        // trigger runs whatever is due this minute. The (job, slot) claim keeps each slot to one run.
        const named = jobs.filter((j) => toUtcCron(j.cron, tz) === controller.cron);
        const due = named.length ? named : jobs.filter((j) => cronMatches(parseCron(j.cron), slot, tz));
        for (const job of due) await tick(rt.jobDeps, job, slot, rt.instanceId, new Date());
        await sweep(rt);
      })().catch((e) => console.log(JSON.stringify({ level: 'error', msg: 'scheduled run failed', ...errorFields(e) }))),
    );
  },
};
