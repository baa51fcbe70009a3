// npm run bench:ingest
//
// Watchkeeper's webhook (hono on @hono/node-server → verify signature and token → decrypt →
// durable inbox insert, group-committed, answered only after the commit) against the official
// SDK's EventDispatcher behind lark.adaptExpress answering the same signed, encrypted
// im.message.receive_v1 payloads with a bare acknowledgement. Both servers listen on 127.0.0.1
// in this process (only one is loaded at a time); the load comes from a child process.
//
// Knobs (environment): BENCH_WARMUP, BENCH_REQUESTS (per max-throughput run), BENCH_ROUNDS,
// BENCH_CONCURRENCY, BENCH_RATE, BENCH_STEADY_SECONDS, BENCH_STEADY_WINDOWS, BENCH_DB_DIR,
// BENCH_VERBOSE=0 (no diagnostics lines).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import { nodeListener } from '../src/node-listener.ts';
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
import { percentile, type ChildMessage, type LoadJob, type LoadResult, type PreparedRequest } from './common.ts';

const int = (name: string, dflt: number) => {
  const v = process.env[name];
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const WARMUP = int('BENCH_WARMUP', 3000);
const REQUESTS = int('BENCH_REQUESTS', 6000);
const ROUNDS = int('BENCH_ROUNDS', 4);
const CONCURRENCY = int('BENCH_CONCURRENCY', 32);
const RATE = int('BENCH_RATE', 1000);
const STEADY_SECONDS = int('BENCH_STEADY_SECONDS', 5);
const STEADY_WINDOWS = int('BENCH_STEADY_WINDOWS', 2);
const STEADY = RATE * STEADY_SECONDS;
const VERBOSE = process.env.BENCH_VERBOSE !== '0';
const TOTAL = WARMUP + REQUESTS * ROUNDS + STEADY * STEADY_WINDOWS;

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

const LAG_TICK_MS = 5;
/** monitorEventLoopDelay records the whole timer interval; the lag is what exceeds the tick. */
function lagOf(h: ReturnType<typeof monitorEventLoopDelay>) {
  return { loopP99: Math.max(0, h.percentile(99) / 1e6 - LAG_TICK_MS), loopMax: Math.max(0, h.max / 1e6 - LAG_TICK_MS) };
}

/** How late timers fire in an idle process: the machine's own scheduling jitter, a floor for any p99. */
async function idleLag(ms: number) {
  const h = monitorEventLoopDelay({ resolution: LAG_TICK_MS });
  h.enable();
  await new Promise((r) => setTimeout(r, ms));
  h.disable();
  return lagOf(h);
}

async function main() {
  const cpus = os.cpus();
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? '?'}), ${os.platform()} ${os.arch()}, Node ${process.version}; load average ${load()}`);

  // ── Watchkeeper: a fresh migrated libSQL file, the fake Lark for the client, real secrets ──
  const dir = mkdtempSync(join(process.env.BENCH_DB_DIR ?? os.tmpdir(), 'wk-bench-'));
  const dbPath = join(dir, 'bench.db');
  const database = await openDatabase(`file:${dbPath}`, undefined, { backgroundCheckpoints: true });
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
  // Diagnostics only: how long each group commit (one synchronous libSQL call) holds the event loop.
  // While the load runs, the inbox writer is the only user of this client.
  const commits: { ms: number }[] = [];
  const timed = <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const t0 = performance.now();
      try {
        return await f(...a);
      } finally {
        commits.push({ ms: performance.now() - t0 });
      }
    };
  database.client.batch = timed(database.client.batch.bind(database.client));
  database.client.execute = timed(database.client.execute.bind(database.client)) as typeof database.client.execute;
  // runtime.start() is deliberately not called: no inbox worker, no outbox sender — ingest only.
  const wkServer = createServer(nodeListener(runtime.app, runtime.ingestDeps)).listen(0, '127.0.0.1');
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
  prepared.length = 0; // the load generator has its own copy; keep this heap small
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
  const idle = await idleLag(2000);
  console.log(`idle event-loop lag (the machine's scheduling jitter, nothing running here): p99 ${idle.loopP99.toFixed(1)} ms, max ${idle.loopMax.toFixed(1)} ms`);

  let wkSent = 0;
  let sdkSent = 0;
  const verifier = createClient({ url: `file:${dbPath}` }); // a second connection: sees committed rows only

  interface Diag {
    /** CPU time (user + system, all threads) this server process spent per request, µs. */
    cpuUs: number;
    /** Event-loop lag of this (server) process during the run: how late a 5 ms timer fired, ms. */
    loopP99: number;
    loopMax: number;
    /** WK only: group commits during the run. */
    commits?: { n: number; avgSize: number; p99: number; max: number; totalMs: number };
  }

  async function run(server: 'SDK' | 'WK', mode: LoadJob['mode'], start: number, end: number): Promise<LoadResult & Diag> {
    const job: LoadJob = { port: server === 'WK' ? wkPort : sdkPort, path: server === 'WK' ? WK_PATH : SDK_PATH, start, end, mode, concurrency: CONCURRENCY, rate: RATE };
    const before = sdkHandled;
    const commitMark = commits.length;
    const loop = monitorEventLoopDelay({ resolution: LAG_TICK_MS });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const reply = await ask(child, { type: 'run', job });
    const cpu = process.cpuUsage(cpu0);
    loop.disable();
    if (reply.type !== 'result') throw new Error('unexpected reply');
    const r = reply.result;
    if (r.errors > 0) fail(`${server}: ${r.errors} of ${r.sent} requests were not answered 200`);
    const diag: Diag = { cpuUs: (cpu.user + cpu.system) / r.sent, ...lagOf(loop) };
    if (server === 'WK') {
      wkSent += r.sent;
      const rows = Number((await verifier.execute('SELECT count(*) AS n FROM inbox')).rows[0].n);
      if (rows !== wkSent) fail(`inbox holds ${rows} rows after ${wkSent} distinct events were acknowledged`);
      const cs = commits.slice(commitMark);
      const ms = Float64Array.from(cs, (c) => c.ms).sort();
      diag.commits = {
        n: cs.length,
        avgSize: r.sent / Math.max(1, cs.length),
        p99: percentile(ms, 99),
        max: ms[ms.length - 1] ?? NaN,
        totalMs: ms.reduce((a, b) => a + b, 0),
      };
    } else {
      sdkSent += r.sent;
      if (sdkMalformed > 0) fail(`SDK handler saw ${sdkMalformed} events without decrypted fields`);
      if (sdkHandled - before !== r.sent) fail(`SDK handler ran ${sdkHandled - before} times for ${r.sent} requests (signature or decryption failed?)`);
    }
    return { ...r, ...diag };
  }

  const diagLine = (r: Diag & LoadResult) =>
    `CPU per request: server ${r.cpuUs.toFixed(0)} µs, load generator ${r.clientCpuUs.toFixed(0)} µs; server event-loop lag p99 ${r.loopP99.toFixed(1)} / max ${r.loopMax.toFixed(1)} ms` +
    (r.commits
      ? `; ${r.commits.n} commits, ${r.commits.avgSize.toFixed(1)} events each, commit p99 ${r.commits.p99.toFixed(2)} / max ${r.commits.max.toFixed(2)} ms, ${(r.commits.totalMs / 1000).toFixed(2)} s in commits`
      : '');

  const pause = () => new Promise((r) => setTimeout(r, 300));
  const fmt = (n: number, d = 2) => n.toFixed(d).padStart(8);

  // Warm-up (JIT, connections, SQLite page cache): not reported.
  await run('SDK', 'closed', 0, WARMUP);
  await run('WK', 'closed', 0, WARMUP);

  console.log(`\nmax throughput: closed loop, ${CONCURRENCY} in flight, ${REQUESTS} requests per run, runs interleaved`);
  console.log('run  server          req/s    p50 ms   p99 ms   max ms');
  const blank = () => ({ n: 0, s: 0, cpu: 0, rps: [] as number[], p50: [] as number[], p99: [] as number[] });
  const totals = { SDK: blank(), WK: blank() };
  for (let round = 0; round < ROUNDS; round++) {
    const start = WARMUP + round * REQUESTS;
    for (const server of ['SDK', 'WK'] as const) {
      await pause();
      const r = await run(server, 'closed', start, start + REQUESTS);
      totals[server].n += r.sent;
      totals[server].s += r.seconds;
      totals[server].cpu += r.cpuUs * r.sent;
      totals[server].rps.push(r.rps);
      totals[server].p50.push(r.latency.p50);
      totals[server].p99.push(r.latency.p99);
      console.log(`${String(round + 1).padEnd(4)} ${(server === 'WK' ? 'Watchkeeper' : 'SDK baseline').padEnd(12)} ${fmt(r.rps, 0)} ${fmt(r.latency.p50)} ${fmt(r.latency.p99)} ${fmt(r.latency.max)}`);
      if (VERBOSE) console.log(`       ${diagLine(r)}`);
    }
  }
  const sdkRps = totals.SDK.n / totals.SDK.s;
  const wkRps = totals.WK.n / totals.WK.s;
  const roundRatios = totals.WK.rps.map((w, i) => w / totals.SDK.rps[i]);
  const sdkCpu = totals.SDK.cpu / totals.SDK.n;
  const wkCpu = totals.WK.cpu / totals.WK.n;

  console.log(`\nsteady ${RATE} req/s: open loop, ${STEADY_WINDOWS} windows of ${STEADY_SECONDS} s each per server, interleaved`);
  console.log('win  server          achieved/s    p50 ms   p90 ms   p99 ms   max ms   gen lag p99 ms');
  const steady = { SDK: [] as (LoadResult & Diag)[], WK: [] as (LoadResult & Diag)[] };
  for (let w = 0; w < STEADY_WINDOWS; w++) {
    const start = WARMUP + ROUNDS * REQUESTS + w * STEADY;
    for (const server of ['SDK', 'WK'] as const) {
      await pause();
      const r = await run(server, 'open', start, start + STEADY);
      steady[server].push(r);
      console.log(`${String(w + 1).padEnd(4)} ${(server === 'WK' ? 'Watchkeeper' : 'SDK baseline').padEnd(15)} ${fmt(r.rps, 0)}   ${fmt(r.latency.p50)} ${fmt(r.latency.p90)} ${fmt(r.latency.p99)} ${fmt(r.latency.max)}   ${fmt(r.dispatchLag!.p99)}`);
      if (VERBOSE) console.log(`       ${diagLine(r)}`);
    }
  }

  // ── Verdict ──
  const rows = Number((await verifier.execute('SELECT count(*) AS n FROM inbox')).rows[0].n);
  const distinct = Number((await verifier.execute('SELECT count(DISTINCT event_id) AS n FROM inbox')).rows[0].n);
  if (rows !== wkSent || distinct !== wkSent) fail(`inbox has ${rows} rows (${distinct} distinct) for ${wkSent} distinct events sent`);
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const ratio = median(roundRatios);
  const ms = (x: number) => x.toFixed(2);
  const pair = (a: number, b: number) => `${ms(a)} / ${ms(b)}`.padStart(15);
  const wkP99s = steady.WK.map((r) => r.latency.p99);
  const p99Met = wkP99s.filter((x) => x <= 10).length;

  console.log(`\nsummary                              SDK baseline     Watchkeeper   WK vs SDK`);
  console.log(`  max throughput, req/s          ${sdkRps.toFixed(0).padStart(15)} ${wkRps.toFixed(0).padStart(15)}   ${(wkRps / sdkRps).toFixed(2)}× overall; per round ${roundRatios.map((x) => x.toFixed(2)).join(' ')}, median ${ratio.toFixed(2)}×`);
  console.log(`  server CPU per request, µs     ${sdkCpu.toFixed(0).padStart(15)} ${wkCpu.toFixed(0).padStart(15)}   SDK ÷ WK = ${(sdkCpu / wkCpu).toFixed(2)}×`);
  console.log(`  max load p50 / p99, ms         ${pair(median(totals.SDK.p50), median(totals.SDK.p99))} ${pair(median(totals.WK.p50), median(totals.WK.p99))}   (median over rounds)`);
  for (let w = 0; w < STEADY_WINDOWS; w++) {
    console.log(`  ${RATE}/s p50 / p99, ms, window ${w + 1} ${pair(steady.SDK[w].latency.p50, steady.SDK[w].latency.p99)} ${pair(steady.WK[w].latency.p50, steady.WK[w].latency.p99)}`);
  }
  console.log(`  target WK ≥ 2× SDK throughput: ${ratio >= 2 ? 'met' : 'NOT met'} (median per-round ratio ${ratio.toFixed(2)}×)`);
  console.log(`  target WK p99 ≤ 10 ms at ${RATE}/s: met in ${p99Met} of ${STEADY_WINDOWS} windows (${wkP99s.map(ms).join(', ')} ms)`);
  console.log(`  durability: inbox rows ${rows} = distinct events acknowledged ${wkSent}, counted on a second connection ✓`);
  console.log(`  SDK handler ran ${sdkHandled} times = requests sent ${sdkSent} (signature verified, body decrypted) ✓`);
  const busy = os.loadavg()[0] > cpus.length - 0.5;
  console.log(`  load average at the end: ${load()}${busy ? ' — other work was sharing these cores, figures are noisy' : ''}`);
  console.log('  measured: HTTP/1.1 over loopback keep-alive; signature + token + freshness checks, decrypt, parse, and (WK) the inbox commit before the 200.');
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
