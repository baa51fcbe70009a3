import { existsSync, readFileSync } from 'node:fs';

// Reads what scripts/chaos/wire-tap.ts recorded in one server process.

export interface WireLine {
  /** Order within the process. */
  n: number;
  /** Milliseconds since the epoch, sub-millisecond. */
  t: number;
  ev: 'request' | 'response';
  method?: string;
  path?: string;
  status?: number;
  reset?: string | null;
}

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

export function readWire(file: string): WireLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as WireLine];
      } catch {
        return []; // the last line of a process killed mid-write
      }
    });
}

/**
 * Open API calls (the token endpoint aside, as the fake counts them) a process began after it had
 * received an app-wide refusal (HTTP 429, Lark's 99991400) and before that refusal's
 * `x-ogw-ratelimit-reset` had passed, by its own clock. Only the gateway's app-wide limit answers
 * 429 with that header: 230020 (a chat's limit) is HTTP 400, and 99991403 (the month's quota) is a
 * 429 without it, so neither opens a window here.
 */
export function callsBegunInsideResetWindow(lines: readonly WireLine[], from = 0): WireLine[] {
  const windows = lines
    .filter((l) => l.ev === 'response' && l.status === 429 && l.reset != null && l.t >= from)
    .map((l) => ({ after: l.n, end: l.t + Number(l.reset) * 1000 }));
  return lines.filter((l) => l.ev === 'request' && l.t >= from && l.path !== TOKEN_PATH && windows.some((w) => l.n > w.after && l.t < w.end));
}
