// Reading what the bot sent: a message's card JSON, what a card shows as text, and the callback
// values of its buttons (what a test clicks next).
import type { FakeMessage } from '../../src/lark/fake/server.ts';
import { cardToText } from '../../src/lark/card-text.ts';

export type Card = Record<string, unknown>;

export const isCard = (m: FakeMessage) => m.msgType === 'interactive';
export const cardJson = (content: string) => JSON.parse(content) as Card;
/** The card JSON of a card message. */
export const cardOf = (m: { content: string }) => cardJson(m.content);
/** What a card shows, as text (Chinese), for assertions. */
export const cardText = (content: string | Card) => cardToText(typeof content === 'string' ? cardJson(content) : content);
/** The text of a message: a text message's text, or a card's visible text. */
export function shown(m: FakeMessage): string {
  if (isCard(m)) return cardText(m.content);
  return (JSON.parse(m.content) as { text?: string }).text ?? m.content;
}
/** The card as it looks now: the last patch, or the original. */
export const currentCard = (m: FakeMessage) => cardText(m.patches.at(-1) ?? m.content);

type ButtonValue = Record<string, unknown>;
type Button = { behaviors?: { value?: ButtonValue }[] };

/** Every button in a card or part of one (forms, column sets), in the order they show. */
function buttonsIn(node: unknown, out: Button[] = []): Button[] {
  if (Array.isArray(node)) node.forEach((n) => buttonsIn(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.tag === 'button') out.push(o as Button);
    else Object.values(o).forEach((n) => buttonsIn(n, out));
  }
  return out;
}

/** Every button's callback value in a card's body, in order (each button's first behavior). */
export const buttonValues = (c: Card): ButtonValue[] => buttonsIn(c.body).map((b) => b.behaviors![0].value!);

/** Every button value with this action in a card. */
export const allButtons = (card: unknown, action: string): ButtonValue[] =>
  buttonsIn(card).flatMap((b) => (b.behaviors ?? []).flatMap((x) => (x.value?.action === action ? [x.value] : [])));

/** The first button value with this action in a card. */
export const findButton = (card: unknown, action: string): ButtonValue | undefined => allButtons(card, action)[0];
