import type { SqlClient } from '../db/sql.ts';
import { LarkApiError, URGENT_FALLBACK_CODES, type LarkClient, type ReceiveIdType } from '../lark/client.ts';
import { FALLBACK_NOTE_PREFIX, urgentModeOf } from './messages.ts';
import { errorFields, type Logger } from '../log.ts';
import { Loop } from '../loop.ts';
import { RateLimiter } from './rate-limit.ts';
import { foldable, type ApiBudget } from './api-budget.ts';
import { deliverPatch } from './patch-window.ts';
import { deliverCardUpdate } from './card-update.ts';

export interface OutboxSenderOptions {
  client: SqlClient;
  lark: LarkClient;
  clock: () => Date;
  log: Logger;
  instanceId: string;
  limiter?: RateLimiter;
  leaseMs?: number;
  maxAttempts?: number;
  /** Chats served at once; messages within one chat always go in order. */
  concurrency?: number;
  /** The monthly Lark call budget: past it, what does not matter is folded (src/outbox/api-budget.ts). */
  budget?: ApiBudget;
}

/** While Lark's monthly quota is spent, what matters is tried again this often. */
const QUOTA_RETRY_MS = 15 * 60_000;

interface Claimed {
  id: string;
  kind: string;
  target: string;
  targetType: string;
  msgType: string;
  content: string;
  parentId: string | null;
  chatKey: string;
  attempts: number;
  parentMessageId: string | null;
  dedupeKey: string | null;
}

/** Delivers outbox rows to Lark: claimed before sending, rate-limited, retried, never lost. */
export class OutboxSender {
  private readonly loop: Loop;
  readonly limiter: RateLimiter;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly concurrency: number;

  constructor(private readonly o: OutboxSenderOptions) {
    this.limiter = o.limiter ?? new RateLimiter();
    this.leaseMs = o.leaseMs ?? 60_000;
    this.maxAttempts = o.maxAttempts ?? 8;
    this.concurrency = o.concurrency ?? 8;
    this.loop = new Loop(() => this.drain(), 1000, o.log, 'outbox');
  }

  start() {
    this.loop.start();
  }
  wake() {
    this.loop.wake();
  }
  stop() {
    return this.loop.stop();
  }

  /** Sends every row due now (children after their parents); returns how many were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const rows = await this.claim(this.o.clock().getTime());
      if (rows.length === 0) return sent;
      const byChat = new Map<string, Claimed[]>();
      for (const r of rows) byChat.set(r.chatKey, [...(byChat.get(r.chatKey) ?? []), r]);
      const queues = [...byChat.values()];
      const workers = Array.from({ length: Math.min(this.concurrency, queues.length) }, async () => {
        for (let q = queues.shift(); q; q = queues.shift()) {
          for (let i = 0; i < q.length; i++) {
            if (await this.deliver(q[i])) {
              sent++;
              continue;
            }
            // A message that could not go yet holds back the rest of its chat, keeping the chat in order.
            await this.release(q.slice(i + 1));
            break;
          }
        }
      });
      await Promise.all(workers);
    }
  }

  /**
   * Claims due rows whose parent (if any) is sent and which no earlier message of the same chat
   * is still waiting for (in backoff, or being sent by another instance).
   */
  private async claim(now: number): Promise<Claimed[]> {
    const rs = await this.o.client.execute({
      sql: `UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_until = ?
            WHERE id IN (
              SELECT o.id FROM outbox o
              WHERE ((o.status = 'pending' AND o.next_attempt_at <= ?) OR (o.status = 'sending' AND o.claimed_until < ?))
                AND (o.parent_id IS NULL OR EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.parent_id AND p.status = 'sent'))
                AND NOT EXISTS (
                  SELECT 1 FROM outbox e
                  WHERE e.chat_key = o.chat_key AND e.rowid < o.rowid
                    AND ((e.status = 'pending' AND e.next_attempt_at > ?) OR (e.status = 'sending' AND e.claimed_until >= ?)))
              ORDER BY o.rowid LIMIT 200)
            RETURNING id, kind, target, target_type, msg_type, content, parent_id, chat_key, attempts, dedupe_key, rowid AS seq,
              (SELECT p.lark_message_id FROM outbox p WHERE p.id = outbox.parent_id) AS parent_message_id`,
      args: [this.o.instanceId, now + this.leaseMs, now, now, now, now],
    });
    return [...rs.rows].sort((a, b) => Number(a.seq) - Number(b.seq)).map(toClaimed);
  }

  /** Hands claimed rows back untouched, to be claimed again after the row holding them back. */
  private async release(rows: Claimed[]) {
    if (rows.length === 0) return;
    await this.o.client.execute({
      sql: `UPDATE outbox SET status = 'pending', claimed_until = NULL WHERE id IN (${rows.map(() => '?').join(',')}) AND status = 'sending'`,
      args: rows.map((r) => r.id),
    });
  }

  private async deliver(row: Claimed): Promise<boolean> {
    try {
      if (this.o.budget && (await this.o.budget.verdict(row)) === 'fold') {
        await this.fold(row);
        return true;
      }
      const done = await this.limiter.acquire(row.chatKey);
      const notes: string[] = [];
      const messageId = await this.call(row, notes).finally(done);
      await this.o.client.execute({
        sql: "UPDATE outbox SET status = 'sent', lark_message_id = ?, sent_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?",
        args: [messageId ?? null, this.o.clock().getTime(), notes.length ? notes.join('; ').slice(0, 500) : null, row.id],
      });
      return true;
    } catch (e) {
      await this.retryOrFail(row, e);
      return false;
    }
  }

