// npm run bench:latency        (about 3 minutes, most of it the 60 s load window and seeding)
//
// The latencies a person feels while the bot is busy. One run starts the whole Node server
// (src/node.ts in its own process: listener, inbox worker, outbox sender; JOBS=off) on a fresh,
// migrated libSQL file seeded with a county (bench/county.ts: 5,000 enterprises, 200,000 hazards),
// against the fake Lark on loopback in this process with its default limits (50/s and 1,000/min
// per app, 5/s per chat). A separate load process (bench/load.ts) posts signed, encrypted
// message events on an open loop. Phases, in this order:
//
//   idle   no background: commands (from the load process, 2/s), card clicks and /incident
//          (from this process) — the baseline every ratio is taken against;
//   1×     100 events/s for 60 s: group chatter the bot stores and does not answer, with 2
//          commands/s among it (/help, /hazards mine, /duty, /report …) spread over 20 chats,
//          and once, halfway, 12 commands within one second to one chat; clicks and /incident
//          from this process meanwhile;
//   4×     400 events/s (8 commands/s) for 20 s, clicks only.
//
// Measured:
//   click    POST card.action.trigger (整改完成 on a hazard of the clicker's) → the HTTP answer
//            with the updated card, in this process;
//   incident /incident acknowledged (its 200) → the fake records the first urgent_app call;
//   command  command acknowledged (200 in the load process, epoch clock) → the fake records the
//            bot's reply in its thread (epoch clock here); the burst chat's 12 are reported apart:
//            they wait for Lark's 5/s per chat by design;
//   RSS      of the server process at the end (/proc/PID/status VmRSS, and its peak VmHWM).
//
// Knobs: LATENCY_SECONDS (60), LATENCY_4X_SECONDS (20), LATENCY_IDLE_SECONDS (15),
// LATENCY_HAZARDS (200000), LATENCY_ENTERPRISES (5000), LATENCY_KEEP=1 (keep the temp dir),
// LATENCY_PROFILE=1 (the server writes a --cpu-prof profile into the temp dir), LATENCY_TIMING=1
// (bench/statement-timing.mjs in the server: statement times and the event loop's long slices,
// summed up at the end), LATENCY_NODE_ARGS (more arguments for the server's node).
import { fork } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { cardActionEnvelope, messageEnvelope, signedRequest } from '../src/lark/simulate.ts';
import { fakeLarkEnv, startServer, stopGracefully } from '../scripts/chaos/server-process.ts';
import { percentile, type ChildMessage, type LoadJob, type LoadResult, type PreparedRequest } from './common.ts';
import { COUNTY, INSPECTORS, enterpriseName, inspectorId, seedCounty } from './county.ts';

