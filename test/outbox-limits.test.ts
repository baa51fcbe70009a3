import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { Effects } from '../src/outbox/effects.ts';
import { commitEffects } from '../src/bot/commit.ts';
import { OutboxSender, DEFAULT_OUTBOX_LEASE_MS } from '../src/outbox/sender.ts';
import { RateLimiter } from '../src/outbox/rate-limit.ts';
import { claimDue, pauseApp } from '../src/outbox/claims.ts';
import { appPausedUntil, honouringAppPause } from '../src/outbox/app-pause.ts';
import { LarkApiError, type LarkClient } from '../src/lark/client.ts';
import { silentLogger } from '../src/log.ts';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { SdkLarkClient } from '../src/lark/sdk-client.ts';

// Lark's limits as the sender meets them (docs/adr/0019): the app-wide 429 (99991400) stops
// every call until x-ogw-ratelimit-reset, a chat's own limit (230020) stops only that chat, urgent
// messages go first when the app-wide limit is what everyone waits for, and a message claimed by
// a process that died is sent by another once a short lease runs out.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.client.execute('DELETE FROM outbox');
  h.fake.reset();
  h.advance(60_000);
});

const unlimited = () => new RateLimiter({ perSecond: 1e9, perMinute: 1e9, perChatPerSecond: 1e9 });

/** The SDK client, with a log of when each call started and when a refusal came back. */
function recording(fake: FakeLark) {
  const sdk = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silentLogger });
  const log: { what: 'start' | 'refused'; code?: number; target: string }[] = [];
  const wrap = <A extends { receiveId?: string; messageId?: string }, R>(f: (a: A) => Promise<R>) => async (a: A): Promise<R> => {
    const target = a.receiveId ?? a.messageId ?? '';
    log.push({ what: 'start', target });
    try {
      return await f(a);
    } catch (e) {
      if (e instanceof LarkApiError && e.kind === 'rate_limited') log.push({ what: 'refused', code: e.code, target });
      throw e;
    }
  };
  const client: LarkClient = {
    botInfo: () => sdk.botInfo(),
    send: wrap((a) => sdk.send(a)),
    reply: wrap((a) => sdk.reply(a)),
    patch: wrap((a) => sdk.patch(a)),
    urgentApp: wrap((a) => sdk.urgentApp(a)),
    urgentSms: wrap((a) => sdk.urgentSms(a)),
    urgentPhone: wrap((a) => sdk.urgentPhone(a)),
    uploadImage: (b) => sdk.uploadImage(b),
    uploadFile: (r) => sdk.uploadFile(r),
    messageResource: (r) => sdk.messageResource(r),
    chatInfo: (id) => sdk.chatInfo(id),
    updateCard: (a) => sdk.updateCard(a),
  };
  /** Calls begun after the first refusal with `code` was seen. */
  const startedAfterRefusal = (code: number) => {
    const i = log.findIndex((e) => e.what === 'refused' && e.code === code);
    return i === -1 ? [] : log.slice(i + 1).filter((e) => e.what === 'start');
  };
  return { client, log, startedAfterRefusal };
}

function senderFor(lark: LarkClient, instanceId: string, limiter = unlimited()) {
  return new OutboxSender({ client: h.client, lark, clock: h.clock, log: silentLogger, instanceId, limiter });
}

/** Queues messages the way a handler or job does: collected, then committed in one batch. */
async function queue(build: (fx: Effects) => void) {
  const fx = new Effects(h.now);
  build(fx);
  await commitEffects(h.db, fx, undefined, h.now);
}

const CHATS = ['oc_town_a', 'oc_town_b', 'oc_town_c', 'oc_town_d'];
const textsIn = (chat: string) => h.fake.messages.filter((m) => m.chatId === chat).map(textOf);

