import { and, asc, eq, inArray, like, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards, people } from '../db/schema.ts';
import type { Person } from './people.ts';
import type { Sector } from './sectors.ts';

export type Enterprise = typeof enterprises.$inferSelect;

export type EnterpriseMatch =
  | { kind: 'one'; enterprise: Enterprise }
  /** `more`: further names matched beyond the candidates returned. */
  | { kind: 'many'; candidates: Enterprise[]; more?: boolean }
  | { kind: 'none' };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Finds an enterprise by name: an exact name wins; otherwise names containing the text.
 * Several matches are returned for the person to choose from — never a silent guess.
 */
export async function matchEnterprise(db: Db, name: string, limit = 10): Promise<EnterpriseMatch> {
  const key = name.trim();
  if (!key) return { kind: 'none' };
  const [exact] = await db.select().from(enterprises).where(eq(enterprises.name, key)).limit(1);
  if (exact) return { kind: 'one', enterprise: exact };
  const pattern = `%${escapeLike(key)}%`;
  const found = await db
    .select()
    .from(enterprises)
    .where(or(like(enterprises.name, sql`${pattern} ESCAPE '\\'`)))
    .orderBy(enterprises.name)
    .limit(limit + 1);
  if (found.length === 1) return { kind: 'one', enterprise: found[0] };
  if (found.length > 1) return { kind: 'many', candidates: found.slice(0, limit), more: found.length > limit };
  return { kind: 'none' };
}

export async function enterpriseById(db: Db, id: number): Promise<Enterprise | undefined> {
  const [e] = await db.select().from(enterprises).where(eq(enterprises.id, id)).limit(1);
  return e;
}

export async function enterpriseByName(db: Db, name: string): Promise<Enterprise | undefined> {
  const [e] = await db.select().from(enterprises).where(eq(enterprises.name, name.trim())).limit(1);
  return e;
}

/**
 * The insert for an enterprise first heard of in a hazard report (新生企业无人监管): created
 * unregistered so the report goes through, for an admin to complete later. Idempotent on the name.
 */
export function insertUnregisteredEnterprise(db: Db, name: string, now: Date) {
  return db
    .insert(enterprises)
    .values({ name: name.trim(), sector: 'other', registered: false, createdAt: now.getTime(), updatedAt: now.getTime() })
    .onConflictDoNothing();
}

export type Hazard = typeof hazards.$inferSelect;

/** Hazards at an enterprise not yet closed (销号), soonest deadline first, those without one last. */
export async function openHazardsOf(db: Db, enterpriseId: number, limit = 50): Promise<{ rows: Hazard[]; total: number }> {
  const where = and(eq(hazards.enterpriseId, enterpriseId), ne(hazards.status, 'closed'));
  const rows = await db
    .select()
    .from(hazards)
    .where(where)
    .orderBy(sql`${hazards.deadline} IS NULL`, asc(hazards.deadline), asc(hazards.reportedAt))
    .limit(limit);
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(hazards).where(where);
  return { rows, total: Number(n) };
}

/** The 包保领导 and 企业联系人 of an enterprise, as people (either may be missing). */
export async function enterprisePeople(db: Db, e: Enterprise): Promise<{ supervisor?: Person; contact?: Person }> {
  const ids = [e.supervisorOpenId, e.contactOpenId].filter((x): x is string => !!x);
  if (!ids.length) return {};
  const found = await db.select().from(people).where(inArray(people.openId, ids));
  const by = new Map(found.map((p) => [p.openId, p]));
  return { supervisor: e.supervisorOpenId ? by.get(e.supervisorOpenId) : undefined, contact: e.contactOpenId ? by.get(e.contactOpenId) : undefined };
}

/** The fields an admin (or a ledger) sets on an enterprise; undefined = leave as it is. */
export interface EnterpriseFields {
  sector?: Sector;
  township?: string | null;
  address?: string | null;
  supervisorOpenId?: string | null;
  contactOpenId?: string | null;
  /** `|`-joined other names (see normalizeAliases). */
  aliases?: string | null;
}

export type EnterpriseField = keyof EnterpriseFields | 'registered';

export interface FieldChange {
  field: EnterpriseField;
  from: string | boolean | null;
  to: string | boolean | null;
}

/** What setting `fields` (and registering) would change on `old`; every field counts for a new one. */
export function enterpriseChanges(old: Enterprise | undefined, fields: EnterpriseFields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of ['sector', 'township', 'address', 'supervisorOpenId', 'contactOpenId', 'aliases'] as const) {
    const to = fields[key];
    if (to === undefined) continue;
    const from = old ? old[key] : null;
    if ((from ?? null) !== (to ?? null)) changes.push({ field: key, from: from ?? null, to: to ?? null });
  }
  if (old && !old.registered) changes.push({ field: 'registered', from: false, to: true });
  return changes;
}

/**
 * The write that creates a registered enterprise, or completes/updates the existing one of that
 * name (setting registered). Pair it with enterpriseChanges to tell the admin what it did.
 */
export function saveEnterprise(db: Db, old: Enterprise | undefined, name: string, fields: EnterpriseFields, now: Date) {
  const at = now.getTime();
  if (!old) {
    return db.insert(enterprises).values({
      name: name.trim(),
      sector: fields.sector ?? 'other',
      township: fields.township ?? null,
      address: fields.address ?? null,
      supervisorOpenId: fields.supervisorOpenId ?? null,
      contactOpenId: fields.contactOpenId ?? null,
      aliases: fields.aliases ?? null,
      registered: true,
      createdAt: at,
      updatedAt: at,
    });
  }
  return db.update(enterprises).set({ ...fields, registered: true, updatedAt: at }).where(eq(enterprises.id, old.id));
}

/**
 * A fingerprint of every name people may use for an enterprise: it changes whenever one is added,
 * renamed, moved or given aliases, so an index built from the names knows when to rebuild.
 */
export async function enterpriseNamesVersion(db: Db): Promise<string> {
  const [row] = await db
    .select({
      n: sql<number>`count(*)`,
      top: sql<number>`coalesce(max(${enterprises.id}), 0)`,
      at: sql<number>`coalesce(sum(${enterprises.updatedAt}), 0)`,
      len: sql<number>`coalesce(sum(length(${enterprises.name}) + length(coalesce(${enterprises.aliases}, '')) * 7 + length(coalesce(${enterprises.township}, '')) * 13), 0)`,
    })
    .from(enterprises);
  return `${row.n}:${row.top}:${row.at}:${row.len}`;
}

/** What the plain-message matcher needs of every enterprise. */
export async function enterpriseNames(db: Db): Promise<{ id: number; name: string; township: string | null; aliases: string | null }[]> {
  return db.select({ id: enterprises.id, name: enterprises.name, township: enterprises.township, aliases: enterprises.aliases }).from(enterprises);
}

/** `a|b|c` as people type it (also with 、 , ，) → the stored form, or null for none. */
export function normalizeAliases(text: string | null | undefined): string | null {
  const list = [...new Set((text ?? '').split(/[|｜、,，]/).map((s) => s.trim()).filter(Boolean))];
  return list.length ? list.join('|') : null;
}
