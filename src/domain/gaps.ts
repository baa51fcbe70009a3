// 排班空档: periods in the coming hours with no officer or no leader on the roster.

import { and, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { shifts } from '../db/schema.ts';
import { CORE_POSTS, shiftsBetween, type RosterRole } from './roster.ts';

export const GAP_HORIZON_MS = 72 * 3600_000;
/** A gap is reported again when it is still open this long before it starts. */
export const GAP_AGAIN_MS = 24 * 3600_000;

export interface Gap {
  role: RosterRole;
  /** Where the gap shows inside the horizon. */
  start: number;
  end: number;
  /**
   * What names the gap across runs: the end of the shift before it (or 0 when the role has never
   * had one). The horizon moving on every run changes `end` but never this.
   */
  since: number;
  /** The gap runs past the horizon (nothing scheduled after it yet). */
  open: boolean;
}

/** Uncovered stretches of [now, now + horizon) per role, each at least a minute long. */
export async function findGaps(db: Db, now: Date, horizonMs = GAP_HORIZON_MS): Promise<Gap[]> {
  const from = now.getTime();
  const to = from + horizonMs;
  const out: Gap[] = [];
  for (const role of CORE_POSTS) {
    const rows = await shiftsBetween(db, new Date(from), new Date(to), role);
    let cursor = from;
    const push = async (start: number, end: number, open: boolean) => {
      if (end - start < 60_000) return;
      out.push({ role, start, end, open, since: start > from ? start : await coveredUntil(db, role, from) });
    };
    for (const s of rows) {
      if (s.start > cursor) await push(cursor, s.start, false);
      cursor = Math.max(cursor, s.end);
    }
    if (cursor < to) await push(cursor, to, true);
  }
  return out.sort((a, b) => a.start - b.start || a.role.localeCompare(b.role));
}

/** The end of the role's last shift ending at or before `t` (0 when there is none). */
async function coveredUntil(db: Db, role: RosterRole, t: number): Promise<number> {
  const [s] = await db.select({ end: shifts.end }).from(shifts).where(and(eq(shifts.role, role), lte(shifts.end, t))).orderBy(desc(shifts.end)).limit(1);
  return s?.end ?? 0;
}
