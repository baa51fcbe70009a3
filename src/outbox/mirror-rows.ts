import type { OutboxRow } from './messages.ts';

// Mirror rows (issue 19, ADR 0022): outbox rows of kind `mirror` whose target names what to bring
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
  /** A key period's all-day event. */
  | { kind: 'keyperiod'; id: number };

export function mirrorTargetText(t: MirrorTarget): string {
  switch (t.kind) {
    case 'task':
      return `task:${t.no}`;
    case 'record':
      return `record:${t.nos.join(',')}`;
    case 'duty':
      return `duty:${t.fromMs}:${t.toMs}`;
    case 'keyperiod':
      return `keyperiod:${t.id}`;
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
  if (kind === 'keyperiod' && Number.isInteger(Number(arg))) return { kind, id: Number(arg) };
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
