import { createServer } from 'node:http';
import { nodeListener } from './node-listener.ts';
import { ConfigError, isSandbox, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { calendarZone } from './domain/stats-rollup.ts';
import { createLogger, errorFields, type Logger } from './log.ts';
import { SdkLarkClient } from './lark/sdk-client.ts';
import { startLongConnection } from './lark/long-connection.ts';
import { createRuntime } from './runtime.ts';
import { settingsFromConfig } from './settings.ts';
import { jobs } from '../jobs/index.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { backupsFor } from './backup/for-config.ts';
import { announceServer } from './backup/presence.ts';

/** The Node entry: configuration, the libSQL database, HTTP, background loops, clean shutdown. */
async function main() {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) process.stderr.write(`config error: ${p}\n`);
      process.exit(1);
    }
    throw e;
  }
  const log = createLogger(config.LOG_LEVEL);
  if (isSandbox(config)) return runSandbox(config, log);
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN, { backgroundCheckpoints: true });
  await migrateDatabase(database.db);
  log.info('database ready', { url: redactUrl(config.DATABASE_URL) });
  // The statistics rollups are bucketed by a calendar made for one zone (ADR 0021); under another
  // TZ_NAME /stats stays right but counts the rows, slowly, until the rollups are rebuilt.
  const calendar = await calendarZone(database.db);
  if (calendar !== config.TZ_NAME) log.warn('statistics calendar is for another time zone: run npm run rollups -- rebuild', { calendar: calendar ?? null, tz: config.TZ_NAME });

  const lark = new SdkLarkClient({ appId: config.LARK_APP_ID!, appSecret: config.LARK_APP_SECRET!, domain: config.LARK_DOMAIN, log });
  // In ws mode the webhook route may have no secrets: it then answers 503 and stores nothing.
  const secrets = config.LARK_ENCRYPT_KEY && config.LARK_VERIFICATION_TOKEN ? { encryptKey: config.LARK_ENCRYPT_KEY, verificationToken: config.LARK_VERIFICATION_TOKEN } : undefined;

  const runtime = await createRuntime({
    settings: settingsFromConfig(config),
    database,
    lark,
    workspace: lark.workspace(),
    secrets,
    maxAgeSeconds: config.EVENT_MAX_AGE_SECONDS,
    log,
    backups: backupsFor(config),
    eventMode: config.LARK_EVENT_MODE,
    statusToken: config.STATUS_TOKEN,
  });

  const server = createServer(nodeListener(runtime.app, runtime.ingestDeps)).listen(config.PORT, config.HOST);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  // The inbox worker handles nothing until identify() has told it the bot's own open_id (without
  // it "@bot /help" is not a command): events acknowledged meanwhile wait in the inbox.
  // `npm run restore` refuses while this row is fresh (src/backup/presence.ts).
  const presence = await announceServer(database.sql, { instanceId: runtime.instanceId, port, onError: (e) => log.warn('presence beat failed', errorFields(e)) });
  runtime.start();
  const scheduler = config.JOBS ? await startScheduler(jobs, runtime.jobDeps, { instanceId: runtime.instanceId, onQueued: () => runtime.sender.wake() }) : { stop: async () => {} };
  void identifyUntilKnown(runtime.identify, log);
  if (config.LARK_EVENT_MODE === 'ws') runtime.connect({ appId: config.LARK_APP_ID!, appSecret: config.LARK_APP_SECRET!, domain: config.LARK_DOMAIN }, startLongConnection);
  log.info('watchkeeper listening', { url, eventMode: config.LARK_EVENT_MODE });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    // Stop accepting first; requests already in flight finish before the loops stop.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await scheduler.stop();
    await runtime.stop();
    await presence.stop();
    database.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Sandbox mode (no Lark app, or SANDBOX=1): the whole sandbox comes from src/sandbox/run.ts; only the signals are here. */
async function runSandbox(config: Config, log: Logger) {
  // Loaded only here: a production start need not load the sandbox, its fake Lark and their packages.
  const { startSandbox } = await import('./sandbox/run.ts');
  const sandbox = await startSandbox({ config, log, print: true });
  const shutdown = async (signal: string) => {
    log.info('shutting down', { signal });
    await sandbox.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** Lark may be unreachable at boot; keep asking, and stay unhealthy until it answers. */
async function identifyUntilKnown(identify: () => Promise<string>, log: Logger) {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 60_000)) {
    try {
      await identify();
      return;
    } catch (e) {
      log.warn('cannot reach Lark for the bot identity; retrying', { retryInMs: delay, ...errorFields(e) });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

const redactUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

main().catch((e) => {
  process.stderr.write(`fatal: ${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
});