const int = (name: string, dflt: number) => {
  const v = process.env[name];
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const LOAD_SECONDS = int('LATENCY_SECONDS', 60);
const X4_SECONDS = int('LATENCY_4X_SECONDS', 20);
const IDLE_SECONDS = int('LATENCY_IDLE_SECONDS', 15);
const HAZARDS = int('LATENCY_HAZARDS', 200_000);
const ENTERPRISES = int('LATENCY_ENTERPRISES', 5_000);
const RATE = 100;
const COMMANDS_PER_SECOND = 2;
const COMMAND_CHATS = 20;
const BURST = 12;
const BURST_CHAT = 'oc_bench_burst';
const CLICK_EVERY_MS = 250;
const INCIDENT_EVERY_MS = 2_000;

/** The production build (`npm run build`) when there is one, as a deployment runs it; else src/node.ts under tsx. */
const BUILT = existsSync(fileURLToPath(new URL('../dist/node.js', import.meta.url))) ? fileURLToPath(new URL('../dist/node.js', import.meta.url)) : undefined;
const GOALS = { click: 50, click4x: 100, incident: 250, command: 250, rssMB: 200 };
const SECRETS = { encryptKey: 'latency-encrypt-key-5d1f', verificationToken: 'latency-verification-token-8c2e' };
const epoch = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (msg: string): never => {
  console.error(`\nBENCH FAILED: ${msg}`);
  process.exit(1);
};

// ── the fake's side: when each reply and buzz arrived ───────────────────────────────

/** Epoch ms at which the fake recorded the bot's first reply to each user message. */
const repliedAt = new Map<string, number>();
let buzzWaiter: ((at: number) => void) | undefined;
function watch(fake: FakeLark) {
  fake.onMessage((m) => {
    if (m.parentId && !repliedAt.has(m.parentId)) repliedAt.set(m.parentId, epoch());
  });
  fake.onCall((c) => {
    if (c.status === 200 && c.path.endsWith('/urgent_app')) buzzWaiter?.(epoch());
  });
}

// ── what the load process sends ─────────────────────────────────────────────────────

const CHATTER = ['收到', '好的，马上去现场看看', '今天下午三点开安全生产例会，请各乡镇准时参加', '红梅镇检查组已出发', '请把上周的检查台账发我一下', '明白', '这个隐患已经通知企业了', '天气预报说明天有大风，注意防范', '辛苦了', '材料已上传'];
const COMMANDS = ['/help', '/hazards mine', '/duty', 'report'];

interface Plan {
  requests: PreparedRequest[];
  /** Index in `requests` → the user message id whose reply closes the latency, and its kind. */
  commands: Map<number, { messageId: string; burst: boolean }>;
}

/** `seconds` at `rate` events/s, `perSecond` of them commands; with `burstAt`, 12 commands to one chat in that second. */
async function plan(fake: FakeLark, o: { seconds: number; rate: number; perSecond: number; chatter: boolean; burstAt?: number; tag: string }): Promise<Plan> {
  const requests: PreparedRequest[] = [];
  const commands = new Map<number, { messageId: string; burst: boolean }>();
  const n = o.seconds * o.rate;
  const every = Math.round(o.rate / o.perSecond);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const second = Math.floor(i / o.rate);
    const step = Math.floor(o.rate / BURST);
    const inBurst = o.burstAt !== undefined && second === o.burstAt && (i % o.rate) % step === 0 && (i % o.rate) / step < BURST;
    const isCommand = inBurst || i % every === 0 || !o.chatter;
    const sender = inspectorId((i * 7) % INSPECTORS);
    if (!isCommand) {
      const env = messageEnvelope({ senderOpenId: sender, chatId: `oc_bench_chatter_${i % 40}`, text: CHATTER[i % CHATTER.length], token: SECRETS.verificationToken });
      requests.push(await signedRequest(env, SECRETS));
      continue;
    }
    const chatId = inBurst ? BURST_CHAT : `oc_bench_cmd_${o.tag}_${c % COMMAND_CHATS}`;
    const kind = COMMANDS[c++ % COMMANDS.length];
    const text = kind === 'report' ? `/report ${enterpriseName(1 + ((i * 31) % ENTERPRISES))} 配电室门口堆放杂物，灭火器过期` : kind;
    const m = fake.addMessage({ chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId: sender });
    commands.set(requests.length, { messageId: m.messageId, burst: inBurst });
    requests.push(await signedRequest(messageEnvelope({ senderOpenId: sender, chatId, text, messageId: m.messageId, token: SECRETS.verificationToken }), SECRETS));
  }
  return { requests, commands };
}

// ── the load process ────────────────────────────────────────────────────────────────

const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const fromChild = <T extends ChildMessage['type']>(type: T) =>
  new Promise<Extract<ChildMessage, { type: T }>>((resolve) => {
    const on = (m: ChildMessage) => m.type === type && (child.off('message', on), resolve(m as Extract<ChildMessage, { type: T }>));
    child.on('message', on);
  });

async function runLoad(dir: string, port: number, p: Plan, rate: number): Promise<LoadResult> {
  const file = join(dir, 'requests.json');
  writeFileSync(file, JSON.stringify(p.requests));
  child.send({ type: 'load', file });
  await fromChild('loaded');
  const job: LoadJob = { port, path: '/lark/events', start: 0, end: p.requests.length, mode: 'open', concurrency: 64, rate, recordAcks: true };
  child.send({ type: 'run', job });
  return (await fromChild('result')).result;
}

