/**
 * An error the user should read. Handlers throw it anywhere; the router turns it into a
 * reply (or a toast for a card click) and commits nothing else.
 */
export class BotError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'BotError';
  }
}

/** Chinese first with English beside it: the house style of every reply. */
export const bi = (zh: string, en: string) => `${zh}\n${en}`;
