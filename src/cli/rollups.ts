// npm run rollups -- rebuild | check
//
// rebuild: recounts stats_rollup from the rows in one batch (and first remakes the calendar when
// TZ_NAME is not the zone it was made for). The triggers keep the rollup right as data changes, so
// this is for after a change of TZ_NAME, a restore of an old snapshot into a new schema, or a check
// that failed. check: compares the rollup with the rows; exit 1 when they differ.
// See docs/adr/0022-statistics-rollups.md.

import { sql } from 'drizzle-orm';
import { configOrExplain, withMigratedDatabase } from './config-and-database.ts';
import { calendarStatements, calendarZone, rebuildStatements, rollupDifferences } from '../domain/stats-rollup.ts';

const USAGE = 'usage: npm run rollups -- rebuild | check';
const [verb] = process.argv.slice(2);
if (verb !== 'rebuild' && verb !== 'check') {
  console.error(USAGE);
  process.exit(2);
}
const config = configOrExplain();
if (!config) process.exit(2);

const code = await withMigratedDatabase(config, async (db) => {
  const zone = await calendarZone(db);
  if (verb === 'check') {
    const t0 = performance.now();
    const n = await rollupDifferences(db);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    if (zone !== config.TZ_NAME) console.log(`统计日历按 ${zone ?? '—'} 生成，TZ_NAME 为 ${config.TZ_NAME}：请运行 npm run rollups -- rebuild / the calendar is for ${zone ?? '—'}, TZ_NAME is ${config.TZ_NAME}: run npm run rollups -- rebuild`);
    if (n === 0) console.log(`统计汇总与明细一致 / the rollups equal the rows (${secs} s)`);
    else console.log(`统计汇总与明细不一致：${n} 行 / ${n} rollup rows differ from the rows (${secs} s); run npm run rollups -- rebuild`);
    return n === 0 && zone === config.TZ_NAME ? 0 : 1;
  }
  const t0 = performance.now();
  const calendar = zone === config.TZ_NAME ? [] : calendarStatements(db, config.TZ_NAME, new Date());
  const [first, ...rest] = rebuildStatements(db);
  await db.batch([...calendar, first, ...rest] as unknown as Parameters<typeof db.batch>[0]);
  const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM stats_rollup`);
  console.log(`${calendar.length ? `统计日历已按 ${config.TZ_NAME} 重建；` : ''}统计汇总已重建 / rollups rebuilt: ${Number(row?.n ?? 0).toLocaleString()} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
});
process.exit(code);
