import type { Client, InStatement } from '@libsql/client';

/**
 * Durable inbox writes with group commit: inserts that arrive while the loop is busy are
 * written together in one batch (one commit), then every waiting request is answered.
 * A request is acknowledged only after its row is committed.
 */
export class InboxWriter {
  private queue: { args: InStatement; resolve: (fresh: boolean) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly client: Client,
    private readonly now: () => number,
    private readonly onCommitted: () => void = () => {},
  ) {}

  /**
   * `inlineLeaseMs` marks an event the caller handles itself right away (card clicks): it stays
   * out of the worker's reach for that long, and is picked up by the worker only if the caller dies.
   */
  add(eventId: string, eventType: string, payload: string, inlineLeaseMs?: number): Promise<boolean> {
    const now = this.now();
    return new Promise((resolve, reject) => {
      this.queue.push({
        args: {
          sql: "INSERT INTO inbox (event_id, event_type, payload, received_at, status, attempts, claimed_until, claimed_by) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT(event_id) DO NOTHING",
          args: [eventId, eventType, payload, now, inlineLeaseMs ? now + inlineLeaseMs : null, inlineLeaseMs ? 'inline' : null],
        },
        resolve,
        reject,
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => void this.flush(), 0);
      }
    });
  }

  private async flush() {
    this.scheduled = false;
    const items = this.queue;
    this.queue = [];
    if (items.length === 0) return;
    try {
      const results = await this.client.batch(items.map((i) => i.args), 'write');
      items.forEach((item, i) => item.resolve(results[i].rowsAffected > 0));
      this.onCommitted();
    } catch (e) {
      for (const item of items) item.reject(e);
    }
  }
}

export interface ClaimedEvent {
  eventId: string;
  eventType: string;
  payload: string;
  attempts: number;
}

/** Claims up to `limit` pending events in one statement, so two instances never hold the same row. */
export async function claimInbox(client: Client, owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedEvent[]> {
  const rs = await client.execute({
    sql: `UPDATE inbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
          WHERE event_id IN (
            SELECT event_id FROM inbox
            WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)
            ORDER BY received_at, rowid LIMIT ?)
          RETURNING event_id, event_type, payload, attempts, received_at, rowid AS seq`,
    args: [owner, now + leaseMs, now, limit],
  });
  // RETURNING gives no order; events are handled in the order they arrived.
  return [...rs.rows]
    .sort((a, b) => Number(a.received_at) - Number(b.received_at) || Number(a.seq) - Number(b.seq))
    .map((r) => ({ eventId: String(r.event_id), eventType: String(r.event_type), payload: String(r.payload), attempts: Number(r.attempts) }));
}
