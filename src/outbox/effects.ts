import type { BatchItem } from 'drizzle-orm/batch';
import { mirrorRow, type MirrorTarget } from './mirror-rows.ts';
import { patchRow, sendRow, URGENT, urgentRow, type OutboxRow, type Outgoing, type Recipient } from './messages.ts';

/**
 * Effects collected while deciding what to do: statements and outgoing messages. Nothing is
 * written while they are collected; the caller (a click, a command, a job run) commits them
 * together in one db.batch. It lives beside the outbox, not in the bot, because jobs and the
 * bot both queue through it and neither should depend on the other.
 */
export class Effects {
  readonly statements: BatchItem<'sqlite'>[] = [];
  readonly messages: OutboxRow[] = [];
  /** Rows queued by send(), by id, for buzz(): a province's nag run is 60,000 rows in one Effects. */
  private readonly sent = new Map<string, OutboxRow>();
  /** Messages a big run already committed ahead of its batch (src/jobs/runner.ts queueAhead), for the count. */
  queuedAhead = 0;

  constructor(readonly now: Date) {}

  write(...statements: BatchItem<'sqlite'>[]) {
    this.statements.push(...statements);
  }

  send(to: Recipient, msg: Outgoing, opts: { dedupeKey?: string; notBefore?: Date; subject?: string; urgent?: boolean } = {}): string {
    const row = sendRow(to, msg, { now: this.now, ...opts });
    this.messages.push(row);
    this.sent.set(row.id, row);
    return row.id;
  }

  /** 加急 people on a message queued in this same batch (by its outbox id). */
  buzz(outboxId: string, openIds: string[], opts: { dedupeKey?: string } = {}) {
    if (!openIds.length) return;
    this.messages.push(urgentRow(outboxId, openIds, { now: this.now, dedupeKey: opts.dedupeKey }));
    // The buzz rings on its message, so that message is as urgent as the buzz.
    const parent = this.sent.get(outboxId) ?? this.messages.find((m) => m.id === outboxId);
    if (parent) parent.priority = URGENT;
  }

  patch(target: { messageId: string } | { outboxId: string }, card: Record<string, unknown>) {
    this.messages.push(patchRow(target, card, { now: this.now }));
  }

  /**
   * Queues a one-way sync of something into Feishu (a hazard's task, the duty calendar, the
   * ledger's Bitable): an outbox row the sender delivers through src/mirrors/, retried like any
   * message and never in a chat's queue. The same target twice in one batch is one row.
   */
  mirror(target: MirrorTarget) {
    const row = mirrorRow(target, { now: this.now });
    if (!this.messages.some((m) => m.kind === row.kind && m.target === row.target)) this.messages.push(row);
  }
}
