// The ledger as Bitable records (issue 19): one record per hazard in the columns of /export's 隐患
// sheet (LEDGER_COLUMNS), so leaders filter and sort in Feishu what they would otherwise export.
import { aliasedTable, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enterprises, hazards, people } from '../db/schema.ts';
import { levelLabel, statusLabel } from './hazard-terms.ts';
import { sourceLabel } from './hazard-sources.ts';
import { fundsWanNumber } from './money.ts';
import { LEDGER_COLUMNS } from './stats-export.ts';

/** A Bitable field type: 1 text, 2 number, 5 date (epoch ms). */
export type LedgerFieldType = 1 | 2 | 5;

/** The table's fields: the ledger's headers, numbers as numbers and times as dates, so Feishu sorts them right. */
export const LEDGER_FIELDS: { name: string; type: LedgerFieldType }[] = LEDGER_COLUMNS.map((c) => ({
  name: c.header,
  type: c.time ? 5 : c.key === 'seq' || c.key === 'funds' ? 2 : 1,
}));

export type LedgerRecord = Record<string, string | number | null>;

/** The records of these hazards, keyed by hazard number (at most 90 numbers a query, for D1). */
export async function ledgerRecords(db: Db, nos: string[]): Promise<Map<string, LedgerRecord>> {
  const assignee = aliasedTable(people, 'assignee');
  const verifier = aliasedTable(people, 'verifier');
  const out = new Map<string, LedgerRecord>();
  for (let i = 0; i < nos.length; i += 90) {
    const rows = await db
      .select({ h: hazards, enterprise: enterprises.name, assignee: assignee.name, verifier: verifier.name })
      .from(hazards)
      .leftJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
      .leftJoin(assignee, eq(assignee.openId, hazards.assigneeOpenId))
      .leftJoin(verifier, eq(verifier.openId, hazards.verifierOpenId))
      .where(inArray(hazards.no, nos.slice(i, i + 90)));
    for (const r of rows) {
      const h = r.h;
      const cells: Record<string, string | number | null> = {
        // 序号: the hazard's own running number, stable however the table is sorted.
        seq: h.id,
        no: h.no,
        enterprise: r.enterprise ?? `#${h.enterpriseId}`,
        level: levelLabel(h.level).zh,
        description: h.description,
        source: sourceLabel(h.source).zh,
        reportedAt: h.reportedAt,
        measures: h.measures ?? '',
        funds: h.fundsFen === null ? null : fundsWanNumber(h.fundsFen),
        assignee: r.assignee ?? h.assigneeOpenId ?? '',
        deadline: h.deadline,
        status: statusLabel(h.status).zh,
        rectifiedAt: h.rectifiedAt,
        verifier: r.verifier ?? h.verifierOpenId ?? '',
        closedAt: h.closedAt,
        contingency: h.contingency ?? '',
      };
      out.set(h.no, Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.header, cells[c.key] ?? null])));
    }
  }
  return out;
}

/** Every hazard number, oldest first (for `npm run mirror -- bitable --full`). */
export async function allHazardNos(db: Db): Promise<string[]> {
  const rows = await db.select({ no: hazards.no }).from(hazards).orderBy(hazards.id);
  return rows.map((r) => r.no);
}
