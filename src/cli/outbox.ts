import { desc, eq } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { outbox } from '../db/schema.ts';

// `npm run outbox -- failed`: the messages Lark refused for good, with the reason.
const [verb] = process.argv.slice(2);
if (verb !== 'failed') {
  process.stderr.write('usage: npm run outbox -- failed\n');
  process.exit(2);
}
const config = loadConfig(process.env);
const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
const rows = await database.db.select().from(outbox).where(eq(outbox.status, 'failed')).orderBy(desc(outbox.createdAt)).limit(200);
database.close();
if (rows.length === 0) {
  process.stdout.write('没有发送失败的消息 / no failed messages\n');
} else {
  process.stdout.write(`发送失败的消息 / failed messages: ${rows.length}\n`);
  for (const r of rows) {
    const at = new Date(r.createdAt).toISOString();
    process.stdout.write(`${at}  ${r.id}  ${r.kind} → ${r.target}  tries ${r.attempts}  ${r.lastError ?? ''}\n`);
  }
}
