// A county's worth of data for the benches that start the whole server (bench/latency,
// bench/startup): enterprises, years of hazards in every status, the people who act on them, a
// duty roster around now and the bound chats. Generated inside SQLite (INSERT … SELECT over
// recursive CTEs, secondary indexes dropped for the load and rebuilt from the migrations' own SQL),
// deterministic, so every run measures the same database. No ANALYZE: a deployment never runs it,
// and statistics of a generated table (one NULL source_message_id for all rows) mislead the planner.
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { SECTOR_CODES as SECTORS } from '../src/domain/sectors.ts';

export const COUNTY = {
  admin: { openId: 'ou_bench_admin', name: '张伟' },
  leaderOnDuty: { openId: 'ou_bench_leader', name: '陈静' },
  officerOnDuty: { openId: 'ou_bench_officer', name: '王强' },
  /** Reports incidents (an officer not on duty, so the people on duty are the ones buzzed). */
  reporter: { openId: 'ou_bench_reporter', name: '赵磊' },
  /** Assignee of FIXER_HAZARDS dispatched hazards: the one who clicks 整改完成 in bench/latency. */
  fixer: { openId: 'ou_bench_fixer', name: '刘洋' },
  leadersChat: 'oc_bench_leaders',
  dutyChat: 'oc_bench_duty',
} as const;
export const FIXER_HAZARDS = 5000;
/** Inspectors who send the commands; each reported hazards of their own (/hazards mine has rows). */
export const INSPECTORS = 200;
export const inspectorId = (i: number) => `ou_bench_p${i}`;
export const enterpriseName = (e: number) => `第${e}号安全生产经营单位`;
/** Hazard `i` (1-based) is YH-2026-000i; the fixer's are the first FIXER_HAZARDS of the dispatched ones. */
export const hazardNo = (i: number) => `YH-2026-${String(i).padStart(4, '0')}`;

const DAY = 86_400_000;
const TOWNSHIPS = 20;

/**
 * Migrates `url` and fills it. Hazards are spread over the `years` before `now`: 40% closed, 15%
 * rectified, 35% dispatched (deadline after now: nothing overdue, so a nags run would not dominate),
 * 10% reported; 1 in 20 major. Returns the numbers of the fixer's hazards (dispatched, theirs).
 */
