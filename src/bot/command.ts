import type { Bi } from '../bi.ts';
import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import type { ParsedArgs } from './parse.ts';
import type { BotContext } from './context.ts';

/**
 * Who may run a command: anybody (even people not registered yet), any registered person,
 * or people holding one of the listed roles.
 */
export type Access = 'anyone' | 'registered' | readonly Role[];

export interface Command<A = ParsedArgs> {
  name: string;
  aliases: readonly string[];
  summary: Bi;
  usage: string;
  /** Validates and shapes the parsed words, options and mentions. */
  args: z.ZodType<A>;
  roles: Access;
  handle(ctx: BotContext, args: A): Promise<void>;
}

/** Keeps each command file's `args` and `handle` typed together. */
export const defineCommand = <A>(c: Command<A>): Command<A> => c;
