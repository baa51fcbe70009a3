import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { SdkLarkClient } from '../src/lark/sdk-client.ts';
import { FetchLarkClient } from '../src/lark/fetch-client.ts';
import { LarkApiError, type LarkClient } from '../src/lark/client.ts';
import { silentLogger } from '../src/log.ts';

// Both LarkClient implementations (the SDK one for Node, the fetch one for Workers) must behave
// the same against Lark's API: same results, same classified errors.

let fake: FakeLark;
let now = Date.UTC(2026, 11, 1);
beforeAll(async () => {
  fake = await startFakeLark({ now: () => now });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  now += 10_000;
});

const clients: [string, () => LarkClient][] = [
  ['sdk', () => new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silentLogger })],
  ['fetch', () => new FetchLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url })],
];

describe.each(clients)('%s client', (_name, make) => {
  it('knows the bot, sends, replies in thread, patches and buzzes', async () => {
    const c = make();
    expect(await c.botInfo()).toEqual({ openId: fake.botOpenId, name: '安全值守助手' });
    const sent = await c.send({ receiveIdType: 'chat_id', receiveId: 'oc_1', msgType: 'text', content: JSON.stringify({ text: 'hi' }), uuid: 'u-1' });
    expect(sent.messageId).toMatch(/^om_/);
    const again = await c.send({ receiveIdType: 'chat_id', receiveId: 'oc_1', msgType: 'text', content: JSON.stringify({ text: 'hi' }), uuid: 'u-1' });
    expect(again.messageId).toBe(sent.messageId);
    const card = { schema: '2.0', body: { elements: [] } };
    const cardMsg = await c.send({ receiveIdType: 'open_id', receiveId: 'ou_x', msgType: 'interactive', content: JSON.stringify(card) });
    const reply = await c.reply({ messageId: sent.messageId, msgType: 'text', content: JSON.stringify({ text: 're' }), replyInThread: true });
    await c.patch({ messageId: cardMsg.messageId, content: JSON.stringify({ ...card, header: { title: { tag: 'plain_text', content: 'x' } } }) });
    await c.urgentApp({ messageId: cardMsg.messageId, openIds: ['ou_x'] });
    const byId = (id: string) => fake.messages.find((m) => m.messageId === id)!;
    expect(byId(reply.messageId)).toMatchObject({ parentId: sent.messageId, replyInThread: true });
    expect(byId(cardMsg.messageId).patches).toHaveLength(1);
    expect(byId(cardMsg.messageId).urgent).toEqual([{ openIds: ['ou_x'], kind: 'app' }]);
    expect(fake.messages.filter((m) => m.senderOpenId === fake.botOpenId)).toHaveLength(3);
  });

  it('buzzes by SMS and by phone; quota and unread refusals come back classified with their codes', async () => {
    const c = make();
    const card = { schema: '2.0', body: { elements: [] } };
    const msg = await c.send({ receiveIdType: 'open_id', receiveId: 'ou_y', msgType: 'interactive', content: JSON.stringify(card) });
    await c.urgentSms({ messageId: msg.messageId, openIds: ['ou_y'] });
    await c.urgentPhone({ messageId: msg.messageId, openIds: ['ou_y'] });
    expect(fake.messages.find((m) => m.messageId === msg.messageId)!.urgent.map((u) => u.kind)).toEqual(['sms', 'phone']);
    expect(fake.calls.filter((x) => x.path.includes('/urgent_')).map((x) => [x.method, x.path.split('/').at(-1), x.query.user_id_type])).toEqual([
      ['PATCH', 'urgent_sms', 'open_id'],
      ['PATCH', 'urgent_phone', 'open_id'],
    ]);
    fake.setUrgentQuota({ phone: 0 });
    expect(await c.urgentPhone({ messageId: msg.messageId, openIds: ['ou_y'] }).catch((e) => e)).toMatchObject({ kind: 'permanent', code: 230024 });
    fake.setUnreadUrgent('ou_y', 200);
    expect(await c.urgentSms({ messageId: msg.messageId, openIds: ['ou_y'] }).catch((e) => e)).toMatchObject({ kind: 'permanent', code: 230023 });
    const theirs = fake.addMessage({ chatId: 'oc_1', msgType: 'text', content: '{"text":"x"}' });
    expect(await c.urgentSms({ messageId: theirs.messageId, openIds: ['ou_z'] }).catch((e) => e)).toMatchObject({ code: 230012 });
  });

  it('uploads images and files and downloads message resources byte for byte', async () => {
    const c = make();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
    const { imageKey } = await c.uploadImage(png);
    expect(fake.images.get(imageKey)).toEqual(png);
    const { fileKey } = await c.uploadFile({ bytes: png, fileName: '统计.xlsx', fileType: 'xls' });
    expect(fake.files.get(fileKey)).toMatchObject({ name: '统计.xlsx', type: 'xls' });
    const user = fake.addMessage({ chatId: 'oc_1', msgType: 'image', content: JSON.stringify({ image_key: 'img_user' }) });
    fake.addResource(user.messageId, 'img_user', png);
    expect(await c.messageResource({ messageId: user.messageId, fileKey: 'img_user', type: 'image' })).toEqual(png);
  });

  it('classifies errors the same way', async () => {
    const c = make();
    await c.botInfo(); // token cached
    fake.failNext(1, { status: 429, code: 99991400, resetSeconds: 4 });
    const limited = await c.send({ receiveIdType: 'chat_id', receiveId: 'oc_1', msgType: 'text', content: '{"text":"a"}' }).catch((e) => e);
    expect(limited).toBeInstanceOf(LarkApiError);
    expect(limited).toMatchObject({ kind: 'rate_limited', resetSeconds: 4, code: 99991400 });
    fake.failNext(1, { status: 500, code: 500 });
    expect(await c.send({ receiveIdType: 'chat_id', receiveId: 'oc_1', msgType: 'text', content: '{"text":"a"}' }).catch((e) => e)).toMatchObject({ kind: 'transient', status: 500 });
    fake.failNext(1, { status: 400, code: 230002, msg: 'bot not in chat' });
    expect(await c.send({ receiveIdType: 'chat_id', receiveId: 'oc_1', msgType: 'text', content: '{"text":"a"}' }).catch((e) => e)).toMatchObject({ kind: 'permanent', code: 230002 });
  });

  it('refreshes an invalid tenant token once', async () => {
    const c = make();
    await c.botInfo();
    fake.expireTokens();
    await c.send({ receiveIdType: 'chat_id', receiveId: 'oc_1', msgType: 'text', content: '{"text":"after refresh"}' });
    expect(fake.messages.at(-1)?.content).toContain('after refresh');
  });
});
