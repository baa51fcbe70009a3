// npm run bench:ingest
//
// Watchkeeper's webhook (hono on @hono/node-server → verify signature and token → decrypt →
// durable inbox insert, group-committed, answered only after the commit) against the official
// SDK's EventDispatcher behind lark.adaptExpress answering the same signed, encrypted
// im.message.receive_v1 payloads with a bare acknowledgement. Both servers listen on 127.0.0.1
// in this process (only one is loaded at a time); the load comes from a child process.
//
// Knobs (environment): BENCH_WARMUP, BENCH_REQUESTS (per max-throughput run), BENCH_ROUNDS,
// BENCH_CONCURRENCY, BENCH_RATE, BENCH_STEADY_SECONDS, BENCH_DB_DIR.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import * as lark from '@larksuiteoapi/node-sdk';
import { createClient } from '@libsql/client';
import express from 'express';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { startFakeLark } from '../src/lark/fake/server.ts';
import type { IngestSecrets } from '../src/lark/ingest.ts';
import { SdkLarkClient } from '../src/lark/sdk-client.ts';
import { messageEnvelope, signedRequest } from '../src/lark/simulate.ts';
import { silentLogger } from '../src/log.ts';
import { createRuntime } from '../src/runtime.ts';
import { makeSettings } from '../src/settings.ts';
import type { ChildMessage, LoadJob, LoadResult, PreparedRequest } from './common.ts';

