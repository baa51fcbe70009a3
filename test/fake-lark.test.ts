import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Readable } from 'node:stream';
import { startFakeLark, type FakeLark, type FakeLarkOptions } from '../src/lark/fake/server.ts';

// The SDK's default token cache is process-global and keyed by appId, so a token from an earlier
// fake (same appId 'cli_fake') would leak into the next test. Each client gets its own cache.
function sdkFor(fake: FakeLark): lark.Client {
  const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  return new lark.Client({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    loggerLevel: lark.LoggerLevel.error,
    logger: quiet, // expected 4xx answers would otherwise dump whole axios errors into the test output
    cache: new lark.DefaultCache(),
  });
}

interface HttpFailure {
  status: number;
  code: number;
  headers: Record<string, string>;
}

/**
 * The SDK rejects non-2xx answers with the axios error; this pulls out what a caller would read.
 * Download calls ask axios for a stream, so their error body is a stream to read, not parsed JSON.
 */
async function failureOf(promise: Promise<unknown>): Promise<HttpFailure> {
  try {
    await promise;
  } catch (e) {
    const response = (e as { response?: { status: number; data: unknown; headers: Record<string, string> } }).response;
    if (!response) throw e;
    const data = isStream(response.data)
      ? JSON.parse(Buffer.from(await readAll(response.data)).toString('utf8'))
      : response.data;
    return { status: response.status, code: (data as { code: number }).code, headers: { ...response.headers } };
  }
  throw new Error('expected the call to fail');
}

function isStream(value: unknown): value is Readable {
  return typeof (value as Readable | null)?.pipe === 'function';
}

const text = (t: string) => JSON.stringify({ text: t });
const card = (title: string) => JSON.stringify({ header: { title: { tag: 'plain_text', content: title } }, elements: [] });

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

let clock = 1_700_000_000_000;
let fake: FakeLark;
let client: lark.Client;

async function start(options: FakeLarkOptions = {}) {
  fake = await startFakeLark({ now: () => clock, ...options });
  client = sdkFor(fake);
}

function sendText(receiveId: string, t: string, receiveIdType: 'open_id' | 'chat_id' = 'chat_id', uuid?: string) {
  return client.im.message.create({
    params: { receive_id_type: receiveIdType },
    data: { receive_id: receiveId, msg_type: 'text', content: text(t), uuid },
  });
}

beforeEach(() => {
  clock = 1_700_000_000_000;
});

afterEach(async () => {
  await fake?.close();
});

describe('fake Lark: auth and bot info', () => {
  beforeEach(() => start());

  it('issues a tenant token and answers bot info through the SDK', async () => {
    const res = await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    expect(res).toMatchObject({ code: 0, bot: { open_id: 'ou_bot', app_name: '安全值守助手', activate_status: 2 } });
    expect(fake.calls.map((c) => c.path)).toEqual(['/open-apis/auth/v3/tenant_access_token/internal', '/open-apis/bot/v3/info']);
    expect(fake.calls[0].body).toMatchObject({ app_id: 'cli_fake', app_secret: '***' });
  });

  it('refuses wrong credentials with 10014', async () => {
    const res = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: 'cli_fake', app_secret: 'nope' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 10014 });
  });

  it('refuses a missing token with 99991663 and unknown routes with 404', async () => {
    const noToken = await fetch(`${fake.url}/open-apis/bot/v3/info`);
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toMatchObject({ code: 99991663 });
    expect(await failureOf(client.request({ method: 'GET', url: '/open-apis/nope/v1/x' }))).toMatchObject({ status: 404, code: 404 });
  });

  it('expireTokens makes the next call fail with 99991663 until a fresh token is fetched', async () => {
    await sendText('oc_a', 'before');
    fake.expireTokens();
    expect(await failureOf(sendText('oc_a', 'after'))).toMatchObject({ status: 400, code: 99991663 });
    const fresh = sdkFor(fake); // an empty cache = a token refresh
    await expect(fresh.request({ method: 'GET', url: '/open-apis/bot/v3/info' })).resolves.toMatchObject({ code: 0 });
    expect(fake.messages.map((m) => JSON.parse(m.content).text)).toEqual(['before']);
  });

  it('tokens run out after 2 hours of the injected clock', async () => {
    await sendText('oc_a', 'one');
    clock += 7200 * 1000;
    expect(await failureOf(sendText('oc_a', 'two'))).toMatchObject({ code: 99991663 });
  });
});

