import { existsSync } from 'node:fs';
import { configOrExplain } from './config-and-database.ts';
import { backupsFor, databaseFile } from '../backup/for-config.ts';
import { openDatabase } from '../db/client.ts';
import { clearBackupFailure } from '../domain/backup-status.ts';
import { sizeText } from '../views/status.ts';

// npm run backup — one checked snapshot of DATABASE_URL's file into BACKUP_DIR now, keeping BACKUP_KEEP.
// Safe beside a running server: the snapshot is read over its own connection (VACUUM INTO).

const config = configOrExplain();
if (!config) process.exit(2);
const dbPath = databaseFile(config);
const backups = backupsFor(config);
if (!dbPath || backups.elsewhere) {
  console.error(`不做备份 / no snapshot taken: ${backups.elsewhere?.zh ?? ''}\n  ${backups.elsewhere?.en ?? ''}`);
  process.exit(2);
}
if (!existsSync(dbPath)) {
  console.error(`数据库文件不存在 / no database file at ${dbPath}`);
  process.exit(1);
}
try {
  const file = await backups.take(new Date());
  const kept = await backups.list();
  console.log(`已备份 / backup written: ${file.path} (${sizeText(file.bytes)})`);
  console.log(`保留 ${kept.length} 份（最多 ${config.BACKUP_KEEP}）/ ${kept.length} kept (at most ${config.BACKUP_KEEP}) in ${config.BACKUP_DIR}`);
  const database = await openDatabase(config.DATABASE_URL);
  try {
    await clearBackupFailure(database.db);
  } catch {
    // an old database without the settings table: nothing recorded to clear
  } finally {
    database.close();
  }
} catch (e) {
  console.error(`备份失败 / backup failed: ${(e as Error)?.message ?? e}`);
  process.exit(1);
}
