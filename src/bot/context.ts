import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import type { Caller } from '../domain/people.ts';
import type { Logger } from '../log.ts';
import type { LarkClient } from '../lark/client.ts';
import { patchRow, replyRow, sendRow, urgentRow, type OutboxRow, type Outgoing, type Recipient } from '../outbox/messages.ts';
import type { Settings } from '../settings.ts';
import type { CommandRegistry } from './registry.ts';

export type Source =
  | { kind: 'message'; messageId: string; chatId: string; chatType: 'p2p' | 'group'; rootId?: string; parentId?: string }
  | { kind: 'card'; messageId?: string; chatId?: string; token?: string }
  | { kind: 'menu' };

export interface Toast {
  type: 'success' | 'info' | 'warning' | 'error';
  zh: string;
  en: string;
}

export interface BotDeps {
  db: Db;
  settings: Settings;
  log: Logger;
  /** For the few commands that must talk to Lark before committing (uploads, downloads). */
  lark?: LarkClient;
  botOpenId?: string;
  registry: CommandRegistry;
}

/**
 * Effects collected while deciding what to do: statements and outgoing messages. Nothing is
 * written while they are collected; the caller commits them together in one db.batch.
 */
export class Effects {
  readonly statements: BatchItem<'sqlite'>[] = [];
  readonly messages: OutboxRow[] = [];

  constructor(readonly now: Date) {}

  write(...statements: BatchItem<'sqlite'>[]) {
    this.statements.push(...statements);
  }

  send(to: Recipient, msg: Outgoing, opts: { dedupeKey?: string; notBefore?: Date; subject?: string } = {}): string {
    const row = sendRow(to, msg, { now: this.now, ...opts });
    this.messages.push(row);
    return row.id;
  }

  /** 加急 people on a message queued in this same batch (by its outbox id). */
  buzz(outboxId: string, openIds: string[], opts: { dedupeKey?: string } = {}) {
    if (openIds.length) this.messages.push(urgentRow(outboxId, openIds, { now: this.now, dedupeKey: opts.dedupeKey }));
  }

  patch(target: { messageId: string } | { outboxId: string }, card: Record<string, unknown>) {
    this.messages.push(patchRow(target, card, { now: this.now }));
  }
}

/** What a command or card handler sees, and the effects it collects. */
export class BotContext extends Effects {
  toast?: Toast;
  card?: Record<string, unknown>;

  constructor(
    readonly deps: BotDeps,
    readonly caller: Caller,
    readonly source: Source,
    now: Date,
  ) {
    super(now);
  }

  get db() {
    return this.deps.db;
  }
  get settings() {
    return this.deps.settings;
  }

  /** Answers in the thread of the message (or card) being handled; a menu click answers by direct message. */
  reply(msg: Outgoing, opts: { subject?: string } = {}): string {
    const s = this.source;
    const target = s.kind === 'message' ? s.messageId : s.kind === 'card' ? s.messageId : undefined;
    const row = target
      ? replyRow(target, msg, { now: this.now, audience: s.kind !== 'menu' ? s.chatId : undefined, subject: opts.subject })
      : sendRow({ openId: this.caller.openId }, msg, { now: this.now, subject: opts.subject });
    this.messages.push(row);
    return row.id;
  }

  /** For card clicks: the toast and the updated card returned inline to Lark. */
  respond(toast: Toast, card?: Record<string, unknown>) {
    this.toast = toast;
    if (card) this.card = card;
  }
}
