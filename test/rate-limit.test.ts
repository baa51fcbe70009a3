import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/outbox/rate-limit.ts';
import { OutboxSender } from '../src/outbox/sender.ts';
import { startFakeLark } from '../src/lark/fake/server.ts';
import { SdkLarkClient } from '../src/lark/sdk-client.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { insertOutbox, sendRow } from '../src/outbox/messages.ts';
import { silentLogger } from '../src/log.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A limiter on a clock the test owns: sleeping just moves the clock. */
function limiterOnTestClock(limits = { perSecond: 50, perMinute: 1000, perChatPerSecond: 5 }) {
  let t = 0;
  const limiter = new RateLimiter(limits, () => t, async (ms) => void (t += ms));
  return { limiter, now: () => t, advance: (ms: number) => void (t += ms) };
}

const maxInWindow = (stamps: number[], windowMs: number) => {
  let best = 0;
  for (let i = 0, j = 0; i < stamps.length; i++) {
    while (stamps[i] - stamps[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

describe('RateLimiter', () => {
  it('lets no more than 50 calls through in any second and 1000 in any minute', async () => {
    const { limiter, now } = limiterOnTestClock();
    const stamps: number[] = [];
    for (let i = 0; i < 1100; i++) {
      const done = await limiter.acquire(`chat-${i}`);
      stamps.push(now());
      done();
    }
    expect(maxInWindow(stamps, 1000)).toBeLessThanOrEqual(50);
    expect(maxInWindow(stamps, 60_000)).toBeLessThanOrEqual(1000);
    // And it does not hold back more than it must: 1,100 calls take just over a minute.
    expect(stamps.at(-1)!).toBeLessThan(62_500);
  });

  it('keeps to 5 a second in one chat while other chats go on', async () => {
    const { limiter, now } = limiterOnTestClock();
    const stamps: number[] = [];
    for (let i = 0; i < 12; i++) {
      (await limiter.acquire('busy'))();
      stamps.push(now());
    }
    expect(maxInWindow(stamps, 1000)).toBe(5);
  });

  it('counts a slow call from when its answer came back', async () => {
    const { limiter, now, advance } = limiterOnTestClock({ perSecond: 2, perMinute: 1000, perChatPerSecond: 100 });
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    advance(900); // both calls are still in flight
    a();
    b();
    advance(200); // 1.1 s after they started, but only 0.2 s after they were answered
    const before = now();
    (await limiter.acquire())();
    expect(now() - before).toBeGreaterThanOrEqual(800);
  });
});

describe('OutboxSender', () => {
  it('keeps under Lark’s limits by default, with no 429 from the gateway', async () => {
    const fake = await startFakeLark();
    const dir = mkdtempSync(join(tmpdir(), 'wk-rl-'));
    const database = await openDatabase(`file:${join(dir, 'rl.db')}`);
    await migrateDatabase(database.db);
    try {
      const now = new Date();
      const rows = Array.from({ length: 70 }, (_, i) => sendRow({ openId: `ou_${i}` }, { text: `第${i}条` }, { now }));
      for (const statement of insertOutbox(database.db, rows)) await statement;
      const lark = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silentLogger });
      const sender = new OutboxSender({ client: database.client, lark, clock: () => new Date(), log: silentLogger, instanceId: 't' });
      expect(await sender.drain()).toBe(70);
      expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(0);
      expect(fake.messages).toHaveLength(70);
    } finally {
      database.close();
      await fake.close();
    }
  });
});
