import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

// Loaded into each chaos server process (`node --import tsx --import ./scripts/chaos/wire-tap.ts`):
// writes every HTTP request the process begins and every answer it receives, with this process's
// clock, to the file named by CHAOS_WIRE_LOG — the network edge as the server's own socket sees
// it, like a packet capture. The fake Lark can only tell when a call reached it: a call already on
// the wire when it refused the app looks, from there, like one made inside the reset window. Here
// "begun after the refusal arrived" is exact (scripts/chaos/wire.ts reads the file).
// Written synchronously, line by line, so a kill -9 loses nothing already done.

const file = process.env.CHAOS_WIRE_LOG;
if (file) {
  // A sequence number orders a request begun in the same millisecond as an answer received.
  let n = 0;
  const line = (o: Record<string, unknown>) => appendFileSync(file, `${JSON.stringify({ n: ++n, t: performance.timeOrigin + performance.now(), ...o })}\n`);
  const describe = (req: { method?: string; path?: string; host?: string }) => ({ method: req.method, path: req.path?.split('?')[0], host: req.host });
  subscribe('http.client.request.start', (m) => {
    const { request } = m as { request: { method?: string; path?: string; host?: string } };
    line({ ev: 'request', ...describe(request) });
  });
  subscribe('http.client.response.finish', (m) => {
    const { request, response } = m as { request: { method?: string; path?: string; host?: string }; response: { statusCode?: number; headers: Record<string, unknown> } };
    line({ ev: 'response', ...describe(request), status: response.statusCode, reset: response.headers['x-ogw-ratelimit-reset'] ?? null });
  });
}
