import { spawn, type ChildProcess } from 'node:child_process';

// Real server processes (src/node.ts under tsx's loader) for the tests that kill, restart or read the logs
// of one: stdout and stderr are kept line by line, every line of every process the test started.

// Node itself with tsx's loader, one process: the tsx CLI runs the server in a child of its own, so
// a SIGKILL would end only the wrapper and leave the server running (and answering) behind it.
const NODE_TS = [process.execPath, ['--import', 'tsx', 'src/node.ts']] as const;

// One free-port finder for both spawners (scripts/chaos/server-process.ts waits for /healthz; this
// one returns at once and keeps every process's lines, which the kill and log tests need).
export { freePort } from '../../scripts/chaos/server-process.ts';

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Collects the output of every process it starts; `lines` is all of it, in arrival order per stream. */
export function serverProcesses(env: Record<string, string>) {
  const lines: string[] = [];
  const started: ServerProcess[] = [];
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let rest = '';
    stream?.on('data', (b) => {
      const parts = (rest + String(b)).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    stream?.on('end', () => rest && lines.push(rest));
  };
  return {
    lines,
    /** Starts src/node.ts on `port` (returns at once: the caller decides what to wait for). */
    start(port: number): ServerProcess {
      const proc = spawn(NODE_TS[0], [...NODE_TS[1]], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      collect(proc.stdout);
      collect(proc.stderr);
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      const s = { proc, url: `http://127.0.0.1:${port}`, exited };
      started.push(s);
      return s;
    },
    /** SIGTERM to whatever still runs, and wait for it to exit. */
    async stopAll() {
      for (const s of started) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
      await Promise.all(started.map((s) => s.exited));
    },
  };
}

/** Polls until `probe` holds (something the code under test brings about, not a clock). */
export async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 20_000, detail: () => string = () => '') {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}\n${detail()}`);
}