describe('fake Lark: messages', () => {
  beforeEach(() => start());

  it('sends to an open_id into a stable p2p chat and tells listeners', async () => {
    const heard: string[] = [];
    fake.onMessage((m) => heard.push(m.messageId));
    const res = await sendText('ou_alice', 'hello', 'open_id');
    expect(res.code).toBe(0);
    expect(res.data).toMatchObject({
      message_id: 'om_fake_000001',
      chat_id: 'oc_p2p_ou_alice',
      msg_type: 'text',
      create_time: String(clock),
      sender: { id: 'cli_fake', id_type: 'app_id', sender_type: 'app' },
      body: { content: text('hello') },
    });
    expect(fake.messages[0]).toMatchObject({
      messageId: 'om_fake_000001',
      chatId: 'oc_p2p_ou_alice',
      receiveIdType: 'open_id',
      receiveId: 'ou_alice',
      senderOpenId: 'ou_bot',
      createdAt: clock,
    });
    const again = await sendText('ou_alice', 'again', 'open_id');
    expect(again.data?.chat_id).toBe('oc_p2p_ou_alice');
    expect(heard).toEqual(['om_fake_000001', 'om_fake_000002']);
  });

  it('replies in the parent chat, rooted at the thread root', async () => {
    const question = fake.addMessage({ chatId: 'oc_group', msgType: 'text', content: text('值班的是谁?'), senderOpenId: 'ou_bob' });
    const first = await client.im.message.reply({
      path: { message_id: question.messageId },
      data: { msg_type: 'text', content: text('张三'), reply_in_thread: true },
    });
    expect(first.data).toMatchObject({ chat_id: 'oc_group', parent_id: question.messageId, root_id: question.messageId });
    const second = await client.im.message.reply({
      path: { message_id: first.data!.message_id! },
      data: { msg_type: 'text', content: text('还有李四') },
    });
    expect(second.data).toMatchObject({ parent_id: first.data!.message_id, root_id: question.messageId });
    expect(fake.messages[1]).toMatchObject({ replyInThread: true, receiveIdType: 'chat_id', receiveId: 'oc_group' });
  });

  it('refuses a reply to an unknown message with 230011', async () => {
    const refused = client.im.message.reply({ path: { message_id: 'om_gone' }, data: { msg_type: 'text', content: text('x') } });
    expect(await failureOf(refused)).toMatchObject({ status: 400, code: 230011 });
    expect(fake.messages).toHaveLength(0);
  });

  it('patches only cards the bot sent', async () => {
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_group', msg_type: 'interactive', content: card('v1') },
    });
    const patched = await client.im.message.patch({ path: { message_id: sent.data!.message_id! }, data: { content: card('v2') } });
    expect(patched.code).toBe(0);
    expect(fake.messages[0].patches).toEqual([card('v2')]);

    const plain = await sendText('oc_group', 'not a card');
    const refused = client.im.message.patch({ path: { message_id: plain.data!.message_id! }, data: { content: card('x') } });
    expect(await failureOf(refused)).toMatchObject({ status: 400, code: 230001 });
    const fromUser = fake.addMessage({ chatId: 'oc_group', msgType: 'interactive', content: card('theirs') });
    const refusedToo = client.im.message.patch({ path: { message_id: fromUser.messageId }, data: { content: card('x') } });
    expect(await failureOf(refusedToo)).toMatchObject({ code: 230001 });
  });

  it('records urgent_app buzzes', async () => {
    const sent = await sendText('oc_group', '请立即处理');
    const res = await client.im.message.urgentApp({
      path: { message_id: sent.data!.message_id! },
      params: { user_id_type: 'open_id' },
      data: { user_id_list: ['ou_alice', 'ou_bob'] },
    });
    expect(res).toMatchObject({ code: 0, data: { invalid_user_id_list: [] } });
    expect(fake.messages[0].urgent).toEqual([{ openIds: ['ou_alice', 'ou_bob'], kind: 'app' }]);
  });

  it('a repeated uuid yields one message within the hour, a new one after', async () => {
    const first = await sendText('oc_group', 'once', 'chat_id', 'uuid-1');
    const repeat = await sendText('oc_group', 'once', 'chat_id', 'uuid-1');
    expect(repeat.data?.message_id).toBe(first.data?.message_id);
    expect(fake.messages).toHaveLength(1);
    clock += 60 * 60 * 1000;
    const later = await sendText('oc_group', 'once', 'chat_id', 'uuid-1');
    expect(later.data?.message_id).not.toBe(first.data?.message_id);
    expect(fake.messages).toHaveLength(2);
  });

  it('rejects content that is not JSON', async () => {
    const bad = client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_group', msg_type: 'text', content: 'plain words' },
    });
    expect(await failureOf(bad)).toMatchObject({ status: 400, code: 230001 });
  });

  it('accepts the delayed card update', async () => {
    const res = await client.request({
      method: 'POST',
      url: '/open-apis/interactive/v1/card/update',
      data: { token: 'c-token', card: { elements: [] } },
    });
    expect(res).toMatchObject({ code: 0 });
    expect(fake.cardUpdates).toEqual([{ token: 'c-token', card: { elements: [] }, at: clock }]);
  });
});

