import { migrate } from 'drizzle-orm/libsql/migrator';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './client.ts';

// From source this module is src/db/migrate.ts; in the production bundle (npm run build) it is
// part of dist/node.js, with the migrations copied beside it to dist/migrations.
const bundled = fileURLToPath(new URL('./migrations', import.meta.url));
export const migrationsFolder = existsSync(bundled) ? bundled : fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations; safe to run at every start. */
export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder });
}
