import type { InboundEvent } from '../lark/events.ts';
import { resolveCaller } from '../domain/people.ts';
import { BotContext, type BotDeps, type Source } from './context.ts';
import { refusalOf } from './errors.ts';
import { parseCommand } from './parse.ts';
import { photoHook } from './hazard-actions.ts';
import { threadAckHook } from './escalation-actions.ts';
import { runCommand } from './run-command.ts';
import { answerPlain, keepPhotos } from './plain.ts';
import { botAdded } from './bot-added.ts';
import { twoLines } from '../bi.ts';
import { UNKNOWN_MENU } from '../views/fallback-replies.ts';
import { taskUpdated } from './mirror-flow.ts';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
type CardEvent = Extract<InboundEvent, { kind: 'card' }>;

/**
 * Turns one inbound event into a context full of effects (statements and messages), or
 * undefined when there is nothing to do. Never writes: the caller commits in one batch.
 */
export async function routeEvent(deps: BotDeps, event: InboundEvent, now: Date): Promise<BotContext | undefined> {
  switch (event.kind) {
    case 'message':
      return routeMessage(deps, event, now);
    case 'card':
      return routeCard(deps, event, now);
    case 'menu': {
      const command = deps.registry.find(event.eventKey);
      if (!command) {
        // A menu click is someone talking to the bot: an entry it no longer knows still gets an answer.
        const ctx = new BotContext(deps, await resolveCaller(deps.db, event.operatorOpenId, deps.settings.adminOpenIds), { kind: 'menu' }, now);
        ctx.reply({ text: twoLines(UNKNOWN_MENU) });
        return ctx;
      }
      return runCommand(deps, event.operatorOpenId, { kind: 'menu' }, command, { words: [], options: {}, mentions: [] }, now);
    }
    case 'bot_added':
      return botAdded(deps, event, now);
    case 'task_updated':
      return taskUpdated(deps, event, now);
  }
}

export type MessageHook = ((deps: BotDeps, event: MessageEvent, now: Date) => Promise<BotContext | undefined>) & {
  /** Set when the hook answers nothing to a message outside a thread: such chatter then skips the worker. */
  threadsOnly?: boolean;
};
/** Non-command messages are offered to these hooks in order: a reply acknowledging a buzzed card, images as a hazard's evidence. */
export const messageHooks: MessageHook[] = [threadAckHook, photoHook];

/**
 * A group message that cannot mean anything to the bot, whoever sent it and whatever the database
 * holds: no @mention at all (so not of the bot), no leading slash, no images (kept for a report),
 * not in a thread — and every message hook is one that acts only in threads (a buzzed card's 收到,
 * a hazard's photo). routeMessage answers these with nothing, and the webhook stores them as
 * handled on arrival, so group chatter costs one INSERT (ADR 0025). A hook without `threadsOnly`
 * sees every message again, through the worker.
 */
export function isUnaddressedChatter(event: MessageEvent): boolean {
  return (
    messageHooks.every((hook) => hook.threadsOnly) &&
    event.chatType !== 'p2p' &&
    !event.rootId &&
    !event.parentId &&
    event.mentions.length === 0 &&
    event.imageKeys.length === 0 &&
    !/^\s*[/／]/.test(event.text)
  );
}

async function routeMessage(deps: BotDeps, event: MessageEvent, now: Date): Promise<BotContext | undefined> {
  if (isUnaddressedChatter(event)) return undefined;
  const source: Source = {
    kind: 'message',
    messageId: event.messageId,
    chatId: event.chatId,
    chatType: event.chatType,
    rootId: event.rootId,
    parentId: event.parentId,
  };
  const p2p = event.chatType === 'p2p';
  const parsed = event.text ? parseCommand(event.text, { mentions: event.mentions, botOpenId: deps.botOpenId, p2p }) : undefined;
  const hooked = async () => {
    for (const hook of messageHooks) {
      const ctx = await hook(deps, event, now);
      if (ctx) return ctx;
    }
    return undefined;
  };
  const slashed = /^[/／]/.test(withoutBotMentions(deps, event).trim());
  if (parsed && (slashed || deps.registry.find(parsed.name))) {
    const command = deps.registry.find(parsed.name);
    if (command) return runCommand(deps, event.senderOpenId, source, command, parsed, now);
    // Words that are no command may still mean something where they are said (收到 in a buzzed card's thread).
    const hookedCtx = await hooked();
    if (hookedCtx) return hookedCtx;
    const caller = await resolveCaller(deps.db, event.senderOpenId, deps.settings.adminOpenIds);
    const ctx = new BotContext(deps, caller, source, now);
    const near = deps.registry.nearest(parsed.name);
    const hint = near
      ? { zh: `您是不是要找 /${near.name}？`, en: `Did you mean /${near.name}?` }
      : { zh: '发送 /help 查看可用命令。', en: 'Send /help to see the commands.' };
    ctx.reply({ text: `未知命令 /${parsed.name}。${hint.zh}\nUnknown command /${parsed.name}. ${hint.en}` });
    return ctx;
  }
  // A plain message to the bot (a direct chat, or a group message that @-mentions it) always gets an answer.
  // In a thread, what it means there comes first (收到 on a buzzed card, a photo for a hazard).
  if (event.text.trim() !== '' && (p2p || mentionsBot(deps, event))) {
    if (event.rootId || event.parentId) {
      const inThread = await hooked();
      if (inThread) return inThread;
    }
    return answerPlain(deps, event, source, now, hooked);
  }
  return (await hooked()) ?? (event.imageKeys.length ? keepPhotos(deps, event, source, now) : undefined);
}

const mentionsBot = (deps: BotDeps, event: MessageEvent) => !!deps.botOpenId && event.mentions.some((m) => m.openId === deps.botOpenId);

/** The text with the bot's own @mentions taken out (they may stand before a slash command). */
function withoutBotMentions(deps: BotDeps, event: MessageEvent): string {
  const bot = new Set(event.mentions.filter((m) => deps.botOpenId && m.openId === deps.botOpenId).map((m) => m.key));
  return event.text.replace(/@_user_\d+/g, (k) => (bot.has(k) ? ' ' : k));
}

async function routeCard(deps: BotDeps, event: CardEvent, now: Date): Promise<BotContext> {
  const caller = await resolveCaller(deps.db, event.operatorOpenId, deps.settings.adminOpenIds);
  const source: Source = { kind: 'card', messageId: event.messageId, chatId: event.chatId, token: event.token };
  const ctx = new BotContext(deps, caller, source, now);
  const name = typeof event.value.action === 'string' ? event.value.action : '';
  const action = deps.cardActions.get(name);
  if (!action) {
    ctx.respond({ type: 'warning', zh: '此按钮已失效', en: 'This button no longer works' });
    return ctx;
  }
  try {
    await action(ctx, event);
    return ctx;
  } catch (e) {
    const refusal = refusalOf(e);
    if (!refusal) throw e;
    const answer = new BotContext(deps, caller, source, now);
    answer.respond({ type: 'error', ...refusal });
    return answer;
  }
}
