import { configOrExplain } from './config-and-database.ts';
import { databaseFile } from '../backup/for-config.ts';
import { restoreDatabase } from '../backup/restore.ts';

// npm run restore -- FILE — puts a snapshot in place of DATABASE_URL's file. Checks the snapshot
// (integrity_check, Watchkeeper's tables) and refuses while a server runs on the database (each
// server keeps a fresh `server:…` row in its settings table; see src/backup/presence.ts). The
// replaced file is renamed aside, never deleted. Start the server afterwards: it migrates the
// restored database to the current schema.

const file = process.argv[2];
if (!file || file.startsWith('-')) {
  console.error('用法 usage: npm run restore -- FILE   (e.g. data/backups/watchkeeper-20261201T183000Z.db)');
  process.exit(2);
}
const config = configOrExplain();
if (!config) process.exit(2);
const dbPath = databaseFile(config);
if (!dbPath) {
  console.error('DATABASE_URL 不是数据库文件：libSQL 服务器请在服务器上恢复，D1 请用 npx wrangler d1 time-travel restore。\nDATABASE_URL is not a database file: restore a libSQL server on the server, D1 with npx wrangler d1 time-travel restore.');
  process.exit(2);
}

const r = await restoreDatabase({ file, dbPath, now: new Date() });
if (!r.ok && r.reason === 'bad-file') {
  console.error(`拒绝恢复：${file} 不是可用的 Watchkeeper 备份（${r.detail}）。数据库未改动。\nRefused: ${file} is not a usable Watchkeeper backup (${r.detail}). The database is unchanged.`);
  process.exit(1);
}
if (!r.ok && r.reason === 'server-running') {
  const who = r.servers.map((s) => `pid ${s.pid} on ${s.host}${s.port ? `:${s.port}` : ''}`).join(', ');
  console.error(`拒绝恢复：有服务器正在使用 ${dbPath}（${who}）。请先停止服务器再恢复。数据库未改动。\nRefused: a server is running on ${dbPath} (${who}). Stop it, then restore. The database is unchanged.`);
  process.exit(1);
}
if (r.ok) {
  console.log(`已恢复 / restored ${file} → ${r.restored}`);
  if (r.asideAs) console.log(`原数据库已移至 / the replaced database is kept at ${r.asideAs}`);
  console.log('启动服务器即可（会自动迁移到当前版本）/ start the server now (it migrates the database to the current schema)');
}
