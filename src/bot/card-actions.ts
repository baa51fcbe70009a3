import type { InboundEvent } from '../lark/events.ts';
import type { BotContext } from './context.ts';

export type CardEvent = Extract<InboundEvent, { kind: 'card' }>;
export type CardAction = (ctx: BotContext, event: CardEvent) => Promise<void>;
/** The actions one module answers, by the `action` name its buttons carry. */
export type CardActionList = readonly (readonly [name: string, action: CardAction])[];

/**
 * Card buttons carry `{ action: NAME, ... }` in their value; the router looks NAME up in the table
 * built here from the modules' lists (commands/index.ts names them all). Handlers run inline,
 * inside Lark's 3-second window.
 */
export function cardActionTable(lists: readonly CardActionList[]): ReadonlyMap<string, CardAction> {
  const table = new Map<string, CardAction>();
  for (const list of lists) {
    for (const [name, action] of list) {
      if (table.has(name)) throw new Error(`card action ${name} is listed twice`);
      table.set(name, action);
    }
  }
  return table;
}
