import type { Bi } from '../bi.ts';

/**
 * What kind of refusal it is. The text says it to people; the code lets a caller tell refusals
 * apart without reading the text.
 */
export type DomainErrorCode =
  /** The input cannot be read or breaks a rule of form (a deadline in the past, an empty description). */
  | 'invalid'
  /** The caller's roles or part in the record do not allow this. */
  | 'not_allowed'
  /** The record is not in a state the change can start from. */
  | 'wrong_state'
  /** It has been done already (a report filed twice). */
  | 'duplicate'
  /** The thing named does not exist (a shift to swap with). */
  | 'not_found';

/**
 * A rule refused the change. Domain code throws it; the bot maps it to a reply (or a toast for
 * a click) in one place (src/bot/errors.ts) and commits nothing else. The domain never knows
 * how the answer reaches the person.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly text: Bi,
  ) {
    super(`${text.zh} / ${text.en}`);
    this.name = 'DomainError';
  }
}

export const refuse = (code: DomainErrorCode, text: Bi): never => {
  throw new DomainError(code, text);
};
