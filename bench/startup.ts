// Start-to-healthy: how long `npm start` (tsx, TypeScript compiled on the fly) and
// `npm run start:prod` (node dist/node.js, built by `npm run build`) take from spawn until
// GET /healthz answers 200. Sandbox mode on one seeded database file, so both do the same work
// (migrations already applied, demo city already there); rounds alternate to share the noise.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const PORT = Number(process.env.BENCH_PORT ?? 9185);
const root = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'wk-startup-'));
const env = { ...process.env, PORT: String(PORT), DATABASE_URL: `file:${join(dir, 'wk.db')}`, LOG_LEVEL: 'warn', LARK_APP_ID: '' };

const modes: Record<string, [string, string[]]> = {
  'npm start (tsx)': [join(root, 'node_modules/.bin/tsx'), ['src/node.ts']],
  'start:prod (node dist/node.js)': [process.execPath, ['dist/node.js']],
};

async function startOnce(cmd: string, args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: root, env, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${PORT}/healthz`);
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
// The first start migrates and seeds the demo city; it is not counted.
await startOnce(...modes['start:prod (node dist/node.js)']);
const times: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, [cmd, args]] of Object.entries(modes)) times[name].push(await startOnce(cmd, args));
}
rmSync(dir, { recursive: true, force: true });

const base = median(times['npm start (tsx)']);
console.log(`start-to-healthy, sandbox mode, seeded database, ${ROUNDS} rounds (ms)`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(32)} median ${m.toFixed(0).padStart(5)}  min ${Math.min(...xs).toFixed(0).padStart(5)}  max ${Math.max(...xs).toFixed(0).padStart(5)}  ${(base / m).toFixed(2)}× faster than npm start`);
}
