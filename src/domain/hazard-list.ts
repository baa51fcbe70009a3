// `/hazards` filters and paging: newest first, a page at a time.

import { and, desc, eq, isNotNull, like, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards } from '../db/schema.ts';
import { parseSector, sectorLabel, SECTOR_EN, type Sector } from './sectors.ts';
import type { Bi } from '../bi.ts';
import { own } from '../own.ts';
import { townshipIn, type Scope } from './stats-scope.ts';

export type HazardFilter =
  | { kind: 'all' }
  | { kind: 'mine'; openId: string }
  | { kind: 'open' }
  | { kind: 'overdue'; now: number }
  | { kind: 'supervised' }
  | { kind: 'sector'; sector: Sector }
  | { kind: 'township'; township: string }
  | { kind: 'county'; county: string }
  | { kind: 'enterprise'; text: string };

export const PAGE_SIZE = 10;

const KEYWORDS: Record<string, 'mine' | 'open' | 'overdue' | 'all' | 'supervised'> = {
  督办: 'supervised',
  挂牌督办: 'supervised',
  supervised: 'supervised',
  mine: 'mine',
  我的: 'mine',
  open: 'open',
  未销号: 'open',
  在办: 'open',
  未完成: 'open',
  overdue: 'overdue',
  逾期: 'overdue',
  超期: 'overdue',
  all: 'all',
  全部: 'all',
};

/**
 * Reads the filter word: mine / open / overdue (or 我的 / 未销号 / 逾期), a sector (code or label),
 * a township some enterprise or hazard is in, and otherwise part of an enterprise's name.
 */
export async function resolveFilter(db: Db, word: string | undefined, who: string, now: Date): Promise<HazardFilter> {
  const w = (word ?? '').trim();
  if (!w) return { kind: 'all' };
  const k = own(KEYWORDS, w.toLowerCase());
  if (k === 'mine') return { kind: 'mine', openId: who };
  if (k === 'overdue') return { kind: 'overdue', now: now.getTime() };
  if (k) return { kind: k };
  const sector = parseSector(w);
  if (sector) return { kind: 'sector', sector };
  const [inEnterprises] = await db.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.township, w)).limit(1);
  const [inHazards] = inEnterprises ? [inEnterprises] : await db.select({ id: hazards.id }).from(hazards).where(eq(hazards.township, w)).limit(1);
  if (inHazards) return { kind: 'township', township: w };
  const [inCounty] = await db.all<{ n: number }>(sql`SELECT 1 AS n FROM townships WHERE county = ${w} LIMIT 1`);
  if (inCounty) return { kind: 'county', county: w };
  return { kind: 'enterprise', text: w };
}

export function filterLabel(f: HazardFilter): Bi {
  switch (f.kind) {
    case 'all':
      return { zh: '全部隐患', en: 'All hazards' };
    case 'mine':
      return { zh: '我的隐患（我上报或我负责整改）', en: 'My hazards (reported by me or assigned to me)' };
    case 'open':
      return { zh: '未销号隐患', en: 'Open hazards' };
    case 'overdue':
      return { zh: '逾期未整改隐患', en: 'Overdue hazards' };
    case 'supervised':
      return { zh: '挂牌督办隐患', en: 'Hazards under listed supervision' };
    case 'sector':
      return { zh: `行业：${sectorLabel(f.sector)}`, en: `Sector: ${SECTOR_EN[f.sector]}` };
    case 'township':
      return { zh: `乡镇：${f.township}`, en: `Township: ${f.township}` };
    case 'county':
      return { zh: `县区：${f.county}`, en: `County: ${f.county}` };
    case 'enterprise':
      return { zh: `企业：${f.text}`, en: `Enterprise: ${f.text}` };
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(f: HazardFilter): SQL | undefined {
  switch (f.kind) {
    case 'all':
      return undefined;
    case 'mine':
      return or(eq(hazards.assigneeOpenId, f.openId), eq(hazards.reporterOpenId, f.openId));
    case 'open':
      return ne(hazards.status, 'closed');
    case 'overdue':
      return and(eq(hazards.status, 'dispatched'), lt(hazards.deadline, f.now));
    case 'supervised':
      return isNotNull(hazards.superviseLevel);
    case 'sector':
      return eq(hazards.sector, f.sector);
    case 'township':
      return eq(hazards.township, f.township);
    case 'county':
      return sql`${hazards.township} IN (SELECT name FROM townships WHERE county = ${f.county})`;
    case 'enterprise':
      return like(enterprises.name, sql`${`%${escapeLike(f.text)}%`} ESCAPE '\\'`);
  }
}

export interface HazardListRow {
  no: string;
  level: string;
  status: string;
  description: string;
  deadline: number | null;
  reportedAt: number;
  enterpriseName: string | null;
  assigneeOpenId: string | null;
}

/**
 * One page (0-based) of hazards matching the filter, newest first, and how many match in all —
 * within the scope: a county's people list their county's hazards only (issue 20).
 */
export async function listHazards(db: Db, f: HazardFilter, page: number, scope: Scope = { kind: 'all' }): Promise<{ rows: HazardListRow[]; total: number }> {
  const inScope = scope.kind === 'all' ? undefined : sql`1 ${townshipIn('hazards.township', scope)}`;
  const w = and(where(f), inScope);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)` })
    .from(hazards)
    .leftJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(w);
  const rows = await db
    .select({
      no: hazards.no,
      level: hazards.level,
      status: hazards.status,
      description: hazards.description,
      deadline: hazards.deadline,
      reportedAt: hazards.reportedAt,
      enterpriseName: enterprises.name,
      assigneeOpenId: hazards.assigneeOpenId,
    })
    .from(hazards)
    .leftJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(w)
    .orderBy(desc(hazards.reportedAt), desc(hazards.id))
    .limit(PAGE_SIZE)
    .offset(Math.max(0, page) * PAGE_SIZE);
  return { rows, total: Number(n) };
}
