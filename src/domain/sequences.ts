import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

/**
 * Takes the next value of a named counter in one atomic statement, so two instances never get
 * the same number. A change that then fails to commit leaves a gap, never a duplicate.
 */
export async function nextSequence(db: Db, name: string): Promise<number> {
  const rows = await db.all<{ value: number }>(
    sql`INSERT INTO sequences (name, value) VALUES (${name}, 1)
        ON CONFLICT(name) DO UPDATE SET value = value + 1
        RETURNING value`,
  );
  return Number(rows[0].value);
}

/** Raises a counter to at least `value` (after importing numbered records). */
export function raiseSequence(db: Db, name: string, value: number) {
  return db.run(
    sql`INSERT INTO sequences (name, value) VALUES (${name}, ${value})
        ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)`,
  );
}

/** `YH-2026-0007`: prefix, year, number padded to four digits (more digits past 9999). */
export const formatNumber = (prefix: string, year: number, n: number) => `${prefix}-${year}-${String(n).padStart(4, '0')}`;
