import type { Db } from '../db/client.ts';
import type { MirrorSettings } from '../settings.ts';
import { insertOutbox, type OutboxRow } from './messages.ts';

// Mirror rows (issue 19, ADR 0021): outbox rows of kind `mirror` whose target names what to bring
// up to date in Feishu. The row carries no payload: src/mirrors/ reads the record as it is when
// the row is delivered, so a retry, a late delivery or two rows for one hazard all end in the
// same, current copy.

export type MirrorTarget =
  /** A hazard's Feishu task. */
  | { kind: 'task'; no: string }
  /** Hazards' Bitable records (at most 1,000 a row: one batch call). */
  | { kind: 'record'; nos: string[] }
  /** The duty calendar's events for shifts starting in [fromMs, toMs). */
  | { kind: 'duty'; fromMs: number; toMs: number }
  /** Every key period's all-day event (a new period has no id before its batch commits). */
  | { kind: 'keyperiods' };

/** Feishu's cap on records in one batch call: a row never names more. */
export const RECORDS_PER_ROW = 1000;

export function mirrorTargetText(t: MirrorTarget): string {
  switch (t.kind) {
    case 'task':
      return `task:${t.no}`;
    case 'record':
      return `record:${t.nos.join(',')}`;
    case 'duty':
      return `duty:${t.fromMs}:${t.toMs}`;
    case 'keyperiods':
      return 'keyperiods';
  }
}

export function parseMirrorTarget(text: string): MirrorTarget | undefined {
  const [kind, ...rest] = text.split(':');
  const arg = rest.join(':');
  if (kind === 'task' && arg) return { kind, no: arg };
  if (kind === 'record' && arg) return { kind, nos: arg.split(',').filter(Boolean) };
  if (kind === 'duty') {
    const [from, to] = arg.split(':').map(Number);
    if (Number.isFinite(from) && Number.isFinite(to)) return { kind, fromMs: from, toMs: to };
  }
  if (kind === 'keyperiods') return { kind };
  return undefined;
}

/**
 * Which queue a mirror row waits in: one per hazard for tasks (a hazard's changes in order, hazards
 * in parallel), one for the calendar (its first row creates 值班日历 the rest use) and one for the
 * Bitable (so two upserts of one hazard never both create its record). None is a chat's.
 */
function queueOf(t: MirrorTarget): string {
  if (t.kind === 'task') return `mirror:task:${t.no}`;
  if (t.kind === 'record') return 'mirror:bitable';
  return 'mirror:calendar';
}

export function mirrorRow(target: MirrorTarget, o: { now: Date }): OutboxRow {
  const at = o.now.getTime();
  return {
    id: crypto.randomUUID(),
    kind: 'mirror',
    target: mirrorTargetText(target),
    targetType: 'mirror',
    msgType: 'mirror',
    content: '{}',
    chatKey: queueOf(target),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
  };
}

/**
 * For writers outside a bot context (imports, CLIs): the statements that queue these mirror rows in
 * their own batch, only for the mirrors configured. Hazards go 1,000 to a row.
 */
export function mirrorStatements(db: Db, mirrors: MirrorSettings | undefined, o: { now: Date; hazards?: string[]; tasks?: string[]; duty?: { fromMs: number; toMs: number }[]; keyPeriods?: boolean }) {
  const rows: OutboxRow[] = [];
  if (mirrors?.tasks) for (const no of o.tasks ?? []) rows.push(mirrorRow({ kind: 'task', no }, o));
  if (mirrors?.bitable && o.hazards?.length) {
    for (let i = 0; i < o.hazards.length; i += RECORDS_PER_ROW) rows.push(mirrorRow({ kind: 'record', nos: o.hazards.slice(i, i + RECORDS_PER_ROW) }, o));
  }
  if (mirrors?.dutyCalendar) {
    for (const d of o.duty ?? []) rows.push(mirrorRow({ kind: 'duty', ...d }, o));
    if (o.keyPeriods) rows.push(mirrorRow({ kind: 'keyperiods' }, o));
  }
  return rows.length ? insertOutbox(db, rows) : [];
}
