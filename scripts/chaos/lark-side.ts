import type { FakeLark, FakeMessage } from '../../src/lark/fake/server.ts';
import { messageEnvelope, signedRequest, type MentionSpec } from '../../src/lark/simulate.ts';

// Lark's side of the chaos runs: a user's message is stored in the fake (so the bot can reply to
// it), then its event is posted, signed and encrypted, to whichever server is up, and posted again
// until some server answers 200 — Lark redelivers every event it has no 200 for.

export const SECRETS = { encryptKey: 'chaos-encrypt-key', verificationToken: 'chaos-verification-token' };

export interface UserMessage {
  senderOpenId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  text: string;
  mentions?: MentionSpec[];
}

export interface Delivery {
  eventId: string;
  messageId: string;
  msg: UserMessage;
  /** Got a 200 from some server. */
  acked: boolean;
  posts: number;
  /** HTTP statuses ≥ 500 among the answers. */
  fiveXx: number;
  statuses: number[];
}

let seq = 0;

export class LarkSide {
  readonly deliveries: Delivery[] = [];

  /** `targets` names the servers up now (URLs); an event goes to one of them, or to each when `toAll`. */
  constructor(
    readonly fake: FakeLark,
    private readonly targets: () => string[],
  ) {}

  // Replies indexed by the message they answer, kept up to date from the fake's (append-only) list:
  // scanning thousands of messages for each of thousands of events every 100 ms would eat the CPU the servers need.
  private indexed = 0;
  private readonly byParent = new Map<string, FakeMessage[]>();

  /** The bot's replies in the thread of a user's message. */
  replies(messageId: string): FakeMessage[] {
    const all = this.fake.messages;
    for (; this.indexed < all.length; this.indexed++) {
      const m = all[this.indexed];
      if (!m.parentId || m.senderOpenId !== this.fake.botOpenId) continue;
      const list = this.byParent.get(m.parentId);
      if (list) list.push(m);
      else this.byParent.set(m.parentId, [m]);
    }
    return this.byParent.get(messageId) ?? [];
  }

  /** Posts one event until a server acknowledges it (or `deadline`); returns the delivery. */
  async deliver(msg: UserMessage, o: { toAll?: boolean; deadline?: number; retryMs?: number; onCreated?: (messageId: string) => void } = {}): Promise<Delivery> {
    const user = this.fake.addMessage({ chatId: msg.chatId, content: JSON.stringify({ text: msg.text }), msgType: 'text', senderOpenId: msg.senderOpenId });
    o.onCreated?.(user.messageId);
    const d: Delivery = { eventId: `ev_chaos_${process.pid}_${++seq}`, messageId: user.messageId, msg, acked: false, posts: 0, fiveXx: 0, statuses: [] };
    this.deliveries.push(d);
    const envelope = messageEnvelope({ ...msg, messageId: user.messageId, eventId: d.eventId, token: SECRETS.verificationToken });
    const deadline = o.deadline ?? Date.now() + 120_000;
    for (let i = 0; !d.acked && Date.now() < deadline; i++) {
      const urls = this.targets();
      const chosen = o.toAll ? urls : urls.length ? [urls[(seq + i) % urls.length]] : [];
      await Promise.all(chosen.map((url) => this.postOnce(d, url, envelope)));
      if (!d.acked) await new Promise((r) => setTimeout(r, o.retryMs ?? 250));
    }
    return d;
  }

  private async postOnce(d: Delivery, url: string, envelope: unknown) {
    d.posts++;
    try {
      const req = await signedRequest(envelope, SECRETS);
      const res = await fetch(`${url}/lark/events`, { method: 'POST', body: req.body, headers: req.headers, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      d.statuses.push(res.status);
      if (res.status >= 500) d.fiveXx++;
      if (res.status === 200) d.acked = true;
    } catch {
      d.statuses.push(0); // connection refused or reset: the server is down
    }
  }
}

/** Runs `work` over `items` with at most `n` at a time. */
export async function pool<T>(items: readonly T[], n: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i], i);
  }));
}

export interface Tally {
  sent: number;
  acknowledged: number;
  answeredOnce: number;
  /** Acknowledged and never answered. */
  lost: number;
  /** Answered more than once. */
  duplicated: number;
  fiveXx: number;
}

export function tally(lark: LarkSide, ds: readonly Delivery[]): Tally {
  const counts = ds.map((d) => lark.replies(d.messageId).length);
  return {
    sent: ds.length,
    acknowledged: ds.filter((d) => d.acked).length,
    answeredOnce: counts.filter((c) => c === 1).length,
    lost: ds.filter((d, i) => d.acked && counts[i] === 0).length,
    duplicated: counts.filter((c) => c > 1).length,
    fiveXx: ds.reduce((n, d) => n + d.fiveXx, 0),
  };
}

/**
 * Waits until every acknowledged delivery has a reply — or `timeoutMs` passes, or (with `stallMs`)
 * no new reply came for that long — and returns when the last reply came (ms since `from`).
 */
export async function drain(lark: LarkSide, ds: readonly Delivery[], from: number, timeoutMs: number, stallMs = Infinity): Promise<{ done: boolean; ms: number }> {
  const end = Date.now() + timeoutMs;
  let lastCount = -1;
  let lastChange = Date.now();
  for (;;) {
    const waiting = ds.filter((d) => d.acked && lark.replies(d.messageId).length === 0);
    if (waiting.length !== lastCount) {
      lastCount = waiting.length;
      lastChange = Date.now();
    }
    if (!waiting.length) {
      const last = Math.max(from, ...ds.flatMap((d) => lark.replies(d.messageId).map((m) => m.createdAt)));
      return { done: true, ms: last - from };
    }
    if (Date.now() > end || Date.now() - lastChange > stallMs) return { done: false, ms: Date.now() - from };
    await new Promise((r) => setTimeout(r, 100));
  }
}