export async function seedCounty(url: string, o: { enterprises: number; hazards: number; now: number; years?: number }): Promise<string[]> {
  const database = await openDatabase(url);
  const { client } = database;
  try {
    await migrateDatabase(database.db);
    const t = o.now;
    const span = Math.round((o.years ?? 2) * 365 * DAY);
    const from = t - span;
    await client.execute('PRAGMA synchronous=OFF');
    await client.execute('PRAGMA cache_size=-500000');
    const tables = ['hazards', 'enterprises', 'people'];
    const indexes = (await client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map((x) => `'${x}'`).join(',')})`)).rows.map((r) => ({ name: String(r.name), sql: String(r.sql) }));
    for (const i of indexes) await client.execute(`DROP INDEX "${i.name}"`);

    const sector = (col: string) => `CASE (${col} % ${SECTORS.length}) ${SECTORS.map((s, i) => `WHEN ${i} THEN '${s}'`).join(' ')} END`;
    const township = (col: string) => `'乡镇' || (${col} % ${TOWNSHIPS})`;
    const named = [COUNTY.admin, COUNTY.leaderOnDuty, COUNTY.officerOnDuty, COUNTY.reporter, COUNTY.fixer];
    const roles = ['admin|leader', 'leader', 'officer', 'officer', 'contact'];
    await client.batch(
      [
        ...named.map((p, i) => ({ sql: "INSERT INTO people (open_id, name, roles, township, mobile, created_at, updated_at) VALUES (?, ?, ?, '乡镇0', '13900000000', ?, ?)", args: [p.openId, p.name, roles[i], from, from] })),
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${INSPECTORS - 1})
         INSERT INTO people (open_id, name, roles, township, created_at, updated_at) SELECT 'ou_bench_p' || i, '检查员' || i, 'inspector', ${township('i')}, ${from}, ${from} FROM n`,
        `WITH RECURSIVE n(e) AS (SELECT 1 UNION ALL SELECT e + 1 FROM n WHERE e < ${o.enterprises})
         INSERT INTO people (open_id, name, roles, township, created_at, updated_at) SELECT 'ou_bench_contact_' || e, '联系人' || e, 'contact', ${township('e')}, ${from}, ${from} FROM n`,
        `WITH RECURSIVE n(e) AS (SELECT 1 UNION ALL SELECT e + 1 FROM n WHERE e < ${o.enterprises})
         INSERT INTO enterprises (id, name, sector, township, supervisor_open_id, contact_open_id, registered, created_at, updated_at)
         SELECT e, '第' || e || '号安全生产经营单位', ${sector('e')}, ${township('e')}, '${COUNTY.leaderOnDuty.openId}', 'ou_bench_contact_' || e, 1, ${from}, ${from} FROM n`,
        // r decides the status; the fixer gets the first FIXER_HAZARDS dispatched ones.
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${o.hazards}),
         y AS (SELECT i, (i * 40503) % 100 AS r, 1 + (i * 104729) % ${o.enterprises} AS e, ${from} + (i * 2654435761) % ${span} AS t FROM n)
         INSERT INTO hazards (no, enterprise_id, sector, township, level, description, reporter_open_id, assignee_open_id, status, reported_at, deadline, dispatched_at, rectified_at, closed_at, updated_at)
         SELECT 'YH-2026-' || printf('%04d', i), e, ${sector('e')}, ${township('e')}, CASE WHEN i % 20 = 0 THEN 'major' ELSE 'general' END,
           '消防通道堆放杂物，应急照明损坏', 'ou_bench_p' || (i % ${INSPECTORS}),
           CASE WHEN r >= 55 AND r < 90 AND i <= ${Math.ceil((FIXER_HAZARDS / 0.35) * 1.2)} THEN '${COUNTY.fixer.openId}' ELSE 'ou_bench_contact_' || e END,
           CASE WHEN r < 40 THEN 'closed' WHEN r < 55 THEN 'rectified' WHEN r < 90 THEN 'dispatched' ELSE 'reported' END,
           CASE WHEN r >= 55 AND r < 90 THEN ${t} - 86400000 ELSE t END,
           CASE WHEN r >= 55 AND r < 90 THEN ${t} + 10 * 86400000 + (i % 20) * 86400000 ELSE t + 7 * 86400000 END,
           CASE WHEN r < 90 THEN t + 3600000 END, CASE WHEN r < 55 THEN t + 3 * 86400000 END, CASE WHEN r < 40 THEN t + 5 * 86400000 END, t FROM y`,
        { sql: "INSERT INTO sequences (name, value) VALUES ('YH-2026', ?)", args: [o.hazards] },
        { sql: "INSERT INTO shifts (role, person_open_id, start, end, origin, created_at, updated_at) VALUES ('leader', ?, ?, ?, 'imported', ?, ?), ('officer', ?, ?, ?, 'imported', ?, ?)", args: [COUNTY.leaderOnDuty.openId, t - DAY, t + 2 * DAY, t, t, COUNTY.officerOnDuty.openId, t - DAY, t + 2 * DAY, t, t] },
        { sql: "INSERT INTO chat_bindings (kind, name, chat_id, bound_by, bound_at) VALUES ('leaders', '', ?, ?, ?), ('duty', '', ?, ?, ?)", args: [COUNTY.leadersChat, COUNTY.admin.openId, t, COUNTY.dutyChat, COUNTY.admin.openId, t] },
      ],
      'write',
    );
    for (const i of indexes) await client.execute(i.sql);
    await client.execute('PRAGMA synchronous=NORMAL');
    const rs = await client.execute({ sql: "SELECT no FROM hazards WHERE assignee_open_id = ? AND status = 'dispatched' AND level = 'general' ORDER BY id LIMIT ?", args: [COUNTY.fixer.openId, FIXER_HAZARDS] });
    return rs.rows.map((r) => String(r.no));
  } finally {
    database.close();
  }
}
