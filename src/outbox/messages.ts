import { outbox } from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import { and, eq, inArray, sql } from 'drizzle-orm';

/**
 * What the bot says: plain text or a card JSON 2.0 object — or, `deferred`, a small reference the
 * sender renders into a message when it sends the row (src/outbox/deferred.ts).
 */
export type Outgoing = { text: string } | { card: Record<string, unknown> } | { imageKey: string } | { fileKey: string } | { deferred: { kind: string } };

export type Recipient = { openId: string } | { chatId: string };

export type OutboxRow = typeof outbox.$inferInsert;

/** The msg_type of a row rendered when it is sent; never sent to Lark as such. */
export const DEFERRED_MSG_TYPE = 'deferred';

export function msgTypeAndContent(msg: Outgoing): { msgType: string; content: string } {
  if ('text' in msg) return { msgType: 'text', content: JSON.stringify({ text: msg.text }) };
  if ('card' in msg) return { msgType: 'interactive', content: JSON.stringify(msg.card) };
  if ('imageKey' in msg) return { msgType: 'image', content: JSON.stringify({ image_key: msg.imageKey }) };
  if ('deferred' in msg) return { msgType: DEFERRED_MSG_TYPE, content: JSON.stringify(msg.deferred) };
  return { msgType: 'file', content: JSON.stringify({ file_key: msg.fileKey }) };
}

const newId = () => crypto.randomUUID();

/** The outbox row that sent a given Lark message (a card being clicked), if we sent it. */
export async function outboxIdOfMessage(db: Db, larkMessageId: string | undefined): Promise<string | undefined> {
  if (!larkMessageId) return undefined;
  const [row] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.larkMessageId, larkMessageId), inArray(outbox.kind, ['reply', 'send'])))
    .limit(1);
  return row?.id;
}

interface Common {
  now: Date;
  dedupeKey?: string;
  /** What the message is about (`hazard:12`), so replies in its thread find their subject. */
  subject?: string;
  /** Send only after this instant (quiet hours). */
  notBefore?: Date;
  /** An emergency (incident card, 加急): goes ahead of routine messages when the app-wide limit binds. */
  urgent?: boolean;
}

/** A reply in the thread of `messageId`. */
export function replyRow(messageId: string, msg: Outgoing, o: Common & { audience?: string }): OutboxRow {
  return row('reply', messageId, 'message_id', msg, o, o.audience);
}

export function sendRow(to: Recipient, msg: Outgoing, o: Common): OutboxRow {
  const [target, type] = 'openId' in to ? [to.openId, 'open_id'] : [to.chatId, 'chat_id'];
  return row('send', target, type, msg, o, target);
}

/** Updates a card: by Lark message id, or by the outbox id of a card not yet sent. */
export function patchRow(target: { messageId: string } | { outboxId: string }, card: Record<string, unknown>, o: Common): OutboxRow {
  const r = 'messageId' in target
    ? row('patch', target.messageId, 'message_id', { card }, o)
    : row('patch', target.outboxId, 'outbox', { card }, o);
  if ('outboxId' in target) r.parentId = target.outboxId;
  return r;
}

/**
 * 延时更新消息卡片: the card a user clicked, updated with the callback's token after the 3-second
 * answer window. The sender falls back to a new message in the card's thread when the token is
 * spent (30 minutes, twice).
 */
export function cardUpdateRow(token: string, clickedMessageId: string | undefined, card: Record<string, unknown>, o: Common & { issuedAt?: Date }): OutboxRow {
  // The token's 30 minutes run from the callback, which a worker may pick up long after.
  const at = (o.issuedAt ?? o.now).getTime();
  const r = row('card_update', JSON.stringify({ token, messageId: clickedMessageId ?? null, at }), 'card_token', { card }, o);
  r.chatKey = `msg:${clickedMessageId ?? token}`;
  return r;
}

/** `app-budget`: an in-app buzz standing in for a paid one over the month's limit (counted as a fallback). */
export type UrgentMode = 'app' | 'sms' | 'phone' | 'app-budget';

/**
 * 加急 the given people on a message the bot sends in the same batch (or sent earlier: any outbox
 * id). `sms` and `phone` spend the tenant's paid buzzes; the sender falls back to an in-app buzz
 * when Lark refuses them for quota (230024) or too many unread buzzes (230023).
 */
