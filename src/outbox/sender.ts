import type { SqlClient } from '../db/sql.ts';
import { LarkApiError, URGENT_FALLBACK_CODES, type LarkClient, type ReceiveIdType } from '../lark/client.ts';
import { DEFERRED_MSG_TYPE, FALLBACK_NOTE_PREFIX, urgentModeOf } from './messages.ts';
import { renderDeferred } from './deferred.ts';
import { errorFields, type Logger } from '../log.ts';
import { Loop } from '../loop.ts';
import { RateLimiter } from './rate-limit.ts';
import { foldable, type ApiBudget } from './api-budget.ts';
import { deliverPatch } from './patch-window.ts';
import { deliverCardUpdate } from './card-update.ts';
import { claimDue, pauseApp, releaseRows, renewLeases, type Claimed } from './claims.ts';

export interface OutboxSenderOptions {
  client: SqlClient;
  lark: LarkClient;
  clock: () => Date;
  log: Logger;
  instanceId: string;
  limiter?: RateLimiter;
  /** How long a claim holds without renewal: what a message claimed by a dead process waits. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Calls in flight at once; messages within one chat always go one at a time, in order. */
  concurrency?: number;
  /** A call that has not answered by then counts as failed and is retried (same uuid). */
  callTimeoutMs?: number;
  /** Delivers `mirror` rows (issue 19: Tasks, Calendar, Bitable); absent when no mirror is configured. */
  mirrors?: { deliver(target: string, rowId: string): Promise<string | undefined> };
  /** The monthly Lark call budget: past it, what does not matter is folded (src/outbox/api-budget.ts). */
  budget?: ApiBudget;
}

/** While Lark's monthly quota is spent, what matters is tried again this often. */
const QUOTA_RETRY_MS = 15 * 60_000;

/** How long a claim holds unless renewed: what a message claimed by a process that died waits. */
export const DEFAULT_OUTBOX_LEASE_MS = 5_000;

/**
 * Calls in flight at once. Lark admits 50 a second; at a few hundred ms a call on a busy network
 * (or a busy machine) 8 would cap the sender below that, and every chat would queue for a slot.
 */
const DEFAULT_CONCURRENCY = 24;

/** Rows held in memory at most, and the level below which more are claimed. */
const HOLD_MAX = 200;
const HOLD_LOW = 100;
/** Rows of one chat claimed at once: Lark's per-chat second, so a full chat holds little. */
const PER_CHAT = 5;
/** While rows wait, the database is looked at again this often for rows that fell due. */
const RECLAIM_MS = 1000;

/** One chat's claimed rows, in queue order; one call at a time. */
interface ChatQueue {
  key: string;
  rows: Claimed[];
  busy: boolean;
}

/** `folded`: settled without a call — held back by the call budget for good, or nothing left to say (not sent, not failed; the chat goes on). */
type Outcome = 'sent' | 'folded' | 'held' | 'failed';

/**
 * Delivers outbox rows to Lark (docs/adr/0019): claimed under a short lease that is renewed while
 * they wait or are in a call, served chat by chat so a chat at its own limit is passed over while
 * the others go on, urgent chats first when the app-wide limit is what everyone waits for, and
 * claimed continuously rather than batch after batch. Retried with backoff, never lost.
 */
export class OutboxSender {
  private readonly loop: Loop;
  readonly limiter: RateLimiter;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly callTimeoutMs: number;
  /** Ids claimed by this sender and not yet settled: what the lease renewal covers. */
  private readonly held = new Set<string>();
  private running: Promise<number> | undefined;
  private kicked = false;
  private signal: (() => void) | undefined;
  /** End of an app-wide pause (Lark's 99991400), on the outbox clock. */
  private pausedUntil = 0;
  private stopping = false;

  constructor(private readonly o: OutboxSenderOptions) {
    this.limiter = o.limiter ?? new RateLimiter();
    this.leaseMs = o.leaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
    this.maxAttempts = o.maxAttempts ?? 8;
    this.concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
    this.callTimeoutMs = o.callTimeoutMs ?? 30_000;
    this.loop = new Loop(() => this.drain(), 1000, o.log, 'outbox');
  }