describe("Lark's app-wide limit (99991400)", () => {
  it('pauses all sending, for every chat and every instance, until x-ogw-ratelimit-reset; then all goes once, in order', async () => {
    await queue((fx) => {
      for (let i = 1; i <= 3; i++) for (const chat of CHATS) fx.send({ chatId: chat }, { text: `${chat} 第${i}条` });
    });
    h.fake.failNext(1, { status: 429, code: 99991400, msg: 'request trigger frequency limit', resetSeconds: 5 });
    const a = recording(h.fake);
    const b = recording(h.fake);
    const first = senderFor(a.client, 'instance-a');
    const second = senderFor(b.client, 'instance-b');

    const sentBefore = await first.drain();
    // Calls already on the wire when the 429 came back may land; none may begin after it.
    expect(a.startedAfterRefusal(99991400)).toEqual([]);
    expect(sentBefore).toBeLessThanOrEqual(CHATS.length - 1);
    // The other instance sees the pause through the database.
    expect(await second.drain()).toBe(0);
    expect(b.log).toEqual([]);

    h.advance(4_999);
    expect(await first.drain()).toBe(0);
    expect(await second.drain()).toBe(0);
    expect(a.log.filter((e) => e.what === 'start')).toHaveLength(sentBefore + 1);

    h.advance(1);
    expect(sentBefore + (await first.drain())).toBe(12);
    for (const chat of CHATS) expect(textsIn(chat)).toEqual([1, 2, 3].map((i) => `${chat} 第${i}条`));
    expect(new Set(h.fake.messages.map((m) => m.uuid)).size).toBe(12);
  });
});

describe('a call made beside the outbox (an upload, a download, group info)', () => {
  const upload = { bytes: new TextEncoder().encode('隐患台账'), fileName: '隐患台账.xls', fileType: 'xls' as const };
  function direct() {
    const events: string[] = [];
    const sdk = new SdkLarkClient({ appId: h.fake.appId, appSecret: h.fake.appSecret, domain: h.fake.url, log: silentLogger });
    const off = h.fake.onCall((c) => c.path.endsWith('/files') && events.push(`call ${c.status}`));
    const lark = honouringAppPause(sdk, { client: h.client, clock: h.clock, log: silentLogger, sleep: async (ms) => (events.push(`wait ${ms}`), h.advance(ms)) });
    return { lark, events, off };
  }

  it('waits out an app-wide pause the outbox was told of before calling', async () => {
    await pauseApp(h.client, h.now.getTime() + 2000, h.now.getTime());
    const { lark, events, off } = direct();
    expect((await lark.uploadFile(upload)).fileKey).toBeTruthy();
    off();
    expect(events).toEqual(['wait 2000', 'call 200']);
  });

  it('refused with 99991400 itself, pauses the outbox of every instance and tries once more after the reset', async () => {
    h.fake.failNext(1, { status: 429, code: 99991400, msg: 'request trigger frequency limit', resetSeconds: 3 });
    await queue((fx) => fx.send({ chatId: 'oc_town_a' }, { text: '例行通知' }));
    const refusedAt = h.now.getTime();
    const { lark, events, off } = direct();
    const { fileKey } = await lark.uploadFile(upload);
    off();
    expect(fileKey).toBeTruthy();
    expect(events).toEqual(['call 429', 'wait 3000', 'call 200']);
    expect(await appPausedUntil(h.client)).toBe(refusedAt + 3000);
    // Another instance's outbox claims nothing until the reset.
    const claim = (at: number) => claimDue(h.client, { owner: 'other-instance', now: at, leaseMs: 5000, limit: 10, perChat: 5 });
    expect(await claim(refusedAt + 2999)).toHaveLength(0);
    expect(await claim(refusedAt + 3001)).toHaveLength(1);
  });
});

describe("a chat's own limit (230020)", () => {
  it('holds back only that chat, for a second, while the other chats are served in the same drain', async () => {
    await queue((fx) => {
      for (let i = 1; i <= 3; i++) for (const chat of CHATS) fx.send({ chatId: chat }, { text: `${chat} 第${i}条` });
    });
    // As Feishu answers it: HTTP 400, code 230020, no gateway headers.
    h.fake.failNext(1, { status: 400, code: 230020, msg: 'This operation triggers the frequency limit.' });
    const a = recording(h.fake);
    const sender = senderFor(a.client, 'instance-a');

    expect(await sender.drain()).toBe(9);
    const refused = a.log.find((e) => e.what === 'refused')!;
    expect(refused.code).toBe(230020);
    for (const chat of CHATS) expect(textsIn(chat)).toHaveLength(chat === refused.target ? 0 : 3);

    h.advance(999);
    expect(await sender.drain()).toBe(0);
    h.advance(1);
    expect(await sender.drain()).toBe(3);
    expect(textsIn(refused.target)).toEqual([1, 2, 3].map((i) => `${refused.target} 第${i}条`));
  });
});

