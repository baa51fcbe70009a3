// Mirrors into Feishu (issue 19, ADR 0022): what Watchkeeper has put into Feishu's Tasks, Calendar
// and Bitable (mirror_items), and what each record should look like there. The database stays the
// record; Feishu gets a copy, one way. Pure rules and reads — the edge (src/mirrors/) makes the calls.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { mirrorItems } from '../db/schema.ts';
import type { HazardRecord } from './hazards.ts';

/** tasklist: a township's 清单 (key = township) · task: a hazard's task · event: a shift's or key period's calendar event · calendar: 值班日历 itself · record: a hazard's Bitable row. */
export type MirrorKind = 'task' | 'tasklist' | 'event' | 'calendar' | 'record';

export interface MirrorItem {
  kind: MirrorKind;
  key: string;
  feishuId: string;
  state: Record<string, unknown>;
  updatedAt: number;
}

const parse = (s: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
};

export async function mirrorItem(db: Db, kind: MirrorKind, key: string): Promise<MirrorItem | undefined> {
  const [r] = await db.select().from(mirrorItems).where(and(eq(mirrorItems.kind, kind), eq(mirrorItems.key, key))).limit(1);
  return r ? { kind, key, feishuId: r.feishuId, state: parse(r.state), updatedAt: r.updatedAt } : undefined;
}

/** Many at once (Bitable upserts), keyed by `key`; chunked under D1's 100 bound parameters. */
export async function mirrorItemsByKey(db: Db, kind: MirrorKind, keys: string[]): Promise<Map<string, MirrorItem>> {
  const out = new Map<string, MirrorItem>();
  for (let i = 0; i < keys.length; i += 90) {
    const chunk = keys.slice(i, i + 90);
    const rows = await db.all<{ key: string; feishu_id: string; state: string; updated_at: number }>(
      sql`SELECT key, feishu_id, state, updated_at FROM mirror_items WHERE kind = ${kind} AND key IN (${sql.join(chunk.map((k) => sql`${k}`), sql`, `)})`,
    );
    for (const r of rows) out.set(r.key, { kind, key: r.key, feishuId: r.feishu_id, state: parse(r.state), updatedAt: Number(r.updated_at) });
  }
  return out;
}

export async function mirrorItemByFeishuId(db: Db, kind: MirrorKind, feishuId: string): Promise<MirrorItem | undefined> {
  const [r] = await db.select().from(mirrorItems).where(and(eq(mirrorItems.kind, kind), eq(mirrorItems.feishuId, feishuId))).limit(1);
  return r ? { kind, key: r.key, feishuId: r.feishuId, state: parse(r.state), updatedAt: r.updatedAt } : undefined;
}

/** Records (or updates) what Feishu now holds for one item. */
export function saveMirrorItem(db: Db, item: { kind: MirrorKind; key: string; feishuId: string; state: Record<string, unknown> }, now: number) {
  const state = JSON.stringify(item.state);
  return db
    .insert(mirrorItems)
    .values({ kind: item.kind, key: item.key, feishuId: item.feishuId, state, updatedAt: now })
    .onConflictDoUpdate({ target: [mirrorItems.kind, mirrorItems.key], set: { feishuId: item.feishuId, state, updatedAt: now } });
}

export function forgetMirrorItem(db: Db, kind: MirrorKind, key: string) {
  return db.delete(mirrorItems).where(and(eq(mirrorItems.kind, kind), eq(mirrorItems.key, key)));
}

// ── tasks ─────────────────────────────────────────────────────────────────────────────────

/** A hazard's task as it should be in Feishu. */
export interface TaskWanted {
  assignee: string;
  /** The enterprise contact, following the task. */
  follower: string | null;
  dueMs: number;
  /** Rectified or closed (销号 leaves it done); a failed verification puts it back to dispatched. */
  completed: boolean;
}

/** The task a hazard should have, or undefined while it has nobody to do it (reported, not dispatched). */
export function taskWanted(rec: HazardRecord): TaskWanted | undefined {
  const h = rec.hazard;
  if (!h.assigneeOpenId || h.deadline === null || h.status === 'reported') return undefined;
  const contact = rec.enterprise.contactOpenId;
  return {
    assignee: h.assigneeOpenId,
    follower: contact && contact !== h.assigneeOpenId ? contact : null,
    dueMs: h.deadline,
    completed: h.status === 'rectified' || h.status === 'closed',
  };
}

/** Feishu's reminder: one day before the deadline. */
export const TASK_REMINDER_MINUTES = 24 * 60;

/** A stable client_token per hazard (10–100 characters), so a retried create never makes a second task. */
export const taskClientToken = (no: string) => `watchkeeper-task-${no}`;

// ── /status and the sandbox panel ─────────────────────────────────────────────────────────

export interface MirrorCounts {
  tasks: number;
  events: number;
  records: number;
  calendar: boolean;
  /** Mirror rows waiting in the outbox, refused for good, and the last refusal. */
  pending: number;
  failed: number;
  lastError?: string;
}

export async function mirrorCounts(db: Db): Promise<MirrorCounts> {
  const items = await db.all<{ kind: string; n: number }>(sql`SELECT kind, COUNT(*) AS n FROM mirror_items GROUP BY kind`);
  const n = (k: string) => Number(items.find((r) => r.kind === k)?.n ?? 0);
  const [rows] = await db.all<{ pending: number | null; failed: number | null }>(
    sql`SELECT SUM(status IN ('pending', 'sending')) AS pending, SUM(status = 'failed') AS failed FROM outbox WHERE kind = 'mirror'`,
  );
  const [last] = await db.all<{ e: string | null }>(
    sql`SELECT last_error AS e FROM outbox WHERE kind = 'mirror' AND last_error IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
  );
  return {
    tasks: n('task'),
    events: n('event'),
    records: n('record'),
    calendar: n('calendar') > 0,
    pending: Number(rows?.pending ?? 0),
    failed: Number(rows?.failed ?? 0),
    lastError: last?.e ?? undefined,
  };
}

/** Calendar events whose keys lie in [fromKey, toKey) (a range of slots, or every key period). */
export async function eventItemsBetween(db: Db, fromKey: string, toKey: string): Promise<Map<string, MirrorItem>> {
  const rows = await db.all<{ key: string; feishu_id: string; state: string; updated_at: number }>(
    sql`SELECT key, feishu_id, state, updated_at FROM mirror_items WHERE kind = 'event' AND key >= ${fromKey} AND key < ${toKey}`,
  );
  return new Map(rows.map((r) => [r.key, { kind: 'event' as const, key: r.key, feishuId: r.feishu_id, state: parse(r.state), updatedAt: Number(r.updated_at) }]));
}
