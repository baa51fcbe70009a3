import { eq, like, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { people } from '../db/schema.ts';
import { splitRoles, type Role } from './roles.ts';

export type Person = typeof people.$inferSelect;

export interface Caller {
  openId: string;
  person?: Person;
  roles: Set<Role>;
}

/** What messages show of a person: the name, and the phone for the duty desk. */
export interface PersonInfo {
  name: string;
  mobile: string | null;
}

/**
 * The one lookup of people by open_id: name and phone of each one registered (the unregistered
 * are simply missing). 90 ids per query, because D1 binds at most 100 parameters per statement.
 */
export async function peopleInfo(db: Db, openIds: (string | null | undefined)[]): Promise<Map<string, PersonInfo>> {
  const ids = [...new Set(openIds.filter((x): x is string => !!x))];
  const out = new Map<string, PersonInfo>();
  // The ids travel as one JSON parameter (D1 binds at most 100): a province's nag run names 38,000 people.
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await db
      .select({ openId: people.openId, name: people.name, mobile: people.mobile })
      .from(people)
      .where(sql`${people.openId} IN (SELECT value FROM json_each(${JSON.stringify(ids.slice(i, i + 10_000))}))`);
    for (const r of rows) out.set(r.openId, { name: r.name, mobile: r.mobile });
  }
  return out;
}

/** The names alone, for cards that show no phone. */
export async function personNames(db: Db, openIds: (string | null | undefined)[]): Promise<Map<string, string>> {
  const info = await peopleInfo(db, openIds);
  return new Map([...info].map(([id, p]) => [id, p.name]));
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

/** ADMIN_OPEN_IDS and everybody registered with the admin role. */
export async function adminsOf(db: Db, configured: readonly string[]): Promise<string[]> {
  const rows = await db.select({ openId: people.openId, roles: people.roles }).from(people).where(like(people.roles, '%admin%'));
  return [...new Set([...configured, ...rows.filter((r) => splitRoles(r.roles).includes('admin')).map((r) => r.openId)])];
}
