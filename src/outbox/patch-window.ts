import type { SqlClient } from '../db/sql.ts';
import { LarkApiError, PATCH_WINDOW_CODE, type LarkClient } from '../lark/client.ts';

/**
 * Lark patches a message only within 14 days of sending it (230031 after). A hazard's card is
 * patched when the hazard is verified, and a major hazard runs 30 days: its last change would be
 * lost. So a card older than 13 days (a day's margin, so a patch in flight never meets the edge)
 * is never patched; the change is posted as a fresh card in the original card's thread, and the
 * original row remembers it (`replaced_by`), so later changes patch the fresh card. A patch Lark
 * refuses with 230031 anyway (clock skew, a card sent by an older version) takes the same path and
 * is not retried. See docs/adr/0015-platform-limits.md.
 */
export const PATCH_WINDOW_MS = 13 * 24 * 60 * 60 * 1000;

export interface PatchRow {
  id: string;
  target: string;
  targetType: string;
  parentId: string | null;
  content: string;
}

interface CardNow {
  /** The row that first sent the card: its message is the thread a fresh card goes into. */
  headId?: string;
  headMessageId?: string;
  subject?: string;
  /** The message to patch now (the latest fresh card, or the card itself) and when it was sent. */
  messageId?: string;
  sentAt?: number;
}

/** Which message a patch should change now, following replaced_by from the card's first row. */
export async function currentCard(client: SqlClient, row: PatchRow): Promise<CardNow> {
  const byOutbox = row.targetType === 'outbox';
  const rs = await client.execute({
    sql: `SELECT h.id, h.lark_message_id AS head_message, h.subject, h.sent_at AS head_sent,
            r.lark_message_id AS cur_message, r.sent_at AS cur_sent
          FROM outbox h LEFT JOIN outbox r ON r.id = h.replaced_by
          WHERE ${byOutbox ? 'h.id = ?' : "h.lark_message_id = ? AND h.kind IN ('send', 'reply')"}
          LIMIT 1`,
    args: [byOutbox ? (row.parentId ?? row.target) : row.target],
  });
  const h = rs.rows[0];
  if (!h) return byOutbox ? {} : { messageId: row.target };
  const fresh = h.cur_message != null;
  return {
    headId: String(h.id),
    headMessageId: h.head_message == null ? undefined : String(h.head_message),
    subject: h.subject == null ? undefined : String(h.subject),
    messageId: fresh ? String(h.cur_message) : h.head_message == null ? undefined : String(h.head_message),
    sentAt: fresh ? numberOr(h.cur_sent) : numberOr(h.head_sent),
  };
}

/** Patches the card, or posts the change as a fresh card when the card is too old; returns the message changed or sent. */
export async function deliverPatch(lark: LarkClient, client: SqlClient, row: PatchRow, now: number): Promise<string> {
  const card = await currentCard(client, row);
  if (!card.messageId) throw new LarkApiError('permanent', 0, -1, 'card to update was never sent');
  if (card.sentAt !== undefined && now - card.sentAt > PATCH_WINDOW_MS) return freshCard(lark, client, row, card);
  try {
    await lark.patch({ messageId: card.messageId, content: row.content });
    return card.messageId;
  } catch (e) {
    if (e instanceof LarkApiError && e.code === PATCH_WINDOW_CODE) return freshCard(lark, client, row, card);
    throw e;
  }
}

async function freshCard(lark: LarkClient, client: SqlClient, row: PatchRow, card: CardNow): Promise<string> {
  // Into the first card's thread, so the conversation about the hazard stays in one place.
  const sent = await lark.reply({ messageId: card.headMessageId ?? card.messageId!, msgType: 'interactive', content: row.content, uuid: row.id, replyInThread: true });
  // The patch row now stands for the fresh card: its subject lets replies in the thread find the
  // hazard, and the first row points at it so the next patch changes it.
  await client.batch(
    [
      { sql: 'UPDATE outbox SET subject = ? WHERE id = ?', args: [card.subject ?? null, row.id] },
      ...(card.headId ? [{ sql: 'UPDATE outbox SET replaced_by = ? WHERE id = ?', args: [row.id, card.headId] }] : []),
    ],
    'write',
  );
  return sent.messageId;
}

const numberOr = (v: unknown) => (v == null ? undefined : Number(v));