export function urgentRow(parentOutboxId: string, openIds: string[], o: Common & { mode?: UrgentMode }): OutboxRow {
  const r = row('urgent', JSON.stringify(openIds), 'open_ids', { text: '' }, o, openIds.join(','));
  if (o.mode && o.mode !== 'app') r.content = JSON.stringify({ text: '', urgent: o.mode });
  r.parentId = parentOutboxId;
  r.chatKey = `urgent:${parentOutboxId}`;
  r.priority = URGENT;
  return r;
}

/** An urgent row's buzz: rows written before SMS/phone existed carry no mode and are in-app. */
export function urgentModeOf(content: string): 'app' | 'sms' | 'phone' {
  try {
    const m = (JSON.parse(content) as { urgent?: unknown }).urgent;
    return m === 'sms' || m === 'phone' ? m : 'app';
  } catch {
    return 'app';
  }
}

/** What the sender writes in last_error of a paid buzz that went out in-app instead. */
export const FALLBACK_NOTE_PREFIX = 'fallback to in-app:';

function row(kind: string, target: string, targetType: string, msg: Outgoing, o: Common, audience?: string): OutboxRow {
  const { msgType, content } = msgTypeAndContent(msg);
  const at = o.now.getTime();
  return {
    chatKey: chatKeyOf(kind, target, targetType, audience),
    id: newId(),
    kind,
    target,
    targetType,
    msgType,
    content,
    dedupeKey: o.dedupeKey,
    subject: o.subject,
    audience,
    status: 'pending',
    priority: o.urgent ? URGENT : ROUTINE,
    attempts: 0,
    nextAttemptAt: Math.max(at, o.notBefore?.getTime() ?? 0),
    createdAt: at,
  };
}

/** Outbox priorities: the sender serves urgent chats first when the app-wide limit is what everyone waits for. */
export const ROUTINE = 0;
export const URGENT = 1;

/** Which chat a row lands in, for ordering and Lark's per-chat limit. */
export function chatKeyOf(kind: string, target: string, targetType: string, audience?: string): string {
  if (kind === 'send') return targetType === 'chat_id' ? target : `p2p:${target}`;
  if (kind === 'reply') return audience ?? `msg:${target}`;
  return `msg:${target}`;
}

/** Columns written by insertOutboxRows, in the order of the JSON arrays it passes. */
const COLUMNS = ['id', 'kind', 'target', 'target_type', 'msg_type', 'content', 'parent_id', 'dedupe_key', 'audience', 'subject', 'chat_key', 'status', 'priority', 'attempts', 'next_attempt_at', 'created_at'] as const;
const tuple = (r: OutboxRow) => [r.id, r.kind, r.target, r.targetType, r.msgType, r.content, r.parentId ?? null, r.dedupeKey ?? null, r.audience ?? null, r.subject ?? null, r.chatKey ?? '', r.status ?? 'pending', r.priority ?? ROUTINE, r.attempts ?? 0, r.nextAttemptAt, r.createdAt];
/** Stays under D1's 2 MB per value (and keeps one statement's work bounded). */
const MAX_CHUNK_CHARS = 1_000_000;

/**
 * The inserts for outbox rows, for one batch. Rows with a dedupe key are skipped when the key
 * exists, so a rerun of a job never queues a reminder twice. The rows travel as one JSON parameter
 * per chunk: a digest run queues thousands of cards, and binding each column separately costs more
 * than the rest of the run and passes D1's limit of 100 parameters per statement.
 */
export function insertOutbox(db: Db, rows: OutboxRow[]) {
  const statements: ReturnType<Db['run']>[] = [];
  let chunk: unknown[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    const json = JSON.stringify(chunk);
    statements.push(
      db.run(sql`INSERT INTO ${outbox} (${sql.raw(COLUMNS.join(', '))})
                 SELECT ${sql.raw(COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(', '))}
                 FROM json_each(${json}) WHERE true ON CONFLICT DO NOTHING`),
    );
    chunk = [];
    size = 0;
  };
  for (const r of rows) {
    const t = tuple(r);
    const len = r.content.length + 400;
    if (size + len > MAX_CHUNK_CHARS) flush();
    chunk.push(t);
    size += len;
  }
  flush();
  return statements;
}
