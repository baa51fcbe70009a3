import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { BotContext } from '../src/bot/context.ts';
import { commitEffects } from '../src/bot/commit.ts';
import type { Caller } from '../src/domain/people.ts';

// The outbox sender against the fake Lark over real HTTP, through the real SDK. Time only moves
// when a test moves the harness clock; `drain()` is what the sender loop would run on its tick.

let h: Harness;
const caller: Caller = { openId: 'ou_duty_officer', roles: new Set() };

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  // Each test starts a minute later with an empty outbox and an empty fake (no messages, calls,
  // failures or rate windows), so what one test leaves behind cannot be sent in another.
  await h.client.execute('DELETE FROM outbox');
  h.fake.reset();
  h.advance(60_000);
});

/** Queues messages the way a handler does: collected in a context, committed in one batch. */
async function queue(build: (ctx: BotContext) => void) {
  const ctx = new BotContext(h.runtime.deps, caller, { kind: 'menu' }, h.now);
  build(ctx);
  await commitEffects(h.db, ctx, undefined, h.now);
  return ctx;
}

async function outboxRow(id: string) {
  const rs = await h.client.execute({ sql: 'SELECT status, attempts, last_error, lark_message_id, next_attempt_at FROM outbox WHERE id = ?', args: [id] });
  const r = rs.rows[0];
  return { status: String(r.status), attempts: Number(r.attempts), lastError: r.last_error == null ? null : String(r.last_error), larkMessageId: r.lark_message_id == null ? null : String(r.lark_message_id), nextAttemptAt: Number(r.next_attempt_at) };
}

const messageCalls = () => h.fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages');
const tokenCalls = () => h.fake.calls.filter((c) => c.path === '/open-apis/auth/v3/tenant_access_token/internal');
const drain = () => h.runtime.sender.drain();

