// All-or-nothing ledger imports (CSV or .xlsx, English or Chinese headers). An importer says
// which columns it reads, how to read one row, how to check rows against each other, and which
// writes the good rows need; runImport does the rest: if the header or any row is bad nothing is
// written and every problem is reported where the person will look for it — sheet, row and
// column as they see them (`第5行 整改期限`) — otherwise every write runs in one db.batch.

import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { columnName, knownHeaders, mapHeader, type ColumnSpec } from './columns.ts';
import { CsvError, parseCsv } from './csv.ts';
import { columnLetter, type Table } from './table.ts';

export interface RowError {
  line: number;
  reason: string;
  /** The column as the person sees it (`整改期限（K列）`), when the problem is one cell's. */
  column?: string;
}

export interface ImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
  /** The worksheet read, for a spreadsheet. */
  sheet?: string;
}

export interface ImportContext {
  db: Db;
  now: Date;
  /** IANA time zone the file's dates and times are written in. */
  tz: string;
  /** A column's name as this file writes it (set by runImport; the canonical name otherwise). */
  label?: (column: string) => string;
  /** Mirrors into Feishu to queue for what the import writes (issue 19); none when absent. */
  mirrors?: import('../settings.ts').MirrorSettings;
}

/** A problem with one cell: its canonical column and the reason. */
export class CellProblem {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {}
}

/** What reading a cell or a row may give instead of a value: a row's reason or one cell's. */
export type Problem = string | CellProblem;
export const isProblem = (x: unknown): x is Problem => typeof x === 'string' || x instanceof CellProblem;
/** The column's name in messages about this file. */
export const labelOf = (ctx: ImportContext, column: string) => ctx.label?.(column) ?? column;
/** A problem with `column`, its reason naming the column as the file does. */
export const cellProblem = (ctx: ImportContext, column: string, reason: (label: string) => string) =>
  new CellProblem(column, reason(labelOf(ctx, column)));
/** Whether the file has this (optional) column at all: an absent column leaves the field alone. */
export const hasColumn = (record: Record<string, string>, column: string) => Object.hasOwn(record, column);

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

export interface Importer<Row> extends Omit<ColumnSpec, 'required'> {
  /** Kind name used on the command line, e.g. 'people'. */
  name: string;
  /** The columns every file must have, by their English names (any order in the file). */
  header: string[];
  /**
   * One record keyed by canonical column (values already trimmed unless quoted; an absent
   * optional column is absent) → a typed row, or a problem, Chinese first and English beside:
   * '角色无效 / unknown role "boss"'. Row must not itself be a string or a CellProblem.
   */
  parse(record: Record<string, string>, ctx: ImportContext): Promise<Row | Problem> | Row | Problem;
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

// 序号 (the row counter every Chinese ledger starts with) is ignored in every kind.
const specOf = (importer: Importer<unknown>): ColumnSpec => ({ ...importer, required: importer.header, ignored: ['序号', ...(importer.ignored ?? [])] });

/** Finds the header: the first row, or in a spreadsheet the first row naming a known column (titles above it are skipped). */
function headerRow(spec: ColumnSpec, table: Table) {
  if (table.sheet === undefined) return 0;
  const k = table.records.slice(0, 20).findIndex((r) => knownHeaders(spec, r.fields) > 0);
  return Math.max(k, 0);
}

/** Validates the whole file (CSV text, or a table read by readTable), then writes all of it in one batch or none of it. */
export async function runImport<Row>(importer: Importer<Row>, input: string | Table, baseCtx: ImportContext): Promise<ImportResult> {
  let table: Table;
  if (typeof input === 'string') {
    try {
      table = { records: parseCsv(input) };
    } catch (e) {
      if (e instanceof CsvError) return failed([{ line: e.line, reason: e.reason }]);
      throw e;
    }
  } else table = input;
  const sheet = table.sheet;
  const fail = (errors: RowError[]) => ({ ...failed(errors), ...(sheet !== undefined ? { sheet } : {}) });

  const spec = specOf(importer as Importer<unknown>);
  const h = headerRow(spec, table);
  const head = table.records[h];
  if (!head) return fail([{ line: 1, reason: `文件为空 / empty file, expected header: ${importer.header.join(',')}` }]);
  const header = mapHeader(spec, head.fields);
  if (header.problems.length) return fail(header.problems.map((reason) => ({ line: head.line, reason })));
  const width = head.fields.length;
  const ctx: ImportContext = { ...baseCtx, label: (c) => header.seen.get(c) ?? columnName(spec, c, header.chinese) };
  // Name the cell in the prefix when the file's words differ from the reason's or it is a sheet with letters.
  const where = (column: string): string | undefined => {
    const seen = header.seen.get(column);
    if (sheet !== undefined) return `${seen ?? column}（${columnLetter(header.index.get(column) ?? 0)}列）`;
    return seen !== undefined && seen !== column ? seen : undefined;
  };
  const toError = (line: number, p: Problem): RowError => {
    if (typeof p === 'string') return { line, reason: p };
    const column = where(p.column);
    return column ? { line, reason: p.reason, column } : { line, reason: p.reason };
  };

  const errors: RowError[] = [];
  const rows: LineRow<Row>[] = [];
  for (const { line, fields } of table.records.slice(h + 1)) {
    // Spreadsheets save emptied rows as ",,,,,": treat them as the blank lines they look like.
    if (fields.every((f) => f.trim() === '')) continue;
    if (sheet === undefined ? fields.length !== width : fields.slice(width).some((f) => f.trim() !== '')) {
      errors.push({ line, reason: `列数不对 / expected ${width} columns, got ${fields.length}` });
      continue;
    }
    // Column names come from the file: a null-prototype table, so a `constructor` column is just a column.
    const record: Record<string, string> = Object.create(null);
    for (const [name, k] of header.index) record[name] = fields[k] ?? '';
    const parsed = await importer.parse(record, ctx);
    if (isProblem(parsed)) errors.push(toError(line, parsed));
    else rows.push({ line, row: parsed });
  }
  if (errors.length) return fail(errors);

  const crossErrors = importer.check ? await importer.check(rows, ctx) : [];
  if (crossErrors.length) return fail(crossErrors);

  const plan = await importer.plan(rows, ctx);
  if (plan.statements.length) {
    const [first, ...rest] = plan.statements;
    await ctx.db.batch([first, ...rest]);
  }
  return { inserted: plan.inserted, updated: plan.updated, unchanged: plan.unchanged, errors: [], ...(sheet !== undefined ? { sheet } : {}) };
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
    ...result.errors.map((e) => `  ${where(result.sheet, e)}: ${e.reason}`),
  ];
}

/** `工作表「隐患」第5行 整改期限（K列） / sheet 隐患, row 5, 整改期限（K列）`; CSV: `第5行 / line 5`. */
function where(sheet: string | undefined, e: RowError): string {
  const zh = `${sheet !== undefined ? `工作表「${sheet}」` : ''}第${e.line}行${e.column ? ` ${e.column}` : ''}`;
  const en = `${sheet !== undefined ? `sheet ${sheet}, row` : 'line'} ${e.line}${e.column ? `, ${e.column}` : ''}`;
  return `${zh} / ${en}`;
}
