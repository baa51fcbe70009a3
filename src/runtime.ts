import type { Database } from './db/client.ts';
import { settings as settingsTable } from './db/schema.ts';
import { createApp } from './app.ts';
import type { Hono } from 'hono';
import type { LarkClient } from './lark/client.ts';
import type { IngestDeps, IngestSecrets } from './lark/ingest.ts';
import { InboxWriter } from './inbox/store.ts';
import { InboxWorker } from './inbox/worker.ts';
import { OutboxSender } from './outbox/sender.ts';
import type { RateLimiter } from './outbox/rate-limit.ts';
import { CommandRegistry } from './bot/registry.ts';
import { cardActions, commands } from '../commands/index.ts';
import type { BotDeps } from './bot/context.ts';
import { routeEvent } from './bot/router.ts';
import { commitEffects, isAlreadyProcessed } from './bot/commit.ts';
import { cardResponse } from './bot/card-response.ts';
import type { Settings } from './settings.ts';
import type { JobDeps } from './jobs/types.ts';
import { errorFields, silentLogger, type Logger } from './log.ts';
import type { Backups } from './backup/backups.ts';

export interface RuntimeOptions {
  settings: Settings;
  /** drizzle over libSQL or D1, and the raw SQL client beside it. */
  database: Pick<Database, 'db' | 'sql'>;
  lark: LarkClient;
  secrets: IngestSecrets | undefined;
  maxAgeSeconds?: number;
  /** Domain time. Production passes the wall clock; tests and the sandbox pass their own. */
  clock?: () => Date;
  /** Wall clock for signed-timestamp freshness (defaults to Date.now). */
  wallClock?: () => number;
  log?: Logger;
  instanceId?: string;
  limiter?: RateLimiter;
  extendApp?: (app: Hono) => void;
  backups?: Backups;
}

const CARD_INLINE_LEASE_MS = 30_000;

/** Everything one process runs, wired from explicit parts; entries (Node, tests, bench) only choose the parts. */
export async function createRuntime(o: RuntimeOptions) {
  const log = o.log ?? silentLogger;
  const clock = o.clock ?? (() => new Date());
  const instanceId = o.instanceId ?? crypto.randomUUID();
  const { db, sql: client } = o.database;
  const registry = new CommandRegistry(commands);
  const deps: BotDeps = { db, settings: o.settings, log, lark: o.lark, registry, cardActions, backups: o.backups };
  let identified = false;

  const sender = new OutboxSender({ client, lark: o.lark, clock, log, instanceId, limiter: o.limiter });
  const worker = new InboxWorker({ client, deps, clock, log, instanceId, onCommitted: () => sender.wake(), ready: () => identified });
  const writer = new InboxWriter(client, () => clock().getTime(), () => worker.wake());

  const ingestDeps: IngestDeps = {
    secrets: o.secrets,
    maxAgeSeconds: o.maxAgeSeconds ?? 300,
    now: o.wallClock ?? (() => Date.now()),
    log,
    inboxEvent: (id, type, payload) =>
      writer.add(id, type, payload, type === 'card.action.trigger' ? CARD_INLINE_LEASE_MS : undefined),
    answerCard: async (event) => {
      const now = clock();
      try {
        const ctx = await routeEvent(deps, event, now);
        await commitEffects(db, ctx, event.eventId, now);
        sender.wake();
        return cardResponse(ctx);
      } catch (e) {
        if (isAlreadyProcessed(e)) return {};
        log.error('card action failed', { eventId: event.eventId, ...errorFields(e) });
        return { toast: { type: 'error', content: '操作失败，请重试', i18n: { zh_cn: '操作失败，请重试', en_us: 'Action failed; please retry' } } };
      }
    },
  };
  const app = createApp({ ready: () => identified, extend: o.extendApp, ingest: ingestDeps });

  /** Learns the bot's open_id (for mention stripping); retried by the caller until it works. */
  async function identify(): Promise<string> {
    const info = await o.lark.botInfo();
    deps.botOpenId = info.openId;
    const now = clock().getTime();
    await db
      .insert(settingsTable)
      .values({ key: 'bot_open_id', value: info.openId, updatedAt: now })
      .onConflictDoUpdate({ target: settingsTable.key, set: { value: info.openId, updatedAt: now } });
    identified = true;
    log.info('bot identified', { botOpenId: info.openId, name: info.name });
    worker.wake(); // events acknowledged before this moment have been waiting for it
    return info.openId;
  }

  const jobDeps: JobDeps = { db, settings: o.settings, log, lark: o.lark, backups: o.backups };

  return {
    app,
    /** What the webhook needs, for a runtime-specific fast path (src/node-listener.ts). */
    ingestDeps,
    deps,
    jobDeps,
    instanceId,
    db,
    worker,
    sender,
    identify,
    get ready() {
      return identified;
    },
    /** Starts the inbox worker and outbox sender loops (Node; Workers drain per request instead). */
    start() {
      worker.start();
      sender.start();
    },
    async stop() {
      await worker.stop();
      await sender.stop();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
