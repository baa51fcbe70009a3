// The bot side of acknowledge-or-escalate: starting a group's ladders (a card on a direct message,
// buzzed in-app at once), 收到 by button or by a reply in the card's thread, and the rungs the
// `escalations` job takes. Each kind of item (incident, dispatch, handover, hazard) registers how
// its card looks, when it is settled, and what the duty chat calls it.

import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { acknowledge, insertLadder, laddersOf, type Chain, type Escalation } from '../domain/escalations.ts';
import { peopleInfo } from '../domain/roster.ts';
import type { Card, Bi } from '../lark/cards.ts';
import { urgentRow } from '../outbox/messages.ts';
import { withFoot } from '../views/escalation-cards.ts';
import type { Settings } from '../settings.ts';
import type { Effects } from '../outbox/effects.ts';

const MIN = 60_000;

export interface LadderDeps {
  db: Db;
  settings: Settings;
}

export interface LadderKind {
  /**
   * The card behind the buzz, as it should look now: with each stamp `张伟 12-02 03:14 已收到`
   * and the 收到 button while someone has not acknowledged. `newcomers` are about to be laddered.
   */
  card(deps: LadderDeps, item: string, now: Date, ladders: Escalation[], newcomers: string[], recipient?: string): Promise<Card | undefined>;
  /** Nothing is left to acknowledge: the incident closed, the team pressed 接令, the handover signed. */
  settled(db: Db, item: string): Promise<boolean>;
  /** What the duty chat calls it: "XQ-2026-0001 防汛险情（红梅镇河堤）". */
  what(db: Db, item: string): Promise<Bi>;
  /** Statements when a person's card joins the item (the incident keeps every copy current). */
  joined?(db: Db, item: string, outboxId: string): Promise<BatchItem<'sqlite'>[]>;
  /** Copies of the card beyond each ladder's own, patched when someone acknowledges. */
  copies?(db: Db, item: string): Promise<string[]>;
  /** The outbox subject of messages about it, so replies in their threads find it. */
  subject?(item: string): string;
}

export const ladderKinds = new Map<string, LadderKind>();

export function registerLadderKind(prefix: string, kind: LadderKind) {
  if (!ladderKinds.has(prefix)) ladderKinds.set(prefix, kind);
}

export const kindOf = (item: string) => ladderKinds.get(item.slice(0, item.indexOf(':')));

export interface StartLadders {
  item: string;
  chain: Chain;
  level: number;
  quietHold: boolean;
  /** The card to send; made by the kind when not given. */
  card?: Card;
}

/**
 * Sends each person of the chain's group `level` the card on a direct message, buzzes them in-app
 * and starts their ladder. Keyed per item and person: whoever starts it twice sends one card.
 * Returns the outbox ids of the cards by person.
 */
export async function startLadders(fx: Effects, deps: LadderDeps, o: StartLadders): Promise<Map<string, string>> {
  const kind = kindOf(o.item);
  const people = o.chain[o.level] ?? [];
  const out = new Map<string, string>();
  if (!kind || !people.length) return out;
  const existing = await laddersOf(deps.db, o.item);
  const fresh = people.filter((p) => !existing.some((e) => e.personOpenId === p));
  if (!fresh.length) return out;
  const at = fx.now.getTime();
  const subject = kind.subject?.(o.item);
  for (const openId of fresh) {
    const card = o.card ?? (await kind.card(deps, o.item, fx.now, existing, fresh, openId));
    if (!card) continue;
    const key = `esc:${o.item}:${openId}`;
    const id = fx.send({ openId }, { card }, { dedupeKey: `${key}:card`, subject });
    fx.buzz(id, [openId], { dedupeKey: `${key}:app` });
    fx.write(
      insertLadder(deps.db, {
        item: o.item,
        personOpenId: openId,
        chain: o.chain,
        level: o.level,
        cardOutboxId: id,
        quietHold: o.quietHold,
        startedAt: at,
        firstRungAt: at + deps.settings.escalation.smsMinutes * MIN,
      }),
    );
    if (kind.joined) fx.write(...(await kind.joined(deps.db, o.item, id)));
    out.set(openId, id);
  }
  return out;
}

/**
 * A ladder on a card that was already sent and buzzed in-app (a team leader's dispatch order, an
 * unsigned-handover notice, a major hazard's notice): the next rungs follow from it.
 */
export function ladderOnCard(fx: Effects, deps: LadderDeps, o: { item: string; chain: Chain; personOpenId: string; cardOutboxId: string; quietHold: boolean }) {
  const at = fx.now.getTime();
  fx.write(insertLadder(deps.db, { item: o.item, personOpenId: o.personOpenId, chain: o.chain, level: 0, cardOutboxId: o.cardOutboxId, quietHold: o.quietHold, startedAt: at, firstRungAt: at + deps.settings.escalation.smsMinutes * MIN }));
}

export { withFoot };

/** A paid (or, over budget, in-app) buzz on the person's card: one rung, keyed so it goes once. */
export function buzzRung(fx: Effects, e: Escalation, rung: 'sms' | 'phone', overBudget: boolean) {
  if (!e.cardOutboxId) return;
  fx.messages.push(urgentRow(e.cardOutboxId, [e.personOpenId], { now: fx.now, mode: overBudget ? 'app-budget' : rung, dedupeKey: `esc:${e.id}:${rung}` }));
}

export type AckOutcome = { kind: 'acked'; card?: Card; ladders: Escalation[] } | { kind: 'already'; at: number } | { kind: 'none' };

/**
 * 收到: stops the person's ladder for the item and stamps every copy of the card. The copy
 * `except` (the clicked card, answered inline) is not patched.
 */
export async function acknowledgeItem(fx: Effects, deps: LadderDeps, item: string, openId: string, via: 'button' | 'reply', except?: string): Promise<AckOutcome> {
  const kind = kindOf(item);
  const ladders = await laddersOf(deps.db, item);
  const mine = ladders.find((e) => e.personOpenId === openId);
  if (!kind || !mine) return { kind: 'none' };
  if (mine.ackedAt !== null) return { kind: 'already', at: mine.ackedAt };
  const at = fx.now.getTime();
  fx.write(acknowledge(deps.db, mine.id, at, via));
  const after = ladders.map((e) => (e.id === mine.id ? { ...e, ackedAt: at, ackedVia: via, nextRung: 'done' } : e));
  // Each ladder's own card is drawn for its recipient (a team leader's order keeps its 接令); other copies alike.
  const done = new Set<string>();
  if (except) done.add(except);
  for (const e of after) {
    if (!e.cardOutboxId || done.has(e.cardOutboxId)) continue;
    done.add(e.cardOutboxId);
    const c = await kind.card(deps, item, fx.now, after, [], e.personOpenId);
    if (c) fx.patch({ outboxId: e.cardOutboxId }, c);
  }
  const shared = await kind.card(deps, item, fx.now, after, []);
  for (const id of kind.copies ? await kind.copies(deps.db, item) : []) {
    if (done.has(id) || !shared) continue;
    done.add(id);
    fx.patch({ outboxId: id }, shared);
  }
  return { kind: 'acked', card: await kind.card(deps, item, fx.now, after, [], openId), ladders: after };
}

/** Names for the stamps. */
export const ladderNames = (db: Db, ladders: Escalation[], more: string[] = []) => peopleInfo(db, [...ladders.map((e) => e.personOpenId), ...more]);
