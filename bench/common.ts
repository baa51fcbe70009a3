// Types and statistics shared by bench/ingest.ts (the servers) and bench/load.ts (the load generator).

export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadJob {
  port: number;
  path: string;
  /** Slice of the pre-generated requests to send: [start, end). */
  start: number;
  end: number;
  mode: 'closed' | 'open';
  /** closed: requests in flight. */
  concurrency: number;
  /** open: requests per second. */
  rate: number;
  /** Report when each answer ended (epoch ms, performance.timeOrigin-based), for latencies the parent closes elsewhere (bench/latency). */
  recordAcks?: boolean;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  sent: number;
  /** Answers other than 200, and transport errors. */
  errors: number;
  /** The errors by HTTP status or transport error code (ECONNRESET …). */
  errorKinds?: Record<string, number>;
  seconds: number;
  rps: number;
  /** Per request, ms, from handing the request to the HTTP agent to the end of the answer. */
  latency: LatencySummary;
  /** CPU time the load generator itself spent per request, µs (it shares the machine with the server). */
  clientCpuUs: number;
  /** Open loop only: how late the generator dispatched each request against its schedule, ms. */
  dispatchLag?: LatencySummary;
  /** With recordAcks: per request of the slice, when its 200 arrived (epoch ms; NaN for errors). */
  ackAt?: number[];
}

export type ParentMessage = { type: 'load'; file: string } | { type: 'run'; job: LoadJob } | { type: 'exit' };
export type ChildMessage = { type: 'loaded'; count: number } | { type: 'result'; result: LoadResult };

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function summarize(values: Float64Array): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}