describe('fake Lark: uploads and resources', () => {
  beforeEach(() => start());

  // CR LF, NUL and 0xFF bytes: any text decoding or boundary slip would show.
  const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x2d, 0x2d]);

  it('uploads an image byte for byte and serves it back', async () => {
    const res = await client.im.image.create({ data: { image_type: 'message', image: Buffer.from(binary) } });
    // The SDK unwraps uploads: it resolves to `data`, not the {code, msg, data} envelope.
    expect(res).toEqual({ image_key: 'img_v3_fake_000001' });
    expect(fake.images.get('img_v3_fake_000001')).toEqual(binary);
    expect(fake.calls.at(-1)?.body).toEqual({
      fields: { image_type: 'message' },
      files: { image: { filename: undefined, contentType: 'application/octet-stream', size: binary.length } },
    });
    const download = await client.im.image.get({ path: { image_key: 'img_v3_fake_000001' } });
    expect(await readAll(download.getReadableStream())).toEqual(binary);
  });

  it('uploads a file', async () => {
    const res = await client.im.file.create({ data: { file_type: 'pdf', file_name: '值班表.pdf', file: Buffer.from(binary) } });
    expect(res).toEqual({ file_key: 'file_v3_fake_000001' });
    expect(fake.files.get('file_v3_fake_000001')).toEqual({ name: '值班表.pdf', type: 'pdf', bytes: binary });
  });

  it('serves a resource added to a user message, and 234003 for anything else', async () => {
    const photo = fake.addMessage({ chatId: 'oc_group', msgType: 'image', content: JSON.stringify({ image_key: 'img_user' }) });
    fake.addResource(photo.messageId, 'img_user', binary);
    const res = await client.im.messageResource.get({
      path: { message_id: photo.messageId, file_key: 'img_user' },
      params: { type: 'image' },
    });
    expect(await readAll(res.getReadableStream())).toEqual(binary);
    const missing = client.im.messageResource.get({ path: { message_id: photo.messageId, file_key: 'img_other' }, params: { type: 'image' } });
    expect(await failureOf(missing)).toMatchObject({ status: 400, code: 234003 });
  });
});

describe('fake Lark: rate limits', () => {
  it('more than 5/s to one chat yields 400/230020 as Feishu documents it (no gateway headers), while another chat still works', async () => {
    await start();
    for (let i = 0; i < 5; i++) await sendText('oc_busy', `m${i}`);
    clock += 400;
    const refused = await failureOf(sendText('oc_busy', 'one too many'));
    expect(refused).toMatchObject({ status: 400, code: 230020 });
    expect(refused.headers['x-ogw-ratelimit-limit']).toBeUndefined();
    expect(refused.headers['x-ogw-ratelimit-reset']).toBeUndefined();
    await expect(sendText('oc_quiet', 'fine')).resolves.toMatchObject({ code: 0 });
    expect(fake.messages.filter((m) => m.chatId === 'oc_busy')).toHaveLength(5);
    expect(fake.calls.at(-2)).toMatchObject({ status: 400, code: 230020 });
    clock += 600; // the first five leave the window
    await expect(sendText('oc_busy', 'room again')).resolves.toMatchObject({ code: 0 });
  });

  it('replies count against the parent chat', async () => {
    await start({ rateLimits: { perSecond: 50, perMinute: 1000, perChatPerSecond: 1 } });
    const parent = fake.addMessage({ chatId: 'oc_group', msgType: 'text', content: text('q') });
    await sendText('oc_group', 'first');
    const reply = client.im.message.reply({ path: { message_id: parent.messageId }, data: { msg_type: 'text', content: text('r') } });
    expect(await failureOf(reply)).toMatchObject({ status: 400, code: 230020 });
  });

  it('more than 50/s for the app yields 99991400', async () => {
    await start();
    for (let i = 0; i < 50; i++) await sendText(`oc_chat_${i}`, 'hi');
    const refused = await failureOf(sendText('oc_fresh', 'hi'));
    expect(refused).toMatchObject({ status: 429, code: 99991400 });
    expect(refused.headers['x-ogw-ratelimit-limit']).toBe('50');
    expect(refused.headers['x-ogw-ratelimit-reset']).toBe('1');
    expect(fake.messages).toHaveLength(50);
    // Token, info and uploads are not limited.
    await expect(client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })).resolves.toMatchObject({ code: 0 });
  });

  it('the per-minute window reports how many seconds until it frees', async () => {
    await start({ rateLimits: { perSecond: 50, perMinute: 3, perChatPerSecond: 5 } });
    for (let i = 0; i < 3; i++) {
      await sendText('oc_a', `m${i}`);
      clock += 10_000;
    }
    const refused = await failureOf(sendText('oc_a', 'fourth'));
    expect(refused).toMatchObject({ code: 99991400 });
    expect(refused.headers['x-ogw-ratelimit-limit']).toBe('3');
    expect(refused.headers['x-ogw-ratelimit-reset']).toBe('30'); // first hit at t0, now t0+30s
  });

  it('rateLimits: false turns limiting off', async () => {
    await start({ rateLimits: false });
    for (let i = 0; i < 60; i++) await sendText('oc_a', `m${i}`);
    expect(fake.messages).toHaveLength(60);
  });
});

