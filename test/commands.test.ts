import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { people } from '../src/db/schema.ts';

let h: Harness;
const ADMIN = 'ou_admin_1';
const INSPECTOR = 'ou_inspector_1';

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN] });
  const t = h.now.getTime();
  await h.db.insert(people).values([
    { openId: INSPECTOR, name: '李检查', roles: 'inspector', township: '红梅镇', mobile: '13800000001', createdAt: t, updatedAt: t },
  ]);
});
afterAll(() => h.close());

describe('commands', () => {
  it('answers /help in the thread of the message with the commands the caller may use', async () => {
    const { replies, messageId } = await h.say(INSPECTOR, '/help');
    expect(replies).toHaveLength(1);
    expect(replies[0].parentId).toBe(messageId);
    expect(replies[0].replyInThread).toBe(true);
    const text = textOf(replies[0]);
    expect(text).toContain('/help');
    expect(text).toContain('/whoami');
  });

  it('accepts the Chinese alias and the full-width slash', async () => {
    const { replies } = await h.say(INSPECTOR, '／帮助 whoami');
    expect(textOf(replies[0])).toContain('/whoami');
    expect(textOf(replies[0])).toContain('用法 Usage');
  });

  it('tells who the caller is', async () => {
    const { replies } = await h.say(INSPECTOR, '/我是谁');
    const text = textOf(replies[0]);
    expect(text).toContain('李检查');
    expect(text).toContain('检查员');
    expect(text).toContain('红梅镇');
  });

  it('tells an unknown sender to get registered, but still answers /whoami', async () => {
    const { replies } = await h.say('ou_stranger', '/whoami');
    expect(textOf(replies[0])).toContain('尚未登记');
    expect(textOf(replies[0])).toContain('ou_stranger');
  });

  it('treats ADMIN_OPEN_IDS as admins before any import', async () => {
    const { replies } = await h.say(ADMIN, '/whoami');
    expect(textOf(replies[0])).toContain('管理员');
  });

  it('suggests the nearest command for an unknown one', async () => {
    const { replies } = await h.say(INSPECTOR, '/hepl');
    const text = textOf(replies[0]);
    expect(text).toContain('未知命令 /hepl');
    expect(text).toContain('/help');
  });

  // Issue 15 changed this: a group message that @-mentions the bot is addressed to it and is always
  // answered (here with the help line); group chatter that does not mention the bot stays ignored.
  it('strips the mention of the bot in a group, answers chatter addressed to it, and ignores chatter that is not', async () => {
    const bot = { openId: h.fake.botOpenId, name: '安全值守助手' };
    const withMention = await h.say(INSPECTOR, '@_user_1 /whoami', { mentions: [bot] });
    expect(textOf(withMention.replies[0])).toContain('李检查');
    const chatter = await h.say(INSPECTOR, '@_user_1 大家好', { mentions: [bot] });
    expect(chatter.replies).toHaveLength(1);
    expect(textOf(chatter.replies[0])).toContain('没看懂这条消息。');
    const overheard = await h.say(INSPECTOR, '大家好');
    expect(overheard.replies).toHaveLength(0);
  });

  it('lets the slash be left out in a direct chat', async () => {
    const { replies } = await h.say(INSPECTOR, 'whoami', { chatType: 'p2p' });
    expect(textOf(replies[0])).toContain('李检查');
  });

  it('refuses bad arguments with the usage', async () => {
    const { replies } = await h.say(INSPECTOR, '/whoami extra words');
    expect(textOf(replies[0])).toContain('用法');
  });
});
