// What the ledger imports share: people and enterprises named in cells, local dates, and the
// stable keys that make a re-import change nothing.

import { enterprises, people } from '../db/schema.ts';
import type { Enterprise } from '../domain/enterprises.ts';
import { formatDateTime, parseLocalDate } from '../domain/time.ts';
import { CellProblem, cellProblem, chunk, labelOf, type ImportContext } from './framework.ts';

interface Lookup {
  peopleByName: Map<string, string[]>;
  openIds: Set<string>;
  enterprises: Map<string, Enterprise>;
}

// One import reads people and enterprises once, however many rows name them.
const cache = new WeakMap<ImportContext, Promise<Lookup>>();

function lookup(ctx: ImportContext): Promise<Lookup> {
  let l = cache.get(ctx);
  if (!l) {
    l = (async () => {
      const ps = await ctx.db.select({ openId: people.openId, name: people.name }).from(people);
      const peopleByName = new Map<string, string[]>();
      for (const p of ps) peopleByName.set(p.name, [...(peopleByName.get(p.name) ?? []), p.openId]);
      const es = await ctx.db.select().from(enterprises);
      return { peopleByName, openIds: new Set(ps.map((p) => p.openId)), enterprises: new Map(es.map((e) => [e.name, e])) };
    })();
    cache.set(ctx, l);
  }
  return l;
}

/**
 * A person cell: blank → null; an open_id or a registered name → the open_id; an unknown name or
 * one shared by several people → a reason (Chinese / English) naming the column.
 */
export async function personCell(ctx: ImportContext, text: string | undefined, column: string): Promise<{ openId: string | null } | CellProblem> {
  const key = (text ?? '').trim();
  if (!key) return { openId: null };
  const l = await lookup(ctx);
  if (key.startsWith('ou_')) {
    return l.openIds.has(key) ? { openId: key } : cellProblem(ctx, column, (c) => `${c} 未登记 / ${c}: no registered person with open_id "${key}"`);
  }
  const ids = l.peopleByName.get(key) ?? [];
  if (ids.length === 1) return { openId: ids[0] };
  if (ids.length === 0) return cellProblem(ctx, column, (c) => `${c} 未登记 / ${c}: no registered person named "${key}"`);
  return cellProblem(ctx, column, (c) => `${c} 重名 / ${c}: ${ids.length} people are named "${key}"; use the open_id (${ids.join(', ')})`);
}

/** An enterprise cell, by exact name. */
export async function enterpriseCell(ctx: ImportContext, text: string, column = 'enterprise'): Promise<Enterprise | CellProblem> {
  const name = text.trim();
  if (!name) return cellProblem(ctx, column, () => '企业必填 / enterprise is required');
  const e = (await lookup(ctx)).enterprises.get(name);
  return e ?? cellProblem(ctx, column, () => `企业不存在 / unknown enterprise "${name}" (import it with the enterprises ledger first)`);
}

const LEDGER_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$/;

/**
 * A ledger date, `YYYY-MM-DD` or `YYYY-MM-DD HH:mm` in the import's time zone (`/` also accepted,
 * seconds dropped, as spreadsheets write them). Never a date without a year: a ledger is history.
 */
export function dateCell(ctx: ImportContext, text: string, column: string): { at: Date; hasTime: boolean } | CellProblem {
  const t = text.trim();
  const m = LEDGER_DATE.exec(t);
  const parsed = m && parseLocalDate(`${m[1]}-${m[2]}-${m[3]}${m[4] !== undefined ? ` ${m[4]}:${m[5]}` : ''}`, ctx.now, ctx.tz);
  if (!parsed) return cellProblem(ctx, column, (c) => `${c} 日期无效 / ${c}: "${t}" is not a date (YYYY-MM-DD or YYYY-MM-DD HH:mm)`);
  return { at: parsed.date, hasTime: parsed.hasTime };
}

/** Like dateCell, refusing instants after the import runs (a record of the past cannot be in the future). */
export function pastDateCell(ctx: ImportContext, text: string, column: string): { at: Date; hasTime: boolean } | CellProblem {
  const d = dateCell(ctx, text, column);
  if (!(d instanceof CellProblem) && d.at.getTime() > ctx.now.getTime()) {
    return cellProblem(ctx, column, (c) => `${c} 晚于当前时间 / ${c}: ${formatDateTime(d.at, ctx.tz)} is in the future`);
  }
  return d;
}

/** Like pastDateCell, for a column that may not be left blank. */
export function requiredPastDateCell(ctx: ImportContext, text: string, column: string): { at: Date; hasTime: boolean } | CellProblem {
  if (!text.trim()) return cellProblem(ctx, column, (c) => `${c} 必填 / ${c} is required`);
  return pastDateCell(ctx, text, column);
}

/** 是/否/true/false (and 1/0, yes/no); blank → false. */
export function booleanCell(text: string, column: string, ctx?: ImportContext): boolean | CellProblem {
  const t = text.trim().toLowerCase();
  if (['是', 'true', '1', 'yes', 'y', '暗查', '暗访'].includes(t)) return true;
  if (['否', 'false', '0', 'no', 'n', ''].includes(t)) return false;
  const c = ctx ? labelOf(ctx, column) : column;
  return new CellProblem(column, `${c} 应为 是/否 / ${c}: "${text.trim()}" is not 是/否/true/false`);
}

/**
 * The natural key of a ledger row: a hash of its normalised values, so the same row imported
 * again finds itself (import_key is UNIQUE) and changes nothing.
 */
export async function importKey(kind: string, parts: (string | number | boolean | null)[]): Promise<string> {
  const text = JSON.stringify([kind, ...parts]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${kind}:${hex.slice(0, 40)}`;
}

/**
 * Each row with its import key, and the stored records already under those keys, by key
 * (`stored` reads the records for one batch of keys).
 */
export async function findByImportKey<R, S extends { importKey: string | null }>(
  kind: string,
  rows: { row: R }[],
  identity: (row: R) => (string | number | boolean | null)[],
  stored: (keys: string[]) => Promise<S[]>,
): Promise<{ keyed: { row: R; key: string }[]; existing: Map<string, S> }> {
  const keyed = await Promise.all(rows.map(async ({ row }) => ({ row, key: await importKey(kind, identity(row)) })));
  const existing = new Map<string, S>();
  for (const keys of chunk(keyed.map((k) => k.key), 500)) {
    for (const s of await stored(keys)) existing.set(s.importKey!, s);
  }
  return { keyed, existing };
}

/** Rows whose key repeats an earlier row in the same file, as line errors. */
export function repeatedRows<T>(rows: { line: number; row: T }[], key: (row: T) => string, what: string) {
  const first = new Map<string, number>();
  const errors: { line: number; reason: string }[] = [];
  for (const { line, row } of rows) {
    const k = key(row);
    const at = first.get(k);
    if (at === undefined) first.set(k, line);
    else errors.push({ line, reason: `与第${at}行重复 / same ${what} as line ${at}` });
  }
  return errors;
}
