// npm run bench:startup-db      (about 2 minutes: the build, seeding 1,000,000 hazards, 2 × ROUNDS starts)
//
// Start-to-healthy of the production build (`node dist/node.js`, built here with `npm run build`'s
// script) in production mode — Lark credentials, the fake Lark on loopback, jobs on as deployed —
// on a county's database with 1,000,000 hazards (bench/county.ts, 20,000 enterprises), against
// the same start on a freshly migrated empty database in the same run (the baseline; rounds
// alternate so both share the machine's noise). Goal: ≤ 1.5 s from spawn to GET /healthz 200.
// Where the time goes comes from the server's own log lines (info level, timestamped):
//   spawn → "database ready"        node start, imports, opening the file, the migrations check;
//   → "watchkeeper listening"       runtime, HTTP listen, presence row, scheduler and job catch-up;
//   → /healthz 200                  the bot's identity from Lark (one token + bot/v3/info).
// Knobs: ROUNDS (5), STARTUP_HAZARDS (1000000), STARTUP_ENTERPRISES (20000), STARTUP_PROFILE=1
// (one more start on the big database with --cpu-prof; prints the top self-time functions).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { startFakeLark } from '../src/lark/fake/server.ts';
import { freePort } from '../scripts/chaos/server-process.ts';
import { seedCounty } from './county.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const HAZARDS = Number(process.env.STARTUP_HAZARDS ?? 1_000_000);
const ENTERPRISES = Number(process.env.STARTUP_ENTERPRISES ?? 20_000);
const GOAL_MS = 1500;
const root = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(os.tmpdir(), 'wk-startup-db-'));

interface Start {
  total: number;
  dbReady: number;
  listening: number;
}

/** Spawns the build on `dbUrl`, returns spawn → healthy and the phases from its log lines. */
async function startOnce(dbUrl: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Start> {
  const port = await freePort();
  const t0 = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, 'dist/node.js'], { cwd: root, env: { ...process.env, ...env, DATABASE_URL: dbUrl, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dist/node.js exited with ${child.exitCode}:\n${out}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200).catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const total = Date.now() - t0;
    const at = (msg: string) => {
      const line = out.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
      return line ? Date.parse((JSON.parse(line) as { t: string }).t) - t0 : NaN;
    };
    return { total, dbReady: at('database ready'), listening: at('watchkeeper listening') };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  console.log('building dist/ (npm run build)…');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  const big = `file:${join(dir, 'county.db')}`;
  const empty = `file:${join(dir, 'empty.db')}`;
  const t = performance.now();
  await seedCounty(big, { enterprises: ENTERPRISES, hazards: HAZARDS, now: Date.now(), years: 5 });
  const e = await openDatabase(empty);
  await migrateDatabase(e.db);
  e.close();
  console.log(`seeded ${HAZARDS.toLocaleString('en-US')} hazards, ${ENTERPRISES.toLocaleString('en-US')} enterprises in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const fake = await startFakeLark();
  const env = {
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_ENCRYPT_KEY: 'startup-encrypt-key',
    LARK_VERIFICATION_TOKEN: 'startup-verification-token',
    LOG_LEVEL: 'info',
    BACKUP_DIR: join(dir, 'backups'),
  };
  // One start on each first (the file cache, the build's first load), not counted.
  await startOnce(big, env);
  await startOnce(empty, env);
  const runs: Record<'big' | 'empty', Start[]> = { big: [], empty: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.big.push(await startOnce(big, env));
    runs.empty.push(await startOnce(empty, env));
  }

  const cpus = os.cpus();
  console.log(`\nstart-to-healthy, node dist/node.js, production mode against the fake Lark, ${ROUNDS} rounds alternating (ms, medians). ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`  ${'database'.padEnd(34)} ${'total'.padStart(7)} ${'min'.padStart(6)} ${'max'.padStart(6)}   ${'→ db ready'.padStart(11)} ${'→ listening'.padStart(12)} ${'→ healthy'.padStart(10)}`);
  const line = (name: string, xs: Start[]) => {
    const tot = xs.map((x) => x.total);
    const db = median(xs.map((x) => x.dbReady));
    const li = median(xs.map((x) => x.listening));
    console.log(`  ${name.padEnd(34)} ${String(median(tot)).padStart(7)} ${String(Math.min(...tot)).padStart(6)} ${String(Math.max(...tot)).padStart(6)}   ${String(db).padStart(11)} ${String(li - db).padStart(12)} ${String(median(tot) - li).padStart(10)}`);
  };
  line('empty, migrated (baseline)', runs.empty);
  line(`county, ${HAZARDS.toLocaleString('en-US')} hazards`, runs.big);
  const m = median(runs.big.map((x) => x.total));
  console.log(`  ratio county ÷ empty: ${(m / median(runs.empty.map((x) => x.total))).toFixed(2)}×; goal ≤ ${GOAL_MS} ms on ${HAZARDS.toLocaleString('en-US')} hazards: ${m <= GOAL_MS ? 'met' : 'NOT met'} (${m} ms)`);

  if (process.env.STARTUP_PROFILE === '1') {
    const profDir = join(dir, 'prof');
    await startOnce(big, env, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
    const file = readdirSync(profDir).map((f) => join(profDir, f))[0];
    const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string } }[]; samples: number[]; timeDeltas: number[] };
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    p.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(root, '')}`;
      self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
    });
    console.log('\n  CPU profile of one start on the county database, top self time (ms):');
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${v.toFixed(0).padStart(6)}  ${k}`);
  }
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
