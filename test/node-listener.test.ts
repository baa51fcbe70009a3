import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { startHarness, SECRETS, type Harness } from './support/harness.ts';
import { nodeListener } from '../src/node-listener.ts';
import { messageEnvelope, signedRequest } from '../src/lark/simulate.ts';

// The Node listener answers the webhook itself and hands every other route to Hono.

let h: Harness;
let server: Server;
let base = '';

beforeAll(async () => {
  h = await startHarness();
  server = createServer(nodeListener(h.runtime.app, h.runtime.ingestDeps)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await h.close();
});

const inboxCount = async () => (await h.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM inbox`))[0].n;

describe('nodeListener', () => {
  it('inboxes a signed event and answers 200', async () => {
    const env = messageEnvelope({ senderOpenId: 'ou_x', chatId: 'oc_x', text: '/help', token: SECRETS.verificationToken });
    const req = await signedRequest(env, SECRETS, { timestampSeconds: Math.floor(h.now.getTime() / 1000) });
    const before = await inboxCount();
    const res = await fetch(`${base}/lark/events`, { method: 'POST', body: req.body, headers: req.headers });
    expect(res.status).toBe(200);
    expect(await inboxCount()).toBe(before + 1);
  });

  it('refuses a chunked body over 256 KB with 413 and writes nothing', async () => {
    const before = await inboxCount();
    const status = await new Promise<number>((resolve, reject) => {
      const r = request(`${base}/lark/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      r.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 5; i++) r.write(chunk);
      r.end();
    });
    expect(status).toBe(413);
    expect(await inboxCount()).toBe(before);
  });

  it('refuses a bad signature with 401 and serves other routes through the app', async () => {
    const env = messageEnvelope({ senderOpenId: 'ou_x', chatId: 'oc_x', text: '/help', token: SECRETS.verificationToken });
    const req = await signedRequest(env, SECRETS, { timestampSeconds: Math.floor(h.now.getTime() / 1000) });
    const bad = await fetch(`${base}/lark/events`, { method: 'POST', body: req.body, headers: { ...req.headers, 'x-lark-signature': 'f'.repeat(64) } });
    expect(bad.status).toBe(401);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });
});
