import type { Bi } from '../bi.ts';
import type { Db } from '../db/client.ts';
import type { Caller } from '../domain/people.ts';
import type { Logger } from '../log.ts';
import type { LarkClient } from '../lark/client.ts';
import { Effects } from '../outbox/effects.ts';
import { outboxIdOfMessage, replyRow, sendRow, type Outgoing } from '../outbox/messages.ts';
import type { Settings } from '../settings.ts';
import type { CardAction } from './card-actions.ts';
import type { CommandRegistry } from './registry.ts';
import type { Backups } from '../backup/backups.ts';
import type { ServiceHealth } from '../domain/status.ts';

export type Source =
  | { kind: 'message'; messageId: string; chatId: string; chatType: 'p2p' | 'group'; rootId?: string; parentId?: string }
  | { kind: 'card'; messageId?: string; chatId?: string; token?: string }
  | { kind: 'menu' };

export interface Toast extends Bi {
  type: 'success' | 'info' | 'warning' | 'error';
}

export interface BotDeps {
  db: Db;
  settings: Settings;
  log: Logger;
  /** For the few commands that must talk to Lark before committing (uploads, downloads). */
  lark?: LarkClient;
  botOpenId?: string;
  registry: CommandRegistry;
  /** What each card button's `action` runs (commands/index.ts). */
  cardActions: ReadonlyMap<string, CardAction>;
  /** For /status: the database snapshots this deployment keeps (or who keeps them). */
  backups?: Backups;
  /** The running service, for /status: its health and the API call counts not yet written. */
  service?: { health(): ServiceHealth; flushCounts(): Promise<void> };
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
  reply(msg: Outgoing, opts: { subject?: string; urgent?: boolean } = {}): string {
    const s = this.source;
    const target = s.kind === 'message' ? s.messageId : s.kind === 'card' ? s.messageId : undefined;
    const row = target
      ? replyRow(target, msg, { now: this.now, audience: s.kind !== 'menu' ? s.chatId : undefined, subject: opts.subject, urgent: opts.urgent })
      : sendRow({ openId: this.caller.openId }, msg, { now: this.now, subject: opts.subject, urgent: opts.urgent });
    this.messages.push(row);
    return row.id;
  }

  /** For card clicks: the outbox row that sent the clicked card, so it is answered inline rather than patched. */
  clickedOutboxId(): Promise<string | undefined> {
    return outboxIdOfMessage(this.db, this.source.kind === 'card' ? this.source.messageId : undefined);
  }

  /** For card clicks: the toast and the updated card returned inline to Lark. */
  respond(toast: Toast, card?: Record<string, unknown>) {
    this.toast = toast;
    if (card) this.card = card;
  }
}
