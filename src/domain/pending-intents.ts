// Plain messages waiting for their sender's 登记 / 上报险情 / 确认: what was understood is stored
// (not held in memory) so the confirmation card works after a restart, and settles exactly once.
// And the images people send outside any hazard's thread, kept ten minutes so a photo sent just
// before (or after) the sentence attaches when the report is confirmed.

import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { chatImages, pendingIntents, processedEvents } from '../db/schema.ts';

export type PendingIntent = typeof pendingIntents.$inferSelect;
export type PendingKind = 'hazard' | 'incident' | 'rectify';

/** Images sent this long before the confirmation attach to what is confirmed. */
export const PHOTO_WINDOW_MS = 10 * 60_000;
/** Kept images older than this are dropped (whenever new ones are kept). */
const KEEP_IMAGES_MS = 24 * 3_600_000;

export function insertPending(db: Db, p: { id: string; kind: PendingKind; openId: string; chatId: string; chatType: string; messageId: string; payload: unknown }, now: Date) {
  const at = now.getTime();
  return db.insert(pendingIntents).values({ ...p, payload: JSON.stringify(p.payload), status: 'pending', createdAt: at, updatedAt: at });
}

export async function loadPending(db: Db, id: string): Promise<PendingIntent | undefined> {
  const [row] = await db.select().from(pendingIntents).where(eq(pendingIntents.id, id)).limit(1);
  return row;
}

export function updatePendingPayload(db: Db, id: string, payload: unknown, now: Date) {
  return db.update(pendingIntents).set({ payload: JSON.stringify(payload), updatedAt: now.getTime() }).where(and(eq(pendingIntents.id, id), eq(pendingIntents.status, 'pending')));
}

/**
 * Settles a pending intent. The first statement is a receipt keyed by the intent: a second
 * settlement racing this one fails on it and its whole batch rolls back, so a double click can
 * never file twice, whatever the verb behind it guards itself.
 */
export function settlePending(db: Db, id: string, status: 'done' | 'cancelled', result: string | null, now: Date) {
  const at = now.getTime();
  return [
    db.insert(processedEvents).values({ eventId: `intent:${id}`, processedAt: at }),
    db.update(pendingIntents).set({ status, result, updatedAt: at }).where(and(eq(pendingIntents.id, id), eq(pendingIntents.status, 'pending'))),
  ] as const;
}

/** Keeps images for a later confirmation, dropping those kept long ago. */
export function keepImages(db: Db, img: { chatId: string; openId: string; messageId: string; imageKeys: string[] }, now: Date) {
  const at = now.getTime();
  const rows = [...new Set(img.imageKeys)].map((imageKey) => ({ chatId: img.chatId, openId: img.openId, messageId: img.messageId, imageKey, at }));
  // Six columns a row: fifteen rows a statement stay under D1's 100 bound parameters.
  const inserts = [];
  for (let i = 0; i < rows.length; i += 15) inserts.push(db.insert(chatImages).values(rows.slice(i, i + 15)));
  return [db.delete(chatImages).where(lt(chatImages.at, at - KEEP_IMAGES_MS)), ...inserts];
}

export interface KeptImage {
  id: number;
  messageId: string;
  imageKey: string;
}

/** Images this person sent in this chat within the window before `now`, oldest first. */
export async function recentImages(db: Db, chatId: string, openId: string, now: Date): Promise<KeptImage[]> {
  return db
    .select({ id: chatImages.id, messageId: chatImages.messageId, imageKey: chatImages.imageKey })
    .from(chatImages)
    .where(and(eq(chatImages.chatId, chatId), eq(chatImages.openId, openId), gte(chatImages.at, now.getTime() - PHOTO_WINDOW_MS), lt(chatImages.at, now.getTime() + 1)))
    .orderBy(chatImages.at, chatImages.id)
    // A report carries a handful of photos; the cap keeps the later IN list within D1's limit.
    .limit(50);
}

/** Kept images once attached: they belong to that record now, not to the next report. */
export function forgetImages(db: Db, ids: number[]) {
  return db.delete(chatImages).where(inArray(chatImages.id, ids.length ? ids : [-1]));
}
