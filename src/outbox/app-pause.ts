import type { SqlClient } from '../db/sql.ts';
import { LarkApiError, type LarkClient } from '../lark/client.ts';
import { errorFields, type Logger } from '../log.ts';
import { PAUSE_KEY, pauseApp } from './claims.ts';

// Lark's app-wide limit (99991400) covers every Open API call, not only the outbox's: an upload
// for /export or a chart, a photo download, a group lookup. The calls handlers and jobs make
// themselves go through this client, which waits out a pause the outbox (of any instance) was
// told of, and, refused itself, records the pause for everyone and tries once more after it.

/** The longest wait for a pause before calling anyway (Lark's windows are seconds). */
const MAX_WAIT_MS = 60_000;

const APP_LIMIT_CODE = 99991400;

/** The methods the outbox does not call; the sender keeps its own pause for the rest (docs/adr/0019). */
const DIRECT = ['botInfo', 'uploadImage', 'uploadFile', 'messageResource', 'chatInfo'] as const;

export interface AppPauseOptions {
  client: SqlClient;
  clock: () => Date;
  log: Logger;
  /** This process's sender's pause, known before it is written to the database. */
  localPausedUntil?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** End of the app-wide pause recorded in the database (0 when none). */
export async function appPausedUntil(client: SqlClient): Promise<number> {
  const rs = await client.execute({ sql: 'SELECT value FROM settings WHERE key = ?', args: [PAUSE_KEY] });
  const v = rs.rows.length ? Number(rs.rows[0].value) : 0;
  return Number.isFinite(v) ? v : 0;
}

export function honouringAppPause(inner: LarkClient, o: AppPauseOptions): LarkClient {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const waitForPause = async () => {
    const until = Math.max(o.localPausedUntil?.() ?? 0, await appPausedUntil(o.client));
    const ms = until - o.clock().getTime();
    if (ms > 0) await sleep(Math.min(ms, MAX_WAIT_MS));
  };
  const direct = new Map<string | symbol, unknown>();
  for (const method of DIRECT) {
    const call = (...args: unknown[]) => (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
    direct.set(method, async (...args: unknown[]) => {
      await waitForPause();
      try {
        return await call(...args);
      } catch (e) {
        if (!(e instanceof LarkApiError && e.kind === 'rate_limited' && e.code === APP_LIMIT_CODE)) throw e;
        const now = o.clock().getTime();
        const until = now + (e.resetSeconds ?? 1) * 1000;
        o.log.warn('lark app rate limit on a direct call; all sending paused', { method, waitMs: until - now });
        await pauseApp(o.client, until, now).catch((err) => o.log.warn('could not record the app-wide pause', errorFields(err)));
        await waitForPause();
        return call(...args);
      }
    });
  }
  return new Proxy(inner, {
    get(target, prop) {
      if (direct.has(prop)) return direct.get(prop);
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
