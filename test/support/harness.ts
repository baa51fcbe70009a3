import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { startFakeLark, type FakeLark, type FakeMessage } from '../../src/lark/fake/server.ts';
import { SdkLarkClient } from '../../src/lark/sdk-client.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { cardActionEnvelope, messageEnvelope, signedRequest, type CardActionSpec, type MentionSpec } from '../../src/lark/simulate.ts';
import type { IngestSecrets } from '../../src/lark/ingest.ts';
import { RateLimiter } from '../../src/outbox/rate-limit.ts';
import { checkCard, checkCardResponse } from './card-check.ts';
import { makeSettings, type Settings } from '../../src/settings.ts';
import type { Backups } from '../../src/backup/backups.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { scanLogs } from './log-scan.ts';

export const SECRETS: IngestSecrets = { encryptKey: 'test-encrypt-key', verificationToken: 'test-verification-token' };

export interface HarnessOptions {
  start?: Date;
  adminOpenIds?: string[];
  tz?: string;
  /** Share a database file with an earlier harness (restart scenarios). */
  dbPath?: string;
  fake?: FakeLark;
  settings?: Partial<Settings>;
  backups?: Backups;
  /** LARK_EVENT_MODE; with ws the test calls runtime.connect itself. */
  eventMode?: 'webhook' | 'ws';
  cardAnswerByMs?: number;
  statusToken?: string;
  log?: Logger;
  /** `false` starts without asking Lark who the bot is, as a process does right after a start. */
  identify?: boolean;
}

/**
 * A whole Watchkeeper on a fresh libSQL file, its real SDK client pointed at the fake Lark,
 * and a clock the test moves. `say` and `click` go through signed HTTP like Lark's own calls.
 */
