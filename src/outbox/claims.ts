import type { SqlClient } from '../db/sql.ts';

// The outbox's claim protocol in SQL (docs/adr/0019): which rows one sender may take now, and
// the short lease it holds them by. Every statement binds a handful of parameters (D1 allows 100).

export interface Claimed {
  id: string;
  kind: string;
  target: string;
  targetType: string;
  msgType: string;
  content: string;
  parentId: string | null;
  chatKey: string;
  attempts: number;
  priority: number;
  seq: number;
  parentMessageId: string | null;
  /** Lets the budget tell a message that matters from one it may fold (src/outbox/api-budget.ts). */
  dedupeKey: string | null;
}

/** The settings key under which an app-wide pause (Lark's 99991400) is shared by every instance. */
export const PAUSE_KEY = 'outbox_paused_until';

/**
 * Claims up to `limit` due rows, at most `perChat` of any one chat, the chats with an urgent
 * row first. A row is due when its parent (if any) is sent and no earlier row of its chat is in
 * backoff or held by a sender (this one included), so a chat's messages go in queue order and a
 * chat already being served is passed over. Nothing is claimed during an app-wide pause.
 * "In backoff" means tried and rescheduled (every retry writes last_error): a row never tried that
 * waits for its time (notBefore, past quiet hours) holds nothing back — an incident card at night
 * must not wait for the morning's reminder to the same person.
 */
export async function claimDue(client: SqlClient, o: { owner: string; now: number; leaseMs: number; limit: number; perChat: number }): Promise<Claimed[]> {
  const rs = await client.execute({
    sql: `UPDATE outbox SET status = 'sending', claimed_by = ?1, claimed_until = ?2
          WHERE id IN (
            SELECT id FROM (
              SELECT o.id, o.rowid AS rid,
                ROW_NUMBER() OVER (PARTITION BY o.chat_key ORDER BY o.rowid) AS n,
                MAX(o.priority) OVER (PARTITION BY o.chat_key) AS chat_priority,
                MIN(o.rowid) OVER (PARTITION BY o.chat_key) AS chat_first
              FROM outbox o
              WHERE ((o.status = 'pending' AND o.next_attempt_at <= ?3) OR (o.status = 'sending' AND o.claimed_until < ?3))
                AND (o.parent_id IS NULL OR EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.parent_id AND p.status = 'sent'))
                AND NOT EXISTS (
                  SELECT 1 FROM outbox e
                  WHERE e.chat_key = o.chat_key AND e.rowid < o.rowid
                    AND ((e.status = 'pending' AND e.next_attempt_at > ?3 AND e.last_error IS NOT NULL) OR (e.status = 'sending' AND e.claimed_until >= ?3)))
                AND NOT EXISTS (SELECT 1 FROM settings s WHERE s.key = '${PAUSE_KEY}' AND CAST(s.value AS INTEGER) > ?3)
            ) WHERE n <= ?4
            ORDER BY chat_priority DESC, chat_first, n LIMIT ?5)
          RETURNING id, kind, target, target_type, msg_type, content, parent_id, chat_key, attempts, priority, dedupe_key, rowid AS seq,
            (SELECT p.lark_message_id FROM outbox p WHERE p.id = outbox.parent_id) AS parent_message_id`,
    args: [o.owner, o.now + o.leaseMs, o.now, o.perChat, o.limit],
  });
  return [...rs.rows].map(toClaimed).sort((a, b) => a.seq - b.seq);
}

/** Hands claimed rows back untouched, to be claimed again (by anyone) once they are due. */
export async function releaseRows(client: SqlClient, owner: string, ids: string[]) {
  if (ids.length === 0) return;
  await client.execute({
    sql: "UPDATE outbox SET status = 'pending', claimed_until = NULL WHERE id IN (SELECT value FROM json_each(?)) AND status = 'sending' AND claimed_by = ?",
    args: [JSON.stringify(ids), owner],
  });
}

/** Extends the lease on rows this sender still holds (waiting for their chat, or in a call). */
export async function renewLeases(client: SqlClient, owner: string, ids: string[], until: number) {
  if (ids.length === 0) return;
  await client.execute({
    sql: "UPDATE outbox SET claimed_until = ? WHERE id IN (SELECT value FROM json_each(?)) AND status = 'sending' AND claimed_by = ?",
    args: [until, JSON.stringify(ids), owner],
  });
}

/** Records an app-wide pause for every instance; an earlier end never shortens a later one. */
export async function pauseApp(client: SqlClient, until: number, now: number) {
  await client.execute({
    sql: `INSERT INTO settings (key, value, updated_at) VALUES ('${PAUSE_KEY}', ?, ?)
          ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
          WHERE CAST(settings.value AS INTEGER) < CAST(excluded.value AS INTEGER)`,
    args: [String(until), now],
  });
}

function toClaimed(r: Record<string, unknown>): Claimed {
  return {
    id: String(r.id),
    kind: String(r.kind),
    target: String(r.target),
    targetType: String(r.target_type),
    msgType: String(r.msg_type),
    content: String(r.content),
    parentId: r.parent_id == null ? null : String(r.parent_id),
    chatKey: String(r.chat_key),
    attempts: Number(r.attempts),
    priority: Number(r.priority ?? 0),
    seq: Number(r.seq),
    parentMessageId: r.parent_message_id == null ? null : String(r.parent_message_id),
    dedupeKey: r.dedupe_key == null ? null : String(r.dedupe_key),
  };
}
