import { errorFields, type Logger } from './log.ts';

/**
 * A background loop: runs `step` until it reports no work, then waits for a wake-up or the
 * poll interval. stop() lets the current step finish, so in-flight work is never cut off.
 */
export class Loop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private pending = false;

  constructor(
    private readonly step: () => Promise<number>,
    private readonly pollMs: number,
    private readonly log: Logger,
    private readonly name: string,
  ) {}

  start() {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  wake() {
    this.pending = true;
    this.wakeUp?.();
  }

  async stop() {
    this.running = false;
    this.wakeUp?.();
    await this.done;
  }

  private async run() {
    while (this.running) {
      this.pending = false;
      let worked = 0;
      try {
        worked = await this.step();
      } catch (e) {
        this.log.error(`${this.name} loop step failed`, errorFields(e));
      }
      if (!this.running) break;
      if (worked > 0 || this.pending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
