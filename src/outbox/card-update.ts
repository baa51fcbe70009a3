import { LarkApiError, type LarkClient } from '../lark/client.ts';

/** 延时更新消息卡片: the callback's token lasts 30 minutes (a minute's margin here) and works twice. */
export const CARD_TOKEN_MS = 29 * 60_000;
/** The token is malformed, expired, or used up: only a new message can show the card now. */
const TOKEN_SPENT = new Set([300020, 300030, 300040]);

interface CardUpdateRow {
  id: string;
  target: string;
  content: string;
}

/**
 * Updates a clicked card after the 3-second answer window with the callback's token; when the
 * token cannot do it any more, the card goes out as a new message in the clicked card's thread.
 * Returns the message changed or sent.
 */
export async function deliverCardUpdate(lark: LarkClient, row: CardUpdateRow, now: number): Promise<string | undefined> {
  const t = JSON.parse(row.target) as { token: string; messageId: string | null; at: number };
  if (now - t.at <= CARD_TOKEN_MS) {
    try {
      await lark.updateCard({ token: t.token, card: JSON.parse(row.content) as Record<string, unknown> });
      return t.messageId ?? undefined;
    } catch (e) {
      if (!(e instanceof LarkApiError && TOKEN_SPENT.has(e.code))) throw e;
    }
  }
  if (!t.messageId) throw new LarkApiError('permanent', 0, -1, 'card token spent and no card to reply to');
  const sent = await lark.reply({ messageId: t.messageId, msgType: 'interactive', content: row.content, uuid: row.id, replyInThread: true });
  return sent.messageId;
}
