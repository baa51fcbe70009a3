// The load generator for bench/ingest.ts and bench/latency.ts, run as a child process so it does not share an
// event loop (or a core, on a 2-core machine) with the servers it measures.
// It receives the pre-generated requests once (a JSON file), then runs the jobs the parent
// sends over IPC and answers each with a summary. Plain node:http with a keep-alive Agent.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { summarize, type LoadJob, type LoadResult, type ParentMessage, type PreparedRequest } from './common.ts';

interface Prepared {
  body: Buffer;
  headers: Record<string, string | number>;
}

let requests: Prepared[] = [];
const agents = new Map<string, http.Agent>();

/**
 * One keep-alive agent per server, so the connections warmed up are the ones measured. A socket
 * idle for 4 s is closed here, before the server's keep-alive timeout (5 s) closes it: reusing one
 * the server was closing at that moment ended in ECONNRESET (bench/latency counted one per run).
 */
function agentFor(job: LoadJob): http.Agent {
  const key = String(job.port);
  let agent = agents.get(key);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency, keepAliveMsecs: 60_000, timeout: 4_000 });
    agents.set(key, agent);
  }
  return agent;
}

/** The errors of the job running now, by HTTP status or transport error code. */
let errorKinds: Record<string, number> = {};
const transportError = (e: NodeJS.ErrnoException) => {
  const kind = e.code ?? e.message;
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  return -1;
};

function send(job: LoadJob, agent: http.Agent, r: Prepared): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port: job.port, path: job.path, method: 'POST', agent, headers: r.headers },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status !== 200) errorKinds[String(status)] = (errorKinds[String(status)] ?? 0) + 1;
          resolve(status);
        });
        res.on('error', (e) => resolve(transportError(e)));
      },
    );
    req.on('error', (e) => resolve(transportError(e)));
    req.end(r.body);
  });
}

/** Closed loop: `concurrency` requests always in flight until the slice is used up. */
async function closedLoop(job: LoadJob): Promise<LoadResult> {
  const agent = agentFor(job);
  const n = job.end - job.start;
  const latencies = new Float64Array(n);
  let next = job.start;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < job.end) {
      const k = next++;
      const t0 = performance.now();
      const status = await send(job, agent, requests[k]);
      latencies[k - job.start] = performance.now() - t0;
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { sent: n, errors, errorKinds, seconds, rps: n / seconds, latency: summarize(latencies), clientCpuUs: 0 };
}

/** Open loop: request k is dispatched at start + k/rate, whatever happened to the earlier ones
 * (beyond `concurrency` in flight it waits in the agent, and that wait counts in its latency). */
async function openLoop(job: LoadJob): Promise<LoadResult> {
  const agent = agentFor(job);
  const n = job.end - job.start;
  const latencies = new Float64Array(n);
  const lag = new Float64Array(n);
  const ackAt = job.recordAcks ? new Float64Array(n).fill(NaN) : undefined;
  const interval = 1000 / job.rate;
  let errors = 0;
  let dispatched = 0;
  let done = 0;
  const started = performance.now();
  let lastDispatch = started;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (dispatched < n && started + dispatched * interval <= now) {
        const i = dispatched++;
        const t0 = performance.now();
        lag[i] = t0 - (started + i * interval);
        lastDispatch = t0;
        void send(job, agent, requests[job.start + i]).then((status) => {
          const end = performance.now();
          latencies[i] = end - t0;
          if (status !== 200) errors++;
          else if (ackAt) ackAt[i] = performance.timeOrigin + end;
          if (++done === n) resolve();
        });
      }
      if (dispatched < n) setTimeout(tick, Math.max(0, started + dispatched * interval - performance.now()));
    };
    tick();
  });
  const seconds = (lastDispatch - started) / 1000 + interval / 1000;
  return { sent: n, errors, errorKinds, seconds, rps: n / seconds, latency: summarize(latencies), dispatchLag: summarize(lag), clientCpuUs: 0, ackAt: ackAt && Array.from(ackAt) };
}

process.on('message', (raw) => {
  const msg = raw as ParentMessage;
  void (async () => {
    if (msg.type === 'load') {
      const data = JSON.parse(readFileSync(msg.file, 'utf8')) as PreparedRequest[];
      requests = data.map((r) => {
        const body = Buffer.from(r.body);
        return { body, headers: { ...r.headers, 'content-length': body.length } };
      });
      process.send!({ type: 'loaded', count: requests.length });
    } else if (msg.type === 'run') {
      const cpu0 = process.cpuUsage();
      errorKinds = {};
      const result = msg.job.mode === 'closed' ? await closedLoop(msg.job) : await openLoop(msg.job);
      const cpu = process.cpuUsage(cpu0);
      result.clientCpuUs = (cpu.user + cpu.system) / result.sent;
      process.send!({ type: 'result', result });
    } else if (msg.type === 'exit') {
      for (const a of agents.values()) a.destroy();
      process.disconnect();
    }
  })();
});
