import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { cardActionEnvelope, messageEnvelope, signedRequest } from '../src/lark/simulate.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { addEnterprise, addPerson } from './support/seed.ts';
import { freePort, serverProcesses, until, type ServerProcess } from './support/process.ts';
import { scanLogs } from './support/log-scan.ts';
import { fakeLarkEnv } from '../scripts/chaos/server-process.ts';

// "No secret is ever logged": a real server process at LOG_LEVEL=debug through a representative
// session (encrypted events with message text in groups and direct chats, a report, refusals, a
// card click, the SDK fetching its tenant token, a token that expires, Lark failing a call
// transiently and permanently), and then every line it printed, at every level, through the
// check in test/support/log-scan.ts: no secret value and no tenant token anywhere, no message
// text at info or above. The harness runs the same check over every in-process test's logs.

const SECRETS = { encryptKey: 'logs-encrypt-key-4f9a', verificationToken: 'logs-verification-token-77c2' };
const DB_TOKEN = 'db-auth-token-never-logged-91d3';
let fake: FakeLark;
let dir: string;
let servers: ReturnType<typeof serverProcesses>;
let server: ServerProcess;

beforeAll(async () => {
  fake = await startFakeLark({ appSecret: 'app-secret-never-logged-5b1e' });
  dir = mkdtempSync(join(tmpdir(), 'wk-logs-'));
  const dbUrl = `file:${join(dir, 'logs.db')}`;
  const database = await openDatabase(dbUrl);
  await migrateDatabase(database.db);
  await addPerson(database.db, 'ou_logs_inspector', '李检查', 'inspector', { mobile: '13800138000' });
  await addEnterprise(database.db, { name: '梅河化工有限公司', contactOpenId: 'ou_logs_inspector' });
  database.close();
  servers = serverProcesses({
    DATABASE_URL: dbUrl,
    DATABASE_AUTH_TOKEN: DB_TOKEN,
    ...fakeLarkEnv(fake, SECRETS),
    LOG_LEVEL: 'debug',
  });
  server = servers.start(await freePort());
  await until('the server to be healthy', async () => (await fetch(`${server.url}/healthz`).catch(() => undefined))?.ok === true, 150_000, () => servers.lines.join('\n'));
}, 180_000);

afterAll(async () => {
  await servers.stopAll();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(payload: unknown) {
  const req = await signedRequest(payload, SECRETS);
  return fetch(`${server.url}/lark/events`, { method: 'POST', body: req.body, headers: req.headers });
}

const said: string[] = [];
/** A user's message, encrypted and signed as Lark sends it; resolves once the bot has answered. */
async function say(text: string, o: { chatType?: 'p2p' | 'group'; mention?: boolean } = {}) {
  said.push(text);
  const chatType = o.chatType ?? 'group';
  const chatId = chatType === 'p2p' ? 'oc_p2p_logs' : 'oc_logs_group';
  const full = o.mention ? `@_user_1 ${text}` : text;
  const m = fake.addMessage({ chatId, content: JSON.stringify({ text: full }), msgType: 'text', senderOpenId: 'ou_logs_inspector' });
  const mentions = o.mention ? [{ openId: fake.botOpenId, name: '安全值守助手' }] : [];
  const res = await post(messageEnvelope({ senderOpenId: 'ou_logs_inspector', chatId, chatType, text: full, mentions, messageId: m.messageId, token: SECRETS.verificationToken }));
  expect(res.status).toBe(200);
  await until(`an answer to ${text}`, () => fake.messages.some((r) => r.parentId === m.messageId), 60_000, () => servers.lines.slice(-10).join('\n'));
}

describe('server logs', { timeout: 180_000 }, () => {
  it('hold no secret and no tenant token at any level, and no message text at info or above', async () => {
    await say('/whoami');
    await say('/report 梅河化工有限公司 储罐区消防通道被杂物堵塞，灭火器过期三个月 级别:重大');
    await say('/hazards 梅河化工有限公司');
    await say('今天谁在值班室？请回电 13800138000', { chatType: 'p2p' });
    await say('大家注意防汛，河堤巡查到位', { mention: true });
    await say('/dispatch YH-2099-0001 没有这个编号');
    await say('/不存在的命令 带着参数');
    // Lark fails a reply transiently, then the token expires: the SDK fetches a new one.
    fake.failNext(1, { status: 500, code: 1500, msg: 'internal error' });
    await say('/whoami 再问一次');
    fake.expireTokens();
    await say('/help report');
    // A permanent refusal is logged at error level, with the message id but not the text.
    fake.failNext(1, { status: 400, code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    said.push('这条回复会被拒绝');
    await post(messageEnvelope({ senderOpenId: 'ou_logs_inspector', chatId: 'oc_logs_group', text: '/whoami 这条回复会被拒绝', token: SECRETS.verificationToken }));
    await until('the refusal to be logged', () => servers.lines.some((l) => l.includes('message failed permanently')), 60_000);
    const click = await post(cardActionEnvelope({ operatorOpenId: 'ou_logs_inspector', value: { action: 'no-such-action', secret: '按钮里的文字' }, token: SECRETS.verificationToken }));
    expect(click.status).toBe(200);
    await servers.stopAll();

    const tokensIssued = fake.calls.filter((c) => c.path.endsWith('/tenant_access_token/internal') && c.status === 200).length;
    expect(tokensIssued).toBeGreaterThanOrEqual(2);
    expect(servers.lines.filter((l) => l.includes('"level":"info"')).length).toBeGreaterThan(3);
    expect(servers.lines.some((l) => l.includes('"level":"error"'))).toBe(true);
    const problems = scanLogs(servers.lines, {
      secrets: [fake.appSecret, SECRETS.encryptKey, SECRETS.verificationToken, DB_TOKEN],
      texts: said.map((t) => t.replace(/^\/\S+\s*/, '')).concat(['13800138000', '按钮里的文字']),
    });
    expect(problems).toEqual([]);
  });

  it('the check finds what it looks for', () => {
    const line = (level: string, fields: Record<string, unknown>) => JSON.stringify({ t: '2026-12-01T00:00:00Z', level, msg: 'x', ...fields });
    const rules = { secrets: ['s3cret-value'], texts: ['储罐区消防通道被堵'] };
    expect(scanLogs([line('debug', { text: '储罐区消防通道被堵' })], rules)).toEqual([]);
    expect(scanLogs([line('info', { text: '储罐区消防通道被堵' })], rules)).toHaveLength(1);
    expect(scanLogs([line('debug', { header: 'Bearer s3cret-value' })], rules)).toHaveLength(1);
    expect(scanLogs([line('warn', { token: 't-fake_1a2b3c4d_000001' })], rules)).toHaveLength(1);
    expect(scanLogs(['fatal: Error: s3cret-value'], rules)).toHaveLength(1);
  });
});
