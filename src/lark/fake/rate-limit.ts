// Sliding-window rate limits, shaped like Lark's: an app-wide QPS and QPM quota at the gateway,
// and a per-chat QPS in the IM service. Time comes from the fake's injectable clock.
import type { RateLimits } from './types.ts';

export interface Refusal {
  /** Which quota was hit: the `x-ogw-ratelimit-limit` header value. */
  limit: number;
  /** Whole seconds until the window frees a slot (at least 1): `x-ogw-ratelimit-reset`. */
  resetSeconds: number;
}

/** Counts admitted hits in the last `windowMs`. */
export class SlidingWindow {
  private hits: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until one more hit would fit; 0 when it fits now. */
  waitMs(now: number): number {
    this.forgetBefore(now - this.windowMs);
    if (this.hits.length < this.limit) return 0;
    // The window frees a slot once enough of the oldest hits fall out of it.
    const blocking = this.hits[this.hits.length - this.limit];
    return Math.max(1, blocking + this.windowMs - now);
  }

  record(now: number): void {
    this.hits.push(now);
  }

  isIdle(now: number): boolean {
    this.forgetBefore(now - this.windowMs);
    return this.hits.length === 0;
  }

  private forgetBefore(cutoff: number): void {
    let stale = 0;
    while (stale < this.hits.length && this.hits[stale] <= cutoff) stale++;
    if (stale > 0) this.hits.splice(0, stale);
  }
}

/** Admits a hit only if every window has room, and then records it in all of them. */
function admitAll(windows: SlidingWindow[], now: number): Refusal | null {
  let refusal: Refusal | null = null;
  for (const window of windows) {
    const wait = window.waitMs(now);
    if (wait === 0) continue;
    const resetSeconds = Math.max(1, Math.ceil(wait / 1000));
    // Report the quota that keeps the caller waiting longest, so one retry after the reset succeeds.
    if (!refusal || resetSeconds > refusal.resetSeconds) refusal = { limit: window.limit, resetSeconds };
  }
  if (!refusal) for (const window of windows) window.record(now);
  return refusal;
}

/** Past this many tracked chats, idle chat windows are swept so a long sandbox run stays small. */
const CHAT_SWEEP_THRESHOLD = 256;

export class RateLimiter {
  private readonly app: SlidingWindow[];
  private readonly chats = new Map<string, SlidingWindow>();

  constructor(private readonly limits: RateLimits) {
    this.app = [new SlidingWindow(limits.perSecond, 1_000), new SlidingWindow(limits.perMinute, 60_000)];
  }

  /** App-wide quota; spent by every request the gateway lets through, even ones refused later. */
  admitApp(now: number): Refusal | null {
    return admitAll(this.app, now);
  }

  /** Per-chat quota; spent only by messages actually sent to that chat. */
  admitChat(chatId: string, now: number): Refusal | null {
    let window = this.chats.get(chatId);
    if (!window) {
      if (this.chats.size >= CHAT_SWEEP_THRESHOLD) this.sweepIdleChats(now);
      window = new SlidingWindow(this.limits.perChatPerSecond, 1_000);
      this.chats.set(chatId, window);
    }
    return admitAll([window], now);
  }

  private sweepIdleChats(now: number): void {
    for (const [chatId, window] of this.chats) if (window.isIdle(now)) this.chats.delete(chatId);
  }
}
