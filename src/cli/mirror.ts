import { allHazardNos } from '../domain/ledger-records.ts';
import { mirrorStatements, RECORDS_PER_ROW } from '../outbox/mirror-rows.ts';
import { settingsFromConfig } from '../settings.ts';
import { configOrExplain, withMigratedDatabase } from './config-and-database.ts';

// `npm run mirror -- bitable --full`: queues every hazard for the ledger's Bitable, 1,000 records to
// an outbox row (one batch call each), for the running server to upsert — the same path as a change,
// retried the same way, and the one Bitable queue stays the only writer. Records already mirrored
// are updated, the rest (or ones deleted in Feishu) created; the table's fields are created first if
// it lacks them.
const USAGE = 'usage: npm run mirror -- bitable --full';

async function main(args: string[]): Promise<number> {
  if (args[0] !== 'bitable' || !args.includes('--full') || args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const config = configOrExplain();
  if (!config) return 2;
  const table = settingsFromConfig(config).mirrors.bitable;
  if (!table) {
    console.error('未配置多维表格：请设置 FEISHU_BITABLE_APP_TOKEN 和 FEISHU_BITABLE_TABLE_ID / no Bitable configured: set FEISHU_BITABLE_APP_TOKEN and FEISHU_BITABLE_TABLE_ID');
    return 1;
  }
  const mirrors = settingsFromConfig(config).mirrors;
  const queued = await withMigratedDatabase(config, async (db) => {
    const nos = await allHazardNos(db);
    const statements = mirrorStatements(db, mirrors, { now: new Date(), hazards: nos });
    if (statements.length) {
      const [first, ...rest] = statements;
      await db.batch([first, ...rest]);
    }
    return nos.length;
  });
  const batches = Math.ceil(queued / RECORDS_PER_ROW);
  console.log(
    `已排队 ${queued} 条隐患记录（${batches} 批，每批至多 ${RECORDS_PER_ROW} 条），由运行中的服务写入多维表格 ${table.tableId}；进度见 /status。\n` +
      `Queued ${queued} hazard records (${batches} batch(es) of at most ${RECORDS_PER_ROW}) for the running server to write to Bitable table ${table.tableId}; /status shows the progress.`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
