import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { ingest, MAX_BODY_BYTES, type IngestDeps } from './lark/ingest.ts';

/**
 * Node's HTTP listener. The webhook — the one route Lark hits at volume — is answered straight from
 * Node's request, reading the raw body once, with the same `ingest` as every runtime; every other
 * route goes through the Hono app. Building a Fetch Request for each webhook cost about as much
 * CPU as the webhook's own work (BENCHMARKS.md, bench/ingest), so Node skips it here.
 */
export function nodeListener(app: Hono, deps: IngestDeps): RequestListener {
  const viaHono = getRequestListener(app.fetch);
  return (req, res) => {
    if (req.method === 'POST' && (req.url === '/lark/events' || req.url?.startsWith('/lark/events?'))) {
      webhook(req, res, deps).catch((e) => {
        deps.log.error('webhook failed', { error: (e as Error)?.message ?? String(e) });
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
        else res.destroy();
      });
      return;
    }
    void viaHono(req, res);
  };
}

async function webhook(req: IncomingMessage, res: ServerResponse, deps: IngestDeps) {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return tooLarge(req, res);
  const raw = await readBody(req);
  if (raw === undefined) return tooLarge(req, res);
  const result = await ingest(raw, (name) => header(req, name), deps);
  send(res, result.status, result.body);
}

/** The body as text, or undefined once it passes the limit (chunked bodies declare no length). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks, size).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function tooLarge(req: IncomingMessage, res: ServerResponse) {
  send(res, 413, { error: 'body too large' }, true);
  req.resume();
}

function send(res: ServerResponse, status: number, body: unknown, close = false) {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}
