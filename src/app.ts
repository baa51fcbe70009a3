import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ingest, MAX_BODY_BYTES, type IngestDeps } from './lark/ingest.ts';
import { constantTimeEqual } from './lark/crypto.ts';

export interface AppDeps {
  ingest: IngestDeps;
  /** Ready once migrations have run and the bot knows who it is. */
  ready: () => boolean;
  /** More for /healthz: the event mode and, with ws, the long connection's state (it decides `ok` too). */
  health?: () => { ok: boolean; [k: string]: unknown };
  /** GET /status as JSON for `Authorization: Bearer <token>` (STATUS_TOKEN); absent, the route does not exist. */
  status?: { token: string; read: () => Promise<unknown> };
  /** Extra routes (the sandbox pages) mounted by the entry that wants them. */
  extend?: (app: Hono) => void;
}

/** The HTTP surface, routes only: everything it does is built from `deps`. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  // bodyLimit also stops chunked bodies that declare no length, before they are read whole.
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'body too large' }, 413) });
  app.post('/lark/events', limit, async (c) => {
    const raw = await c.req.text();
    const result = await ingest(raw, (name) => c.req.header(name), deps.ingest);
    return c.json(result.body as object, result.status);
  });

  app.get('/healthz', (c) => {
    const h = deps.health?.() ?? { ok: deps.ready() };
    return h.ok ? c.json(h) : c.json(h, 503);
  });

  const status = deps.status;
  if (status) {
    app.get('/status', async (c) => {
      const given = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (!given || !constantTimeEqual(given, status.token)) {
        return c.json({ error: 'a valid Authorization: Bearer token is required' }, 401, { 'www-authenticate': 'Bearer' });
      }
      return c.json({ sections: await status.read() });
    });
  }

  deps.extend?.(app);
  return app;
}
