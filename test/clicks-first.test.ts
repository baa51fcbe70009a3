import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Harness } from './support/harness.ts';
import { SECRETS } from './support/harness.ts';
import { cardJson, cardText, findButton } from './support/cards.ts';
import { dmsTo, FIXER, hazardRow, LEADER, MEIHE, reportHazard, startTown } from './support/hazard-helpers.ts';
import { cardActionEnvelope, messageEnvelope, signedRequest } from '../src/lark/simulate.ts';
import { InboxWriter } from '../src/inbox/store.ts';
import { InboxWorker } from '../src/inbox/worker.ts';
import { Foreground, yieldToLoop } from '../src/inbox/foreground.ts';
import { messageHooks, type MessageHook } from '../src/bot/router.ts';

// Issue 20: a card click is answered inline on the event loop the inbox worker shares, and
// libSQL's file calls are synchronous. The worker returns to the loop between events and waits
// while a click is being answered, so a click never waits for a whole batch of chatter
// (docs/adr/0025-clicks-before-chatter.md).

let h: Harness;

beforeAll(async () => {
  h = await startTown();
});
afterAll(() => h.close());

const CHATTER = ['收到', '好的，马上去现场看看', '今天下午三点开安全生产例会', '明白', '辛苦了'];

/**
 * `n` replies in group threads, acknowledged into the inbox as the webhook would: the worker looks
 * each one up (a 收到 could acknowledge a buzzed card) and answers none of them.
 */
async function inboxChatter(n: number, tag: string) {
  const writer = new InboxWriter(h.client, () => h.now.getTime());
  const ids = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const env = messageEnvelope({ senderOpenId: `ou_chatter_${i % 7}`, chatId: `oc_chatter_${i % 11}`, rootId: `om_thread_${i % 13}`, text: CHATTER[i % CHATTER.length], token: SECRETS.verificationToken, eventId: `ev_${tag}_${i}` });
      return writer.add(`ev_${tag}_${i}`, 'im.message.receive_v1', JSON.stringify(env)).then((fresh) => (expect(fresh).toBe(true), `ev_${tag}_${i}`));
    }),
  );
  return ids;
}

const statusCounts = async (prefix: string) =>
  Object.fromEntries(
    (await h.db.all<{ status: string; n: number }>(sql`SELECT status, count(*) AS n FROM inbox WHERE event_id LIKE ${prefix + '%'} GROUP BY status`)).map((r) => [r.status, r.n]),
  );

describe('group chatter that cannot concern the bot', () => {
  const post = (text: string, o: { eventId: string; rootId?: string; mentionBot?: boolean; chatType?: 'p2p' | 'group' }) => {
    const m = h.fake.addMessage({ chatId: 'oc_township', content: JSON.stringify({ text }), msgType: 'text', senderOpenId: LEADER });
    return h.post(
      messageEnvelope({
        senderOpenId: LEADER,
        chatId: 'oc_township',
        chatType: o.chatType,
        text: o.mentionBot ? `@_user_1 ${text}` : text,
        mentions: o.mentionBot ? [{ openId: h.fake.botOpenId, name: '安全值守助手' }] : undefined,
        rootId: o.rootId,
        messageId: m.messageId,
        eventId: o.eventId,
        token: SECRETS.verificationToken,
      }),
    );
  };
  const row = async (eventId: string) => (await h.client.execute({ sql: 'SELECT status, processed_at, claimed_by FROM inbox WHERE event_id = ?', args: [eventId] })).rows;
  const receipts = async (eventId: string) => (await h.client.execute({ sql: 'SELECT count(*) AS n FROM processed_events WHERE event_id = ?', args: [eventId] })).rows[0].n;

  it('is stored as handled when it arrives, once, with no receipt and no answer; whatever may concern the bot waits for the worker', async () => {
    const at = h.now.getTime();
    expect((await post('今天下午三点开安全生产例会', { eventId: 'ev_chat_plain' })).status).toBe(200);
    expect((await post('今天下午三点开安全生产例会', { eventId: 'ev_chat_plain' })).status).toBe(200); // Lark redelivers
    expect(await row('ev_chat_plain')).toEqual([{ status: 'ignored', processed_at: at, claimed_by: null }]);
    expect(await receipts('ev_chat_plain')).toBe(0);
    // A command, the bot @-mentioned, a reply in a thread, a direct message: handled by the worker.
    await post('/help', { eventId: 'ev_chat_cmd' });
    await post('帮我查一下值班', { eventId: 'ev_chat_mention', mentionBot: true });
    await post('收到', { eventId: 'ev_chat_thread', rootId: 'om_some_card' });
    await post('帮我查一下值班', { eventId: 'ev_chat_p2p', chatType: 'p2p' });
    for (const id of ['ev_chat_cmd', 'ev_chat_mention', 'ev_chat_thread', 'ev_chat_p2p']) expect((await row(id))[0].status).toBe('pending');
    const mark = h.fake.messages.length;
    await h.settle();
    expect((await row('ev_chat_cmd'))[0].status).toBe('done');
    expect((await row('ev_chat_thread'))[0].status).toBe('ignored');
    expect(await receipts('ev_chat_thread')).toBe(1);
    // Three answers (the command, the mention, the direct message); nothing for the chatter.
    expect(h.fake.messages.slice(mark).filter((m) => m.senderOpenId === h.fake.botOpenId)).toHaveLength(3);
  });

  it('still reaches the worker while a message hook that is not for threads only is listed', async () => {
    const seen: string[] = [];
    const hook: MessageHook = async (_deps, event) => (seen.push(event.text), undefined);
    messageHooks.push(hook);
    try {
      await post('巡查完毕', { eventId: 'ev_chat_hooked' });
      expect((await row('ev_chat_hooked'))[0].status).toBe('pending');
      await h.settle();
      expect(seen).toEqual(['巡查完毕']);
      expect((await row('ev_chat_hooked'))[0].status).toBe('ignored');
    } finally {
      messageHooks.splice(messageHooks.indexOf(hook), 1);
    }
  });
});

