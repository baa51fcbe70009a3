// enterprises.csv: name,sector,township,address,supervisor,contact[,aliases] — upserted by name.
// aliases (optional column) are other names people use, `|`-joined (红星烟花|红星); a file without
// the column leaves every enterprise's aliases as they are.
// sector is a code or its Chinese label; supervisor (包保领导) and contact (企业联系人) are a
// registered person's name or open_id. Every imported enterprise is registered, so importing
// completes one that a hazard report created. Enterprises missing from the file are left alone.
// county (县区, optional column) says which county the row's township belongs to (issue 20): it is
// kept per township (the townships table), so every row naming a township must agree; a blank
// cell leaves the township's county as it is.

import { eq, inArray } from 'drizzle-orm';
import { enterprises, townships } from '../db/schema.ts';
import { normalizeAliases, type Enterprise } from '../domain/enterprises.ts';
import { SECTOR_CODES, SECTORS, parseSector, type Sector } from '../domain/sectors.ts';
import { chunk, hasColumn, optional, type Importer, type ImportPlan, isProblem } from './framework.ts';
import { personCell, repeatedRows } from './refs.ts';

export interface EnterpriseRow {
  name: string;
  sector: Sector;
  township: string | null;
  address: string | null;
  supervisorOpenId: string | null;
  contactOpenId: string | null;
  /** undefined when the file has no aliases column. */
  aliases?: string | null;
  /** 县区 of the township; undefined when the file has no county column, null when the cell is blank. */
  county?: string | null;
}

const SECTOR_HINT = SECTOR_CODES.map((c) => `${c}/${SECTORS[c]}`).join(', ');

export const enterprisesImporter: Importer<EnterpriseRow> = {
  name: 'enterprises',
  header: ['name', 'sector', 'township', 'address', 'supervisor', 'contact'],
  aliases: {
    name: ['企业名称', '单位名称'], sector: ['行业', '行业类别', '所属行业'], township: ['乡镇', '所属乡镇', '乡镇(街道)'],
    address: ['地址', '企业地址', '详细地址'], supervisor: ['包保领导', '包保责任人'], contact: ['企业联系人', '联系人'],
    aliases: ['别名', '简称'], county: ['县区', '所属县区', '区县', '县(市、区)', '县市区'],
  },
  optional: ['aliases', 'county'],

  async parse(r, ctx) {
    const name = r.name.trim();
    if (!name) return '企业名称必填 / name is required';
    const sectorText = r.sector.trim();
    if (!sectorText) return `行业必填 / sector is required (${SECTOR_HINT})`;
    const sector = parseSector(sectorText);
    if (!sector) return `行业无效 / unknown sector "${sectorText}" (expected ${SECTOR_HINT})`;
    const supervisor = await personCell(ctx, r.supervisor, 'supervisor');
    if (isProblem(supervisor)) return supervisor;
    const contact = await personCell(ctx, r.contact, 'contact');
    if (isProblem(contact)) return contact;
    const township = optional(r.township);
    const county = hasColumn(r, 'county') ? optional(r.county) : undefined;
    if (county && !township) return '填写县区时须同时填写乡镇 / a county (县区) needs the township it contains';
    return {
      name,
      sector,
      township,
      address: optional(r.address),
      supervisorOpenId: supervisor.openId,
      contactOpenId: contact.openId,
      ...(hasColumn(r, 'aliases') ? { aliases: normalizeAliases(r.aliases) } : {}),
      ...(county !== undefined ? { county } : {}),
    };
  },

  check: (rows) => [...repeatedRows(rows, (r) => r.name, 'name'), ...countyConflicts(rows)],

  async plan(rows, { db, now }) {
    const at = now.getTime();
    const existing = new Map<string, Enterprise>();
    for (const names of chunk(rows.map((r) => r.row.name), 500)) {
      for (const e of await db.select().from(enterprises).where(inArray(enterprises.name, names))) existing.set(e.name, e);
    }
    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    const moved = await countyChanges(db, rows.map((r) => r.row));
    for (const [name, county] of moved) {
      plan.statements.push(db.insert(townships).values({ name, county, updatedAt: at }).onConflictDoUpdate({ target: townships.name, set: { county, updatedAt: at } }));
    }
    const fresh: (typeof enterprises.$inferInsert)[] = [];
    for (const { row: withCounty } of rows) {
      const { county: _county, ...row } = withCounty;
      const old = existing.get(row.name);
      if (!old) {
        fresh.push({ ...row, registered: true, createdAt: at, updatedAt: at });
        plan.inserted++;
      } else if (sameEnterprise(old, row) && !(row.township && moved.has(row.township))) {
        plan.unchanged++;
      } else if (sameEnterprise(old, row)) {
        plan.updated++; // only its township's county changed
      } else {
        const { name, ...fields } = row;
        plan.statements.push(db.update(enterprises).set({ ...fields, registered: true, updatedAt: at }).where(eq(enterprises.id, old.id)));
        plan.updated++;
      }
    }
    for (const values of chunk(fresh, 100)) plan.statements.push(db.insert(enterprises).values(values));
    return plan;
  },
};

/** Rows that put a township in another county than an earlier row did. */
function countyConflicts(rows: { line: number; row: EnterpriseRow }[]) {
  const first = new Map<string, { line: number; county: string }>();
  const errors: { line: number; reason: string; column?: string }[] = [];
  for (const { line, row } of rows) {
    if (!row.township || !row.county) continue;
    const seen = first.get(row.township);
    if (!seen) first.set(row.township, { line, county: row.county });
    else if (seen.county !== row.county) {
      errors.push({
        line,
        reason: `乡镇「${row.township}」在第${seen.line}行属于「${seen.county}」，这里写的是「${row.county}」 / township ${row.township} is in ${seen.county} on line ${seen.line} but ${row.county} here`,
      });
    }
  }
  return errors;
}

/** Township → county where the file says something new (a blank county cell changes nothing). */
async function countyChanges(db: ImportContextDb, rows: EnterpriseRow[]): Promise<Map<string, string>> {
  const wanted = new Map<string, string>();
  for (const r of rows) if (r.township && r.county) wanted.set(r.township, r.county);
  const stored = new Map<string, string>();
  for (const names of chunk([...wanted.keys()], 500)) {
    for (const t of await db.select().from(townships).where(inArray(townships.name, names))) stored.set(t.name, t.county);
  }
  return new Map([...wanted].filter(([name, county]) => stored.get(name) !== county));
}

type ImportContextDb = Parameters<typeof enterprisesImporter.plan>[1]['db'];

const same = (a: string | null, b: string | null) => (a ?? '') === (b ?? '');

function sameEnterprise(old: Enterprise, row: EnterpriseRow): boolean {
  return (
    old.registered &&
    old.sector === row.sector &&
    same(old.township, row.township) &&
    same(old.address, row.address) &&
    same(old.supervisorOpenId, row.supervisorOpenId) &&
    same(old.contactOpenId, row.contactOpenId) &&
    (row.aliases === undefined || same(old.aliases, row.aliases))
  );
}