describe('urgent messages first', () => {
  it('sends an incident card and its buzz ahead of routine messages when the app-wide limit is the constraint', async () => {
    // A fake on the wall clock, so its windows refill while the sender waits on its own.
    const fake = await startFakeLark();
    const sender = new OutboxSender({
      client: h.client,
      lark: new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silentLogger }),
      clock: h.clock,
      log: silentLogger,
      instanceId: 'urgent-first',
      limiter: new RateLimiter({ perSecond: 10, perMinute: 1000, perChatPerSecond: 5 }),
    });
    try {
      await queue((fx) => {
        for (let i = 0; i < 30; i++) fx.send({ openId: `ou_contact_${i}` }, { text: `例行提醒 ${i}` });
      });
      const draining = sender.drain();
      await new Promise<void>((resolve) => {
        const off = fake.onMessage(() => fake.messages.length >= 5 && (off(), resolve()));
      });
      await queue((fx) => {
        const card = fx.send({ chatId: 'oc_duty' }, { card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '险情 XQ-2026-0001' }] } } }, { urgent: true });
        const dm = fx.send({ openId: 'ou_leader_on_duty' }, { text: '险情 XQ-2026-0001，请立即处理' });
        fx.buzz(dm, ['ou_leader_on_duty']);
        void card;
      });
      sender.wake();
      // Routine messages Lark already has (or is being sent) when the emergency is queued.
      const mark = fake.messages.length;
      await draining;
      const order = fake.messages.map((m) => m.chatId);
      const cardAt = order.indexOf('oc_duty');
      const dmAt = fake.messages.findIndex((m) => m.receiveId === 'ou_leader_on_duty');
      const buzzAt = fake.calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/open-apis/im/')).findIndex((c) => c.path.endsWith('/urgent_app'));
      expect(fake.messages).toHaveLength(32);
      expect(mark).toBeLessThan(15);
      // Queued behind 15 or more routine messages, they go in the next window instead (10 calls a
      // second; those already admitted in the current window may land first), so most of the
      // routine ones arrive after them. On the old sender none did.
      const routineAfter = (i: number) => fake.messages.slice(i + 1).filter((m) => textOf(m).startsWith('例行提醒')).length;
      expect(routineAfter(cardAt)).toBeGreaterThanOrEqual(10);
      expect(routineAfter(dmAt)).toBeGreaterThanOrEqual(10);
      expect(buzzAt).toBeLessThan(mark + 12);
    } finally {
      await sender.stop();
      await fake.close();
    }
  });
});

describe('a message deferred past quiet hours', () => {
  it('does not hold back what goes to the same person now; it goes itself when its time comes', async () => {
    // A due-soon reminder written at 02:00 waits for 08:00 (notBefore); an incident card to the
    // same person at 02:01 must not wait with it: only a message in retry keeps its chat in order.
    const officer = { openId: 'ou_officer_at_night' };
    const morning = new Date(h.now.getTime() + 6 * 3600_000);
    await queue((fx) => fx.send(officer, { text: '隐患 YH-2026-0007 明天到期' }, { notBefore: morning }));
    await queue((fx) => fx.send(officer, { text: '险情：红梅镇河堤管涌，请立即到场' }, { urgent: true }));
    const sender = senderFor(recording(h.fake).client, 'night');
    expect(await sender.drain()).toBe(1);
    expect(h.fake.messages.map(textOf)).toEqual(['险情：红梅镇河堤管涌，请立即到场']);
    h.advance(6 * 3600_000);
    expect(await sender.drain()).toBe(1);
    expect(h.fake.messages.map(textOf)).toEqual(['险情：红梅镇河堤管涌，请立即到场', '隐患 YH-2026-0007 明天到期']);
  });
});

