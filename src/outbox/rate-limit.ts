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
    return Math.max(1, this.stamps[this.stamps.length - this.limit] + this.windowMs - now);
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

  /** Nothing counted in the last window. */
  idle(now: number) {
    this.waitFor(now);
    return this.stamps.length === 0;
  }
}

export interface RateLimits {
  perSecond: number;
  perMinute: number;
  perChatPerSecond: number;
}

/** Lark's published limits for one app: 50/s and 1000/min, 5/s per chat. */
export const LARK_LIMITS: RateLimits = { perSecond: 50, perMinute: 1000, perChatPerSecond: 5 };

/** Past this many chat windows, idle ones are forgotten so a long run stays small. */
const CHAT_SWEEP_THRESHOLD = 1000;

/**
 * Keeps one process under Lark's limits: the app-wide windows every call shares, and one window
 * per chat. The two are asked separately (`appWait`, `chatWait`) so a sender can pass over a
 * chat whose own window is full and serve another: a busy chat never holds up the rest.
 *
 * A call is counted when it is let through and counted again, later, when its answer is back
 * (the `done` that `take` returns): Lark's gateway counted it somewhere in between, so a window
 * that starts at the answer cannot close early on Lark's side however long the request took to
 * leave this process. A small margin on each window absorbs clock granularity.
 */
export class RateLimiter {
  private readonly second: Window;
  private readonly minute: Window;
  private readonly chats = new Map<string, Window>();

  constructor(
    readonly limits: RateLimits = LARK_LIMITS,
    private readonly clock: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly marginMs = 20,
  ) {
    this.second = new Window(limits.perSecond, 1000 + marginMs);
    this.minute = new Window(limits.perMinute, 60_000 + marginMs);
  }

  /** Milliseconds until the app-wide windows admit one more call (0 = now). */
  appWait(): number {
    const now = this.clock();
    return Math.max(this.second.waitFor(now), this.minute.waitFor(now));
  }

  /** Milliseconds until `chat`'s own window admits one more message (0 = now). */
  chatWait(chat: string): number {
    return this.chats.get(chat)?.waitFor(this.clock()) ?? 0;
  }

  /**
   * Counts one call now. Call it only when `appWait()` (and `chatWait(chat)`) are 0. Returns
   * `done`, to be called once the call has been answered (or failed).
   */
  take(chat?: string): () => void {
    const now = this.clock();
    const chatWindow = chat ? this.chatWindow(chat, now) : undefined;
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

  /**
   * Waits until a call to `chat` (or an app-level call without a chat) fits, then counts it.
   * Each caller waits on its own: no queue, so a full chat keeps only its own callers waiting.
   */
  async acquire(chat?: string): Promise<() => void> {
    for (;;) {
      const wait = Math.max(this.appWait(), chat ? this.chatWait(chat) : 0);
      if (wait <= 0) return this.take(chat);
      await this.sleep(wait);
    }
  }

  private chatWindow(chat: string, now: number): Window {
    let w = this.chats.get(chat);
    if (!w) {
      if (this.chats.size >= CHAT_SWEEP_THRESHOLD) for (const [k, v] of this.chats) if (v.idle(now)) this.chats.delete(k);
      w = new Window(this.limits.perChatPerSecond, 1000 + this.marginMs);
      this.chats.set(chat, w);
    }
    return w;
  }
}