describe('fake Lark: fault injection and control routes', () => {
  beforeEach(() => start());

  it('failNext fails the next calls without side effects, then succeeds', async () => {
    await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }); // fetch the token first
    fake.failNext(2, { status: 503, code: 1500, msg: 'busy', resetSeconds: 3 });
    const first = await failureOf(sendText('oc_a', 'x', 'chat_id', 'u-1'));
    expect(first).toMatchObject({ status: 503, code: 1500 });
    expect(first.headers['x-ogw-ratelimit-reset']).toBe('3');
    expect(await failureOf(sendText('oc_a', 'x', 'chat_id', 'u-1'))).toMatchObject({ status: 503 });
    expect(fake.messages).toHaveLength(0);
    await expect(sendText('oc_a', 'x', 'chat_id', 'u-1')).resolves.toMatchObject({ code: 0 });
    expect(fake.messages).toHaveLength(1);
    expect(fake.calls.slice(-3).map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('failNext leaves the token endpoint alone', async () => {
    fake.failNext(1, { status: 500, code: 1 });
    // The SDK fetches a token first (unaffected), then the call itself takes the failure.
    expect(await failureOf(sendText('oc_a', 'x'))).toMatchObject({ status: 500, code: 1 });
    await expect(sendText('oc_a', 'x')).resolves.toMatchObject({ code: 0 });
  });

  it('setLatency delays answers', async () => {
    await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    fake.setLatency(80);
    const started = performance.now();
    await sendText('oc_a', 'slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('serves messages, calls, failures and latency over /_fake for a CLI', async () => {
    await sendText('oc_a', 'old');
    clock += 1000;
    const since = clock;
    const card1 = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_a', msg_type: 'interactive', content: card('v1') },
    });
    clock += 1000;
    await client.im.message.patch({ path: { message_id: card1.data!.message_id! }, data: { content: card('v2') } });

    const changed = await (await fetch(`${fake.url}/_fake/messages?since=${since}`)).json();
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ messageId: card1.data!.message_id, patches: [card('v2')] });
    const all = await (await fetch(`${fake.url}/_fake/messages`)).json();
    expect(all).toHaveLength(2);
    const calls = await (await fetch(`${fake.url}/_fake/calls`)).json();
    expect(calls).toHaveLength(fake.calls.length);

    const post = (path: string, body: unknown) =>
      fetch(`${fake.url}/_fake/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('fail', { count: 1, status: 500, code: 2 })).status).toBe(200);
    expect(await failureOf(sendText('oc_a', 'x'))).toMatchObject({ status: 500, code: 2 });
    expect((await post('fail', { count: 'lots' })).status).toBe(400);
    expect((await post('latency', { ms: 0 })).status).toBe(200);
    expect((await fetch(`${fake.url}/_fake/nothing`)).status).toBe(404);
  });

  it('reset forgets state but keeps issued tokens valid', async () => {
    await sendText('oc_a', 'x', 'chat_id', 'u-1');
    fake.failNext(5, { status: 500, code: 1 });
    fake.reset();
    expect(fake.messages).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
    const again = await sendText('oc_a', 'x', 'chat_id', 'u-1');
    expect(again.code).toBe(0);
    expect(again.data?.message_id).toBe('om_fake_000002'); // ids never repeat across a reset
    expect(fake.messages).toHaveLength(1);
  });
});