  /** One Lark call for the row; `notes` collects what a sent row should remember (a buzz that fell back). */
  private async call(row: Claimed, notes: string[] = []): Promise<string | undefined> {
    const lark = this.o.lark;
    switch (row.kind) {
      case 'send':
        return (await lark.send({ receiveIdType: row.targetType as ReceiveIdType, receiveId: row.target, msgType: row.msgType, content: row.content, uuid: row.id })).messageId;
      case 'reply':
        return (await lark.reply({ messageId: row.target, msgType: row.msgType, content: row.content, uuid: row.id, replyInThread: true })).messageId;
      case 'patch':
        return deliverPatch(lark, this.o.client, row, this.o.clock().getTime());
      case 'card_update':
        return deliverCardUpdate(lark, row, this.o.clock().getTime());
      case 'urgent': {
        if (!row.parentMessageId) throw new LarkApiError('permanent', 0, -1, 'message to buzz was never sent');
        const req = { messageId: row.parentMessageId, openIds: JSON.parse(row.target) as string[] };
        const mode = urgentModeOf(row.content);
        if (mode === 'app') {
          await lark.urgentApp(req);
          return row.parentMessageId;
        }
        try {
          await (mode === 'sms' ? lark.urgentSms(req) : lark.urgentPhone(req));
        } catch (e) {
          // Out of paid buzzes, or too many unread: the person still gets the in-app buzz now.
          if (!(e instanceof LarkApiError && URGENT_FALLBACK_CODES.has(e.code))) throw e;
          this.o.log.warn('paid buzz refused; sent in-app instead', { outboxId: row.id, mode, code: e.code });
          notes.push(`${FALLBACK_NOTE_PREFIX} ${mode} ${e.code} ${e.message}`);
          try {
            await lark.urgentApp(req);
          } catch (again) {
            // Refused too (230023 applies to every buzz): the card is delivered; a retry would not help.
            if (!(again instanceof LarkApiError && URGENT_FALLBACK_CODES.has(again.code))) throw again;
            notes.push(`in-app buzz refused too: ${again.code}`);
          }
        }
        return row.parentMessageId;
      }
      default:
        throw new LarkApiError('permanent', 0, -1, `unknown outbox kind ${row.kind}`);
    }
  }

  private async retryOrFail(row: Claimed, e: unknown) {
    const err = e instanceof LarkApiError ? e : new LarkApiError('transient', 0, -1, (e as Error)?.message ?? String(e));
    const now = this.o.clock().getTime();
    const attempts = row.attempts + 1;
    const detail = `${err.status || '-'} ${err.code} ${err.message}`.slice(0, 500);
    if (err.kind === 'rate_limited') {
      // Lark tells us when the window frees; rate limiting is not the message's fault, so it does not count as a try.
      const wait = (err.resetSeconds ?? 1) * 1000;
      this.o.log.warn('lark rate limit; backing off', { outboxId: row.id, code: err.code, waitMs: wait });
      await this.reschedule(row.id, row.attempts, now + wait, detail);
      return;
    }
    if (err.kind === 'quota_exceeded') {
      // 99991403: nothing counted goes through until the month turns (or the tenant upgrades).
      await this.o.budget?.quotaExhausted();
      if (foldable(row)) return this.fold(row);
      this.o.log.warn('lark monthly quota spent; will try again', { outboxId: row.id, kind: row.kind, waitMs: QUOTA_RETRY_MS });
      await this.reschedule(row.id, row.attempts, now + QUOTA_RETRY_MS, detail);
      return;
    }
    if (err.kind === 'permanent' || attempts >= this.maxAttempts) {
      this.o.log.error('message failed permanently', { outboxId: row.id, kind: row.kind, attempts, error: detail });
      await this.o.client.batch([
        { sql: "UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?, claimed_until = NULL WHERE id = ?", args: [attempts, detail, row.id] },
        { sql: "UPDATE outbox SET status = 'failed', last_error = 'parent message failed', claimed_until = NULL WHERE parent_id = ? AND status = 'pending'", args: [row.id] },
      ], 'write');
      return;
    }
    const backoff = Math.min(5 * 60_000, 1000 * 2 ** (attempts - 1));
    this.o.log.warn('message send failed; will retry', { outboxId: row.id, attempts, backoffMs: backoff, ...errorFields(err) });
    await this.reschedule(row.id, attempts, now + backoff, detail);
  }

  /** Held back by the budget: not sent, not failed; whatever waits on it is held back with it. */
  private async fold(row: Claimed) {
    this.o.log.info('message folded: monthly Lark call budget spent', { outboxId: row.id, kind: row.kind });
    await this.o.client.batch([
      { sql: "UPDATE outbox SET status = 'folded', last_error = 'folded: monthly Lark call budget', claimed_until = NULL WHERE id = ?", args: [row.id] },
      { sql: "UPDATE outbox SET status = 'folded', last_error = 'parent message folded', claimed_until = NULL WHERE parent_id = ? AND status = 'pending'", args: [row.id] },
    ], 'write');
  }

  private async reschedule(id: string, attempts: number, at: number, detail: string) {
    await this.o.client.execute({
      sql: "UPDATE outbox SET status = 'pending', attempts = ?, next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ?",
      args: [attempts, at, detail, id],
    });
  }
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
    parentMessageId: r.parent_message_id == null ? null : String(r.parent_message_id),
    dedupeKey: r.dedupe_key == null ? null : String(r.dedupe_key),
  };
}
