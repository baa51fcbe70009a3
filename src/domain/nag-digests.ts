import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { JsonChunks } from '../db/json-chunks.ts';
import { nagDigests, nagLog } from '../db/schema.ts';
import type { SqlClient } from '../db/sql.ts';
import { daysOverdue } from './nag-ladder.ts';
import { entryOf, type DigestItem, type NagDigest } from './nags.ts';

// A queued nag digest is a nag_digests row (who, which run, which hazards at which level) and an
// outbox row that only names it; the sender reads the hazards and renders the card when it sends
// (docs/adr/0024). So a province's morning run writes 38,000 small rows instead of 157 MB of cards
// and 623,000 log rows, and a card sent an hour after the run shows the hazards as they are then.

/** What a digest's outbox row carries instead of a card (src/outbox/deferred.ts renders it). */
export interface NagDigestRef {
  kind: 'nag_digest';
  /** open_id, or `chat:<chat_id>` */
  recipient: string;
  /** The run's slot (ms): with the recipient, the nag_digests key. */
  slot: number;
  /** The zone the card's times are written in. */
  tz: string;
  /** The digest's highest level when queued (the release order follows it). */
  level: number;
  /** Hazards named when queued. */
  hazards: number;
}

export function nagDigestRef(d: NagDigest, level: number, slot: Date, tz: string): NagDigestRef {
  return { kind: 'nag_digest', recipient: d.recipient, slot: slot.getTime(), tz, level, hazards: d.entries.length };
}

/**
 * The nag_digests rows of some digests of one run, as inserts of one JSON parameter each. A row
 * already there (a retried slot) is kept, like the outbox row with the same dedupe key.
 */
export function nagDigestRecords(db: Db, digests: readonly { digest: NagDigest; level: number }[], day: string, slot: Date): BatchItem<'sqlite'>[] {
  const chunks = new JsonChunks();
  for (const { digest: d, level } of digests) {
    const hazards = d.entries.map((p) => {
      const e = entryOf(p);
      return `[${e.hazardId},${e.level}]`;
    });
    chunks.add(JSON.stringify([d.recipient, level, `[${hazards.join(',')}]`]));
  }
  const at = slot.getTime();
  return chunks.done().map((json) =>
    db.run(sql`INSERT INTO ${nagDigests} (recipient, slot, day, level, hazards, created_at)
               SELECT json_extract(value, '$[0]'), ${at}, ${day}, json_extract(value, '$[1]'), json_extract(value, '$[2]'), ${at}
               FROM json_each(${json}) WHERE true ON CONFLICT DO NOTHING`),
  );
}

/**
 * The hazards each of `recipients` was already nagged about on `day` (by an earlier run, or by
 * nag_log rows written before nag_digests existed). Usually nothing: the first run of a day finds
 * no log, and later runs see only hazards whose next look came due.
 */
export async function naggedToday(db: Db, day: string, recipients: Iterable<string>): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  const [any] = await db.all<{ digests: number; legacy: number }>(sql`
    SELECT EXISTS (SELECT 1 FROM ${nagDigests} WHERE day = ${day}) AS digests, EXISTS (SELECT 1 FROM ${nagLog} WHERE day = ${day}) AS legacy`);
  if (!any?.digests && !any?.legacy) return out;
  const add = (recipient: string, id: number) => {
    let s = out.get(recipient);
    if (!s) out.set(recipient, (s = new Set()));
    s.add(id);
  };
  const all = [...recipients];
  // The recipients travel as one JSON parameter per 10,000 (D1 binds at most 100 parameters).
  for (let i = 0; i < all.length; i += 10_000) {
    const who = JSON.stringify(all.slice(i, i + 10_000));
    if (any.digests) {
      const rows = await db.all<{ recipient: string; hazards: string }>(sql`
        SELECT recipient, hazards FROM ${nagDigests} WHERE day = ${day} AND recipient IN (SELECT value FROM json_each(${who}))`);
      for (const r of rows) for (const [id] of JSON.parse(r.hazards) as [number, number][]) add(r.recipient, id);
    }
    if (any.legacy) {
      const rows = await db.all<{ recipient: string; id: number }>(sql`
        SELECT recipient, hazard_id AS id FROM ${nagLog} WHERE day = ${day} AND recipient IN (SELECT value FROM json_each(${who}))`);
      for (const r of rows) add(r.recipient, r.id);
    }
  }
  return out;
}

/** A digest as it stands at send time: the hazards it named that are still open and overdue. */
export interface DigestAtSend {
  items: DigestItem[];
  recipientName?: string;
}

/**
 * What a queued digest says when it is sent at `now`: its hazards that are still open and past
 * their deadline (one rectified or given more time since the run is left out), overdue as of now,
 * most urgent first. Undefined when none is left (or the digest is gone): nothing to send.
 */
export async function digestAtSend(client: SqlClient, ref: NagDigestRef, now: Date): Promise<DigestAtSend | undefined> {
  const t = now.getTime();
  const { rows } = await client.execute({
    // CROSS JOIN keeps this order (the digest's list, then each hazard by its id): left to itself
    // the planner walked the open hazards by their status index and the list once for each.
    sql: `SELECT h.id, h.no, h.level = 'major' AS major, h.deadline, e.name AS enterprise, json_extract(j.value, '$[1]') AS step
          FROM nag_digests d CROSS JOIN json_each(d.hazards) j CROSS JOIN hazards h
          JOIN enterprises e ON e.id = h.enterprise_id
          WHERE d.recipient = ? AND d.slot = ? AND h.id = json_extract(j.value, '$[0]') AND h.status = 'dispatched' AND h.deadline < ?`,
    args: [ref.recipient, ref.slot, t],
  });
  if (rows.length === 0) return undefined;
  const items: DigestItem[] = rows.map((r) => ({
    hazardId: Number(r.id),
    no: String(r.no),
    enterprise: String(r.enterprise),
    daysOverdue: daysOverdue(Number(r.deadline), t),
    level: Number(r.step),
    major: Number(r.major) === 1,
  }));
  items.sort((a, b) => b.level - a.level || b.daysOverdue - a.daysOverdue || a.hazardId - b.hazardId);
  let recipientName: string | undefined;
  if (!ref.recipient.startsWith('chat:')) {
    const { rows: p } = await client.execute({ sql: 'SELECT name FROM people WHERE open_id = ?', args: [ref.recipient] });
    recipientName = p[0] ? String(p[0].name) : undefined;
  }
  return { items, recipientName };
}
