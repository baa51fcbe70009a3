import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

// All times are UTC epoch milliseconds. People see TZ_NAME; storage never does.

export const people = sqliteTable('people', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  openId: text('open_id').notNull().unique(),
  name: text('name').notNull(),
  mobile: text('mobile'),
  /** `|`-joined subset of admin, leader, inspector, officer, contact. */
  roles: text('roles').notNull().default(''),
  department: text('department'),
  township: text('township'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('people_name').on(t.name)]);

/** Every acknowledged Lark event, keyed by Lark's event_id so a redelivery is a no-op. */
export const inbox = sqliteTable('inbox', {
  eventId: text('event_id').primaryKey(),
  eventType: text('event_type').notNull(),
  /** The decrypted event envelope as JSON. */
  payload: text('payload').notNull(),
  receivedAt: integer('received_at').notNull(),
  /** pending → done | ignored | failed */
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  /** A worker owns a claimed row until this instant; after it the row may be claimed again. */
  claimedUntil: integer('claimed_until'),
  claimedBy: text('claimed_by'),
  processedAt: integer('processed_at'),
  error: text('error'),
}, (t) => [index('inbox_pending').on(t.status, t.receivedAt)]);

/** Every message the bot will send, written in the same batch as the change that causes it. */
export const outbox = sqliteTable('outbox', {
  /** Also the Lark message `uuid`, so a resend after a crash is dropped by Lark. */
  id: text('id').primaryKey(),
  /** reply | send | patch | urgent | image */
  kind: text('kind').notNull(),
  /** reply/patch: message_id; send: chat_id or open_id; urgent: open_id list (JSON) */
  target: text('target').notNull(),
  /** open_id | chat_id | message_id */
  targetType: text('target_type').notNull(),
  /** text | interactive | post | image | file */
  msgType: text('msg_type').notNull(),
  content: text('content').notNull(),
  /** A row that must wait for another row's message (buzz after send, patch after send). */
  parentId: text('parent_id'),
  /** Free-form key a scheduled job uses so that a rerun never queues the same reminder twice. */
  dedupeKey: text('dedupe_key'),
  /** Who this is about, for the sandbox and audits (open_id or chat_id). */
  audience: text('audience'),
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  claimedUntil: integer('claimed_until'),
  claimedBy: text('claimed_by'),
  larkMessageId: text('lark_message_id'),
  lastError: text('last_error'),
  createdAt: integer('created_at').notNull(),
  sentAt: integer('sent_at'),
}, (t) => [
  index('outbox_due').on(t.status, t.nextAttemptAt),
  uniqueIndex('outbox_dedupe').on(t.dedupeKey),
  index('outbox_parent').on(t.parentId),
]);

/** Small facts the process learns at start-up (the bot's open_id) or keeps across restarts. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One row per inbox event whose effects were committed. It is the first statement of the
 * batch that applies those effects, so a second worker's batch for the same event fails on
 * the primary key and rolls back whole: an event's effects land exactly once.
 */
export const processedEvents = sqliteTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  processedAt: integer('processed_at').notNull(),
});
