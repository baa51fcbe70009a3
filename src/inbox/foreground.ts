/**
 * Who goes first on the one event loop a Node server has (docs/adr/0025-clicks-before-chatter.md).
 * A card click is answered inline — Lark shows the person a spinner until the HTTP answer comes —
 * while the inbox worker's events only have to be handled soon. libSQL's file calls are
 * synchronous, so whatever the worker is doing when a click arrives, the click waits for. A click
 * holds the foreground while it is answered; the worker gives way between events while one is held.
 */
export class Foreground {
  private held = 0;
  private waiters: (() => void)[] = [];

  /** Marks an interactive request in progress; call the returned function once it is answered. */
  hold(): () => void {
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      if (this.held === 0) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }
    };
  }

  get busy(): boolean {
    return this.held > 0;
  }

  /**
   * Background work's turn: first back to the event loop, so requests already read (a click
   * that just arrived) are parsed and started; then, while a click is being answered, wait until
   * it is — at most `maxWaitMs`, so a stream of clicks slows the inbox but never stops it.
   */
  async turn(maxWaitMs: number): Promise<void> {
    await yieldToLoop();
    if (this.held === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, maxWaitMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.waiters = self.waiters.filter((w) => w !== done);
        resolve();
      }
      this.waiters.push(done);
    });
  }
}

/**
 * One turn of the event loop: I/O that is ready (a request's bytes, a finished crypto call) is
 * handled before this resolves. An awaited libSQL call resolves as a microtask and would not give
 * way, which is why the worker, without this, handled a whole batch — or a whole backlog — in
 * one synchronous slice.
 */
export const yieldToLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((r) => setImmediate(r)) : () => new Promise((r) => setTimeout(r, 0));
