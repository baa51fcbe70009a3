import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { startFakeLark, type FakeLark, type FakeMessage } from '../../src/lark/fake/server.ts';
import { messageEnvelope, signedRequest } from '../../src/lark/simulate.ts';
import { toUtcCron } from '../../src/jobs/utc-cron.ts';
import { findJob } from '../../jobs/index.ts';

// The Workers build, for real: `wrangler dev` (workerd) with a local D1 migrated by
// `wrangler d1 migrations apply`, Lark calls going to the fake Open API in this Node process.
// The scenario and its assertions are the Node ones: report → dispatch in chat, a job run.

const run = promisify(execFile);
const WRANGLER = join(process.cwd(), 'node_modules/.bin/wrangler');
const SECRETS = { encryptKey: 'workers-encrypt-key', verificationToken: 'workers-verification-token' };
const ADMIN = 'ou_w_admin';
const INSPECTOR = 'ou_w_inspector';
const CONTACT = 'ou_w_contact';
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

let fake: FakeLark;
let dir: string;
let dev: ChildProcess;
let base = '';
let devLog = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function d1(sql: string) {
  await run(WRANGLER, ['d1', 'execute', 'DB', '--local', '--persist-to', dir, '--command', sql], { env: ENV });
}

/** Waits (bounded) for the Worker's background processing to put messages on the fake Lark. */
async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nfake: ${JSON.stringify(fake.messages.map((m) => [m.receiveId, m.parentId, m.content.slice(0, 80)]))}\n--- wrangler dev ---\n${devLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let n = 0;
async function say(sender: string, text: string, opts: { chatId?: string; mentions?: { openId: string; name: string }[] } = {}) {
  const chatId = opts.chatId ?? 'oc_w_group';
  const userMsg = fake.addMessage({ chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId: sender });
  const envelope = messageEnvelope({ senderOpenId: sender, chatId, chatType: 'group', text, mentions: opts.mentions, messageId: userMsg.messageId, token: SECRETS.verificationToken, eventId: `ev_w_${++n}` });
  const req = await signedRequest(envelope, SECRETS);
  const res = await fetch(`${base}/lark/events`, { method: 'POST', body: req.body, headers: req.headers });
  return { res, messageId: userMsg.messageId, envelope };
}

const replyTo = (id: string) => (m: FakeMessage) => m.parentId === id;
const contentOf = (m: FakeMessage) => m.content;

beforeAll(async () => {
  fake = await startFakeLark();
  dir = mkdtempSync(join(tmpdir(), 'wk-workers-'));
  await run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], { env: ENV });
  const t = Date.now();
  await d1(
    `INSERT INTO people (open_id, name, roles, mobile, created_at, updated_at) VALUES
     ('${INSPECTOR}', '李检查', 'inspector', '13800000001', ${t}, ${t}),
     ('${CONTACT}', '刘联系', 'contact', '13800000002', ${t}, ${t});
     INSERT INTO enterprises (name, sector, township, contact_open_id, registered, created_at, updated_at)
     VALUES ('云岭化工有限公司', 'hazardous_chemicals', '红梅镇', '${CONTACT}', 1, ${t}, ${t});`,
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const vars = {
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_ENCRYPT_KEY: SECRETS.encryptKey,
    LARK_VERIFICATION_TOKEN: SECRETS.verificationToken,
    ADMIN_OPEN_IDS: ADMIN,
    LOG_LEVEL: 'warn',
  };
  dev = spawn(
    WRANGLER,
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', dir, '--test-scheduled', '--show-interactive-dev-session=false', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])],
    { env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  dev.stdout!.on('data', (b) => (devLog += b));
  dev.stderr!.on('data', (b) => (devLog += b));
  await until('wrangler dev to be ready', () => /Ready on/.test(devLog) || undefined, 90_000);
}, 150_000);

afterAll(async () => {
  if (dev?.pid) {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Watchkeeper on Workers (wrangler dev, local D1)', { timeout: 60_000 }, () => {
  it('answers a report in its thread, dispatches to the assignee, and processes a redelivered event once', async () => {
    const report = await say(INSPECTOR, '/report 云岭化工 储罐区静电接地断开 @_user_1', { mentions: [{ openId: CONTACT, name: '刘联系' }] });
    expect(report.res.status).toBe(200);
    const card = await until('the hazard card', () => fake.messages.find(replyTo(report.messageId)));
    expect(card.msgType).toBe('interactive');
    expect(card.content).toContain('YH-');
    expect(card.content).toContain('云岭化工有限公司');
    // The reporting inspector may dispatch: the assignee gets the dispatch card directly.
    const toAssignee = await until('the dispatch notice', () => fake.messages.find((m) => m.receiveId === CONTACT));
    expect(contentOf(toAssignee)).toContain('储罐区静电接地断开');

    // The same event delivered again: acknowledged, never processed twice.
    const again = await signedRequest(report.envelope, SECRETS);
    const res = await fetch(`${base}/lark/events`, { method: 'POST', body: again.body, headers: again.headers });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.messages.filter(replyTo(report.messageId))).toHaveLength(1);
  });

  it('knows the shipped 2026 calendar from the D1 migrations alone, with no import', async () => {
    const ask = await say(INSPECTOR, '/duty 2026-10-03');
    const reply = await until('the /duty answer', () => fake.messages.find(replyTo(ask.messageId)));
    expect(reply.content).toContain('节假日：国庆节');
  });

  it('refuses a badly signed request with 401 and an unknown command gets a suggestion', async () => {
    const req = await signedRequest(messageEnvelope({ senderOpenId: INSPECTOR, chatId: 'oc_w_group', text: '/help', token: SECRETS.verificationToken }), SECRETS);
    const bad = await fetch(`${base}/lark/events`, { method: 'POST', body: req.body, headers: { ...req.headers, 'x-lark-signature': '0'.repeat(64) } });
    expect(bad.status).toBe(401);
    const typo = await say(INSPECTOR, '/hepl');
    const reply = await until('the suggestion', () => fake.messages.find(replyTo(typo.messageId)));
    expect(reply.content).toContain('未知命令 /hepl');
  });

  it('runs a job from its cron trigger and delivers what it queued', async () => {
    const bind = await say(ADMIN, '/bind leaders', { chatId: 'oc_w_leaders' });
    await until('the bind reply', () => fake.messages.find(replyTo(bind.messageId)));
    const cron = toUtcCron(findJob('daily-brief')!.cron, 'Asia/Shanghai');
    const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent(cron)}`);
    expect(res.status).toBe(200);
    const brief = await until('the daily brief', () => fake.messages.find((m) => m.chatId === 'oc_w_leaders' && m.content.includes('每日安全简报')));
    expect(brief.msgType).toBe('interactive');
    // A second trigger for the same minute sends nothing new (the slot is claimed).
    await fetch(`${base}/__scheduled?cron=${encodeURIComponent(cron)}`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.messages.filter((m) => m.chatId === 'oc_w_leaders' && m.content.includes('每日安全简报'))).toHaveLength(1);
  });
});
