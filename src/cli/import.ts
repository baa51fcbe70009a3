// npm run import -- <kind> <file.csv>
// Validates the whole file and writes all of it or none of it.
// Exit codes: 0 imported, 1 the file was rejected (nothing written), 2 usage or configuration error.

import { readFileSync } from 'node:fs';
import { decodeCsvBytes } from '../import/csv.ts';
import { formatImportResult, runImport } from '../import/framework.ts';
import { importers } from '../import/index.ts';
import { configOrExplain, withMigratedDatabase } from './config-and-database.ts';

async function main(argv: string[]): Promise<number> {
  const kinds = Object.keys(importers).join(', ');
  const usage = `用法 / usage: npm run import -- <kind> <file.csv>   (kinds: ${kinds})`;
  const [kind, file, ...rest] = argv;
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

  let text: string;
  try {
    text = decodeCsvBytes(readFileSync(file));
  } catch (e) {
    console.error(`无法读取文件 / cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }

  return withMigratedDatabase(config, async (db) => {
    const result = await runImport(importer, text, { db, now: new Date(), tz: config.TZ_NAME });
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
