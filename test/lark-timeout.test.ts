// A Lark call whose answer never comes must end: an upload for /export or a chart, a photo
// download, a group lookup. The SDK's axios has no timeout of its own; SdkLarkClient gives every
// call one (its token fetch included), and the caller sees a transient failure it can report.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { SdkLarkClient } from '../src/lark/sdk-client.ts';
import { LarkApiError } from '../src/lark/client.ts';
import { silentLogger } from '../src/log.ts';

let fake: FakeLark;
beforeAll(async () => {
  fake = await startFakeLark();
});
afterAll(() => fake.close());

describe('Lark calls made beside the outbox', () => {
  it('fail as transient when Lark does not answer in time, and work again when it does', async () => {
    const lark = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silentLogger, httpTimeoutMs: 300 });
    await lark.botInfo(); // token cached: the hang below meets the call itself
    fake.setLatency(10_000);
    const started = Date.now();
    const err = await lark.chatInfo('oc_any').then(() => undefined, (e: unknown) => e);
    const took = Date.now() - started;
    fake.setLatency(0);
    expect(err).toBeInstanceOf(LarkApiError);
    expect((err as LarkApiError).kind).toBe('transient');
    expect(took).toBeLessThan(5_000);
    expect((await lark.botInfo()).openId).toBe(fake.botOpenId);
  });

  it('the token fetch has the same limit', async () => {
    const lark = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silentLogger, httpTimeoutMs: 300 });
    fake.setLatency(10_000);
    const started = Date.now();
    const err = await lark.botInfo().then(() => undefined, (e: unknown) => e);
    fake.setLatency(0);
    expect(err).toBeInstanceOf(LarkApiError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
