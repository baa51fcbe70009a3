import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRETS, startHarness, textOf, type Harness } from './support/harness.ts';
import { messageEnvelope } from '../src/lark/simulate.ts';
import { claimInbox } from '../src/inbox/store.ts';
import { messageHooks, type MessageHook } from '../src/bot/router.ts';
import { BotContext } from '../src/bot/context.ts';
import { resolveCaller } from '../src/domain/people.ts';
import type { FakeLark } from '../src/lark/fake/server.ts';

// Durability: an acknowledged event survives a crash and is handled exactly once, whichever
// process (or how many of them) picks it up. Each scenario shares one database file between
// harnesses the way two processes (or one process before and after a restart) would.

const open: Harness[] = [];
let fake: FakeLark | undefined;
let dbDir: string | undefined;

afterEach(async () => {
  for (const h of open.splice(0)) await h.close({ keepDb: true, keepFake: true });
  await fake?.close();
  if (dbDir) rmSync(dbDir, { recursive: true, force: true });
  fake = undefined;
  dbDir = undefined;
});

async function first() {
  const h = await startHarness();
  open.push(h);
  fake = h.fake;
  dbDir = dirname(h.dbPath);
  return h;
}

/** Another process on the same database file and the same Lark, its clock starting at `at`. */
async function another(h: Harness, at: Date) {
  const next = await startHarness({ dbPath: h.dbPath, fake: h.fake, start: at });
  open.push(next);
  return next;
}

/** Simulates the process dying: its loops stop and its connection closes; the file stays. */
async function crash(h: Harness) {
  open.splice(open.indexOf(h), 1);
  await h.close({ keepDb: true, keepFake: true });
}

/** A user's message, posted to the webhook of `h` as Lark would; returns ids to follow it by. */
async function postMessage(h: Harness, text: string, sender = 'ou_stranger') {
  const chatId = 'oc_restart';
  const m = h.fake.addMessage({ chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId: sender });
  const env = messageEnvelope({ senderOpenId: sender, chatId, text, messageId: m.messageId, token: SECRETS.verificationToken });
  const res = await h.post(env);
  expect(res.status).toBe(200);
  return { eventId: env.header.event_id, messageId: m.messageId };
}

async function inboxRow(h: Harness, eventId: string) {
  const rs = await h.client.execute({ sql: 'SELECT status, attempts, claimed_by, error FROM inbox WHERE event_id = ?', args: [eventId] });
  return rs.rows[0];
}

async function receipts(h: Harness, eventId: string) {
  const rs = await h.client.execute({ sql: 'SELECT count(*) AS n FROM processed_events WHERE event_id = ?', args: [eventId] });
  return Number(rs.rows[0].n);
}

const repliesTo = (f: FakeLark, messageId: string) => f.messages.filter((m) => m.parentId === messageId);

describe('restarts and concurrent workers', () => {
  it('handles an event acknowledged just before a crash, once, after the restart', async () => {
    const h1 = await first();
    const { eventId, messageId } = await postMessage(h1, '/whoami', 'ou_before_crash');
    // Acknowledged to Lark, so Lark will never send it again: only the inbox row remembers it.
    expect(await inboxRow(h1, eventId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(repliesTo(h1.fake, messageId)).toHaveLength(0);
    await crash(h1);

    const h2 = await another(h1, h1.now);
    await h2.settle();
    const replies = repliesTo(h2.fake, messageId);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('ou_before_crash');
    expect(await inboxRow(h2, eventId)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await receipts(h2, eventId)).toBe(1);

    // A further restart neither handles it again nor resends the answer.
    await crash(h2);
    const h3 = await another(h2, new Date(h2.now.getTime() + 60_000));
    await h3.settle();
    expect(repliesTo(h3.fake, messageId)).toHaveLength(1);
    expect(await receipts(h3, eventId)).toBe(1);
  });

  it('takes over a row claimed by a worker that died, once its lease has expired', async () => {
    const h1 = await first();
    const { eventId, messageId } = await postMessage(h1, '/whoami', 'ou_orphaned');
    const claimed = await claimInbox(h1.client, 'worker-that-died', h1.now.getTime(), 30_000, 10);
    expect(claimed.map((c) => c.eventId)).toEqual([eventId]);
    await crash(h1);

    const h2 = await another(h1, h1.now);
    await h2.settle();
    expect(repliesTo(h2.fake, messageId)).toHaveLength(0);
    h2.advance(30_000); // the lease runs to exactly this instant: still held
    await h2.settle();
    expect(repliesTo(h2.fake, messageId)).toHaveLength(0);
    expect(await inboxRow(h2, eventId)).toMatchObject({ status: 'pending', claimed_by: 'worker-that-died' });

    h2.advance(1);
    await h2.settle();
    const replies = repliesTo(h2.fake, messageId);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('ou_orphaned');
    expect(await inboxRow(h2, eventId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await receipts(h2, eventId)).toBe(1);

    h2.advance(60_000);
    await h2.settle();
    expect(repliesTo(h2.fake, messageId)).toHaveLength(1);
  });

  it('lets only one of two workers commit an event both of them processed', async () => {
    const h1 = await first();
    const h2 = await another(h1, h1.now);

    // A worker that stalls mid-event (a long GC pause, a slow disk) for longer than its lease:
    // the first to reach the hook is held until released; everyone else goes straight through.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let stalled!: () => void;
    const inside = new Promise<void>((r) => (stalled = r));
    let entries = 0;
    const hook: MessageHook = async (deps, event, now) => {
      if (!event.text.includes('巡查完毕')) return undefined;
      if (++entries === 1) {
        stalled();
        await gate;
      }
      const caller = await resolveCaller(deps.db, event.senderOpenId, []);
      const ctx = new BotContext(deps, caller, { kind: 'message', messageId: event.messageId, chatId: event.chatId, chatType: event.chatType }, now);
      ctx.reply({ text: '已记录 noted' });
      return ctx;
    };
    messageHooks.unshift(hook);
    try {
      const { eventId, messageId } = await postMessage(h1, '今日巡查完毕', 'ou_inspector');

      const slow = h1.runtime.worker.runOnce();
      await inside;
      // The second process sees the first one's lease run out and takes the row over.
      h2.advance(30_001);
      expect(await h2.runtime.worker.runOnce()).toBe(1);
      expect(entries).toBe(2);
      expect(await h2.runtime.sender.drain()).toBe(1);

      // The stalled worker wakes up and tries to commit the same event.
      release();
      await slow;
      expect(await h1.runtime.sender.drain()).toBe(0);
      await h1.settle();
      await h2.settle();

      const replies = repliesTo(h1.fake, messageId);
      expect(replies).toHaveLength(1);
      expect(textOf(replies[0])).toBe('已记录 noted');
      expect(await receipts(h1, eventId)).toBe(1);
      expect(await inboxRow(h1, eventId)).toMatchObject({ status: 'done', attempts: 2, error: null });
      const outbox = await h1.client.execute({ sql: 'SELECT count(*) AS n FROM outbox WHERE target = ?', args: [messageId] });
      expect(Number(outbox.rows[0].n)).toBe(1);
    } finally {
      messageHooks.splice(messageHooks.indexOf(hook), 1);
      release();
    }
  });
});
