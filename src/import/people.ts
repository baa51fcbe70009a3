// people.csv: name,open_id,mobile,roles,department,township[,county] — upserted by open_id.
// county (县区, optional): a county bureau's people, who see their county's statistics only; a file
// without the column leaves everyone's county as it is.
// People missing from the file are left alone; the import never deletes.

import { eq, inArray } from 'drizzle-orm';
import { people } from '../db/schema.ts';
import { ROLES, ROLE_LABELS, formatRoles, parseRole, type Role } from '../domain/roles.ts';
import { chunk, hasColumn, optional, type Importer, type ImportPlan, type RowError } from './framework.ts';

export interface PersonRow {
  name: string;
  openId: string;
  mobile: string | null;
  /** Canonical `|`-joined form, as stored. */
  roles: string;
  department: string | null;
  township: string | null;
  /** undefined when the file has no county column. */
  county?: string | null;
}

const OPEN_ID = /^ou_[A-Za-z0-9_-]+$/;
const MOBILE = /^\+?\d{7,15}$/;
const ROLE_HINT = ROLES.map((r) => `${r}/${ROLE_LABELS[r].zh}`).join(', ');

export const peopleImporter: Importer<PersonRow> = {
  name: 'people',
  header: ['name', 'open_id', 'mobile', 'roles', 'department', 'township'],
  aliases: {
    name: ['姓名'], open_id: ['OpenID', '飞书ID'], mobile: ['手机号', '手机', '联系电话'], roles: ['角色'],
    department: ['部门', '单位', '工作单位'], township: ['乡镇', '所属乡镇', '乡镇(街道)'],
    county: ['县区', '所属县区', '区县', '县(市、区)', '县市区'],
  },
  optional: ['county'],

  parse(r) {
    const name = r.name.trim();
    if (!name) return '姓名必填 / name is required';
    const openId = r.open_id.trim();
    if (!openId) return 'open_id 必填 / open_id is required';
    if (!OPEN_ID.test(openId)) return `open_id 格式无效 / open_id "${openId}" does not look like a Lark open_id (ou_…)`;
    const mobile = optional(r.mobile);
    if (mobile !== null && !MOBILE.test(mobile)) {
      return `手机号无效 / mobile "${mobile}" must be 7–15 digits with an optional leading +`;
    }
    const roles: Role[] = [];
    for (const text of r.roles.split('|').map((s) => s.trim()).filter(Boolean)) {
      const role = parseRole(text);
      if (!role) return `角色无效 / unknown role "${text}" (expected ${ROLE_HINT})`;
      roles.push(role);
    }
    return {
      name,
      openId,
      mobile,
      roles: formatRoles(roles),
      department: optional(r.department),
      township: optional(r.township),
      ...(hasColumn(r, 'county') ? { county: optional(r.county) } : {}),
    };
  },

  check(rows) {
    const firstLine = new Map<string, number>();
    const errors: RowError[] = [];
    for (const { line, row } of rows) {
      const first = firstLine.get(row.openId);
      if (first === undefined) firstLine.set(row.openId, line);
      else errors.push({ line, reason: `open_id 重复 / duplicate open_id "${row.openId}" (first on line ${first})` });
    }
    return errors;
  },

  async plan(rows, { db, now }) {
    const at = now.getTime();
    const existing = new Map<string, typeof people.$inferSelect>();
    for (const ids of chunk(rows.map((r) => r.row.openId), 500)) {
      for (const p of await db.select().from(people).where(inArray(people.openId, ids))) existing.set(p.openId, p);
    }

    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    const fresh: (typeof people.$inferInsert)[] = [];
    for (const { row } of rows) {
      const old = existing.get(row.openId);
      if (!old) {
        fresh.push({ ...row, createdAt: at, updatedAt: at });
        plan.inserted++;
      } else if (samePerson(old, row)) {
        plan.unchanged++;
      } else {
        const { openId, ...fields } = row;
        plan.statements.push(db.update(people).set({ ...fields, updatedAt: at }).where(eq(people.openId, openId)));
        plan.updated++;
      }
    }
    for (const values of chunk(fresh, 100)) plan.statements.push(db.insert(people).values(values));
    return plan;
  },
};

const same = (a: string | null, b: string | null) => (a ?? '') === (b ?? '');

function samePerson(old: typeof people.$inferSelect, row: PersonRow): boolean {
  return (
    old.name === row.name &&
    same(old.mobile, row.mobile) &&
    old.roles === row.roles &&
    same(old.department, row.department) &&
    same(old.township, row.township) &&
    (row.county === undefined || same(old.county, row.county))
  );
}