  start() {
    this.loop.start();
  }
  /** End of the app-wide pause this sender was told of (Lark's 99991400), for the calls made beside it. */
  appPausedUntil(): number {
    return this.pausedUntil;
  }
  /** New rows were committed: a running drain claims them now, an idle loop starts one. */
  wake() {
    this.kicked = true;
    this.signal?.();
    this.loop.wake();
  }
  /** Lets calls in flight finish, hands back what is held, and stops the loop. */
  async stop() {
    this.stopping = true;
    this.signal?.();
    try {
      await this.loop.stop();
      await this.running;
    } finally {
      this.stopping = false;
    }
  }

  /**
   * Sends every row due now (children after their parents), waiting out rate windows as it goes,
   * and returns how many were sent once nothing more can go before the outbox clock moves. A
   * second call while one runs joins it.
   */
  drain(): Promise<number> {
    if (this.running) {
      this.kicked = true;
      this.signal?.();
      return this.running;
    }
    this.running = this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<number> {
    const queues = new Map<string, ChatQueue>();
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
    let rowsHeld = 0;
    let mustClaim = true; // something may be due that has not been looked at
    let urgentDone = false; // an urgent row went out: its buzz may be due at once
    let lastClaimAt = -Infinity;
    let lastClaimFull = false;
    const renew = setInterval(() => {
      renewLeases(this.o.client, this.o.instanceId, [...this.held], this.o.clock().getTime() + this.leaseMs).catch((e) =>
        this.o.log.warn('outbox lease renewal failed', errorFields(e)),
      );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    (renew as { unref?: () => void }).unref?.();

    const start = (q: ChatQueue) => {
      const row = q.rows.shift()!;
      rowsHeld--;
      q.busy = true;
      const done = this.limiter.take(q.key);
      const p: Promise<void> = this.deliver(row, done).then(async (outcome) => {
        q.busy = false;
        if (outcome === 'sent') {
          sent++;
          if (row.priority > 0) urgentDone = true;
        } else if (outcome !== 'folded' && q.rows.length) {
          // A message that could not go yet holds back the rest of its chat, keeping the chat in order.
          const rest = q.rows.splice(0);
          rowsHeld -= rest.length;
          await this.release(rest);
        }
        if (q.rows.length === 0) queues.delete(q.key);
        mustClaim = true;
        inFlight.delete(p);
        this.signal?.();
      });
      inFlight.add(p);
    };

    try {
      for (;;) {
        const now = this.o.clock().getTime();
        let kickedNow = false;
        if (this.kicked) {
          this.kicked = false;
          mustClaim = kickedNow = true;
        }
        if (this.stopping || this.pausedUntil > now) {
          // Stopping, or Lark said the whole app is over its limit: nothing more goes out (until the reset).
          for (const q of queues.values()) {
            if (q.busy) continue;
            const rest = q.rows.splice(0);
            rowsHeld -= rest.length;
            queues.delete(q.key);
            await this.release(rest);
          }
          if (inFlight.size === 0) return sent;
          await this.waitForSignal(undefined);
          continue;
        }

        const sinceClaim = performance.now() - lastClaimAt;
        const wantMore = (mustClaim && (rowsHeld < HOLD_LOW || urgentDone || kickedNow)) || (lastClaimFull && rowsHeld < HOLD_LOW) || (sinceClaim >= RECLAIM_MS && rowsHeld < HOLD_MAX);
        if (wantMore) {
          mustClaim = false;
          urgentDone = false;
          const limit = Math.max(20, HOLD_MAX - rowsHeld);
          const rows = await claimDue(this.o.client, { owner: this.o.instanceId, now, leaseMs: this.leaseMs, limit, perChat: PER_CHAT });
          lastClaimAt = performance.now();
          lastClaimFull = rows.length === limit;
          for (const r of rows) {
            this.held.add(r.id);
            let q = queues.get(r.chatKey);
            if (!q) queues.set(r.chatKey, (q = { key: r.chatKey, rows: [], busy: false }));
            q.rows.push(r);
            rowsHeld++;
          }
        }

        // Serve the chats whose own window has room, urgent ones and then the longest waiting first,
        // as long as the app-wide windows let calls through.
        let nextChatAt = Infinity;
        const ready: ChatQueue[] = [];
        for (const q of queues.values()) {
          if (q.busy || q.rows.length === 0) continue;
          const wait = this.limiter.chatWait(q.key);
          if (wait > 0) nextChatAt = Math.min(nextChatAt, wait);
          else ready.push(q);
        }
        ready.sort((a, b) => priorityOf(b) - priorityOf(a) || a.rows[0].seq - b.rows[0].seq);
        let appWait = 0;
        for (const q of ready) {
          if (inFlight.size >= this.concurrency) break;
          appWait = this.limiter.appWait();
          if (appWait > 0) break;
          start(q);
        }

        if (queues.size === 0 && inFlight.size === 0 && !mustClaim && !lastClaimFull && !this.kicked) return sent;
        const waits = [nextChatAt, RECLAIM_MS - (performance.now() - lastClaimAt)];
        if (appWait > 0) waits.push(appWait);
        if (inFlight.size === 0 && !queues.size) waits.push(0);
        // A wake that came while this loop was busy (claiming, releasing) is not lost: look again now.
        if (this.kicked) continue;
        await this.waitForSignal(Math.max(0, Math.min(...waits)));
      }
    } finally {
      clearInterval(renew);
      await Promise.allSettled([...inFlight]);
      const left = [...queues.values()].flatMap((q) => q.rows);
      if (left.length) await this.release(left).catch((e) => this.o.log.error('could not release outbox rows', errorFields(e)));
    }
  }

  /** Sleeps until a call settles, new rows are committed, or `ms` pass (forever when undefined). */
  private waitForSignal(ms: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(finish, ms);
      const self = this;
      function finish() {
        if (timer) clearTimeout(timer);
        if (self.signal === finish) self.signal = undefined;
        resolve();
      }
      this.signal = finish;
    });
  }

  private async release(rows: Claimed[]) {
    for (const r of rows) this.held.delete(r.id);
    await releaseRows(this.o.client, this.o.instanceId, rows.map((r) => r.id));
  }

  private async deliver(row: Claimed, done: () => void): Promise<Outcome> {
    try {
      if (this.o.budget && (await this.o.budget.verdict(row)) === 'fold') {
        done();
        await this.fold(row);
        return 'folded';
      }
      const notes: string[] = [];
      const rendered: { msgType?: string; content?: string } = {};
      const messageId = await this.withTimeout(this.call(row, notes, rendered)).finally(done);
      // A row rendered at send time keeps what was sent, as every other sent row does.
      await this.o.client.execute({
        sql: "UPDATE outbox SET status = 'sent', lark_message_id = ?, sent_at = ?, claimed_until = NULL, last_error = ?, msg_type = coalesce(?, msg_type), content = coalesce(?, content) WHERE id = ?",
        args: [messageId ?? null, this.o.clock().getTime(), notes.length ? notes.join('; ').slice(0, 500) : null, rendered.msgType ?? null, rendered.content ?? null, row.id],
      });
      return 'sent';
    } catch (e) {
      if (e instanceof NothingToSay) {
        await this.settleUnsent(row, 'dropped', 'nothing left to say when sent (every hazard it named was dealt with)');
        return 'folded';
      }
      return this.retryOrFail(row, e);
    } finally {
      this.held.delete(row.id);
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LarkApiError('transient', 0, -1, `no answer from Lark in ${this.callTimeoutMs} ms`)), this.callTimeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * One Lark call for the row; `notes` collects what a sent row should remember (a buzz that fell
   * back), `rendered` the message of a row rendered now (src/outbox/deferred.ts).
   */
  private async call(row: Claimed, notes: string[] = [], rendered: { msgType?: string; content?: string } = {}): Promise<string | undefined> {
    const lark = this.o.lark;
    if (row.msgType === DEFERRED_MSG_TYPE) {
      const message = await renderDeferred(this.o.client, row.content, this.o.clock());
      if (!message) throw new NothingToSay();
      Object.assign(rendered, message);
      row = { ...row, ...message };
    }
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
      case 'mirror':
        // A copy in Feishu's Tasks, Calendar or Bitable (src/mirrors/); off unless configured.
        if (!this.o.mirrors) throw new LarkApiError('permanent', 0, -1, 'mirrors are not configured');
        return this.o.mirrors.deliver(row.target, row.id);
      default:
        throw new LarkApiError('permanent', 0, -1, `unknown outbox kind ${row.kind}`);
    }
  }

  private async retryOrFail(row: Claimed, e: unknown): Promise<Outcome> {
    const err = e instanceof LarkApiError ? e : new LarkApiError('transient', 0, -1, (e as Error)?.message ?? String(e));
    const now = this.o.clock().getTime();
    const attempts = row.attempts + 1;
    const detail = `${err.status || '-'} ${err.code} ${err.message}`.slice(0, 500);
    if (err.kind === 'rate_limited') {
      // Lark tells us when the window frees; rate limiting is not the message's fault, so it does not count as a try.
      const wait = (err.resetSeconds ?? 1) * 1000;
      if (err.code === CHAT_LIMIT_CODE || row.kind === 'mirror') {
        // This chat's own limit (another instance, or Lark counting differently), or a Tasks/Calendar/Bitable
        // method's own limit (per API, not the app's IM quota): only this queue waits.
        // A mirror meeting its method's limit is the expected pace of a bulk sync (a new calendar's shifts,
        // a Bitable rebuild), not something for the duty desk's logs; a chat's limit means ours and Lark's disagreed.
        if (row.kind === 'mirror') this.o.log.info('feishu api rate limit; this mirror queue waits', { outboxId: row.id, chatKey: row.chatKey, waitMs: wait });
        else this.o.log.warn('lark chat rate limit; this chat waits', { outboxId: row.id, chatKey: row.chatKey, waitMs: wait });
      } else {
        // The app's limit (99991400): every call would be refused until the reset, so none is made.
        this.pausedUntil = Math.max(this.pausedUntil, now + wait);
        this.o.log.warn('lark app rate limit; all sending paused', { outboxId: row.id, code: err.code, waitMs: wait });
        await pauseApp(this.o.client, now + wait, now);
      }
      await this.reschedule(row.id, row.attempts, now + wait, detail);
      return 'held';
    }
    if (err.kind === 'quota_exceeded') {
      // 99991403: nothing counted goes through until the month turns (or the tenant upgrades).
      await this.o.budget?.quotaExhausted();
      if (foldable(row)) {
        await this.fold(row);
        return 'folded';
      }
      this.o.log.warn('lark monthly quota spent; will try again', { outboxId: row.id, kind: row.kind, waitMs: QUOTA_RETRY_MS });
      await this.reschedule(row.id, row.attempts, now + QUOTA_RETRY_MS, detail);
      return 'held';
    }
    if (err.kind === 'permanent' || attempts >= this.maxAttempts) {
      this.o.log.error('message failed permanently', { outboxId: row.id, kind: row.kind, attempts, error: detail });
      await this.o.client.batch([
        { sql: "UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?, claimed_until = NULL WHERE id = ?", args: [attempts, detail, row.id] },
        { sql: "UPDATE outbox SET status = 'failed', last_error = 'parent message failed', claimed_until = NULL WHERE parent_id = ? AND status = 'pending'", args: [row.id] },
      ], 'write');
      return 'failed';
    }
    const backoff = Math.min(5 * 60_000, 1000 * 2 ** (attempts - 1));
    this.o.log.warn('message send failed; will retry', { outboxId: row.id, attempts, backoffMs: backoff, ...errorFields(err) });
    await this.reschedule(row.id, attempts, now + backoff, detail);
    return 'held';
  }

  /** Held back by the budget: not sent, not failed; whatever waits on it is held back with it. */
  private async fold(row: Claimed) {
    this.o.log.info('message folded: monthly Lark call budget spent', { outboxId: row.id, kind: row.kind });
    await this.settleUnsent(row, 'folded', 'folded: monthly Lark call budget');
  }

  /** Settles a row that will not be sent (folded, dropped), and whatever waits on it (its buzz) with it. */
  private async settleUnsent(row: Claimed, status: 'folded' | 'dropped', why: string) {
    if (status === 'dropped') this.o.log.info('message dropped: nothing left to say', { outboxId: row.id, kind: row.kind });
    await this.o.client.batch([
      { sql: 'UPDATE outbox SET status = ?, last_error = ?, claimed_until = NULL WHERE id = ?', args: [status, why, row.id] },
      { sql: "UPDATE outbox SET status = ?, last_error = ?, claimed_until = NULL WHERE parent_id = ? AND status = 'pending'", args: [status, `parent message ${status}`, row.id] },
    ], 'write');
  }

  private async reschedule(id: string, attempts: number, at: number, detail: string) {
    await this.o.client.execute({
      sql: "UPDATE outbox SET status = 'pending', attempts = ?, next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ?",
      args: [attempts, at, detail, id],
    });
  }
}

/** A row rendered at send time that has nothing left to say (src/outbox/deferred.ts): settled as dropped, not sent. */
class NothingToSay extends Error {}

/** Lark's per-chat limit ("This operation triggers the frequency limit"). */
const CHAT_LIMIT_CODE = 230020;

const priorityOf = (q: ChatQueue) => q.rows.reduce((m, r) => Math.max(m, r.priority), 0);
