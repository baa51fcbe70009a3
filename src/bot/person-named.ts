import type { Db } from '../db/client.ts';
import { findPeople } from '../domain/people.ts';
import { BotError } from './errors.ts';

/**
 * The one registered person a word names (exact name or open_id, an @ in front allowed), for the
 * commands that take a person without an @-mention; several of that name are refused, none is
 * undefined (the caller says what it needed).
 */
export async function personNamed(db: Db, word: string): Promise<{ openId: string; name: string } | undefined> {
  const found = await findPeople(db, word.replace(/^@/, ''));
  if (found.length > 1) throw new BotError(`有多人名为「${word}」，请用 @ 指定。`, `Several people are called "${word}"; @-mention the one you mean.`);
  return found[0] && { openId: found[0].openId, name: found[0].name };
}

export const nobodyNamed = (word: string) => new BotError(`没有登记名为「${word}」的人，请用 @ 指定。`, `Nobody registered is called "${word}"; @-mention them.`);
