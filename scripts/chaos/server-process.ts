import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

// A real Watchkeeper server (src/node.ts) in a child process, as production runs it, for the
// chaos driver and the tests that need one: start it, wait for /healthz, kill it (-9 or TERM).

export const TSX = join(process.cwd(), 'node_modules/.bin/tsx');
/** Node itself with tsx's loader: one process, so kill -9 hits the server (the tsx CLI would leave its child running). */
const NODE_TS = [process.execPath, ['--import', 'tsx']] as const;

/**
 * The environment that points a server at a fake Lark: the app's credentials as the fake issued
 * them, its URL as the domain, and the event secrets the caller signs its envelopes with.
 */
export function fakeLarkEnv(fake: { appId: string; appSecret: string; url: string }, secrets: { encryptKey: string; verificationToken: string }): Record<string, string> {
  return {
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url,
    LARK_ENCRYPT_KEY: secrets.encryptKey,
    LARK_VERIFICATION_TOKEN: secrets.verificationToken,
  };
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  port: number;
  /** Everything it printed (JSON log lines), for a failure's message and the crash count. */
  log: string[];
  exited: Promise<number | null>;
  /** Where scripts/chaos/wire-tap.ts recorded its HTTP calls, when asked for. */
  wireLog?: string;
}

/** Records the process's own HTTP calls (scripts/chaos/wire-tap.ts) into `wireLog`. */
const WIRE_TAP = new URL('./wire-tap.ts', import.meta.url).href;

/**
 * Starts a server and waits for /healthz. `entry` runs a built bundle (`dist/node.js`) with node
 * alone instead of src/node.ts under tsx; `nodeArgs` go to node itself (`--cpu-prof`, which
 * NODE_OPTIONS does not allow). `wireLog` loads the wire tap (under tsx, a bundle too).
 */
export async function startServer(env: Record<string, string>, o: { port?: number; timeoutMs?: number; entry?: string; nodeArgs?: string[]; wireLog?: string } = {}): Promise<ServerProcess> {
  const port = o.port ?? (await freePort());
  const log: string[] = [];
  const tap = o.wireLog ? [...(o.entry ? NODE_TS[1] : []), '--import', WIRE_TAP] : [];
  const wireEnv = o.wireLog ? { CHAOS_WIRE_LOG: o.wireLog } : {};
  const args = o.entry ? [...(o.nodeArgs ?? []), ...tap, o.entry] : [...(o.nodeArgs ?? []), ...NODE_TS[1], ...tap, 'src/node.ts'];
  const proc = spawn(NODE_TS[0], args, { env: { ...process.env, ...env, ...wireEnv, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (b) => log.push(String(b)));
  proc.stderr!.on('data', (b) => log.push(String(b)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  for (const end = Date.now() + (o.timeoutMs ?? 60_000); Date.now() < end && !gone; ) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return { proc, url, port, log, exited, wireLog: o.wireLog };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not become healthy:\n${log.join('')}`);
}

/** kill -9: no shutdown handler runs, exactly like a power cut for the process. */
export async function killHard(s: ServerProcess) {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  await s.exited;
}

export async function stopGracefully(s: ServerProcess) {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
  await s.exited;
}

/** Runs an npm script's entry (`src/cli/…`) to completion. */
export function runCli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(TSX, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (out += b));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}
