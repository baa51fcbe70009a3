// enforcement.csv: enterprise,date,kind,amount,people,note — one row per action.
// kind is a code or its Chinese label; amount is in 元 (`50000`, `1.05万` also read); only fines
// carry an amount and only interviews and detentions a number of people (blank = 1).
// A row is known again by its import_key, a hash of (enterprise, date, kind, note): re-importing
// changes nothing, and correcting an amount or a count in the ledger updates that action rather
// than adding another. Two rows with the same key in one file are refused (tell them apart in note).

import { eq, inArray } from 'drizzle-orm';
import { enforcementActions } from '../db/schema.ts';
import { KIND_HINT, enforcementFacts, parseKind, type EnforcementKind } from '../domain/enforcement.ts';
import { chunk, optional, type Importer, type ImportPlan, isProblem } from './framework.ts';
import { enterpriseCell, findByImportKey, repeatedRows, requiredPastDateCell } from './refs.ts';

export interface EnforcementRow {
  enterpriseId: number;
  at: number;
  kind: EnforcementKind;
  amountFen: number;
  people: number;
  note: string | null;
}

const identity = (r: EnforcementRow) => [r.enterpriseId, r.at, r.kind, r.note ?? ''];

export const enforcementImporter: Importer<EnforcementRow> = {
  name: 'enforcement',
  header: ['enterprise', 'date', 'kind', 'amount', 'people', 'note'],
  aliases: {
    enterprise: ['企业名称', '被处罚单位'], date: ['执法日期', '日期'], kind: ['执法类别', '类别'], amount: ['罚款金额', '金额'],
    people: ['人数'], note: ['备注', '说明'],
  },
  units: { amount: ['元'] },

  async parse(r, ctx) {
    const e = await enterpriseCell(ctx, r.enterprise);
    if (isProblem(e)) return e;
    const d = requiredPastDateCell(ctx, r.date, 'date');
    if (isProblem(d)) return d;
    const kindText = r.kind.trim();
    const kind = parseKind(kindText);
    if (!kind) return `执法类别无效 / unknown kind "${kindText}" (expected ${KIND_HINT})`;
    const facts = enforcementFacts(kind, r.amount, r.people);
    if (!facts.ok) return `${facts.zh} / ${facts.en}`;
    return { enterpriseId: e.id, at: d.at.getTime(), kind, amountFen: facts.amountFen, people: facts.people, note: optional(r.note) };
  },

  check: (rows) => repeatedRows(rows, (r) => JSON.stringify(identity(r)), 'enterprise, date, kind and note'),

  async plan(rows, { db, now }) {
    const at = now.getTime();
    const { keyed, existing } = await findByImportKey('enforcement', rows, identity, (keys) =>
      db.select().from(enforcementActions).where(inArray(enforcementActions.importKey, keys)),
    );
    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    const fresh: (typeof enforcementActions.$inferInsert)[] = [];
    for (const { row, key } of keyed) {
      const old = existing.get(key);
      if (!old) {
        fresh.push({ ...row, actorOpenId: null, importKey: key, createdAt: at });
        plan.inserted++;
      } else if (old.amountFen === row.amountFen && old.people === row.people) {
        plan.unchanged++;
      } else {
        plan.statements.push(db.update(enforcementActions).set({ amountFen: row.amountFen, people: row.people }).where(eq(enforcementActions.id, old.id)));
        plan.updated++;
      }
    }
    for (const values of chunk(fresh, 100)) plan.statements.push(db.insert(enforcementActions).values(values));
    return plan;
  },
};
