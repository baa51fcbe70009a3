import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { allHazardNos } from '../domain/ledger-records.ts';
import { mirrorStatements, RECORDS_PER_ROW } from '../outbox/mirror-rows.ts';
import { settingsFromConfig } from '../settings.ts';

// `npm run mirror -- bitable --full`: queues every hazard for the ledger's Bitable, 1,000 records to
// an outbox row (one batch call each), for the running server to upsert — the same path as a change,
// retried the same way. Records already mirrored are updated, the rest (or ones deleted in Feishu)
// created; the table's fields are created first if it lacks them.
const args = process.argv.slice(2);
const USAGE = 'usage: npm run mirror -- bitable --full\n';
if (args[0] !== 'bitable' || !args.includes('--full') || args.length !== 2) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const config = loadConfig(process.env);
const settings = settingsFromConfig(config);
if (!settings.mirrors.bitable) {
  process.stderr.write('未配置多维表格：请设置 FEISHU_BITABLE_APP_TOKEN 和 FEISHU_BITABLE_TABLE_ID / no Bitable configured: set FEISHU_BITABLE_APP_TOKEN and FEISHU_BITABLE_TABLE_ID\n');
  process.exit(1);
}
const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await migrateDatabase(database.db);
const nos = await allHazardNos(database.db);
const statements = mirrorStatements(database.db, settings.mirrors, { now: new Date(), hazards: nos });
if (statements.length) {
  const [first, ...rest] = statements;
  await database.db.batch([first, ...rest]);
}
database.close();
const batches = Math.ceil(nos.length / RECORDS_PER_ROW);
process.stdout.write(
  `已排队 ${nos.length} 条隐患记录（${batches} 批，每批至多 ${RECORDS_PER_ROW} 条），由运行中的服务写入多维表格 ${settings.mirrors.bitable.tableId}；进度见 /status。\n` +
    `Queued ${nos.length} hazard records (${batches} batch(es) of at most ${RECORDS_PER_ROW}) for the running server to write to Bitable table ${settings.mirrors.bitable.tableId}; /status shows the progress.\n`,
);
