// Filling a rotation (`npm run roster -- generate …`): people take turns, one shift each, from
// the handoff time on the first date until the last shift that starts on the last date.

import { and, eq, inArray, or } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { shifts, swapRequests } from '../db/schema.ts';
import { overlapping, type RosterRole, type Shift } from './roster.ts';
import { formatDate, fromLocal } from './time.ts';

const HOUR = 3600_000;

export interface RotationSpec {
  /** YYYY-MM-DD, local */
  fromDate: string;
  toDate: string;
  role: RosterRole;
  /** open_ids, in turn order */
  people: string[];
  /** minutes after local midnight */
  handoff: number;
  lengthMs: number;
  tz: string;
}

export interface PlannedShift {
  start: number;
  end: number;
  role: RosterRole;
  personOpenId: string;
}

/** `24h`, `12h`, `8h`, `1d`, `90m` / `90min` → ms; between 1 hour and 7 days. */
export function parseLength(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(h|hours?|小时|d|days?|天|m|min|minutes?|分钟)$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  const ms = unit.startsWith('d') || unit === '天' ? n * 24 * HOUR : unit.startsWith('h') || unit === '小时' ? n * HOUR : n * 60_000;
  return Number.isInteger(ms / 60_000) && ms >= HOUR && ms <= 7 * 24 * HOUR ? ms : undefined;
}

export function planRotation(spec: RotationSpec): PlannedShift[] {
  const [y, m, d] = spec.fromDate.split('-').map(Number);
  let start = fromLocal(y, m, d, Math.floor(spec.handoff / 60), spec.handoff % 60, spec.tz).getTime();
  const out: PlannedShift[] = [];
  for (let i = 0; formatDate(new Date(start), spec.tz) <= spec.toDate && out.length < 5000; i++) {
    out.push({ start, end: start + spec.lengthMs, role: spec.role, personOpenId: spec.people[i % spec.people.length] });
    start += spec.lengthMs;
  }
  return out;
}

export interface GeneratePlan {
  create: PlannedShift[];
  /** Identical shifts already in the roster: left alone, so a rerun changes nothing. */
  unchanged: PlannedShift[];
  /** Existing shifts in the way. */
  conflicts: Shift[];
  /** Conflicts that have already begun: never replaced, the roster of the past is a record. */
  started: Shift[];
  statements: BatchItem<'sqlite'>[];
}

/**
 * What generating needs: existing shifts of the role that overlap a planned one are conflicts;
 * with `replace` the ones not yet begun are deleted (their pending swaps expire) and the new
 * shifts inserted, all in one batch.
 */
export async function planGenerate(db: Db, planned: PlannedShift[], now: Date, replace: boolean): Promise<GeneratePlan> {
  const conflicts = new Map<number, Shift>();
  const create: PlannedShift[] = [];
  const unchanged: PlannedShift[] = [];
  for (const p of planned) {
    const hits = await overlapping(db, p.role, p.start, p.end);
    if (hits.length === 1 && hits[0].start === p.start && hits[0].end === p.end && hits[0].personOpenId === p.personOpenId) {
      unchanged.push(p);
      continue;
    }
    for (const s of hits) conflicts.set(s.id, s);
    create.push(p);
  }
  const list = [...conflicts.values()].sort((a, b) => a.start - b.start);
  const started = list.filter((s) => s.start <= now.getTime());
  const statements: BatchItem<'sqlite'>[] = [];
  if ((list.length === 0 || replace) && started.length === 0) {
    const ids = list.map((s) => s.id);
    const t = now.getTime();
    if (ids.length) {
      statements.push(
        db.update(swapRequests)
          .set({ status: 'expired', decidedAt: t })
          .where(and(eq(swapRequests.status, 'pending'), or(inArray(swapRequests.requesterShiftId, ids), inArray(swapRequests.targetShiftId, ids)))),
        db.delete(shifts).where(inArray(shifts.id, ids)),
      );
    }
    for (let i = 0; i < create.length; i += 100) {
      statements.push(db.insert(shifts).values(create.slice(i, i + 100).map((p) => ({ ...p, origin: 'generated', createdAt: t, updatedAt: t }))));
    }
  }
  return { create, unchanged, conflicts: list, started, statements };
}
