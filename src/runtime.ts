import type { Database } from './db/client.ts';
import { settings as settingsTable } from './db/schema.ts';
import { createApp } from './app.ts';
import type { Hono } from 'hono';
import type { LarkClient } from './lark/client.ts';
import { acceptLongConnectionEvent, type IngestDeps, type IngestSecrets } from './lark/ingest.ts';
// Type only: the SDK's WSClient must not reach the Workers bundle (it reads __dirname at load); Node passes it in.
import type { LongConnection, startLongConnection } from './lark/long-connection.ts';
import { InboxWriter } from './inbox/store.ts';
import { InboxWorker } from './inbox/worker.ts';
import { Foreground } from './inbox/foreground.ts';
import { OutboxSender } from './outbox/sender.ts';
import { cardUpdateRow, insertOutbox } from './outbox/messages.ts';
import type { RateLimiter } from './outbox/rate-limit.ts';
import { CommandRegistry } from './bot/registry.ts';
import { cardActions, commands } from '../commands/index.ts';
import type { BotDeps } from './bot/context.ts';
import { isUnaddressedChatter, routeEvent } from './bot/router.ts';
import { toInboundEvent } from './lark/events.ts';
import { commitEffects, isAlreadyProcessed } from './bot/commit.ts';
import { cardResponse } from './bot/card-response.ts';
import type { Settings } from './settings.ts';
import type { JobDeps } from './jobs/types.ts';
import { errorFields, silentLogger, type Logger } from './log.ts';
import type { Backups } from './backup/backups.ts';
import { ApiBudget } from './outbox/api-budget.ts';
import { countedLarkClient, countedWorkspace } from './lark/counted-client.ts';
import type { WorkspaceClient } from './lark/workspace.ts';
import { MirrorDelivery } from './mirrors/deliver.ts';
import { honouringAppPause } from './outbox/app-pause.ts';
import { readStatus } from './domain/status.ts';

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
  /** How long a card click may take before it is answered with a toast and its card follows (tests shorten it). */
  cardAnswerByMs?: number;
  /** LARK_EVENT_MODE: webhooks on POST /lark/events (always served), or also the long connection. */
  eventMode?: 'webhook' | 'ws';
  /** Feishu Tasks, Calendar and Bitable, for the mirrors settings.mirrors turns on (issue 19); Workers pass none. */
  workspace?: WorkspaceClient;
  /** STATUS_TOKEN: GET /status answers JSON to `Authorization: Bearer <token>`; unset, the route is off. */
  statusToken?: string;
}

const CARD_INLINE_LEASE_MS = 30_000;
/**
 * Lark waits 3 seconds for a card callback's answer. Past this, the click is answered with a toast
 * alone and the new card follows with the callback's token (延时更新消息卡片), so a slow database
 * or a slow Lark call never shows the user an error.
 */
const CARD_ANSWER_BY_MS = 2_500;
const STILL_WORKING = { type: 'info', content: '正在处理…', i18n: { zh_cn: '正在处理…', en_us: 'Working on it…' } } as const;