describe('card clicks before chatter', () => {
  it('a click is answered with its updated card while a large chatter batch is still being handled, and every chatter event is handled once', async () => {
    const { no, card } = await reportHazard(h, LEADER, `/report ${MEIHE} 配电室门口堆放杂物`);
    const dispatch = findButton(cardJson(card.content), 'hazard.dispatch')!;
    await h.click({ operatorOpenId: LEADER, value: dispatch, formValue: { assignee: FIXER, deadline: '2026-12-10 +0800' }, messageId: card.messageId, chatId: card.chatId });
    const notice = dmsTo(h, FIXER).at(-1)!;
    const rectify = findButton(cardJson(notice.content), 'hazard.rectify')!;

    const N = 3000;
    await inboxChatter(N, 'batch');
    // Signed before the batch starts, so the click's only waits are the server's own.
    const req = await signedRequest(cardActionEnvelope({ operatorOpenId: FIXER, value: rectify, messageId: notice.messageId, chatId: notice.chatId, token: SECRETS.verificationToken }), SECRETS, { timestampSeconds: Math.floor(h.now.getTime() / 1000) });

    const order: string[] = [];
    const batch = h.runtime.worker.runOnce().then((n) => (order.push('batch done'), n));
    const click = Promise.resolve(h.runtime.app.request('/lark/events', { method: 'POST', body: req.body, headers: req.headers })).then(async (res) => {
      order.push('click answered');
      return { status: res.status, body: (await res.json()) as { card?: { data: Record<string, unknown> }; toast?: { type: string; content: string } } };
    });
    const [handled, answer] = await Promise.all([batch, click]);

    expect(order).toEqual(['click answered', 'batch done']);
    expect(answer.status).toBe(200);
    expect(answer.body.toast?.type).toBe('success');
    expect(cardText(answer.body.card!.data)).toContain('待复查');
    expect((await hazardRow(h, no)).status).toBe('rectified');
    // Nothing acknowledged is lost or handled twice: every chatter row handled, one receipt each.
    expect(handled).toBe(N);
    expect(await statusCounts('ev_batch_')).toEqual({ ignored: N });
    const [{ receipts }] = await h.db.all<{ receipts: number }>(sql`SELECT count(*) AS receipts FROM processed_events WHERE event_id LIKE 'ev_batch_%'`);
    expect(receipts).toBe(N);
  });

  it('the worker handles no event while a click holds the foreground, and goes on once it is answered', async () => {
    await inboxChatter(20, 'held');
    const foreground = new Foreground();
    const worker = new InboxWorker({ client: h.client, deps: h.runtime.deps, clock: h.clock, log: h.runtime.deps.log, instanceId: 'held-test', foreground, foregroundMaxWaitMs: 60_000 });
    const release = foreground.hold();
    let finished = false;
    const run = worker.runOnce().then((n) => ((finished = true), n));
    for (let i = 0; i < 50; i++) await yieldToLoop();
    // Claimed into the batch, none handled: the worker is waiting for the click.
    expect(finished).toBe(false);
    expect(await statusCounts('ev_held_')).toEqual({ pending: 20 });
    release();
    expect(await run).toBe(20);
    expect(await statusCounts('ev_held_')).toEqual({ ignored: 20 });
  });

  it('a click held for longer than the worker waits slows the inbox but never stops it', async () => {
    await inboxChatter(5, 'stuck');
    const foreground = new Foreground();
    const worker = new InboxWorker({ client: h.client, deps: h.runtime.deps, clock: h.clock, log: h.runtime.deps.log, instanceId: 'stuck-test', foreground, foregroundMaxWaitMs: 1 });
    foreground.hold(); // never released
    expect(await worker.runOnce()).toBe(5);
    expect(await statusCounts('ev_stuck_')).toEqual({ ignored: 5 });
  });
});
