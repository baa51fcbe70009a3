// All-or-nothing CSV imports. An importer says how to read one row, how to check rows against
// each other, and which writes the good rows need; runImport does the rest: if the header or
// any row is bad nothing is written and every problem is reported with its line, otherwise
// every write runs in one db.batch (one libSQL transaction).

import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { CsvError, parseCsv, parseHeader } from './csv.ts';

export interface RowError {
  line: number;
  reason: string;
}

export interface ImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

export interface ImportContext {
  db: Db;
  now: Date;
  /** IANA time zone the file's dates and times are written in. */
  tz: string;
}

export interface LineRow<Row> {
  line: number;
  row: Row;
}

export interface ImportPlan {
  /** Drizzle queries (not yet awaited), run together in one db.batch. */
  statements: BatchItem<'sqlite'>[];
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface Importer<Row> {
  /** Kind name used on the command line, e.g. 'people'. */
  name: string;
  /** The exact CSV header columns (any order in the file). */
  header: string[];
  /**
   * One record keyed by header column (values already trimmed unless quoted) → a typed row, or
   * a reason, Chinese first and English beside: '角色无效 / unknown role "boss"'.
   * Row must not itself be a string.
   */
  parse(record: Record<string, string>, ctx: ImportContext): Promise<Row | string> | Row | string;
  /** Checks across rows (duplicates inside the file…); runs only when every row parsed. */
  check?(rows: LineRow<Row>[], ctx: ImportContext): Promise<RowError[]> | RowError[];
  /** Every write the import needs, as drizzle queries for one db.batch, plus the counts. */
  plan(rows: LineRow<Row>[], ctx: ImportContext): Promise<ImportPlan>;
}

const failed = (errors: RowError[]): ImportResult => ({
  inserted: 0,
  updated: 0,
  unchanged: 0,
  errors: [...errors].sort((a, b) => a.line - b.line),
});

/** Validates the whole file, then writes all of it in one batch or none of it. */
export async function runImport<Row>(importer: Importer<Row>, csvText: string, ctx: ImportContext): Promise<ImportResult> {
  let records;
  try {
    records = parseCsv(csvText);
  } catch (e) {
    if (e instanceof CsvError) return failed([{ line: e.line, reason: e.reason }]);
    throw e;
  }

  const [head, ...body] = records;
  if (!head) return failed([{ line: 1, reason: `文件为空 / empty file, expected header: ${importer.header.join(',')}` }]);
  const headerProblems = parseHeader(importer.header, head.fields);
  if (headerProblems.length) return failed(headerProblems.map((reason) => ({ line: head.line, reason })));
  const columns = head.fields.map((s) => s.trim());

  const errors: RowError[] = [];
  const rows: LineRow<Row>[] = [];
  for (const { line, fields } of body) {
    // Spreadsheets save emptied rows as ",,,,,": treat them as the blank lines they look like.
    if (fields.every((f) => f.trim() === '')) continue;
    if (fields.length !== columns.length) {
      errors.push({ line, reason: `列数不对 / expected ${columns.length} columns, got ${fields.length}` });
      continue;
    }
    const record: Record<string, string> = {};
    columns.forEach((name, k) => (record[name] = fields[k]));
    const parsed = await importer.parse(record, ctx);
    if (typeof parsed === 'string') errors.push({ line, reason: parsed });
    else rows.push({ line, row: parsed });
  }
  if (errors.length) return failed(errors);

  const crossErrors = importer.check ? await importer.check(rows, ctx) : [];
  if (crossErrors.length) return failed(crossErrors);

  const plan = await importer.plan(rows, ctx);
  if (plan.statements.length) {
    const [first, ...rest] = plan.statements;
    await ctx.db.batch([first, ...rest]);
  }
  return { inserted: plan.inserted, updated: plan.updated, unchanged: plan.unchanged, errors: [] };
}

/** Splits a list into pieces of at most `size` (for IN lists and multi-row inserts). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Optional text cell: blank → null. */
export const optional = (s: string | undefined): string | null => {
  const t = (s ?? '').trim();
  return t === '' ? null : t;
};

/** The result as lines for a person: one summary line, then one line per error. */
export function formatImportResult(result: ImportResult): string[] {
  if (!result.errors.length) {
    return [`导入成功 / imported: ${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged`];
  }
  return [
    '导入失败，未写入任何数据 / import failed, nothing was written:',
    ...result.errors.map((e) => `  第${e.line}行 / line ${e.line}: ${e.reason}`),
  ];
}
