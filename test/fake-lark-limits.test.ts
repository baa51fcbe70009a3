// The fake Lark's platform limits, through the real SDK client, each as Feishu's docs give it:
// 更新已发送的消息卡片 (14 days → 230031, 5 updates/s per message), the free edition's monthly
// quota (HTTP 429 + 99991403, refused calls not counted, the 1st turns it), 发送应用内加急 in groups
// (230052 unless members may buzz or the bot is a manager; 230023/230024 are issue 16's tests),
// 获取群信息 (urgent_setting, bot_manager_id_list) and 延时更新消息卡片 (token: 30 minutes, twice).
import { afterEach, describe, expect, it } from 'vitest';
import { LarkApiError } from '../src/lark/client.ts';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { SdkLarkClient } from '../src/lark/sdk-client.ts';

const DAY = 24 * 3600_000;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let fake: FakeLark | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(opts: Parameters<typeof startFakeLark>[0] = {}) {
  let now = Date.parse('2026-12-01T02:00:00Z');
  fake = await startFakeLark({ now: () => now, ...opts });
  const lark = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silent });
  const card = JSON.stringify({ schema: '2.0', body: { elements: [] } });
  return {
    fake,
    lark,
    card,
    advance: (ms: number) => (now += ms),
    setNow: (ms: number) => (now = ms),
  };
}

async function refusal(p: Promise<unknown>): Promise<LarkApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LarkApiError) return e;
    throw e;
  }
  throw new Error('expected Lark to refuse');
}

describe('fake Lark: platform limits', () => {
  it('patches a card for 14 days after it was sent, then answers 230031', async () => {
    const { lark, card, advance, fake } = await setup();
    const { messageId } = await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'interactive', content: card });
    advance(14 * DAY - 60_000);
    await lark.patch({ messageId, content: card });
    advance(2 * 60_000);
    const e = await refusal(lark.patch({ messageId, content: card }));
    expect(e.code).toBe(230031);
    expect(e.kind).toBe('permanent');
    expect(fake.messages[0].patches).toHaveLength(1);
  });

  it('takes 5 patches a second per message, whoever sends them, and says when to come back', async () => {
    const { lark, card, advance, fake } = await setup();
    const other = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silent });
    const { messageId } = await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'interactive', content: card });
    const second = await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'interactive', content: card });
    for (let i = 0; i < 5; i++) await (i % 2 ? other : lark).patch({ messageId, content: card });
    const e = await refusal(other.patch({ messageId, content: card }));
    expect(e).toMatchObject({ code: 230020, kind: 'rate_limited', resetSeconds: 1 });
    await lark.patch({ messageId: second.messageId, content: card }); // another message has its own 5
    advance(1001);
    await lark.patch({ messageId, content: card });
    expect(fake.messages[0].patches).toHaveLength(6);
  });

  it('shares a chat\'s 5 messages a second among every sender, replies included', async () => {
    const { lark, fake } = await setup();
    const other = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silent });
    const text = JSON.stringify({ text: 'hi' });
    const first = await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_busy', msgType: 'text', content: text });
    for (let i = 0; i < 2; i++) await other.send({ receiveIdType: 'chat_id', receiveId: 'oc_busy', msgType: 'text', content: text });
    for (let i = 0; i < 2; i++) await lark.reply({ messageId: first.messageId, msgType: 'text', content: text });
    const e = await refusal(other.reply({ messageId: first.messageId, msgType: 'text', content: text }));
    expect(e).toMatchObject({ status: 400, code: 230020, kind: 'rate_limited' });
    await other.send({ receiveIdType: 'chat_id', receiveId: 'oc_quiet', msgType: 'text', content: text });
  });

  it('answers 99991403 past the monthly quota, counts only successful calls, and turns on the 1st (China time)', async () => {
    const { lark, fake, setNow } = await setup({ monthlyQuota: 3 });
    const text = JSON.stringify({ text: 'hi' });
    await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'text', content: text });
    await refusal(lark.patch({ messageId: 'om_missing', content: text })); // refused: not counted
    await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'text', content: text });
    await lark.botInfo();
    expect(fake.callsThisMonth()).toBe(3);
    const e = await refusal(lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'text', content: text }));
    expect(e).toMatchObject({ status: 429, code: 99991403, kind: 'quota_exceeded' });
    expect(e.message).toContain("month's API call quota");
    setNow(Date.parse('2026-12-31T15:59:00Z')); // 23:59 on the 31st in Beijing: still December
    await refusal(lark.botInfo());
    setNow(Date.parse('2026-12-31T16:00:00Z')); // 00:00 on 1 January in Beijing
    await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'text', content: text });
    expect(fake.messages).toHaveLength(3);
  });

  it('reports a group\'s urgent_setting and managers, and refuses a buzz the group does not allow (230052)', async () => {
    const { lark, fake, card } = await setup();
    fake.setChat('oc_strict', { name: '应急指挥群', urgentSetting: 'only_owner', botIsManager: false });
    fake.setChat('oc_managed', { name: '值班群', urgentSetting: 'only_owner', botIsManager: true });
    expect(await lark.chatInfo('oc_strict')).toEqual({ name: '应急指挥群', urgentSetting: 'only_owner', botIsManager: false });
    expect(await lark.chatInfo('oc_managed')).toEqual({ name: '值班群', urgentSetting: 'only_owner', botIsManager: true });
    expect((await lark.chatInfo('oc_other')).urgentSetting).toBe('all_members');
    const strict = await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_strict', msgType: 'interactive', content: card });
    const managed = await lark.send({ receiveIdType: 'chat_id', receiveId: 'oc_managed', msgType: 'interactive', content: card });
    const e = await refusal(lark.urgentApp({ messageId: strict.messageId, openIds: ['ou_a'] }));
    expect(e).toMatchObject({ code: 230052, kind: 'permanent' });
    await lark.urgentApp({ messageId: managed.messageId, openIds: ['ou_a'] });
    fake.setChat('oc_strict', { urgentSetting: 'all_members' });
    await lark.urgentApp({ messageId: strict.messageId, openIds: ['ou_a'] });
    expect(fake.messages.map((m) => m.urgent.length)).toEqual([1, 1]);
  });


  it('takes a callback token for the delayed card update for 30 minutes, twice', async () => {
    const { lark, fake, advance } = await setup();
    const card = { schema: '2.0', body: { elements: [] } };
    const token = fake.issueCardToken();
    await lark.updateCard({ token, card });
    await lark.updateCard({ token, card });
    expect((await refusal(lark.updateCard({ token, card }))).code).toBe(300040);
    const late = fake.issueCardToken();
    advance(30 * 60_000 + 1);
    expect((await refusal(lark.updateCard({ token: late, card }))).code).toBe(300030);
    expect((await refusal(lark.updateCard({ token: 'not-a-card-token', card }))).code).toBe(300020);
    expect(fake.cardUpdates).toHaveLength(2);
  });
});
