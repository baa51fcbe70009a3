import type { InboundEvent } from '../lark/events.ts';
import type { BotContext } from './context.ts';

export type CardEvent = Extract<InboundEvent, { kind: 'card' }>;
export type CardAction = (ctx: BotContext, event: CardEvent) => Promise<void>;

/**
 * Card buttons carry `{ action: NAME, ... }` in their value; domain modules register the
 * handler for each NAME here. Handlers run inline, inside Lark's 3-second window.
 */
export const cardActions = new Map<string, CardAction>();

export function registerCardAction(name: string, action: CardAction) {
  if (cardActions.has(name)) throw new Error(`card action ${name} registered twice`);
  cardActions.set(name, action);
}