/** Ack → reply per command (ms), split into chats under their limit and the burst chat. */
async function commandLatencies(p: Plan, r: LoadResult, waitMs = 15_000) {
  const end = Date.now() + waitMs;
  while (Date.now() < end && [...p.commands.values()].some((c) => !repliedAt.has(c.messageId))) await sleep(50);
  const free: number[] = [];
  const burst: number[] = [];
  let unanswered = 0;
  for (const [i, c] of p.commands) {
    const ack = r.ackAt?.[i];
    const at = repliedAt.get(c.messageId);
    if (ack === undefined || Number.isNaN(ack) || at === undefined) {
      unanswered++;
      continue;
    }
    (c.burst ? burst : free).push(at - ack);
  }
  return { free, burst, unanswered };
}

// ── the probes this process sends ───────────────────────────────────────────────────

async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${url}/lark/events`, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, text };
}

let nextFix = 0;
/** One 整改完成 click on the next of the fixer's hazards; ms until the answer with the updated card. */
async function click(url: string, nos: string[]): Promise<number> {
  const no = nos[nextFix++];
  if (!no) fail('ran out of the fixer’s hazards to click');
  const env = cardActionEnvelope({ operatorOpenId: COUNTY.fixer.openId, value: { action: 'hazard.rectify', no, expect: 'dispatched', view: 'card' }, messageId: `om_card_${no}`, chatId: 'oc_bench_fixer', token: SECRETS.verificationToken });
  const req = await signedRequest(env, SECRETS);
  const t0 = performance.now();
  const res = await post(url, req.body, req.headers);
  const ms = performance.now() - t0;
  if (res.status !== 200) fail(`click on ${no} answered HTTP ${res.status}`);
  const body = JSON.parse(res.text) as { card?: { data?: unknown }; toast?: { type?: string } };
  if (!body.card || body.toast?.type === 'error') fail(`click on ${no} was not answered with an updated card: ${res.text.slice(0, 300)}`);
  return ms;
}

let incidents = 0;
/** One /incident from the reporter in a chat of its own; ms from its 200 until the fake is asked to buzz. */
async function incident(url: string, fake: FakeLark): Promise<number> {
  const chatId = `oc_bench_incident_${incidents++}`;
  const text = `/incident 火灾 ${enterpriseName(1 + incidents)} 仓库起火，有人员被困，消防已出动`;
  const m = fake.addMessage({ chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId: COUNTY.reporter.openId });
  const req = await signedRequest(messageEnvelope({ senderOpenId: COUNTY.reporter.openId, chatId, text, messageId: m.messageId, token: SECRETS.verificationToken }), SECRETS);
  const buzzed = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no buzz within 20 s for ${chatId}`)), 20_000);
    buzzWaiter = (at) => (clearTimeout(timer), (buzzWaiter = undefined), resolve(at));
  });
  const res = await post(url, req.body, req.headers);
  const ack = epoch();
  if (res.status !== 200) fail(`/incident answered HTTP ${res.status}`);
  return (await buzzed) - ack;
}

/** Runs probes until `until()` says stop; clicks every CLICK_EVERY_MS and (optionally) an incident every INCIDENT_EVERY_MS. */
async function probe(url: string, fake: FakeLark, nos: string[], o: { stop: () => boolean; incidents: boolean }) {
  const clicks: number[] = [];
  const buzzes: number[] = [];
  const clicking = (async () => {
    while (!o.stop()) {
      const t = performance.now();
      clicks.push(await click(url, nos));
      await sleep(Math.max(0, CLICK_EVERY_MS - (performance.now() - t)));
    }
  })();
  const reporting = (async () => {
    while (o.incidents && !o.stop()) {
      const t = performance.now();
      buzzes.push(await incident(url, fake));
      await sleep(Math.max(0, INCIDENT_EVERY_MS - (performance.now() - t)));
    }
  })();
  await Promise.all([clicking, reporting]);
  return { clicks, buzzes };
}