export async function startHarness(o: HarnessOptions = {}) {
  const dir = o.dbPath ? undefined : mkdtempSync(join(tmpdir(), 'wk-'));
  const dbPath = o.dbPath ?? join(dir!, 'test.db');
  let now = o.start ?? new Date('2026-12-01T01:00:00Z');
  const clock = () => now;
  const fake = o.fake ?? (await startFakeLark({ now: () => now.getTime() }));
  const database: Database = await openDatabase(`file:${dbPath}`);
  await migrateDatabase(database.db);
  // Every line the runtime logs, at every level; close() runs them through the secrets check.
  const logLines: string[] = [];
  const said: string[] = [];
  const scanned = createLogger('debug', (line) => logLines.push(line));
  // A test's own logger sees what the runtime logs, and the secrets check still sees every line.
  const log: Logger = o.log ? teeLogger(scanned, o.log) : scanned;
  const lark = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log });
  const runtime: Runtime = await createRuntime({
    settings: makeSettings({ tz: o.tz ?? 'Asia/Shanghai', adminOpenIds: o.adminOpenIds ?? [], ...o.settings }),
    database,
    lark,
    workspace: lark.workspace(),
    secrets: SECRETS,
    clock,
    wallClock: () => now.getTime(),
    log,
    // Limits in the test clock would never refill; the fake enforces Lark's, which the tests check.
    limiter: new RateLimiter({ perSecond: 1e9, perMinute: 1e9, perChatPerSecond: 1e9 }),
    backups: o.backups,
    eventMode: o.eventMode,
    cardAnswerByMs: o.cardAnswerByMs,
    statusToken: o.statusToken,
  });
  if (o.identify !== false) await runtime.identify();

  async function post(payload: unknown, opts: { encrypt?: boolean } = {}) {
    const req = await signedRequest(payload, SECRETS, { encrypt: opts.encrypt, timestampSeconds: Math.floor(now.getTime() / 1000) });
    return runtime.app.request('/lark/events', { method: 'POST', body: req.body, headers: req.headers });
  }

  /** Runs the inbox worker and the outbox sender until both are idle, then checks every new card. */
  async function settle() {
    for (let i = 0; i < 10; i++) {
      const handled = await runtime.worker.runOnce();
      const sent = await runtime.sender.drain();
      if (handled === 0 && sent === 0) break;
    }
    checkNewCards();
  }

  // Every card the bot sends, patches or updates must be valid card JSON 2.0 (test/support/card-check.ts).
  const cardsChecked = new WeakMap<FakeMessage, number>();
  let updatesChecked = 0;
  function checkNewCards() {
    const problems: string[] = [];
    for (const m of fake.messages) {
      if (m.msgType !== 'interactive' || m.senderOpenId !== fake.botOpenId) continue;
      const versions = [m.content, ...m.patches];
      for (let i = cardsChecked.get(m) ?? 0; i < versions.length; i++) {
        const what = i === 0 ? `card ${m.messageId}` : `patch ${i} of ${m.messageId}`;
        problems.push(...checkCard(JSON.parse(versions[i])).map((p) => `${what}: ${p}`));
      }
      cardsChecked.set(m, versions.length);
    }
    if (updatesChecked > fake.cardUpdates.length) updatesChecked = 0; // fake.reset()
    for (; updatesChecked < fake.cardUpdates.length; updatesChecked++) {
      problems.push(...checkCard(fake.cardUpdates[updatesChecked].card).map((p) => `delayed card update ${updatesChecked}: ${p}`));
    }
    assertNoCardProblems(problems);
  }

  /** Bot messages created after `since` (by index into fake.messages). */
  const after = (mark: number) => fake.messages.slice(mark);

  return {
    runtime,
    fake,
    db: database.db,
    client: database.client,
    dbPath,
    clock,
    get now() {
      return now;
    },
    setNow(d: Date) {
      now = d;
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    post,
    settle,
    /** A user's message, as Lark would deliver it; returns the bot's answers. */
    async say(senderOpenId: string, text: string, opts: { chatId?: string; chatType?: 'p2p' | 'group'; mentions?: MentionSpec[]; eventId?: string; rootId?: string; parentId?: string; imageKey?: string; postImages?: string[] } = {}) {
      // Each message takes a second of test time, so Lark's per-chat limit (5/s) never trips by accident.
      now = new Date(now.getTime() + 1000);
      said.push(text);
      const chatType = opts.chatType ?? 'group';
      const chatId = opts.chatId ?? (chatType === 'p2p' ? `oc_p2p_${senderOpenId}` : 'oc_group');
      const userMsg = fake.addMessage({ chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId });
      const mark = fake.messages.length;
      const res = await post(
        messageEnvelope({ senderOpenId, chatId, chatType, text, token: SECRETS.verificationToken, messageId: userMsg.messageId, ...opts }),
      );
      await settle();
      return { res, messageId: userMsg.messageId, replies: after(mark).filter((m) => m.messageId !== userMsg.messageId) };
    },
    async click(spec: Omit<CardActionSpec, 'token'>) {
      now = new Date(now.getTime() + 1000);
      const mark = fake.messages.length;
      const res = await post(cardActionEnvelope({ ...spec, token: SECRETS.verificationToken }));
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status === 200) assertNoCardProblems(checkCardResponse(body).map((p) => `card callback response: ${p}`));
      await settle();
      return { res, body, sent: after(mark) };
    },
    /** What the runtime logged so far, one JSON line each. */
    logLines,
    /** Any signed event envelope (task.task.updated_v1 …), as Lark would post it; settles. */
    async event(envelope: unknown) {
      const mark = fake.messages.length;
      const res = await post(envelope);
      await settle();
      return { res, sent: after(mark) };
    },
    async close(opts: { keepDb?: boolean; keepFake?: boolean } = {}) {
      await runtime.stop();
      database.close();
      if (!opts.keepFake && !o.fake) await fake.close();
      if (dir && !opts.keepDb) rmSync(dir, { recursive: true, force: true });
      // No secret, no tenant token, and no text anyone typed above debug (test/secrets-in-logs.test.ts).
      const leaks = scanLogs(logLines, { secrets: [SECRETS.encryptKey, SECRETS.verificationToken, fake.appSecret], texts: said });
      if (leaks.length) throw new Error(`the server logged what it must not:\n  ${leaks.slice(0, 10).join('\n  ')}`);
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;


function assertNoCardProblems(problems: string[]) {
  if (problems.length) throw new Error(`not valid card JSON 2.0:\n  ${problems.join('\n  ')}`);
}

/** The text of a bot text message, or the card JSON of a card. */
export function textOf(m: FakeMessage): string {
  const c = JSON.parse(m.content) as { text?: string };
  return c.text ?? m.content;
}

function teeLogger(a: Logger, b: Logger): Logger {
  return {
    debug: (m, f) => (a.debug(m, f), b.debug(m, f)),
    info: (m, f) => (a.info(m, f), b.info(m, f)),
    warn: (m, f) => (a.warn(m, f), b.warn(m, f)),
    error: (m, f) => (a.error(m, f), b.error(m, f)),
  };
}
