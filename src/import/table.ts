// A ledger file as rows of text cells, whatever it was saved as. CSV is read by csv.ts (lines
// counted as an editor shows them); .xlsx by exceljs (the first sheet, or the one named), each row
// with the row number Excel shows and each cell as the text the person sees: dates as
// `YYYY-MM-DD` or `YYYY-MM-DD HH:mm` (Excel has no zones: a date cell is local wall time),
// numbers as written, formulas by their result, rich text joined.

import { CsvError, decodeCsvBytes, parseCsv, type CsvRecord } from './csv.ts';

export interface Table {
  /** The worksheet's name for a spreadsheet; undefined for CSV. */
  sheet?: string;
  /** Rows in file order; `line` is the CSV line or the Excel row number. */
  records: CsvRecord[];
}

export class TableError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'TableError';
  }
}

export const isSpreadsheet = (fileName: string) => /\.xlsx$/i.test(fileName);

/** Reads a ledger file: `.xlsx` (first sheet, or `sheet`) or CSV text. Throws TableError or CsvError. */
export async function readTable(bytes: Uint8Array, fileName: string, sheet?: string): Promise<Table> {
  if (isSpreadsheet(fileName)) return readWorkbook(bytes, sheet);
  if (/\.xls$/i.test(fileName)) {
    throw new TableError('不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV', 'old .xls files are not supported; save as .xlsx or CSV in Excel');
  }
  if (sheet !== undefined) throw new TableError('--sheet 只用于 .xlsx 文件', '--sheet applies to .xlsx files only');
  return { records: parseCsv(decodeCsvBytes(bytes)) };
}

async function readWorkbook(bytes: Uint8Array, sheetName?: string): Promise<Table> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new TableError('无法读取 .xlsx 文件（文件损坏或不是 Excel 工作簿）', 'cannot read the .xlsx file (damaged, or not an Excel workbook)');
  }
  const ws = sheetName === undefined ? wb.worksheets[0] : wb.worksheets.find((w) => w.name.trim() === sheetName.trim());
  if (!ws) {
    const names = wb.worksheets.map((w) => w.name).join('、') || '（无）';
    if (sheetName === undefined) throw new TableError('工作簿中没有工作表', 'the workbook has no worksheet');
    throw new TableError(`找不到工作表「${sheetName}」（有：${names}）`, `no worksheet named "${sheetName}" (the workbook has: ${names})`);
  }
  const records: CsvRecord[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const fields: string[] = [];
    // row.values is 1-based with holes for empty cells.
    const values = row.values as unknown[];
    for (let c = 1; c < values.length; c++) fields.push(cellText(values[c]));
    while (fields.length && fields[fields.length - 1] === '') fields.pop();
    if (fields.length) records.push({ line: rowNumber, fields });
  });
  return { sheet: ws.name, records };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell's value as the text a person reads in it. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    // Excel keeps a time as a fraction of a day: 09:30 may read back as 09:29:59.9996.
    const d = new Date(Math.round(v.getTime() / 1000) * 1000);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const h = d.getUTCHours();
    const m = d.getUTCMinutes();
    // A date cell with a time of 00:00 is a date; seconds are below what a ledger records.
    return h === 0 && m === 0 && d.getUTCSeconds() === 0 ? date : `${date} ${pad(h)}:${pad(m)}`;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('').trim();
    if ('result' in o) return cellText(o.result);
    if ('formula' in o || 'sharedFormula' in o) return '';
    if (typeof o.text === 'string') return o.text.trim();
    if (typeof o.error === 'string') return o.error;
  }
  return String(v);
}

/** The column letter Excel shows for a 0-based column index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export { CsvError };
