// 应急队伍 and their 抢险设备: reading, listing with totals, and choosing teams for an incident.

import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { chatBindings, enterprises, people, teams } from '../db/schema.ts';
import { parseTeamType, suitedTeamTypes, type TeamType } from './incident-types.ts';

export type Team = typeof teams.$inferSelect;
export interface Equipment {
  name: string;
  count: number;
}

/** The stored JSON, defensively: a hand-edited row never breaks a listing. */
export function equipmentOf(team: Pick<Team, 'equipment'>): Equipment[] {
  try {
    const list = JSON.parse(team.equipment) as unknown;
    if (!Array.isArray(list)) return [];
    return list
      .filter((e): e is Equipment => !!e && typeof e.name === 'string' && Number.isInteger(e.count))
      .map((e) => ({ name: e.name, count: e.count }));
  } catch {
    return [];
  }
}

export const equipmentTotal = (team: Pick<Team, 'equipment'>) => equipmentOf(team).reduce((n, e) => n + e.count, 0);

/** `抽水泵:12|冲锋舟:3` (full-width ：and ｜ too) → items, or a reason (Chinese / English). */
export function parseEquipment(text: string): Equipment[] | string {
  const out: Equipment[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/[|｜]/)) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^(.+?)\s*[:：]\s*(\d+)$/.exec(item);
    if (!m || !m[1].trim()) return `设备格式无效 / equipment "${item}" must be NAME:COUNT, e.g. 抽水泵:12|冲锋舟:3`;
    const name = m[1].trim();
    const count = Number(m[2]);
    if (count <= 0 || !Number.isSafeInteger(count)) return `设备数量无效 / equipment "${name}": the count must be a whole number above 0`;
    if (seen.has(name)) return `设备重复 / equipment "${name}" is listed twice`;
    seen.add(name);
    out.push({ name, count });
  }
  return out;
}

export interface TeamTotals {
  teams: number;
  members: number;
  equipment: number;
  /** Per equipment name, largest first. */
  byEquipment: Equipment[];
}

export function totalsOf(list: Team[]): TeamTotals {
  const by = new Map<string, number>();
  let members = 0;
  for (const t of list) {
    members += t.members;
    for (const e of equipmentOf(t)) by.set(e.name, (by.get(e.name) ?? 0) + e.count);
  }
  const byEquipment = [...by].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh'));
  return { teams: list.length, members, equipment: byEquipment.reduce((n, e) => n + e.count, 0), byEquipment };
}

export type TeamFilter = { kind: 'all' } | { kind: 'type'; type: TeamType } | { kind: 'township'; township: string };

/** `/teams` argument: a team type (label or code) first, else a township name. */
export function parseTeamFilter(text: string | undefined): TeamFilter {
  const t = text?.trim();
  if (!t) return { kind: 'all' };
  const type = parseTeamType(t);
  return type ? { kind: 'type', type } : { kind: 'township', township: t };
}

export async function listTeams(db: Db, filter: TeamFilter): Promise<Team[]> {
  const where = filter.kind === 'type' ? eq(teams.type, filter.type) : filter.kind === 'township' ? eq(teams.township, filter.township) : undefined;
  return db.select().from(teams).where(where).orderBy(asc(teams.township), asc(teams.type), asc(teams.name));
}

export async function teamById(db: Db, id: number): Promise<Team | undefined> {
  const [t] = await db.select().from(teams).where(eq(teams.id, id)).limit(1);
  return t;
}

/** Every township name the product knows (teams, enterprises, people, township chats). */
export async function knownTownships(db: Db): Promise<string[]> {
  const rows = await db.all<{ t: string }>(sql`
    SELECT township AS t FROM ${teams} WHERE township IS NOT NULL
    UNION SELECT township FROM ${enterprises} WHERE township IS NOT NULL
    UNION SELECT township FROM ${people} WHERE township IS NOT NULL
    UNION SELECT name FROM ${chatBindings} WHERE kind = 'township' AND name <> ''`);
  return rows.map((r) => String(r.t)).filter(Boolean);
}

/**
 * The township a location names: the longest known township it contains, else a leading
 * `…镇` / `…乡` / `…街道` the way people write places (红梅镇河堤 → 红梅镇).
 */
export async function townshipIn(db: Db, location: string): Promise<string | undefined> {
  const known = (await knownTownships(db)).filter((t) => location.includes(t)).sort((a, b) => b.length - a.length);
  if (known[0]) return known[0];
  return /^(.{1,10}?(?:街道|镇|乡))/.exec(location)?.[1];
}

/**
 * Teams to offer for an incident: types suited to it, in the location's township or city-level
 * (no township). When the township has no suited team at all, every suited team is offered.
 * Teams without a leader cannot be dispatched and are left out.
 */
export async function suggestTeams(db: Db, incident: { type: string; location: string }, exclude: number[]): Promise<{ teams: Team[]; township?: string }> {
  const types = [...suitedTeamTypes(incident.type)];
  const township = await townshipIn(db, incident.location);
  const base = and(inArray(teams.type, types), isNotNull(teams.leaderOpenId));
  let rows = township ? await db.select().from(teams).where(and(base, or(eq(teams.township, township), isNull(teams.township)))) : [];
  const local = township !== undefined && rows.some((t) => t.township === township);
  if (!local) rows = await db.select().from(teams).where(base);
  const rank = (t: Team) => (township && t.township === township ? 0 : t.township === null ? 1 : 2) * 100 + types.indexOf(t.type as TeamType);
  const left = rows.filter((t) => !exclude.includes(t.id)).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'zh'));
  return { teams: left, township: local ? township : undefined };
}
