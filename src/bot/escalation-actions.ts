// 收到 on a buzzed card, and a reply in the card's thread by the buzzed person: both stop that
// person's ladder for the item. Imported with the command list, so registering happens at load.

import { and, eq, inArray } from 'drizzle-orm';
import { outbox } from '../db/schema.ts';
import { ladderByCard } from '../domain/escalations.ts';
import { resolveCaller } from '../domain/people.ts';
import { formatShort } from '../domain/time.ts';
import type { CardActionList } from './card-actions.ts';
import { BotContext } from './context.ts';
import { acknowledgeItem } from './escalation-flow.ts';
import type { MessageHook } from './router.ts';

/** The outbox row that sent a Lark message (send or reply). */
async function outboxOfMessage(db: BotContext['db'], messageId: string | undefined): Promise<string | undefined> {
  if (!messageId) return undefined;
  const [row] = await db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.larkMessageId, messageId), inArray(outbox.kind, ['reply', 'send']))).limit(1);
  return row?.id;
}

const onAck: CardActionList[number][1] = async (ctx, event) => {
  const item = typeof event.value.item === 'string' ? event.value.item : '';
  const clicked = await outboxOfMessage(ctx.db, ctx.source.kind === 'card' ? ctx.source.messageId : undefined);
  const r = await acknowledgeItem(ctx, ctx.deps, item, ctx.caller.openId, 'button', clicked);
  if (r.kind === 'none') {
    ctx.respond({ type: 'info', zh: '您不在本次加急名单中，无需确认', en: 'You were not buzzed about this; nothing to acknowledge' });
    return;
  }
  if (r.kind === 'already') {
    const at = formatShort(new Date(r.at), ctx.settings.tz);
    ctx.respond({ type: 'info', zh: `已于 ${at} 确认收到`, en: `Already acknowledged at ${at}` });
    return;
  }
  ctx.respond({ type: 'success', zh: '已确认收到，停止加急', en: 'Acknowledged; no more buzzes' }, r.card);
};

/** The card actions this module answers (wired in commands/index.ts). */
export const escalationCardActions: CardActionList = [['escalation.ack', onAck]];

/**
 * (Listed first in the router's message hooks.) A reply in the thread of a buzzed card, by the person buzzed, acknowledges it. Offered words
 * that are not a command (in a direct chat, "收到" reads like one and is unknown).
 */
export const threadAckHook: MessageHook = async (deps, event, now) => {
  const root = event.rootId ?? event.parentId;
  // Photos in a thread are evidence for the hazard hooks, not an acknowledgement.
  if (!root || !event.text) return undefined;
  const cardId = await outboxOfMessage(deps.db, root);
  const ladder = cardId ? await ladderByCard(deps.db, cardId) : undefined;
  if (!ladder || ladder.personOpenId !== event.senderOpenId || ladder.ackedAt !== null) return undefined;
  const caller = await resolveCaller(deps.db, event.senderOpenId, deps.settings.adminOpenIds);
  const ctx = new BotContext(deps, caller, { kind: 'message', messageId: event.messageId, chatId: event.chatId, chatType: event.chatType, rootId: event.rootId, parentId: event.parentId }, now);
  const r = await acknowledgeItem(ctx, deps, ladder.item, event.senderOpenId, 'reply');
  if (r.kind !== 'acked') return undefined;
  const at = formatShort(now, deps.settings.tz);
  ctx.reply({ text: `已确认收到（${at}），停止加急。\nAcknowledged (${at}); no more buzzes.` });
  return ctx;
};
threadAckHook.threadsOnly = true;

