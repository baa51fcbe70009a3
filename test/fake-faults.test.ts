import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { seeded } from '../scripts/chaos/rng.ts';

// The fake Lark's random faults (the chaos suite's 30% of failing calls): a 500 or an app-wide 429
// changes nothing; a timeout sends the message and drops the answer; calls inside a 429's reset
// window are counted.

let fake: FakeLark;
let token = '';
let now = 1_000_000;
beforeAll(async () => {
  fake = await startFakeLark({ now: () => now });
  const r = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: fake.appId, app_secret: fake.appSecret }),
  });
  token = ((await r.json()) as { tenant_access_token: string }).tenant_access_token;
});
afterAll(() => fake.close());

const send = (uuid: string) =>
  fetch(`${fake.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ receive_id: 'oc_faults', msg_type: 'text', content: JSON.stringify({ text: 'hi' }), uuid }),
  });

describe('fake Lark faults', () => {
  it('answers a 500 or an app-wide 429 (with its reset) and sends nothing', async () => {
    fake.setFaults({ rate: 1, kinds: ['500'], random: seeded(1) });
    expect((await send('u-500')).status).toBe(500);
    fake.setFaults({ rate: 1, kinds: ['429'], random: seeded(1), resetSeconds: 2 });
    const limited = await send('u-429');
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { code: number }).code).toBe(99991400);
    expect(limited.headers.get('x-ogw-ratelimit-reset')).toBe('2');
    expect(fake.messages.filter((m) => m.chatId === 'oc_faults')).toHaveLength(0);
  });

  it('counts calls inside the reset window, and none after it', async () => {
    fake.setFaults(undefined);
    now += 1000;
    expect((await send('u-inside')).status).toBe(200);
    expect(fake.faultStats.callsInResetWindow).toBe(1);
    now += 1500; // 2.5 s after the 429: the window has closed
    expect((await send('u-after')).status).toBe(200);
    expect(fake.faultStats.callsInResetWindow).toBe(1);
  });

  it('on a timeout, sends the message and drops the connection; the retry with the same uuid finds it', async () => {
    fake.setFaults({ rate: 1, kinds: ['timeout'], random: seeded(2) });
    await expect(send('u-timeout')).rejects.toThrow();
    fake.setFaults(undefined);
    expect((await send('u-timeout')).status).toBe(200);
    expect(fake.messages.filter((m) => m.uuid === 'u-timeout')).toHaveLength(1);
    expect(fake.faultStats.injected).toEqual({ '500': 1, '429': 1, timeout: 1 });
  });

  it('injects every kind within each run of as many faults as there are kinds, the same for the same seed', async () => {
    const draw = async (seed: number) => {
      fake.setFaults({ rate: 1, kinds: ['500', '429', 'timeout'], random: seeded(seed) });
      const kinds: string[] = [];
      for (let i = 0; i < 9; i++) {
        const r = await send(`u-bag-${seed}-${i}`).catch(() => undefined);
        kinds.push(r === undefined ? 'timeout' : String(r.status));
      }
      fake.setFaults(undefined);
      return kinds;
    };
    const a = await draw(7);
    for (let i = 0; i < 9; i += 3) expect(new Set(a.slice(i, i + 3))).toEqual(new Set(['500', '429', 'timeout']));
    expect(await draw(7)).toEqual(a);
  });

  it('fails the first calls for sure when asked, then at the rate', async () => {
    now += 2000; // a fresh second for the chat's own limit
    fake.setFaults({ rate: 0, kinds: ['500'], random: seeded(3), firstFailing: 2 });
    expect([(await send('u-first-1')).status, (await send('u-first-2')).status, (await send('u-first-3')).status]).toEqual([500, 500, 200]);
    fake.setFaults(undefined);
  });
});
