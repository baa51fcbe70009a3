import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { messageEnvelope, signedRequest } from '../src/lark/simulate.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { addEnterprise, addHazard, addPerson } from './support/seed.ts';

// Two real Node processes (src/node.ts) on one libSQL file, as two instances behind a load
// balancer would be: every event is processed once, every job slot runs once, every message is
// sent once, whichever instance Lark or the clock happens to reach.

const SECRETS = { encryptKey: 'multi-encrypt-key', verificationToken: 'multi-verification-token' };
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');
let fake: FakeLark;
let dir: string;
let dbUrl: string;
const nodes: { proc: ChildProcess; url: string; log: string[] }[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function env(extra: Record<string, string> = {}) {
  return {
    ...process.env,
    DATABASE_URL: dbUrl,
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_ENCRYPT_KEY: SECRETS.encryptKey,
    LARK_VERIFICATION_TOKEN: SECRETS.verificationToken,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function startNode(): Promise<{ proc: ChildProcess; url: string; log: string[] }> {
  const port = await freePort();
  const log: string[] = [];
  const proc = spawn(TSX, ['src/node.ts'], { env: env({ PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (b) => log.push(String(b)));
  proc.stderr!.on('data', (b) => log.push(String(b)));
  const url = `http://127.0.0.1:${port}`;
  for (const end = Date.now() + 30_000; Date.now() < end; ) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return { proc, url, log };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`node did not become healthy:\n${log.join('')}`);
}

function runJobCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(TSX, ['src/cli/jobs.ts', ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (out += b));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function until(what: string, probe: () => boolean, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${nodes.map((n) => n.log.join('')).join('\n---\n')}`);
}

beforeAll(async () => {
  fake = await startFakeLark();
  dir = mkdtempSync(join(tmpdir(), 'wk-multi-'));
  dbUrl = `file:${join(dir, 'shared.db')}`;
  const database = await openDatabase(dbUrl);
  await migrateDatabase(database.db);
  await addPerson(database.db, 'ou_m_inspector', '李检查', 'inspector');
  await addPerson(database.db, 'ou_m_assignee', '王整改', 'contact');
  const e = await addEnterprise(database.db, { name: '双机化工厂', contactOpenId: 'ou_m_assignee' });
  // Twenty overdue hazards for the jobs to find.
  for (let i = 0; i < 20; i++) await addHazard(database.db, { enterpriseId: e, assigneeOpenId: 'ou_m_assignee', deadline: Date.UTC(2026, 10, 1) });
  database.close();
  nodes.push(await startNode(), await startNode());
}, 180_000);

afterAll(async () => {
  for (const n of nodes) n.proc.kill('SIGTERM');
  await Promise.all(nodes.map((n) => new Promise((r) => (n.proc.exitCode !== null ? r(null) : n.proc.once('exit', r)))));
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two Node instances on one database', { timeout: 180_000 }, () => {
  it('process each event once, whichever instance gets it (Lark retries to both)', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      const msg = fake.addMessage({ chatId: 'oc_m', content: JSON.stringify({ text: '/whoami' }), msgType: 'text', senderOpenId: 'ou_m_inspector' });
      sent.push(msg.messageId);
      const envelope = messageEnvelope({ senderOpenId: 'ou_m_inspector', chatId: 'oc_m', text: '/whoami', messageId: msg.messageId, token: SECRETS.verificationToken, eventId: `ev_multi_${i}` });
      // The same event to both instances at once.
      await Promise.all(
        nodes.map(async (n) => {
          const req = await signedRequest(envelope, SECRETS);
          const res = await fetch(`${n.url}/lark/events`, { method: 'POST', body: req.body, headers: req.headers });
          expect(res.status).toBe(200);
        }),
      );
    }
    const replies = (id: string) => fake.messages.filter((m) => m.parentId === id).length;
    await until('a reply to every event', () => sent.every((id) => replies(id) >= 1));
    await new Promise((r) => setTimeout(r, 1500)); // a late duplicate would show up by now
    expect(sent.map(replies)).toEqual(sent.map(() => 1));
  });

  it('run each job slot once when both instances run it at the same instant, and send each message once', async () => {
    const at = '2026-12-02T09:05:00+08:00';
    const before = fake.messages.length;
    const [a, b] = await Promise.all([runJobCli(['run', 'overdue-nags', '--at', at]), runJobCli(['run', 'overdue-nags', '--at', at])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const outputs = [a.out, b.out];
    expect(outputs.filter((o) => /queued 2/.test(o))).toHaveLength(1);
    expect(outputs.filter((o) => /already ran/.test(o))).toHaveLength(1);
    // One digest and its buzz (level 3); the assignee is also the enterprise contact.
    await until('the digest and its buzz', () => fake.messages.length - before >= 1 && fake.messages.slice(before).every((m) => m.urgent.length === 1));
    await new Promise((r) => setTimeout(r, 1500));
    const digests = fake.messages.slice(before);
    expect(digests.map((m) => m.receiveId).sort()).toEqual(['ou_m_assignee']);
    expect(new Set(digests.map((m) => m.uuid)).size).toBe(digests.length);
  });
});
