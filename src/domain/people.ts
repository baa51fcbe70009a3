import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { people } from '../db/schema.ts';
import { splitRoles, type Role } from './roles.ts';

export type Person = typeof people.$inferSelect;

export interface Caller {
  openId: string;
  person?: Person;
  roles: Set<Role>;
}

export async function findPersonByOpenId(db: Db, openId: string): Promise<Person | undefined> {
  const [p] = await db.select().from(people).where(eq(people.openId, openId)).limit(1);
  return p;
}

/** Who is speaking: their record and roles; ADMIN_OPEN_IDS are admins even before any import. */
export async function resolveCaller(db: Db, openId: string, adminOpenIds: readonly string[]): Promise<Caller> {
  const person = await findPersonByOpenId(db, openId);
  const roles = new Set<Role>(splitRoles(person?.roles));
  if (adminOpenIds.includes(openId)) roles.add('admin');
  return { openId, person, roles };
}

/** Finds people by open_id or exact name; more than one name match is returned for the caller to resolve. */
export async function findPeople(db: Db, nameOrOpenId: string): Promise<Person[]> {
  const key = nameOrOpenId.trim();
  if (key.startsWith('ou_')) {
    const p = await findPersonByOpenId(db, key);
    return p ? [p] : [];
  }
  return db.select().from(people).where(eq(people.name, key));
}
