// 加急升级 (acknowledge or escalate): the records and the rules of the ladder. Who is buzzed how,
// and when the chain moves on, is decided here from stored rows and the clock; the bot side
// (src/bot/escalation-flow.ts) turns the decisions into cards and buzzes, the views render them.

import { and, asc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { escalations, outbox } from '../db/schema.ts';
import { FALLBACK_NOTE_PREFIX } from '../outbox/messages.ts';
import { fromLocal, localParts } from './time.ts';

export type Escalation = typeof escalations.$inferSelect;
export type Rung = 'sms' | 'phone' | 'next';
export const RUNGS: readonly Rung[] = ['sms', 'phone', 'next'];

export interface LadderTimes {
  smsMinutes: number;
  phoneMinutes: number;
  nextMinutes: number;
}

const MIN = 60_000;
/** A buzz more than this late (downtime, a held job) is skipped: nobody wants a stale phone call. */
export const STALE_MS = 10 * MIN;

/** When a rung falls due, counted from the ladder's start (the in-app buzz). */
export function rungAt(e: Pick<Escalation, 'startedAt'>, rung: Rung, t: LadderTimes): number {
  const minutes = rung === 'sms' ? t.smsMinutes : rung === 'phone' ? t.phoneMinutes : t.nextMinutes;
  return e.startedAt + minutes * MIN;
}

export interface RungDecision {
  /** The rung to take now, if any. */
  take?: Rung;
  /** Rungs passed over because they were more than STALE_MS late. */
  skipped: Rung[];
  /** What the ladder waits for afterwards ('done' once the chain has been handed on). */
  nextRung: Rung | 'done';
  nextAt: number;
}

/**
 * The rung a ladder takes at `now`. Rungs are taken in order, one a run; a buzz more than ten
 * minutes late is skipped for the next one due. Handing on to the next person is never skipped:
 * after downtime somebody must still be told, and their own ladder starts fresh.
 */
export function decideRung(e: Pick<Escalation, 'startedAt' | 'nextRung'>, now: number, t: LadderTimes): RungDecision {
  const skipped: Rung[] = [];
  let i = RUNGS.indexOf(e.nextRung as Rung);
  if (i < 0) return { skipped, nextRung: 'done', nextAt: now };
  for (; i < RUNGS.length; i++) {
    const rung = RUNGS[i];
    const at = rungAt(e, rung, t);
    if (at > now) return { skipped, nextRung: rung, nextAt: at };
    const later = RUNGS[i + 1];
    if (rung !== 'next' && now - at > STALE_MS && later) {
      skipped.push(rung);
      continue;
    }
    if (!later) return { take: rung, skipped, nextRung: 'done', nextAt: now };
    return { take: rung, skipped, nextRung: later, nextAt: Math.max(now + 1, rungAt(e, later, t)) };
  }
  return { skipped, nextRung: 'done', nextAt: now };
}

// ── records ─────────────────────────────────────────────────────────────────────────────────

export type Chain = string[][];

export function parseChain(text: string): Chain {
  try {
    const c = JSON.parse(text) as unknown;
    return Array.isArray(c) ? c.map((g) => (Array.isArray(g) ? g.filter((x): x is string => typeof x === 'string') : [])) : [];
  } catch {
    return [];
  }
}

/** A chain without empty groups or people already in an earlier group. */
export function cleanChain(groups: (string | null | undefined)[][]): Chain {
  const seen = new Set<string>();
  const out: Chain = [];
  for (const g of groups) {
    const ids = [...new Set(g.filter((x): x is string => !!x))].filter((x) => !seen.has(x));
    ids.forEach((x) => seen.add(x));
    if (ids.length) out.push(ids);
  }
  return out;
}

/** One person's ladder; a second start for the same person and item is a no-op. */
export function insertLadder(db: Db, v: { item: string; personOpenId: string; chain: Chain; level: number; cardOutboxId: string; quietHold: boolean; startedAt: number; firstRungAt: number }) {
  return db
    .insert(escalations)
    .values({
      item: v.item,
      personOpenId: v.personOpenId,
      chain: JSON.stringify(v.chain),
      level: v.level,
      cardOutboxId: v.cardOutboxId,
      quietHold: v.quietHold,
      startedAt: v.startedAt,
      nextRung: 'sms',
      nextAt: v.firstRungAt,
    })
    .onConflictDoNothing();
}

export async function laddersOf(db: Db, item: string): Promise<Escalation[]> {
  return db.select().from(escalations).where(eq(escalations.item, item)).orderBy(asc(escalations.startedAt), asc(escalations.id));
}

export async function ladderFor(db: Db, item: string, openId: string): Promise<Escalation | undefined> {
  const [e] = await db.select().from(escalations).where(and(eq(escalations.item, item), eq(escalations.personOpenId, openId))).limit(1);
  return e;
}

/** The ladder whose card is the outbox row `cardOutboxId` (a reply in its thread acknowledges). */
export async function ladderByCard(db: Db, cardOutboxId: string): Promise<Escalation | undefined> {
  const [e] = await db.select().from(escalations).where(eq(escalations.cardOutboxId, cardOutboxId)).limit(1);
  return e;
}

/** Ladders with a rung due, oldest first. */
export async function dueLadders(db: Db, now: number, limit = 500): Promise<Escalation[]> {
  return db
    .select()
    .from(escalations)
    .where(and(ne(escalations.nextRung, 'done'), isNull(escalations.ackedAt), lte(escalations.nextAt, now)))
    .orderBy(asc(escalations.nextAt), asc(escalations.id))
    .limit(limit);
}

/** 收到: stops the ladder; only the first acknowledgement counts. */
export function acknowledge(db: Db, id: number, at: number, via: 'button' | 'reply') {
  return db.update(escalations).set({ ackedAt: at, ackedVia: via, nextRung: 'done' }).where(and(eq(escalations.id, id), isNull(escalations.ackedAt)));
}

/** Moves a ladder on, only from the rung it was read at: a second instance's stale decision changes nothing. */
export function advanceLadder(db: Db, id: number, from: string, to: Rung | 'done', at: number) {
  return db.update(escalations).set({ nextRung: to, nextAt: at }).where(and(eq(escalations.id, id), eq(escalations.nextRung, from)));
}

/** Every open ladder of an item stops (the incident closed, the handover signed, the team acknowledged). */
export function settleItem(db: Db, item: string) {
  return db.update(escalations).set({ nextRung: 'done' }).where(and(eq(escalations.item, item), ne(escalations.nextRung, 'done')));
}

/** Forgets an item's ladders: a hazard dispatched again (verification failed) starts a fresh ladder. */
export function deleteLadders(db: Db, item: string) {
  return db.delete(escalations).where(eq(escalations.item, item));
}

/** Postpones a held ladder (quiet hours) so that its rungs keep their spacing after the hold. */
export function postponeLadder(db: Db, e: Escalation, until: number) {
  const shift = Math.max(0, until - e.nextAt);
  return db.update(escalations).set({ startedAt: e.startedAt + shift, nextAt: e.nextAt + shift }).where(and(eq(escalations.id, e.id), eq(escalations.nextRung, e.nextRung)));
}

// ── the budget of paid buzzes ───────────────────────────────────────────────────────────────

/** The calendar month of `now` in TZ_NAME, as [start, end) UTC ms. */
export function monthBounds(now: Date, tz: string): [number, number] {
  const p = localParts(now, tz);
  const start = fromLocal(p.year, p.month, 1, 0, 0, tz).getTime();
  const end = (p.month === 12 ? fromLocal(p.year + 1, 1, 1, 0, 0, tz) : fromLocal(p.year, p.month + 1, 1, 0, 0, tz)).getTime();
  return [start, end];
}

export interface BuzzUsage {
  sms: number;
  phone: number;
  /** Paid buzzes this month that went out in-app instead (over the limit, or Lark's 230023/230024). */
  fallbacks: number;
}

/**
 * This month's paid buzzes: urgent rows queued as SMS or phone that Lark did not refuse. A row
 * the sender had to send in-app (its note) does not count; one still pending does, so a burst in
 * one run cannot overrun the limit.
 */
export async function buzzUsage(db: Db, now: Date, tz: string): Promise<BuzzUsage> {
  const [from, to] = monthBounds(now, tz);
  const mode = sql<string>`json_extract(${outbox.content}, '$.urgent')`;
  const fellBack = sql<number>`(${outbox.lastError} IS NOT NULL AND ${outbox.lastError} LIKE ${FALLBACK_NOTE_PREFIX + '%'})`;
  const rows = await db
    .select({ mode, fellBack, n: sql<number>`count(*)` })
    .from(outbox)
    .where(and(eq(outbox.kind, 'urgent'), inArray(mode, ['sms', 'phone', 'app-budget']), ne(outbox.status, 'failed'), sql`${outbox.createdAt} >= ${from}`, sql`${outbox.createdAt} < ${to}`))
    .groupBy(mode, fellBack);
  const out: BuzzUsage = { sms: 0, phone: 0, fallbacks: 0 };
  for (const r of rows) {
    if (r.mode === 'app-budget' || Number(r.fellBack)) out.fallbacks += Number(r.n);
    else if (r.mode === 'sms') out.sms += Number(r.n);
    else if (r.mode === 'phone') out.phone += Number(r.n);
  }
  return out;
}

/** Paid buzzes the sender sent in-app instead since `since` (Lark's 230023/230024), for the admins' notice. */
export async function refusedPaidBuzzes(db: Db, since: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .where(and(eq(outbox.kind, 'urgent'), eq(outbox.status, 'sent'), sql`${outbox.lastError} LIKE ${FALLBACK_NOTE_PREFIX + '%'}`, sql`${outbox.sentAt} >= ${since}`));
  return Number(r?.n ?? 0);
}
