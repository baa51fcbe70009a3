import type { Bi } from '../bi.ts';
import { DomainError } from '../domain/errors.ts';

/**
 * An error the user should read, raised by the bot layer itself (bad arguments, a stale button,
 * a role check). Rules raise DomainError instead; `refusalOf` treats both alike.
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

/** The record a command or click names, or the "no such …" answer when it does not exist. */
export async function mustLoad<T>(found: Promise<T | undefined>, missing: () => BotError): Promise<T> {
  const rec = await found;
  if (rec === undefined) throw missing();
  return rec;
}

/**
 * The one place a refusal becomes an answer: the text to reply with (or toast, for a click), or
 * undefined when the error is a fault and must propagate (the event is then retried).
 */
export function refusalOf(e: unknown): Bi | undefined {
  if (e instanceof BotError) return { zh: e.zh, en: e.en };
  if (e instanceof DomainError) return e.text;
  return undefined;
}
