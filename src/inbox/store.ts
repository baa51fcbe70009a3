import type { SqlClient, SqlStatement } from '../db/sql.ts';
import { yieldToLoop } from './foreground.ts';

/** Rows per INSERT statement: 8 parameters each, within D1's limit of 100 bound parameters per query. */
const ROWS_PER_STATEMENT = 12;
const INSERT_HEAD = 'INSERT INTO inbox (event_id, event_type, payload, received_at, status, attempts, claimed_until, claimed_by, processed_at) VALUES ';
const ROW = '(?, ?, ?, ?, ?, 0, ?, ?, ?)';
const INSERT_TAIL = ' ON CONFLICT(event_id) DO NOTHING RETURNING event_id';

/** After the I/O callbacks of this loop turn (Node), so every request read in it joins the commit. */
const soon = (f: () => void) => void yieldToLoop().then(f);

interface Pending {
  eventId: string;
  /** Stored as handled already (chatter nobody asked the bot about): no worker claims it. */
  settled: boolean;
  args: (string | number | null)[];
  resolve: (fresh: boolean) => void;
  reject: (e: unknown) => void;
}

/**
 * Durable inbox writes with group commit: inserts that arrive while the loop is busy are
 * written together in one batch (one commit), then every waiting request is answered.
 * A request is acknowledged only after its row is committed.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly client: SqlClient,
    private readonly now: () => number,
    /** After a commit that stored rows the worker has to handle. */
    private readonly onCommitted: () => void = () => {},
  ) {}

  /**
   * `inlineLeaseMs` marks an event the caller handles itself right away (card clicks): it stays
   * out of the worker's reach for that long, and is picked up by the worker only if the caller dies.
   * `settled` stores an event that needs no handling (isUnaddressedChatter) as ignored already: kept,
   * acknowledged only once written, but never claimed — one statement instead of three.
   */
  add(eventId: string, eventType: string, payload: string, inlineLeaseMs?: number, o: { settled?: boolean } = {}): Promise<boolean> {
    const now = this.now();
    const settled = o.settled === true;
    return new Promise((resolve, reject) => {
      this.queue.push({
        eventId,
        settled,
        args: [eventId, eventType, payload, now, settled ? 'ignored' : 'pending', inlineLeaseMs ? now + inlineLeaseMs : null, inlineLeaseMs ? 'inline' : null, settled ? now : null],
        resolve,
        reject,
      });
      if (!this.scheduled) {
        this.scheduled = true;
        soon(() => void this.flush());
      }
    });
  }

  private async flush() {
    this.scheduled = false;
    const items = this.queue;
    this.queue = [];
    if (items.length === 0) return;
    // One multi-row INSERT per chunk, all chunks in one transaction; RETURNING names the rows
    // actually inserted, so an event id already in the inbox (or twice in this batch) is not fresh.
    const statements: SqlStatement[] = [];
    for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) {
      const chunk = items.slice(i, i + ROWS_PER_STATEMENT);
      statements.push({ sql: INSERT_HEAD + Array(chunk.length).fill(ROW).join(', ') + INSERT_TAIL, args: chunk.flatMap((c) => c.args) });
    }
    try {
      // A single statement commits atomically on its own; more than one needs a transaction.
      const results = statements.length === 1 ? [await this.client.execute(statements[0])] : await this.client.batch(statements, 'write');
      const inserted = new Set<string>();
      for (const rs of results) for (const row of rs.rows) inserted.add(String(row.event_id));
      let toHandle = false;
      for (const item of items) {
        // The first occurrence of an id in the batch is the one that was inserted.
        const fresh = inserted.delete(item.eventId);
        if (fresh && !item.settled) toHandle = true;
        item.resolve(fresh);
      }
      if (toHandle) this.onCommitted();
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
  receivedAt: number;
}

/** Claims up to `limit` pending events in one statement, so two instances never hold the same row. */
export async function claimInbox(client: SqlClient, owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedEvent[]> {
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
    .map((r) => ({ eventId: String(r.event_id), eventType: String(r.event_type), payload: String(r.payload), attempts: Number(r.attempts), receivedAt: Number(r.received_at) }));
}

/**
 * Extends the lease on rows this worker still holds; never shortens one (a failed row's lease is
 * its retry delay, which may then run a lease long). Rows handled meanwhile are left alone.
 */
export async function renewInbox(client: SqlClient, owner: string, eventIds: string[], until: number) {
  if (eventIds.length === 0) return;
  await client.execute({
    sql: `UPDATE inbox SET claimed_until = max(coalesce(claimed_until, 0), ?)
          WHERE event_id IN (SELECT value FROM json_each(?)) AND claimed_by = ? AND status = 'pending'`,
    args: [until, JSON.stringify(eventIds), owner],
  });
}

/**
 * Marks events that changed nothing (group chatter, an event for nobody) handled, many in one
 * commit: the receipt and the inbox status a one-event commit would have written. A receipt
 * already there (another instance handled the event) is left as it is.
 */
export async function markQuiet(client: SqlClient, rows: { eventId: string; status: 'done' | 'ignored' }[], now: number) {
  if (rows.length === 0) return;
  const ids = JSON.stringify(rows.map((r) => r.eventId));
  const ignored = JSON.stringify(rows.filter((r) => r.status === 'ignored').map((r) => r.eventId));
  await client.batch(
    [
      { sql: 'INSERT INTO processed_events (event_id, processed_at) SELECT value, ? FROM json_each(?) WHERE true ON CONFLICT DO NOTHING', args: [now, ids] },
      {
        sql: `UPDATE inbox SET status = CASE WHEN event_id IN (SELECT value FROM json_each(?)) THEN 'ignored' ELSE 'done' END,
                processed_at = ?, claimed_until = NULL, error = NULL
              WHERE event_id IN (SELECT value FROM json_each(?)) AND status = 'pending'`,
        args: [ignored, now, ids],
      },
    ],
    'write',
  );
}
