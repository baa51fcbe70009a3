import type { Bi } from '../bi.ts';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { chatBindings } from '../db/schema.ts';

export type ChatKind = 'leaders' | 'duty' | 'township';
export const CHAT_KIND_LABELS: Record<ChatKind, Bi> = {
  leaders: { zh: '领导群', en: "leaders' group" },
  duty: { zh: '值班群', en: 'duty desk' },
  township: { zh: '乡镇群', en: "township's group" },
};

/** The chat bound for a purpose (`township` needs the township's name), if any. */
export async function boundChat(db: Db, kind: ChatKind, name = ''): Promise<string | undefined> {
  const [row] = await db.select().from(chatBindings).where(and(eq(chatBindings.kind, kind), eq(chatBindings.name, name))).limit(1);
  return row?.chatId;
}

export async function allBindings(db: Db) {
  return db.select().from(chatBindings).orderBy(chatBindings.kind, chatBindings.name);
}

export function bindChat(db: Db, kind: ChatKind, name: string, chatId: string, by: string, now: Date) {
  return db
    .insert(chatBindings)
    .values({ kind, name, chatId, boundBy: by, boundAt: now.getTime() })
    .onConflictDoUpdate({ target: [chatBindings.kind, chatBindings.name], set: { chatId, boundBy: by, boundAt: now.getTime() } });
}
