import { createServer } from 'node:http';
import { nodeListener } from '../node-listener.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { SdkLarkClient } from '../lark/sdk-client.ts';
import { startLongConnection } from '../lark/long-connection.ts';
import { errorFields, silentLogger, type Logger } from '../log.ts';
import { createRuntime } from '../runtime.ts';
import { settingsFromConfig } from '../settings.ts';
import type { Job } from '../jobs/types.ts';
import { jobs as allJobs } from '../../jobs/index.ts';
import { SandboxClock, loadClockOffset } from './clock.ts';
import { mountSandbox } from './routes.tsx';
import type { SandboxDeps } from './api.ts';
import { SandboxScheduler } from './scheduler.ts';
import { demoMirrorStatements, forgetMirrors, seedDemo } from './seed.ts';
import { startSandboxLark } from './start.ts';
import { announceServer } from '../backup/presence.ts';

export interface SandboxOptions {
  config: Config;
  log?: Logger;
  /** The scheduled jobs the sandbox clock drives (all of them unless told otherwise). */
  jobs?: readonly Job[];
  /** Print the "open this URL" banner (npm start); tests keep quiet. */
  print?: boolean;
}

const BOT_NAME = '安全值守助手';

/**
 * The whole sandbox in one process: the database (seeded with the demo city when empty), the
 * fake Lark, Watchkeeper itself on the sandbox clock, the sandbox page, and the jobs driven by
 * that clock. Used by `npm start` without Lark credentials and by the end-to-end test.
 */
export async function startSandbox(o: SandboxOptions) {
  const { config } = o;
  const log = o.log ?? silentLogger;
  const settings = settingsFromConfig(config);
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN, { backgroundCheckpoints: true });
  await migrateDatabase(database.db);
  const clock = new SandboxClock(await loadClockOffset(database.db));
  const lark = await startSandboxLark(config, log, () => clock.now().getTime());
  if (await seedDemo(database.db, settings, clock.now())) log.info('sandbox: seeded the demo city');
  {
    // The fake Feishu starts empty at every start (like the chats): what was mirrored into the last
    // one is forgotten, and the city's hazards, tasks, roster and key periods are mirrored afresh.
    const statements = [forgetMirrors(database.db), ...(await demoMirrorStatements(database.db, settings.mirrors, clock.now()))];
    const [first, ...rest] = statements;
    await database.db.batch([first, ...rest]);
  }

  let deps: SandboxDeps | undefined;
  const client = new SdkLarkClient({ appId: lark.info.appId, appSecret: lark.info.appSecret, domain: lark.fake.url, log });
  // FEISHU_BITABLE_*: the sandbox's fake Feishu holds that table (empty, so the first run creates its fields).
  if (settings.mirrors.bitable) lark.fake.workspace.createTable(settings.mirrors.bitable.appToken, settings.mirrors.bitable.tableId);
  const runtime = await createRuntime({
    settings,
    database,
    lark: client,
    workspace: client.workspace(),
    secrets: { encryptKey: lark.info.encryptKey, verificationToken: lark.info.verificationToken },
    maxAgeSeconds: config.EVENT_MAX_AGE_SECONDS,
    clock: clock.now,
    log,
    eventMode: config.LARK_EVENT_MODE,
    statusToken: config.STATUS_TOKEN,
    extendApp: (app) =>
      mountSandbox(app, () => {
        if (!deps) throw new Error('the sandbox is still starting');
        return deps;
      }),
  });
  const scheduler = new SandboxScheduler({ jobs: o.jobs ?? allJobs, deps: runtime.jobDeps, instanceId: runtime.instanceId, clock, onQueued: () => runtime.sender.wake() });
  deps = {
    post: (path, init) => Promise.resolve(runtime.app.request(path, init)),
    fake: lark.fake,
    db: database.db,
    secrets: { encryptKey: lark.info.encryptKey, verificationToken: lark.info.verificationToken },
    appId: lark.info.appId,
    botName: BOT_NAME,
    clock,
    scheduler,
    tz: settings.tz,
    eventMode: config.LARK_EVENT_MODE,
  };

  const server = createServer(nodeListener(runtime.app, runtime.ingestDeps)).listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;

  await runtime.identify(); // the fake Lark is in this process: it answers at once
  // `npm run restore` refuses while this row is fresh (src/backup/presence.ts).
  const presence = await announceServer(database.sql, { instanceId: runtime.instanceId, port, onError: (e) => log.warn('presence beat failed', errorFields(e)) });
  await runtime.start();
  if (config.LARK_EVENT_MODE === 'ws') {
    runtime.connect({ appId: lark.info.appId, appSecret: lark.info.appSecret, domain: lark.fake.url }, startLongConnection);
    for (const end = Date.now() + 10_000; !runtime.health().ok && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
  }
  await scheduler.start();
  lark.announce(url, { print: o.print });
  log.info('watchkeeper listening', { url, sandbox: true, page: `${url}/sandbox` });

  let stopped: Promise<void> | undefined;
  return {
    url,
    pageUrl: `${url}/sandbox`,
    runtime,
    fake: lark.fake,
    clock,
    scheduler,
    db: database.db,
    /** Stops accepting, lets requests in flight finish, then stops the loops, the fake and the database. */
    stop(): Promise<void> {
      stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // A page left open keeps polling on keep-alive connections; don't wait on them for long.
          setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), 2000).unref();
        });
        await scheduler.stop();
        await runtime.stop();
        await presence.stop();
        await lark.fake.close();
        database.close();
      })().catch((e) => log.error('sandbox stop failed', errorFields(e)));
      return stopped;
    },
  };
}

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
