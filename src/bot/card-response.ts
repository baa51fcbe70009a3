import type { BotContext } from './context.ts';

/** The body Lark expects back from a card.action.trigger callback (toast and, optionally, the new card). */
export function cardResponse(ctx: BotContext | undefined): Record<string, unknown> {
  if (!ctx) return {};
  const body: Record<string, unknown> = {};
  if (ctx.toast) {
    body.toast = {
      type: ctx.toast.type,
      content: ctx.toast.zh,
      i18n: { zh_cn: ctx.toast.zh, en_us: ctx.toast.en },
    };
  }
  if (ctx.card) body.card = { type: 'raw', data: ctx.card };
  return body;
}
