import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { affectedRows } from '../db/sql.ts';

/**
 * What housekeeping prunes after RETENTION_DAYS, each in small batches so no statement holds the
 * database for long (D1 limits a statement's work too): job_runs (bookkeeping of scheduled slots),
 * processed_events (receipts that stop a redelivered event applying twice — Lark redelivers within
 * hours, not months) and the inbox rows those receipts belong to, once done or ignored; the nag
 * digests' log (nag_digests: a day's log, and what a card is rendered from until it is sent — a sent
 * row keeps its card) and the nag_log rows from before it. Never
 * pruned: anything a ledger needs — hazards and their timeline and photos, inspections,
 * enforcement, the roster, handovers, incidents — and the outbox (hazard cards are found by their
 * outbox row for as long as the hazard lives), nor failed inbox rows (an admin may still look).
 */
const TABLES = [
  { table: 'job_runs', where: (cutoff: number) => sql`slot < ${cutoff}` },
  { table: 'processed_events', where: (cutoff: number) => sql`processed_at < ${cutoff}` },
  { table: 'inbox', where: (cutoff: number) => sql`status IN ('done', 'ignored') AND processed_at < ${cutoff}` },
  { table: 'nag_digests', where: (cutoff: number) => sql`slot < ${cutoff}` },
  { table: 'nag_log', where: (cutoff: number) => sql`at < ${cutoff}` },
] as const;

export const PRUNE_BATCH = 500;
/** Per table per run: the rest waits for tomorrow's run. */
const MAX_BATCHES = 40;

export async function pruneOld(db: Db, cutoff: number, batch = PRUNE_BATCH): Promise<Record<string, number>> {
  const pruned: Record<string, number> = {};
  for (const t of TABLES) {
    pruned[t.table] = 0;
    const table = sql.raw(t.table);
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = affectedRows(await db.run(sql`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${t.where(cutoff)} LIMIT ${batch})`));
      pruned[t.table] += n;
      if (n < batch) break;
    }
  }
  return pruned;
}
