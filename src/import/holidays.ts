// holidays.csv: date,kind,name — kind `holiday` (放假) or `workday` (调休上班). Upserted by date;
// dates missing from the file are left alone. data/holidays/2026.csv (shipped, and loaded by
// migration 0011) is this format.

import { inArray } from 'drizzle-orm';
import { holidays } from '../db/schema.ts';
import { chunk, type Importer, type ImportPlan } from './framework.ts';
import { repeatedRows } from './refs.ts';

export interface HolidayRow {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseKind(text: string): HolidayRow['kind'] | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'holiday' || t === '放假' || t === '节假日' || t === '假') return 'holiday';
  if (t === 'workday' || t === '上班' || t === '调休' || t === '调休上班' || t === '班') return 'workday';
  return undefined;
}

export const holidaysImporter: Importer<HolidayRow> = {
  name: 'holidays',
  header: ['date', 'kind', 'name'],
  aliases: { date: ['日期'], kind: ['类型'], name: ['名称', '节日'] },

  parse(r) {
    const date = r.date.trim();
    const m = DATE.exec(date);
    const valid = m && (() => {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
    })();
    if (!valid) return `日期无效 / date "${date}" must be a real date written YYYY-MM-DD`;
    const kind = parseKind(r.kind);
    if (!kind) return `类型无效 / kind "${r.kind.trim()}" must be holiday (放假) or workday (调休上班)`;
    const name = r.name.trim();
    if (!name) return '名称必填 / name is required';
    return { date, kind, name };
  },

  check(rows) {
    return repeatedRows(rows, (r) => r.date, 'date');
  },

  async plan(rows, { db }) {
    const existing = new Map<string, typeof holidays.$inferSelect>();
    for (const dates of chunk(rows.map((r) => r.row.date), 500)) {
      for (const h of await db.select().from(holidays).where(inArray(holidays.date, dates))) existing.set(h.date, h);
    }
    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    for (const { row } of rows) {
      const old = existing.get(row.date);
      if (old && old.kind === row.kind && old.name === row.name) {
        plan.unchanged++;
        continue;
      }
      if (old) plan.updated++;
      else plan.inserted++;
      plan.statements.push(db.insert(holidays).values(row).onConflictDoUpdate({ target: holidays.date, set: { kind: row.kind, name: row.name } }));
    }
    return plan;
  },
};
