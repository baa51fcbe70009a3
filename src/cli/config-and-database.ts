import { ConfigError, loadConfig, type Config } from '../config.ts';
import { openDatabase, type Db } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';

// How the tools people run by hand to write data (import, roster) start: a wrong configuration is
// explained rather than thrown, and the database is migrated first (so they work before the bot
// has ever run) and closed however the tool ends.

/** The configuration; or, when it is wrong, undefined after printing why (the tool exits with 2). */
export function configOrExplain(): Config | undefined {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error('配置错误 / configuration error:\n' + e.problems.map((p) => `  ${p}`).join('\n'));
    return undefined;
  }
}

/** Opens the configured database, migrates it, runs `use` and closes the database afterwards. */
export async function withMigratedDatabase<T>(config: Config, use: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  try {
    await migrateDatabase(database.db);
    return await use(database.db);
  } finally {
    database.close();
  }
}
