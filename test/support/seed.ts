import { enterprises, hazards, people } from '../../src/db/schema.ts';
import type { Db } from '../../src/db/client.ts';

/** Direct inserts for test fixtures (the behaviour under test is elsewhere). */
export async function addPerson(db: Db, openId: string, name: string, roles: string, extra: Partial<typeof people.$inferInsert> = {}) {
  const t = Date.UTC(2026, 0, 1);
  await db.insert(people).values({ openId, name, roles, createdAt: t, updatedAt: t, ...extra }).onConflictDoNothing();
}

export async function addEnterprise(db: Db, e: Partial<typeof enterprises.$inferInsert> & { name: string }): Promise<number> {
  const t = Date.UTC(2026, 0, 1);
  const [row] = await db.insert(enterprises).values({ sector: 'other', createdAt: t, updatedAt: t, ...e }).returning({ id: enterprises.id });
  return row.id;
}

let seq = 0;
export async function addHazard(db: Db, h: Partial<typeof hazards.$inferInsert> & { enterpriseId: number }): Promise<number> {
  const t = h.reportedAt ?? Date.UTC(2026, 10, 1);
  const [row] = await db
    .insert(hazards)
    .values({ no: `YH-T-${String(++seq).padStart(5, '0')}`, sector: 'other', level: 'general', description: '测试隐患', status: 'dispatched', reportedAt: t, updatedAt: t, ...h })
    .returning({ id: hazards.id });
  return row.id;
}