describe('a message claimed by a process that died', () => {
  it('is sent by the next process once the short lease runs out, within 15 s, and once', async () => {
    await queue((fx) => fx.send({ openId: 'ou_leader_on_duty' }, { text: '紧急：河水漫堤' }));
    // The dead process claimed it (as its sender does) and never answered.
    const claimed = await claimDue(h.client, { owner: 'dead-process', now: h.now.getTime(), leaseMs: DEFAULT_OUTBOX_LEASE_MS, limit: 10, perChat: 5 });
    expect(claimed).toHaveLength(1);
    expect(DEFAULT_OUTBOX_LEASE_MS).toBeLessThanOrEqual(15_000);

    const next = senderFor(recording(h.fake).client, 'restarted');
    h.advance(DEFAULT_OUTBOX_LEASE_MS); // the lease runs to exactly this instant: still held
    expect(await next.drain()).toBe(0);
    h.advance(1);
    expect(await next.drain()).toBe(1);
    expect(h.fake.messages.map(textOf)).toEqual(['紧急：河水漫堤']);
    expect(h.fake.messages[0].uuid).toBe(claimed[0].id);
  });

  it('holds back the rest of its chat no longer than the lease, even when Lark already has it, and nothing is sent twice', async () => {
    // What the chaos run showed (two instances started after a kill, RELIABILITY.md): the dead process
    // sent a reply and died before writing 'sent'; the chat's next messages queued behind its claim.
    const chat = 'oc_after_kill';
    await queue((fx) => fx.send({ chatId: chat }, { text: '第一条：已发出，未记下' }));
    const [claimed] = await claimDue(h.client, { owner: 'dead-process', now: h.now.getTime(), leaseMs: DEFAULT_OUTBOX_LEASE_MS, limit: 10, perChat: 5 });
    await recording(h.fake).client.send({ receiveIdType: 'chat_id', receiveId: chat, msgType: claimed.msgType, content: claimed.content, uuid: claimed.id });
    await queue((fx) => {
      fx.send({ chatId: chat }, { text: '第二条' });
      fx.send({ chatId: chat }, { text: '第三条' });
    });

    const next = senderFor(recording(h.fake).client, 'restarted');
    expect(await next.drain()).toBe(0); // in order: the later ones wait for the first
    h.advance(15_000); // the bound for a restart
    expect(await next.drain()).toBe(3);
    expect(textsIn(chat)).toEqual(['第一条：已发出，未记下', '第二条', '第三条']);
  });

  it('is not taken over while its sender is alive and still waiting for Lark: the lease is renewed', async () => {
    await queue((fx) => fx.send({ openId: 'ou_slow' }, { text: '慢回复' }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const rec = recording(h.fake);
    const slow: LarkClient = { ...rec.client, send: async (a) => (await gate, rec.client.send(a)) };
    const first = new OutboxSender({ client: h.client, lark: slow, clock: h.clock, log: silentLogger, instanceId: 'alive', limiter: unlimited(), leaseMs: 300 });
    const draining = first.drain();
    await until(async () => (await row()).status === 'sending');
    const claimedUntil = (await row()).claimedUntil;

    h.advance(60_000); // far past the first lease
    await until(async () => (await row()).claimedUntil > claimedUntil); // renewed while the call hangs
    const other = senderFor(recording(h.fake).client, 'other');
    expect(await other.drain()).toBe(0);

    release();
    expect(await draining).toBe(1);
    expect(h.fake.messages.map(textOf)).toEqual(['慢回复']);
    expect((await row()).status).toBe('sent');
  });
});

async function row() {
  const rs = await h.client.execute('SELECT status, claimed_until FROM outbox LIMIT 1');
  return { status: String(rs.rows[0].status), claimedUntil: Number(rs.rows[0].claimed_until) };
}

/** Waits for a condition the code under test brings about (not for a clock). */
async function until(probe: () => Promise<boolean>, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}
