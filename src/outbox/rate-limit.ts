/** A sliding-window log: at most `limit` events in any `windowMs`. */
class Window {
  private stamps: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds to wait before one more event fits (0 = now). */
  waitFor(now: number): number {
    while (this.stamps.length && this.stamps[0] <= now - this.windowMs) this.stamps.shift();
    if (this.stamps.length < this.limit) return 0;
    return this.stamps[this.stamps.length - this.limit] + this.windowMs - now;
  }

  record(now: number) {
    this.stamps.push(now);
  }

  /** Moves the event counted at `at` to `now` (no earlier than any stamp), keeping the log in order. */
  restamp(at: number, now: number) {
    const i = this.stamps.lastIndexOf(at);
    if (i !== -1) this.stamps.splice(i, 1);
    this.stamps.push(now);
  }
}

export interface RateLimits {
  perSecond: number;
  perMinute: number;
  perChatPerSecond: number;
}

/** Lark's published limits for one app: 50/s and 1000/min, 5/s per chat. */
export const LARK_LIMITS: RateLimits = { perSecond: 50, perMinute: 1000, perChatPerSecond: 5 };

/**
 * Keeps one process under Lark's limits. A call is counted when it is let through and counted
 * again, later, when its answer is back (the `done` that `acquire` resolves to): Lark's gateway
 * counted it somewhere in between, so a window that starts at the answer cannot close early on
 * Lark's side however long the request took to leave this process (a busy event loop delays it
 * by tens of milliseconds, more than the margin). A small margin on each window absorbs clock
 * granularity.
 */
export class RateLimiter {
  private readonly second: Window;
  private readonly minute: Window;
  private readonly chats = new Map<string, Window>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limits: RateLimits = LARK_LIMITS,
    private readonly clock: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly marginMs = 20,
  ) {
    this.second = new Window(limits.perSecond, 1000 + marginMs);
    this.minute = new Window(limits.perMinute, 60_000 + marginMs);
  }

  /**
   * Waits until a call to `chat` (or an app-level call without a chat) fits, then counts it.
   * Resolves to `done`, to be called once the call has been answered (or failed).
   */
  acquire(chat?: string): Promise<() => void> {
    // Serialise acquisitions so concurrent senders cannot both take the last slot.
    const next = this.queue.then(() => this.take(chat));
    this.queue = next.then(
      () => {},
      () => {},
    );
    return next;
  }

  private async take(chat?: string): Promise<() => void> {
    const chatWindow = chat ? this.chatWindow(chat) : undefined;
    for (;;) {
      const now = this.clock();
      const wait = Math.max(this.second.waitFor(now), this.minute.waitFor(now), chatWindow?.waitFor(now) ?? 0);
      if (wait <= 0) {
        this.second.record(now);
        this.minute.record(now);
        chatWindow?.record(now);
        let settled = false;
        return () => {
          if (settled) return;
          settled = true;
          const end = this.clock();
          this.second.restamp(now, end);
          this.minute.restamp(now, end);
          chatWindow?.restamp(now, end);
        };
      }
      await this.sleep(wait);
    }
  }

  private chatWindow(chat: string): Window {
    let w = this.chats.get(chat);
    if (!w) {
      w = new Window(this.limits.perChatPerSecond, 1000 + this.marginMs);
      this.chats.set(chat, w);
    }
    return w;
  }
}
