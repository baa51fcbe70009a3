// inspections.csv: enterprise,date,inspector,covert — one row per visit (户次).
// A row is known again by its import_key, a hash of (enterprise, date, inspector): re-importing
// the same file changes nothing, and correcting `covert` in the ledger updates that visit rather
// than adding another. Two rows for the same visit in one file are refused (add a time to tell
// two visits on one day apart). A visit links the hazards its inspector reported there that day.

import { and, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { hazards, inspections } from '../db/schema.ts';
import { localDayRange } from '../domain/inspections.ts';
import { chunk, type Importer, type ImportPlan, isProblem } from './framework.ts';
import { booleanCell, enterpriseCell, findByImportKey, personCell, repeatedRows, requiredPastDateCell } from './refs.ts';

export interface InspectionRow {
  enterpriseId: number;
  at: number;
  inspectorOpenId: string | null;
  covert: boolean;
}

const identity = (r: InspectionRow) => [r.enterpriseId, r.at, r.inspectorOpenId];

export const inspectionsImporter: Importer<InspectionRow> = {
  name: 'inspections',
  header: ['enterprise', 'date', 'inspector', 'covert'],
  aliases: { enterprise: ['企业名称', '被检查单位'], date: ['检查日期', '检查时间'], inspector: ['检查人', '检查人员'], covert: ['暗查暗访', '是否暗查暗访'] },

  async parse(r, ctx) {
    const e = await enterpriseCell(ctx, r.enterprise);
    if (isProblem(e)) return e;
    const d = requiredPastDateCell(ctx, r.date, 'date');
    if (isProblem(d)) return d;
    const inspector = await personCell(ctx, r.inspector, 'inspector');
    if (isProblem(inspector)) return inspector;
    const covert = booleanCell(r.covert, 'covert');
    if (isProblem(covert)) return covert;
    return { enterpriseId: e.id, at: d.at.getTime(), inspectorOpenId: inspector.openId, covert };
  },

  check: (rows) =>
    repeatedRows(rows, (r) => JSON.stringify(identity(r)), 'enterprise, date and inspector (if these are two visits, add the times)'),

  async plan(rows, { db, now, tz }) {
    const at = now.getTime();
    const { keyed, existing } = await findByImportKey('inspection', rows, identity, (keys) =>
      db.select().from(inspections).where(inArray(inspections.importKey, keys)),
    );
    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    const fresh: (typeof inspections.$inferInsert)[] = [];
    const links: typeof plan.statements = [];
    for (const { row, key } of keyed) {
      const old = existing.get(key);
      if (!old) {
        fresh.push({ ...row, importKey: key, createdAt: at });
        plan.inserted++;
        if (row.inspectorOpenId) {
          const [from, to] = localDayRange(new Date(row.at), tz);
          const id = db.select({ id: inspections.id }).from(inspections).where(eq(inspections.importKey, key));
          links.push(
            db.update(hazards).set({ inspectionId: sql`(${id})` }).where(and(
              eq(hazards.enterpriseId, row.enterpriseId),
              eq(hazards.reporterOpenId, row.inspectorOpenId),
              isNull(hazards.inspectionId),
              gte(hazards.reportedAt, from),
              lt(hazards.reportedAt, to),
            )),
          );
        }
      } else if (old.covert === row.covert) {
        plan.unchanged++;
      } else {
        plan.statements.push(db.update(inspections).set({ covert: row.covert }).where(eq(inspections.id, old.id)));
        plan.updated++;
      }
    }
    for (const values of chunk(fresh, 100)) plan.statements.push(db.insert(inspections).values(values));
    plan.statements.push(...links);
    return plan;
  },
};
