// The production build: `npm run build` writes plain JavaScript to dist/, and `node dist/node.js`
// (npm run start:prod) runs it with no TypeScript loader — against the fake Lark, on a fresh
// database (so the migrations folder is found from the bundle), answering /healthz and a signed
// /help with a reply.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { messageEnvelope, signedRequest } from '../src/lark/simulate.ts';
import { SECRETS } from './support/harness.ts';

const root = new URL('../', import.meta.url).pathname;

describe('npm run build and start:prod', () => {
  let fake: FakeLark;
  let child: ChildProcess;
  let dir: string;
  let url = '';
  const logs: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
    fake = await startFakeLark();
    dir = mkdtempSync(join(tmpdir(), 'wk-dist-'));
    child = spawn(process.execPath, ['dist/node.js'], {
      cwd: root,
      // Only what a production start gets: no tsx loader in NODE_OPTIONS, no test globals.
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        DATABASE_URL: `file:${join(dir, 'wk.db')}`,
        LARK_APP_ID: fake.appId,
        LARK_APP_SECRET: fake.appSecret,
        LARK_ENCRYPT_KEY: SECRETS.encryptKey,
        LARK_VERIFICATION_TOKEN: SECRETS.verificationToken,
        LARK_DOMAIN: fake.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => logs.push(...b.toString().split('\n')));
    child.stderr!.on('data', (b: Buffer) => logs.push(...b.toString().split('\n')));
    for (const end = Date.now() + 20_000; !url && Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const line = logs.find((l) => l.includes('watchkeeper listening'));
      if (line) url = (JSON.parse(line) as { url: string }).url;
      if (child.exitCode !== null) throw new Error(`dist/node.js exited: ${logs.join('\n')}`);
    }
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes plain JavaScript with the files it reads beside it', () => {
    const js = readFileSync(join(root, 'dist/node.js'), 'utf8');
    expect(js).not.toMatch(/from ['"][^'"]+\.tsx?['"]/);
    expect(existsSync(join(root, 'dist/migrations/meta/_journal.json'))).toBe(true);
    expect(existsSync(join(root, 'dist/assets/sandbox.js'))).toBe(true);
  });

  it('starts with node alone, is healthy, and answers a message', async () => {
    expect(url, logs.join('\n')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    let health = 0;
    for (const end = Date.now() + 15_000; health !== 200 && Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      health = (await fetch(`${url}/healthz`)).status;
    }
    expect(health).toBe(200);

    const user = fake.addMessage({ chatId: 'oc_p2p_ou_x', content: JSON.stringify({ text: '/help' }), msgType: 'text', senderOpenId: 'ou_x' });
    const req = await signedRequest(
      messageEnvelope({ senderOpenId: 'ou_x', chatId: user.chatId, chatType: 'p2p', text: '/help', token: SECRETS.verificationToken, messageId: user.messageId }),
      SECRETS,
    );
    const res = await fetch(`${url}/lark/events`, { method: 'POST', body: req.body, headers: req.headers });
    expect(res.status).toBe(200);
    let reply;
    for (const end = Date.now() + 10_000; !reply && Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      reply = fake.messages.find((m) => m.parentId === user.messageId);
    }
    expect(reply?.content).toContain('/whoami');
  }, 40_000);
});