// ── the server process ──────────────────────────────────────────────────────────────

function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
}

/** CPU seconds the process has used so far (utime + stime from /proc/PID/stat). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Nanoseconds the process's main thread (the server's event loop) has spent runnable but waiting
 * for a CPU (/proc/PID/schedstat, second field): on a shared machine, time no code of ours can save.
 */
function runQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

// ── report ──────────────────────────────────────────────────────────────────────────

interface Stat {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
function stat(xs: number[]): Stat {
  const s = Float64Array.from(xs).sort();
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const row = (name: string, s: Stat, base?: Stat, goal?: number) => {
  const ratio = base && base.p99 > 0 ? `${(s.p99 / base.p99).toFixed(2)}×` : '';
  const verdict = goal === undefined ? '' : s.p99 <= goal ? `p99 ≤ ${goal} ms ✓` : `p99 ≤ ${goal} ms ✗ MISSED`;
  console.log(`  ${name.padEnd(34)} ${String(s.n).padStart(5)} ${f(s.p50).padStart(8)} ${f(s.p95).padStart(8)} ${f(s.p99).padStart(8)} ${f(s.max).padStart(8)} ${ratio.padStart(8)}  ${verdict}`);
};

/** LATENCY_TIMING=1: the statements that cost most and the event loop's longest slices after the start. */
function printTiming(file: string) {
  const t = JSON.parse(readFileSync(file, 'utf8')) as {
    byTotal: { statement: string; n: number; totalMs: number; maxMs: number }[];
    stalls: { atMs: number; gapMs: number; sqlMs: number; statements: number; gcMs: number; longest: string[] }[];
    gc: { n: number; totalMs: number; maxMs: number };
  };
  console.log(`\nstatement timing (${file}): GC ${t.gc.n} pauses, ${t.gc.totalMs} ms in all, longest ${t.gc.maxMs} ms`);
  for (const s of t.byTotal.slice(0, 8)) console.log(`  ${String(s.totalMs).padStart(6)} ms ${String(s.n).padStart(6)}× max ${String(s.maxMs).padStart(5)}  ${s.statement.slice(0, 100)}`);
  const after = t.stalls.filter((s) => s.atMs > 5_000).sort((a, b) => b.gapMs - a.gapMs);
  console.log(`  slices over 15 ms after the first 5 s: ${after.length}; the longest:`);
  for (const s of after.slice(0, 6)) console.log(`  ${s.gapMs.toFixed(1).padStart(6)} ms at ${(s.atMs / 1000).toFixed(1)} s: SQL ${s.sqlMs} ms in ${s.statements} statements, GC ${s.gcMs} ms; ${s.longest[0] ?? ''}`);
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'wk-latency-'));
  const dbUrl = `file:${join(dir, 'latency.db')}`;
  const t0 = performance.now();
  const nos = await seedCounty(dbUrl, { enterprises: ENTERPRISES, hazards: HAZARDS, now: Date.now() });
  console.log(`seeded ${HAZARDS.toLocaleString('en-US')} hazards, ${ENTERPRISES.toLocaleString('en-US')} enterprises in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // The seed's pages were still in the page cache: written back in the server's first half minute,
  // they stalled its commits behind the disk (COMMITs of 80–220 ms, all in the warm-up and idle
  // phases, so the baseline was the noisiest phase). A deployed database is on disk already.
  for (const file of [dbUrl.slice('file:'.length), `${dbUrl.slice('file:'.length)}-wal`]) {
    if (!existsSync(file)) continue;
    const fd = openSync(file, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  }

  const fake = await startFakeLark();
  watch(fake);
  const profile = process.env.LATENCY_PROFILE === '1';
  const timing = process.env.LATENCY_TIMING === '1' ? join(dir, 'timing.json') : undefined;
  const timingArgs = timing ? ['--import', fileURLToPath(new URL('./statement-timing.mjs', import.meta.url))] : [];
  const server = await startServer({
    DATABASE_URL: dbUrl,
    BACKUP_DIR: join(dir, 'backups'),
    ...fakeLarkEnv(fake, SECRETS),
    ADMIN_OPEN_IDS: COUNTY.admin.openId,
    LOG_LEVEL: 'warn',
    JOBS: 'off',
    ...(timing ? { LATENCY_TIMING_OUT: timing } : {}),
  }, { entry: BUILT, nodeArgs: [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), ...timingArgs, ...(process.env.LATENCY_NODE_ARGS?.split(' ').filter(Boolean) ?? [])] });
  const pid = server.proc.pid!;
  console.log(`server pid ${pid} (${BUILT ? 'node dist/node.js' : 'tsx src/node.ts: no npm run build'}) on ${server.url}, RSS after start ${memoryOf(pid).rssMB.toFixed(0)} MB`);

  // Warm-up: JIT and caches, not counted.
  for (let i = 0; i < 20; i++) await click(server.url, nos);
  for (let i = 0; i < 3; i++) await incident(server.url, fake);
  await runLoad(dir, server.port, await plan(fake, { seconds: 3, rate: 100, perSecond: 4, chatter: true, tag: 'warm' }), 100);
  await sleep(2000);

  // Idle baseline.
  console.log(`idle: ${IDLE_SECONDS} s of commands at ${COMMANDS_PER_SECOND}/s, clicks, incidents`);
  const idlePlan = await plan(fake, { seconds: IDLE_SECONDS, rate: COMMANDS_PER_SECOND, perSecond: COMMANDS_PER_SECOND, chatter: false, tag: 'idle' });
  const cpu: Record<string, { cpu: number; wall: number; load: number; waitServer: number; waitBench: number }> = {};
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const c0 = cpuOf(pid);
    const w0 = performance.now();
    const q0 = runQueueWaitMs(pid);
    const b0 = runQueueWaitMs(process.pid);
    // The machine is shared: the 1-minute load average as the phase starts says how much else ran.
    const load = os.loadavg()[0];
    const out = await run();
    cpu[name] = { cpu: cpuOf(pid) - c0, wall: (performance.now() - w0) / 1000, load, waitServer: runQueueWaitMs(pid) - q0, waitBench: runQueueWaitMs(process.pid) - b0 };
    return out;
  };
  let idleDone = false;
  const idleProbes = probe(server.url, fake, nos, { stop: () => idleDone, incidents: true });
  const idleLoad = await phase('idle', () => runLoad(dir, server.port, idlePlan, COMMANDS_PER_SECOND));
  idleDone = true;
  const idle = { ...(await idleProbes), ...(await commandLatencies(idlePlan, idleLoad)) };
  await sleep(3000);

  // 1× background load.
  console.log(`1×: ${LOAD_SECONDS} s at ${RATE} events/s, ${COMMANDS_PER_SECOND} commands/s, a burst of ${BURST} to one chat at ${Math.floor(LOAD_SECONDS / 2)} s`);
  const loadPlan = await plan(fake, { seconds: LOAD_SECONDS, rate: RATE, perSecond: COMMANDS_PER_SECOND, chatter: true, burstAt: Math.floor(LOAD_SECONDS / 2), tag: 'load' });
  let loadDone = false;
  const loadProbes = probe(server.url, fake, nos, { stop: () => loadDone, incidents: true });
  const loadRun = await phase('1×', () => runLoad(dir, server.port, loadPlan, RATE));
  loadDone = true;
  const load = { ...(await loadProbes), ...(await commandLatencies(loadPlan, loadRun)) };
  await sleep(3000);

  // 4× background load, clicks only.
  console.log(`4×: ${X4_SECONDS} s at ${4 * RATE} events/s, ${4 * COMMANDS_PER_SECOND} commands/s, clicks`);
  const x4Plan = await plan(fake, { seconds: X4_SECONDS, rate: 4 * RATE, perSecond: 4 * COMMANDS_PER_SECOND, chatter: true, tag: 'x4' });
  let x4Done = false;
  const x4Probes = probe(server.url, fake, nos, { stop: () => x4Done, incidents: false });
  const x4Run = await phase('4×', () => runLoad(dir, server.port, x4Plan, 4 * RATE));
  x4Done = true;
  const x4 = { ...(await x4Probes), ...(await commandLatencies(x4Plan, x4Run)) };

  const mem = memoryOf(pid);
  const limited = fake.calls.filter((c) => c.status === 429).length;
  child.send({ type: 'exit' });
  await stopGracefully(server);
  await fake.close();

  const cpus = os.cpus();
  console.log(`\nresults (ms; ratio = p99 ÷ idle p99). ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`  ${'what'.padEnd(34)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'ratio'.padStart(8)}`);
  const sClickIdle = stat(idle.clicks);
  row('click → updated card, idle', sClickIdle);
  row('click → updated card, 1× load', stat(load.clicks), sClickIdle, GOALS.click);
  row('click → updated card, 4× load', stat(x4.clicks), sClickIdle, GOALS.click4x);
  const sBuzzIdle = stat(idle.buzzes);
  row('/incident ack → buzz, idle', sBuzzIdle);
  row('/incident ack → buzz, 1× load', stat(load.buzzes), sBuzzIdle, GOALS.incident);
  const sCmdIdle = stat(idle.free);
  row('command ack → reply, idle', sCmdIdle);
  row('command ack → reply, 1× load', stat(load.free), sCmdIdle, GOALS.command);
  row('command ack → reply, 4× load', stat(x4.free), sCmdIdle);
  row(`burst chat (${BURST} in 1 s, 5/s limit)`, stat(load.burst), sCmdIdle);
  const kinds = (r: LoadResult) => (r.errors ? ` ${Object.entries(r.errorKinds ?? {}).map(([k, n]) => `${k} ×${n}`).join(', ')}` : '');
  console.log(`  load sent: 1× ${loadRun.sent} events in ${loadRun.seconds.toFixed(1)} s (${loadRun.errors} not 200${kinds(loadRun)}, ack p99 ${f(loadRun.latency.p99)} ms); 4× ${x4Run.sent} in ${x4Run.seconds.toFixed(1)} s (${x4Run.errors} not 200${kinds(x4Run)}, ack p99 ${f(x4Run.latency.p99)} ms)`);
  console.log(`  commands unanswered: idle ${idle.unanswered}, 1× ${load.unanswered}, 4× ${x4.unanswered}; 429s from the fake: ${limited}`);
  console.log(`  server CPU (share of one core while the phase ran): ${Object.entries(cpu).map(([k, v]) => `${k} ${((100 * v.cpu) / v.wall).toFixed(0)}%`).join(', ')}`);
  console.log(`  load average (1 min) as each phase began: ${Object.entries(cpu).map(([k, v]) => `${k} ${v.load.toFixed(2)}`).join(', ')}`);
  console.log(`  waiting for a CPU (ms per second of the phase; server's event loop / this bench's): ${Object.entries(cpu).map(([k, v]) => `${k} ${(v.waitServer / v.wall).toFixed(1)} / ${(v.waitBench / v.wall).toFixed(1)}`).join(', ')}`);
  const rssOk = mem.rssMB <= GOALS.rssMB;
  console.log(`  server RSS at the end ${mem.rssMB.toFixed(0)} MB (peak ${mem.peakMB.toFixed(0)} MB): ${rssOk ? `≤ ${GOALS.rssMB} MB ✓` : `> ${GOALS.rssMB} MB ✗ MISSED`}`);
  if (timing && existsSync(timing)) printTiming(timing);
  if (profile) console.log(`  CPU profile: ${readdirSync(dir).filter((x) => x.endsWith('.cpuprofile')).map((x) => join(dir, x)).join(', ')}`);

  const unanswered = idle.unanswered + load.unanswered + x4.unanswered;
  if (process.env.LATENCY_KEEP === '1' || profile) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  if (unanswered > 0) fail(`${unanswered} acknowledged commands got no reply`);
  if (loadRun.errors + x4Run.errors + idleLoad.errors > 0) fail('some events were not acknowledged with 200');
  process.exit(0);
}

main().catch((e) => fail((e as Error)?.stack ?? String(e)));
