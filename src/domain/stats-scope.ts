// Whose figures a statistics query counts: the whole deployment, one township (an inspector's), or
// one county (a county bureau's people, issue 20). A county is the townships the townships table
// puts in it, looked up inside each query, so it needs no list bound by the caller.

import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export type Scope = { kind: 'all' } | { kind: 'township'; township: string } | { kind: 'county'; county: string };
export const ALL: Scope = { kind: 'all' };

/** `AND <column> …` restricting a township column to the scope (empty for all). */
export function townshipIn(column: string, scope: Scope): SQL {
  const col = sql.raw(column);
  if (scope.kind === 'township') return sql` AND ${col} = ${scope.township}`;
  if (scope.kind === 'county') return sql` AND ${col} IN (SELECT name FROM townships WHERE county = ${scope.county})`;
  return sql``;
}

/** The scope's name as people read it (全部乡镇 for all). */
export function scopeName(scope: Scope): string | undefined {
  return scope.kind === 'township' ? scope.township : scope.kind === 'county' ? scope.county : undefined;
}

/** Township → county, for every township placed in a county. */
export async function countyOfTownship(db: Db): Promise<Map<string, string>> {
  const rows = await db.all<{ name: string; county: string }>(sql`SELECT name, county FROM townships`);
  return new Map(rows.map((r) => [r.name, r.county]));
}

/** The townships of a county (sorted), for a county's people and the 按乡镇 table inside it. */
export async function townshipsOfCounty(db: Db, county: string): Promise<string[]> {
  const rows = await db.all<{ name: string }>(sql`SELECT name FROM townships WHERE county = ${county} ORDER BY name`);
  return rows.map((r) => r.name);
}

/** Whether any township has a county: a deployment without counties keeps its old answers. */
export async function hasCounties(db: Db): Promise<boolean> {
  const rows = await db.all<{ n: number }>(sql`SELECT 1 AS n FROM townships LIMIT 1`);
  return rows.length > 0;
}
