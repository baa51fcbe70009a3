import { afterEach, describe, expect, it } from 'vitest';
import { SECRETS, startHarness, textOf, type Harness } from './support/harness.ts';
import { messageEnvelope } from '../src/lark/simulate.ts';
import { addPerson } from './support/seed.ts';

// Nobody who talks to the bot is met with silence: a group message that @-mentions it and any
// direct message get an answer, and an event that cannot be handled yet (the bot does not know
// its own open_id right after a start) waits for the moment it can, instead of being dropped.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function inboxStatus(eventId: string) {
  const rs = await h!.client.execute({ sql: 'SELECT status FROM inbox WHERE event_id = ?', args: [eventId] });
  return String(rs.rows[0]?.status);
}

/** Posts "@bot TEXT" in a group, as Lark delivers a message that mentions the bot. */
async function mentionBot(text: string, sender: string) {
  const m = h!.fake.addMessage({ chatId: 'oc_township', content: JSON.stringify({ text: `@_user_1 ${text}` }), msgType: 'text', senderOpenId: sender });
  const env = messageEnvelope({
    senderOpenId: sender,
    chatId: 'oc_township',
    text: `@_user_1 ${text}`,
    mentions: [{ openId: h!.fake.botOpenId, name: '安全值守助手' }],
    messageId: m.messageId,
    token: SECRETS.verificationToken,
  });
  const res = await h!.post(env);
  expect(res.status).toBe(200);
  return { eventId: env.header.event_id, messageId: m.messageId };
}

const repliesTo = (messageId: string) => h!.fake.messages.filter((m) => m.parentId === messageId);

describe('events acknowledged right after a start', () => {
  it('waits until the bot knows who it is, then answers a group command that mentions it', async () => {
    h = await startHarness({ identify: false });
    await addPerson(h.db, 'ou_zhang', '张伟', 'inspector');
    const { eventId, messageId } = await mentionBot('/whoami', 'ou_zhang');

    // The worker runs before Lark has said who the bot is: the row must wait, not be dropped.
    await h.settle();
    expect(await inboxStatus(eventId)).toBe('pending');
    expect(repliesTo(messageId)).toHaveLength(0);

    await h.runtime.identify();
    await h.settle();
    expect(await inboxStatus(eventId)).toBe('done');
    const replies = repliesTo(messageId);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('张伟');
  });
});

describe('never silence for someone talking to the bot', () => {
  it('answers a group message that mentions the bot without a command', async () => {
    h = await startHarness();
    const { eventId, messageId } = await mentionBot('你好，今天谁值班？', 'ou_someone');
    await h.settle();
    const replies = repliesTo(messageId);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0]).length).toBeGreaterThan(0);
    expect(await inboxStatus(eventId)).toBe('done');
  });

  it('answers a direct message with nothing to act on (a picture outside any hazard)', async () => {
    h = await startHarness();
    const { replies } = await h.say('ou_someone', '', { chatType: 'p2p', imageKey: 'img_unrelated' });
    expect(replies).toHaveLength(1);
  });

  it('leaves a group message that does not mention the bot alone', async () => {
    h = await startHarness();
    const { replies } = await h.say('ou_someone', '大家辛苦了');
    expect(replies).toHaveLength(0);
  });
});