const int = (name: string, dflt: number) => {
  const v = process.env[name];
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const WARMUP = int('BENCH_WARMUP', 3000);
const REQUESTS = int('BENCH_REQUESTS', 10_000);
const ROUNDS = int('BENCH_ROUNDS', 2);
const CONCURRENCY = int('BENCH_CONCURRENCY', 32);
const RATE = int('BENCH_RATE', 1000);
const STEADY_SECONDS = int('BENCH_STEADY_SECONDS', 5);
const STEADY = RATE * STEADY_SECONDS;
const TOTAL = WARMUP + REQUESTS * ROUNDS + STEADY;

const SECRETS: IngestSecrets = { encryptKey: 'bench-encrypt-key-6f1c2a9d', verificationToken: 'bench-verification-token-41b7' };
const WK_PATH = '/lark/events';
const SDK_PATH = '/webhook';

const fail = (msg: string): never => {
  console.error(`\nBENCH FAILED: ${msg}`);
  process.exit(1);
};

function listening(server: Server): Promise<number> {
  return new Promise((resolve) => {
    if (server.listening) resolve((server.address() as AddressInfo).port);
    else server.once('listening', () => resolve((server.address() as AddressInfo).port));
  });
}

async function main() {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? '?'}), ${os.platform()} ${os.arch()}, Node ${process.version}`);

  // ── Watchkeeper: a fresh migrated libSQL file, the fake Lark for the client, real secrets ──
  const dir = mkdtempSync(join(process.env.BENCH_DB_DIR ?? os.tmpdir(), 'wk-bench-'));
  const dbPath = join(dir, 'bench.db');
  const database = await openDatabase(`file:${dbPath}`);
  await migrateDatabase(database.db);
  const fake = await startFakeLark();
  const larkClient = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: silentLogger });
  const runtime = await createRuntime({
    settings: makeSettings({ tz: 'Asia/Shanghai' }),
    database,
    lark: larkClient,
    secrets: SECRETS,
    log: silentLogger,
  });
  await runtime.identify();
  // runtime.start() is deliberately not called: no inbox worker, no outbox sender — ingest only.
  const wkServer = serve({ fetch: runtime.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  const wkPort = await listening(wkServer);

  // ── SDK baseline: EventDispatcher behind adaptExpress, body parsed by express.json() as its README does ──
  let sdkHandled = 0;
  let sdkMalformed = 0;
  const dispatcher = new lark.EventDispatcher({ ...SECRETS, loggerLevel: lark.LoggerLevel.error }).register({
    'im.message.receive_v1': async (data) => {
      // Only reached after the SDK checked the signature and decrypted the body.
      if (typeof data.event_id === 'string' && typeof data.message?.chat_id === 'string') sdkHandled++;
      else sdkMalformed++;
    },
  });
  const sdkApp = express();
  sdkApp.post(SDK_PATH, express.json(), lark.adaptExpress(dispatcher, { autoChallenge: true }));
  const sdkServer = sdkApp.listen(0, '127.0.0.1');
  const sdkPort = await listening(sdkServer);

  // Same keep-alive policy on both, long enough that no connection closes between phases.
  for (const s of [wkServer, sdkServer]) {
    s.keepAliveTimeout = 120_000;
    s.headersTimeout = 121_000;
  }

  // ── Pre-generate every request (distinct event ids), timestamps at wall time ──
  const genStart = performance.now();
  const prepared: PreparedRequest[] = new Array(TOTAL);
  const CHUNK = 500;
  for (let i = 0; i < TOTAL; i += CHUNK) {
    await Promise.all(
      Array.from({ length: Math.min(CHUNK, TOTAL - i) }, async (_, j) => {
        const k = i + j;
        const env = messageEnvelope({
          eventId: `ev_bench_${k.toString().padStart(7, '0')}_${Math.random().toString(36).slice(2, 10)}`,
          messageId: `om_bench_${k}`,
          senderOpenId: `ou_user_${k % 97}`,
          chatId: `oc_group_${k % 13}`,
          chatType: 'group',
          text: `@_user_1 值班 第${k % 7}班 交接记录：巡检完成，二号泵房压力正常，消防通道畅通。`,
          mentions: [{ openId: 'ou_fake_bot', name: '安全值守助手' }],
          token: SECRETS.verificationToken,
        });
        prepared[k] = await signedRequest(env, SECRETS);
      }),
    );
  }
  const reqFile = join(dir, 'requests.json');
  writeFileSync(reqFile, JSON.stringify(prepared));
  const avgBody = Math.round(prepared.reduce((s, r) => s + r.body.length, 0) / TOTAL);
  console.log(`generated ${TOTAL} signed, encrypted im.message.receive_v1 requests (${avgBody} B body each) in ${((performance.now() - genStart) / 1000).toFixed(1)} s (not timed)`);

  // ── The load generator, in its own process ──
  const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const replies: ((m: ChildMessage) => void)[] = [];
  child.on('message', (m) => replies.shift()?.(m as ChildMessage));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) fail(`load generator exited with ${code}`);
  });
  const ask = (child: ChildProcess, msg: unknown) =>
    new Promise<ChildMessage>((resolve) => {
      replies.push(resolve);
      child.send(msg as object);
    });
  await ask(child, { type: 'load', file: reqFile });

  let wkSent = 0;
  let sdkSent = 0;
  const verifier = createClient({ url: `file:${dbPath}` }); // a second connection: sees committed rows only

  async function run(server: 'SDK' | 'WK', mode: LoadJob['mode'], start: number, end: number): Promise<LoadResult> {
    const job: LoadJob = { port: server === 'WK' ? wkPort : sdkPort, path: server === 'WK' ? WK_PATH : SDK_PATH, start, end, mode, concurrency: CONCURRENCY, rate: RATE };
    const before = sdkHandled;
    const reply = await ask(child, { type: 'run', job });
    if (reply.type !== 'result') throw new Error('unexpected reply');
    const r = reply.result;
    if (r.errors > 0) fail(`${server}: ${r.errors} of ${r.sent} requests were not answered 200`);
    if (server === 'WK') {
      wkSent += r.sent;
      const rows = Number((await verifier.execute('SELECT count(*) AS n FROM inbox')).rows[0].n);
      if (rows !== wkSent) fail(`inbox holds ${rows} rows after ${wkSent} distinct events were acknowledged`);
    } else {
      sdkSent += r.sent;
      if (sdkMalformed > 0) fail(`SDK handler saw ${sdkMalformed} events without decrypted fields`);
      if (sdkHandled - before !== r.sent) fail(`SDK handler ran ${sdkHandled - before} times for ${r.sent} requests (signature or decryption failed?)`);
    }
    return r;
  }

  const pause = () => new Promise((r) => setTimeout(r, 300));
  const fmt = (n: number, d = 2) => n.toFixed(d).padStart(8);

  // Warm-up (JIT, connections, SQLite page cache): not reported.
  await run('SDK', 'closed', 0, WARMUP);
  await run('WK', 'closed', 0, WARMUP);

  console.log(`\nmax throughput: closed loop, ${CONCURRENCY} in flight, ${REQUESTS} requests per run, runs interleaved`);
  console.log('run  server          req/s    p50 ms   p99 ms   max ms');
  const totals = { SDK: { n: 0, s: 0, p50: [] as number[], p99: [] as number[] }, WK: { n: 0, s: 0, p50: [] as number[], p99: [] as number[] } };
  for (let round = 0; round < ROUNDS; round++) {
    const start = WARMUP + round * REQUESTS;
    for (const server of ['SDK', 'WK'] as const) {
      await pause();
      const r = await run(server, 'closed', start, start + REQUESTS);
      totals[server].n += r.sent;
      totals[server].s += r.seconds;
      totals[server].p50.push(r.latency.p50);
      totals[server].p99.push(r.latency.p99);
      console.log(`${String(round + 1).padEnd(4)} ${(server === 'WK' ? 'Watchkeeper' : 'SDK baseline').padEnd(12)} ${fmt(r.rps, 0)} ${fmt(r.latency.p50)} ${fmt(r.latency.p99)} ${fmt(r.latency.max)}`);
    }
  }
  const sdkRps = totals.SDK.n / totals.SDK.s;
  const wkRps = totals.WK.n / totals.WK.s;
  const ratio = wkRps / sdkRps;

  console.log(`\nsteady ${RATE} req/s for ${STEADY_SECONDS} s: open loop`);
  console.log('server          achieved/s    p50 ms   p90 ms   p99 ms   max ms   gen lag p99 ms');
  const steady: Record<string, LoadResult> = {};
  const steadyStart = WARMUP + ROUNDS * REQUESTS;
  for (const server of ['SDK', 'WK'] as const) {
    await pause();
    const r = await run(server, 'open', steadyStart, steadyStart + STEADY);
    steady[server] = r;
    console.log(`${(server === 'WK' ? 'Watchkeeper' : 'SDK baseline').padEnd(15)} ${fmt(r.rps, 0)}   ${fmt(r.latency.p50)} ${fmt(r.latency.p90)} ${fmt(r.latency.p99)} ${fmt(r.latency.max)}   ${fmt(r.dispatchLag!.p99)}`);
  }

  // ── Verdict ──
  const rows = Number((await verifier.execute('SELECT count(*) AS n FROM inbox')).rows[0].n);
  const distinct = Number((await verifier.execute('SELECT count(DISTINCT event_id) AS n FROM inbox')).rows[0].n);
  if (rows !== wkSent || distinct !== wkSent) fail(`inbox has ${rows} rows (${distinct} distinct) for ${wkSent} distinct events sent`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const wkSteadyP99 = steady.WK.latency.p99;

  console.log('\nsummary');
  console.log(`  SDK baseline  ${sdkRps.toFixed(0).padStart(6)} req/s   max-load p50 ${median(totals.SDK.p50).toFixed(2)} ms  p99 ${median(totals.SDK.p99).toFixed(2)} ms   @${RATE}/s p50 ${steady.SDK.latency.p50.toFixed(2)} ms  p99 ${steady.SDK.latency.p99.toFixed(2)} ms`);
  console.log(`  Watchkeeper   ${wkRps.toFixed(0).padStart(6)} req/s   max-load p50 ${median(totals.WK.p50).toFixed(2)} ms  p99 ${median(totals.WK.p99).toFixed(2)} ms   @${RATE}/s p50 ${steady.WK.latency.p50.toFixed(2)} ms  p99 ${wkSteadyP99.toFixed(2)} ms`);
  console.log(`  ratio WK/SDK  ${ratio.toFixed(2)}×  (target ≥ 2×: ${ratio >= 2 ? 'met' : 'NOT met'})`);
  console.log(`  WK p99 @ ${RATE}/s ${wkSteadyP99.toFixed(2)} ms  (target ≤ 10 ms: ${wkSteadyP99 <= 10 ? 'met' : 'NOT met'})`);
  console.log(`  durability: inbox rows ${rows} = distinct events acknowledged ${wkSent} (counted on a second connection) ✓`);
  console.log(`  SDK handler ran ${sdkHandled} times = requests sent ${sdkSent} (signature verified, body decrypted) ✓`);
  console.log('  measured: HTTP over loopback keep-alive, verify + decrypt + parse + (WK) inbox commit before the 200.');
  console.log('  not measured: the inbox worker and outbox sender (not started), command handling, replies to Lark.');

  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'exit' });
  await exited;
  verifier.close();
  wkServer.closeAllConnections?.();
  sdkServer.closeAllConnections();
  await new Promise<void>((r) => wkServer.close(() => r()));
  await new Promise<void>((r) => sdkServer.close(() => r()));
  await fake.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
