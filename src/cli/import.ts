// npm run import -- <kind> <file.csv|file.xlsx> [--sheet NAME]
// Validates the whole file and writes all of it or none of it. A workbook is read from its first
// sheet unless --sheet names another.
// Exit codes: 0 imported, 1 the file was rejected (nothing written), 2 usage or configuration error.

import { readFileSync } from 'node:fs';
import { settingsFromConfig } from '../settings.ts';
import { CsvError } from '../import/csv.ts';
import { readTable, TableError, type Table } from '../import/table.ts';
import { formatImportResult, runImport } from '../import/framework.ts';
import { importers } from '../import/index.ts';
import { configOrExplain, withMigratedDatabase } from './config-and-database.ts';

async function main(argv: string[]): Promise<number> {
  const kinds = Object.keys(importers).join(', ');
  const usage = `用法 / usage: npm run import -- <kind> <file.csv|file.xlsx> [--sheet 工作表名]   (kinds: ${kinds})`;
  const args = [...argv];
  let sheet: string | undefined;
  const s = args.findIndex((a) => a === '--sheet' || a.startsWith('--sheet='));
  if (s >= 0) {
    const [flag] = args.splice(s, 1);
    sheet = flag.includes('=') ? flag.slice('--sheet='.length) : args.splice(s, 1)[0];
    if (!sheet) {
      console.error(usage);
      return 2;
    }
  }
  const [kind, file, ...rest] = args;
  if (!kind || !file || rest.length) {
    console.error(usage);
    return 2;
  }
  const importer = Object.hasOwn(importers, kind) ? importers[kind] : undefined;
  if (!importer) {
    console.error(`未知的导入类型 / unknown kind "${kind}"; known kinds: ${kinds}`);
    return 2;
  }

  const config = configOrExplain();
  if (!config) return 2;

  let table: Table;
  try {
    table = await readTable(readFileSync(file), file, sheet);
  } catch (e) {
    if (e instanceof CsvError) {
      console.error(formatImportResult({ inserted: 0, updated: 0, unchanged: 0, errors: [{ line: e.line, reason: e.reason }] }).join('\n'));
      return 1;
    }
    const why = e instanceof TableError ? e.message : e instanceof Error ? e.message : String(e);
    console.error(`无法读取文件 / cannot read ${file}: ${why}`);
    return e instanceof TableError ? 1 : 2;
  }

  return withMigratedDatabase(config, async (db) => {
    const result = await runImport(importer, table, { db, now: new Date(), tz: config.TZ_NAME, mirrors: settingsFromConfig(config).mirrors });
    const lines = formatImportResult(result).join('\n');
    if (result.errors.length) {
      console.error(lines);
      return 1;
    }
    console.log(lines);
    return 0;
  });
}

process.exitCode = await main(process.argv.slice(2));
