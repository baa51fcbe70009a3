import type { SqlClient } from '../db/sql.ts';
import { envelopeSchema, toInboundEvent } from '../lark/events.ts';
import { routeEvent } from '../bot/router.ts';
import { commitEffects, isAlreadyProcessed } from '../bot/commit.ts';
import type { BotDeps } from '../bot/context.ts';
import { BotContext } from '../bot/context.ts';
import { resolveCaller } from '../domain/people.ts';
import { claimInbox, markQuiet, renewInbox, type ClaimedEvent } from './store.ts';
import { cardUpdateRow } from '../outbox/messages.ts';
import { errorFields, type Logger } from '../log.ts';
import { Loop } from '../loop.ts';
import { yieldToLoop, type Foreground } from './foreground.ts';

export interface InboxWorkerOptions {
  client: SqlClient;
  deps: BotDeps;
  clock: () => Date;
  log: Logger;
  instanceId: string;
  leaseMs?: number;
  maxAttempts?: number;
  /** Called after a commit that queued messages. */
  onCommitted?: () => void;
  /**
   * False while events cannot be understood yet (the bot's own open_id is unknown right after a
   * start, so "@bot /help" would not read as a command): rows then wait, they are never dropped.
   */
  ready?: () => boolean;
  /**
   * Card clicks answered inline hold it; the worker gives way to them before each event
   * (src/inbox/foreground.ts). Without one, the worker still returns to the event loop between
   * events, so no batch is one long synchronous slice.
   */
  foreground?: Foreground;
  /** How long it waits for clicks being answered before its next event anyway (tests lengthen it). */
  foregroundMaxWaitMs?: number;
}

/** How long the worker waits for clicks being answered before it handles its next event anyway. */
export const FOREGROUND_MAX_WAIT_MS = 50;

/**
 * How long a claim holds unless renewed. Short, so events a dead process had claimed are handled
 * seconds after a restart; renewed while the rows wait in this worker's batch. A lease that runs
 * out anyway (a stalled process) costs duplicate work, never a duplicate effect: the receipt in
 * processed_events lets only one commit through.
 */
export const DEFAULT_INBOX_LEASE_MS = 5_000;

/** Claims inbox rows and applies each event's effects exactly once. */
export class InboxWorker {
  private readonly loop: Loop;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly o: InboxWorkerOptions) {
    this.leaseMs = o.leaseMs ?? DEFAULT_INBOX_LEASE_MS;
    this.maxAttempts = o.maxAttempts ?? 5;
    this.loop = new Loop(() => this.runOnce(), 1000, o.log, 'inbox');
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

  /** Processes everything claimable now; returns how many events it handled. */
  async runOnce(): Promise<number> {
    if (this.o.ready && !this.o.ready()) return 0;
    let handled = 0;
    const held = new Set<string>();
    const renew = setInterval(() => {
      renewInbox(this.o.client, this.o.instanceId, [...held], this.o.clock().getTime() + this.leaseMs).catch((e) =>
        this.o.log.warn('inbox lease renewal failed', errorFields(e)),
      );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    (renew as { unref?: () => void }).unref?.();
    try {
      for (;;) {
        const now = this.o.clock();
        const batch = await claimInbox(this.o.client, this.o.instanceId, now.getTime(), this.leaseMs, 50);
        if (batch.length === 0) return handled;
        for (const row of batch) held.add(row.eventId);
        // Events that change nothing are marked handled together after the batch: one commit for
        // a batch of group chatter instead of one each (most of the server's SQL under load).
        const quiet: { eventId: string; status: 'done' | 'ignored' }[] = [];
        for (const row of batch) {
          // Back to the event loop before each event, and behind any click being answered: an
          // awaited libSQL call never gives way by itself, so a batch was one synchronous slice.
          await (this.o.foreground ? this.o.foreground.turn(this.o.foregroundMaxWaitMs ?? FOREGROUND_MAX_WAIT_MS) : yieldToLoop());
          const outcome = await this.process(row);
          if (outcome === 'committed') held.delete(row.eventId);
          else quiet.push({ eventId: row.eventId, status: outcome });
          handled++;
        }
        await markQuiet(this.o.client, quiet, this.o.clock().getTime());
        for (const q of quiet) held.delete(q.eventId);
      }
    } finally {
      clearInterval(renew);
    }
  }

  /** Handles one event: committed with its effects, or (changing nothing) left for markQuiet. */
  private async process(row: ClaimedEvent): Promise<'committed' | 'done' | 'ignored'> {
    const { db } = this.o.deps;
    const now = this.o.clock();
    try {
      const env = envelopeSchema.safeParse(JSON.parse(row.payload));
      const event = env.success ? toInboundEvent(env.data) : undefined;
      if (!event) return 'ignored';
      const ctx = await routeEvent(this.o.deps, event, now);
      // A card click reaches the worker only when its inline answer never went (the process died):
      // the clicked card is updated with the callback's token instead, or by a new message.
      if (event.kind === 'card' && ctx?.card && event.token) ctx.messages.push(cardUpdateRow(event.token, event.messageId, ctx.card, { now, issuedAt: new Date(row.receivedAt) }));
      if (!ctx) return 'ignored';
      if (ctx.statements.length === 0 && ctx.messages.length === 0) return 'done';
      await commitEffects(db, ctx, row.eventId, now);
      // Only a commit that queued messages wakes the sender: most group chatter queues none, and
      // waking it for each (a claim query per event) was a third of the server's SQL under load.
      if (ctx.messages.length > 0) this.o.onCommitted?.();
    } catch (e) {
      if (isAlreadyProcessed(e)) return 'committed'; // another instance committed it first; nothing to do
      await this.fail(row, e, now);
    }
    return 'committed';
  }

  /** Retries with backoff; after the last attempt, marks it failed and tells the sender. */
  private async fail(row: ClaimedEvent, e: unknown, now: Date) {
    this.o.log.error('event processing failed', { eventId: row.eventId, attempts: row.attempts, ...errorFields(e), stack: (e as Error)?.stack?.split('\n').slice(0, 6).join(' | ') });
    const client = this.o.client;
    if (row.attempts < this.maxAttempts) {
      const backoff = Math.min(60_000, 1000 * 2 ** row.attempts);
      await client.execute({
        sql: 'UPDATE inbox SET claimed_until = ?, error = ? WHERE event_id = ?',
        args: [now.getTime() + backoff, String((e as Error)?.message ?? e).slice(0, 500), row.eventId],
      });
      return;
    }
    await client.execute({
      sql: "UPDATE inbox SET status = 'failed', error = ?, processed_at = ? WHERE event_id = ?",
      args: [String((e as Error)?.message ?? e).slice(0, 500), now.getTime(), row.eventId],
    });
    await this.apologise(row, now).catch((err) => this.o.log.error('could not queue failure notice', errorFields(err)));
  }

  private async apologise(row: ClaimedEvent, now: Date) {
    const env = envelopeSchema.safeParse(JSON.parse(row.payload));
    const event = env.success ? toInboundEvent(env.data) : undefined;
    if (event?.kind !== 'message') return;
    const caller = await resolveCaller(this.o.deps.db, event.senderOpenId, []);
    const ctx = new BotContext(this.o.deps, caller, { kind: 'message', messageId: event.messageId, chatId: event.chatId, chatType: event.chatType }, now);
    ctx.reply({ text: '抱歉，处理这条消息时出错，已记录。请稍后重试或联系管理员。\nSorry, something went wrong handling this message; it has been logged. Try again later or ask an admin.' });
    await commitEffects(this.o.deps.db, ctx, undefined, now);
    this.o.onCommitted?.();
  }
}