/** Everything one process runs, wired from explicit parts; entries (Node, tests, bench) only choose the parts. */
export async function createRuntime(o: RuntimeOptions) {
  const log = o.log ?? silentLogger;
  const clock = o.clock ?? (() => new Date());
  const instanceId = o.instanceId ?? crypto.randomUUID();
  const { db, sql: client } = o.database;
  const registry = new CommandRegistry(commands);
  // Every Lark call is counted by kind per day, for the monthly budget and /status.
  const budget = new ApiBudget({ db, client, settings: o.settings, clock, log });
  const lark = countedLarkClient(o.lark, (kind, ok) => budget.record(kind, ok));
  // Handlers and jobs call Lark beside the outbox (uploads, downloads, group info): they wait out
  // an app-wide pause too, and report one they meet (src/outbox/app-pause.ts).
  const direct = honouringAppPause(lark, { client, clock, log, localPausedUntil: () => sender.appPausedUntil() });
  const deps: BotDeps = { db, settings: o.settings, log, lark: direct, registry, cardActions, backups: o.backups };
  let identified = false;

  const m = o.settings.mirrors;
  const mirrorsOn = m.tasks || m.dutyCalendar || !!m.bitable;
  const workspace = o.workspace ? countedWorkspace(o.workspace, (kind, ok) => budget.record(kind, ok)) : undefined;
  const mirrors = mirrorsOn && workspace ? new MirrorDelivery({ db, workspace, settings: o.settings, clock, log }) : undefined;
  if (mirrorsOn && !workspace) log.warn('mirrors into Feishu are configured but this runtime has no workspace client; they stay off');
  const sender = new OutboxSender({ client, lark, clock, log, instanceId, limiter: o.limiter, budget, mirrors });
  // Card clicks are answered inline on the loop the worker shares: the worker gives way to them (ADR 0025).
  const foreground = new Foreground();
  const worker = new InboxWorker({ client, deps, clock, log, instanceId, onCommitted: () => sender.wake(), ready: () => identified, foreground });
  const writer = new InboxWriter(client, () => clock().getTime(), () => worker.wake());

  const ingestDeps: IngestDeps = {
    secrets: o.secrets,
    maxAgeSeconds: o.maxAgeSeconds ?? 300,
    now: o.wallClock ?? (() => Date.now()),
    log,
    inboxEvent: (id, type, payload, envelope) => {
      if (type === 'card.action.trigger') return writer.add(id, type, payload, CARD_INLINE_LEASE_MS);
      // Group chatter that cannot concern the bot is stored as handled: no claim, no receipt (ADR 0025).
      const event = envelope && type === 'im.message.receive_v1' ? toInboundEvent(envelope) : undefined;
      return writer.add(id, type, payload, undefined, { settled: event?.kind === 'message' && isUnaddressedChatter(event) });
    },
    holdForeground: () => foreground.hold(),
    answerCard: (event) => {
      // 0: every click answered with the toast alone (tests of the delayed path).
      let late = o.cardAnswerByMs === 0;
      const work = (async () => {
        const now = clock();
        try {
          const ctx = await routeEvent(deps, event, now);
          // Too late to answer inline: the card goes with the token instead, in the same batch.
          const delayed = late && ctx?.card && event.token ? cardUpdateRow(event.token, event.messageId, ctx.card, { now }) : undefined;
          if (delayed) ctx!.messages.push(delayed);
          await commitEffects(db, ctx, event.eventId, now);
          sender.wake();
          if (late && !delayed && ctx?.card && event.token) await queueLateCard(event.token, event.messageId, ctx.card);
          return late ? { toast: STILL_WORKING } : cardResponse(ctx);
        } catch (e) {
          if (isAlreadyProcessed(e)) return {};
          log.error('card action failed', { eventId: event.eventId, ...errorFields(e) });
          return { toast: { type: 'error', content: '操作失败，请重试', i18n: { zh_cn: '操作失败，请重试', en_us: 'Action failed; please retry' } } };
        }
      })();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<Record<string, unknown>>((resolve) => {
        timer = setTimeout(() => {
          late = true;
          log.warn('card action slower than the answer window; the card follows by delayed update', { eventId: event.eventId });
          resolve({ toast: STILL_WORKING });
        }, o.cardAnswerByMs ?? CARD_ANSWER_BY_MS);
      });
      return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
    },
  };

  /** The window closed while the batch was committing: the card follows in a batch of its own. */
  async function queueLateCard(token: string, messageId: string | undefined, card: Record<string, unknown>) {
    const [first, ...rest] = insertOutbox(db, [cardUpdateRow(token, messageId, card, { now: clock() })]);
    await db.batch([first, ...rest]);
    sender.wake();
  }
  const eventMode = o.eventMode ?? 'webhook';
  let longConnection: LongConnection | undefined;
  const health = () => {
    const connection = longConnection?.status();
    const ok = identified && (eventMode === 'webhook' || connection?.state === 'connected');
    // Webhook mode keeps /healthz's plain { ok }; ws adds the mode and the connection's state.
    return connection ? { ok, mode: eventMode, connection: connection.state, connects: connection.connects } : eventMode === 'ws' ? { ok, mode: eventMode } : { ok };
  };
  deps.service = { health, flushCounts: () => budget.flush() };
  const status = o.statusToken
    ? {
        token: o.statusToken,
        read: async () => {
          await budget.flush();
          return readStatus({ db, settings: o.settings, now: clock(), health: health() });
        },
      }
    : undefined;
  const app = createApp({ ready: () => identified, health, status, extend: o.extendApp, ingest: ingestDeps });

  /** Learns the bot's open_id (for mention stripping); retried by the caller until it works. */
  async function identify(): Promise<string> {
    const info = await lark.botInfo();
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

  const jobDeps: JobDeps = { db, settings: o.settings, log, lark: direct, backups: o.backups };

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
    budget,
    identify,
    get ready() {
      return identified;
    },
    get eventMode() {
      return eventMode;
    },
    health,
    /** LARK_EVENT_MODE=ws: opens the SDK's long connection; its events take the webhook's inbox path. */
    connect(app: { appId: string; appSecret: string; domain: string }, start: typeof startLongConnection) {
      longConnection = start({ ...app, log, accept: (envelope) => acceptLongConnectionEvent(envelope, ingestDeps) });
      return longConnection;
    },
    get longConnection() {
      return longConnection;
    },
    /** Starts the inbox worker and outbox sender loops (Node; Workers drain per request instead). */
    start() {
      worker.start();
      sender.start();
    },
    async stop() {
      longConnection?.close();
      await worker.stop();
      await sender.stop();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