describe('outbox delivery', () => {
  it('retries a 500 with backoff, only once the clock has passed it, and delivers exactly once', async () => {
    let id = '';
    await queue((ctx) => (id = ctx.send({ chatId: 'oc_ops' }, { text: '值班提醒 duty reminder' })));
    h.fake.failNext(2, { status: 500, code: 500, msg: 'internal error' });

    expect(await drain()).toBe(0);
    let row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toContain('500');
    expect(row.nextAttemptAt).toBeGreaterThan(h.now.getTime());

    // Not due yet: nothing is sent, however often the loop ticks.
    expect(await drain()).toBe(0);
    h.advance(row.nextAttemptAt - h.now.getTime() - 1);
    expect(await drain()).toBe(0);
    expect(messageCalls()).toHaveLength(1);

    h.advance(1);
    expect(await drain()).toBe(0); // the second injected 500
    row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(messageCalls()).toHaveLength(2);

    // The backoff grows; half of it is not enough.
    const wait = row.nextAttemptAt - h.now.getTime();
    expect(wait).toBeGreaterThan(1000);
    h.advance(wait / 2);
    expect(await drain()).toBe(0);
    h.advance(wait / 2);
    expect(await drain()).toBe(1);

    row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(h.fake.messages).toHaveLength(1);
    expect(h.fake.messages[0]).toMatchObject({ chatId: 'oc_ops', uuid: id, messageId: row.larkMessageId });
    expect(textOf(h.fake.messages[0])).toBe('值班提醒 duty reminder');
    expect(messageCalls()).toHaveLength(3);
  });

  it('waits out a 429 for as long as x-ogw-ratelimit-reset says, without counting it as a failed try', async () => {
    let id = '';
    await queue((ctx) => (id = ctx.send({ chatId: 'oc_ops' }, { text: 'after the limit' })));
    h.fake.failNext(1, { status: 429, code: 99991400, msg: 'request trigger frequency limit', resetSeconds: 7 });

    expect(await drain()).toBe(0);
    expect(await outboxRow(id)).toMatchObject({ status: 'pending', attempts: 0 });
    h.advance(6_999);
    expect(await drain()).toBe(0);
    expect(messageCalls()).toHaveLength(1);
    expect(h.fake.messages).toHaveLength(0);

    h.advance(1);
    expect(await drain()).toBe(1);
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 0, lastError: null });
    expect(h.fake.messages).toHaveLength(1);
    expect(textOf(h.fake.messages[0])).toBe('after the limit');
  });

  it("keeps to Lark's 5-per-second chat limit: the overflow is rescheduled and sent a second later, once each", async () => {
    const ids: string[] = [];
    await queue((ctx) => {
      for (let i = 1; i <= 8; i++) ids.push(ctx.send({ chatId: 'oc_busy' }, { text: `通知 ${i}` }));
    });

    expect(await drain()).toBe(5);
    expect(h.fake.messages).toHaveLength(5);
    // One refusal holds back the rest of the chat: no more calls are wasted on it in this drain.
    const refused = h.fake.calls.filter((c) => c.code === 230020);
    expect(refused).toHaveLength(1);
    const rows = await Promise.all(ids.map(outboxRow));
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(5);
    const waiting = rows.filter((r) => r.status === 'pending');
    expect(waiting).toHaveLength(3);
    expect(waiting[0].lastError).toContain('230020');
    for (const r of waiting) expect(r.attempts).toBe(0);

    h.advance(999);
    expect(await drain()).toBe(0);
    h.advance(1);
    expect(await drain()).toBe(3);

    expect(h.fake.messages).toHaveLength(8);
    expect(new Set(h.fake.messages.map((m) => m.uuid))).toEqual(new Set(ids));
    // In a chat, messages arrive in the order they were queued.
    expect(h.fake.messages.map(textOf)).toEqual(ids.map((_, i) => `通知 ${i + 1}`));
    expect((await Promise.all(ids.map(outboxRow))).every((r) => r.status === 'sent')).toBe(true);
  });

  it('keeps a chat in order when an earlier message is in backoff', async () => {
    await queue((ctx) => {
      ctx.send({ chatId: 'oc_order' }, { text: 'first' });
      ctx.send({ chatId: 'oc_order' }, { text: 'second' });
    });
    h.fake.failNext(1, { status: 500, code: 500 });
    expect(await drain()).toBe(0);
    h.advance(5000);
    expect(await drain()).toBe(2);
    expect(h.fake.messages.filter((m) => m.chatId === 'oc_order').map(textOf)).toEqual(['first', 'second']);
  });

  it('gives up at once on a permanent error, recording it, and never retries', async () => {
    let id = '';
    await queue((ctx) => (id = ctx.send({ chatId: 'oc_left' }, { text: 'nobody will see this' })));
    h.fake.failNext(1, { status: 400, code: 230002, msg: 'Bot/User can NOT be out of the chat.' });

    expect(await drain()).toBe(0);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toContain('230002');
    expect(row.lastError).toContain('out of the chat');

    h.advance(24 * 60 * 60_000);
    expect(await drain()).toBe(0);
    expect(messageCalls()).toHaveLength(1);
    expect(h.fake.messages).toHaveLength(0);
    expect((await outboxRow(id)).status).toBe('failed');
  });

  it('refreshes an expired tenant token once and delivers on the first drain', async () => {
    // Make sure the client holds a token before Lark forgets it.
    await queue((ctx) => ctx.send({ chatId: 'oc_ops' }, { text: 'warm up' }));
    expect(await drain()).toBe(1);
    h.fake.reset();

    h.fake.expireTokens();
    let id = '';
    await queue((ctx) => (id = ctx.send({ chatId: 'oc_ops' }, { text: 'after expiry' })));
    expect(await drain()).toBe(1);

    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 0 });
    expect(h.fake.messages.map(textOf)).toEqual(['after expiry']);
    expect(tokenCalls()).toHaveLength(1);
    const sends = messageCalls();
    expect(sends.map((c) => c.code)).toEqual([99991663, 0]);
  });

  it('buzzes (加急) the named person on the message once it is sent', async () => {
    const target = 'ou_on_call';
    let sendId = '';
    await queue((ctx) => {
      sendId = ctx.send({ openId: target }, { text: '紧急：请立即处理 urgent' });
      ctx.buzz(sendId, [target]);
    });

    expect(await drain()).toBe(2);
    expect(h.fake.messages).toHaveLength(1);
    const sent = h.fake.messages[0];
    expect(sent).toMatchObject({ receiveIdType: 'open_id', receiveId: target, uuid: sendId });
    expect(sent.urgent).toEqual([{ openIds: [target], kind: 'app' }]);
    const urgentCalls = h.fake.calls.filter((c) => c.path === `/open-apis/im/v1/messages/${sent.messageId}/urgent_app`);
    expect(urgentCalls).toHaveLength(1);
    const rows = await h.client.execute({ sql: 'SELECT status FROM outbox WHERE parent_id = ?', args: [sendId] });
    expect(rows.rows.map((r) => r.status)).toEqual(['sent']);
  });

  it('fails the buzz too when its message cannot be sent', async () => {
    const target = 'ou_on_call';
    let sendId = '';
    await queue((ctx) => {
      sendId = ctx.send({ openId: target }, { text: 'never arrives' });
      ctx.buzz(sendId, [target]);
    });
    h.fake.failNext(1, { status: 400, code: 230002, msg: 'Bot/User can NOT be out of the chat.' });

    expect(await drain()).toBe(0);
    expect((await outboxRow(sendId)).status).toBe('failed');
    const child = await h.client.execute({ sql: 'SELECT status, last_error FROM outbox WHERE parent_id = ?', args: [sendId] });
    expect(child.rows).toHaveLength(1);
    expect(child.rows[0].status).toBe('failed');
    expect(String(child.rows[0].last_error)).toContain('parent');

    h.advance(60 * 60_000);
    expect(await drain()).toBe(0);
    expect(h.fake.calls.filter((c) => c.path.endsWith('/urgent_app'))).toHaveLength(0);
    expect(h.fake.messages).toHaveLength(0);
  });
});
