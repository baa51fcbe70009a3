import { eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { inbox, processedEvents } from '../db/schema.ts';
import { insertOutbox } from '../outbox/messages.ts';
import type { Effects } from '../outbox/effects.ts';

/**
 * Writes a handler's effects atomically: the event receipt first (a second commit of the same
 * event fails here and rolls back), then the domain statements, then every message it causes,
 * then the inbox row marked done.
 */
export async function commitEffects(db: Db, ctx: Effects | undefined, eventId: string | undefined, now: Date) {
  const items: BatchItem<'sqlite'>[] = [];
  if (eventId) items.push(db.insert(processedEvents).values({ eventId, processedAt: now.getTime() }));
  if (ctx) {
    items.push(...ctx.statements);
    items.push(...insertOutbox(db, ctx.messages));
  }
  if (eventId) {
    items.push(
      db.update(inbox)
        .set({ status: ctx ? 'done' : 'ignored', processedAt: now.getTime(), claimedUntil: null, error: null })
        .where(eq(inbox.eventId, eventId)),
    );
  }
  if (items.length === 0) return;
  await db.batch(items as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}

/** True when the error is the receipt's primary key: the event was already committed elsewhere. */
export function isAlreadyProcessed(e: unknown): boolean {
  const text = `${(e as Error)?.message ?? ''} ${String((e as { cause?: unknown })?.cause ?? '')}`;
  return /UNIQUE constraint failed: processed_events\.event_id/.test(text);
}

