import { inArray } from 'drizzle-orm';
import { isSandbox, loadConfig } from '../config.ts';
import { backupsFor } from '../backup/for-config.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { outbox } from '../db/schema.ts';
import { createLogger } from '../log.ts';
import { settingsFromConfig } from '../settings.ts';
import { jobs, findJob } from '../../jobs/index.ts';
import { runSlot } from '../jobs/runner.ts';
import { OutboxSender } from '../outbox/sender.ts';
import { DEFERRED_MSG_TYPE } from '../outbox/messages.ts';
import { cardToText } from '../lark/card-text.ts';
import { larkForCli } from './lark-for-cli.ts';

// npm run jobs -- list
// npm run jobs -- run NAME [--at 2026-12-08T09:05:00+08:00]
//   runs one job once as if it were that instant, delivers what it queued, prints what was sent.

function usage(): never {
  process.stderr.write('usage: npm run jobs -- list\n       npm run jobs -- run NAME [--at 2026-12-08T09:05:00+08:00]\n');
  process.exit(2);
}

const [verb, name, ...rest] = process.argv.slice(2);
if (verb === 'list') {
  for (const j of jobs) process.stdout.write(`${j.name.padEnd(18)} ${j.cron.padEnd(14)} ${j.summary.zh} / ${j.summary.en}\n`);
  process.exit(0);
}
if (verb !== 'run' || !name) usage();
const job = findJob(name);
if (!job) {
  process.stderr.write(`未知任务 unknown job "${name}". 可用 known: ${jobs.map((j) => j.name).join(', ')}\n`);
  process.exit(2);
}
let at = new Date();
const atIndex = rest.indexOf('--at');
if (atIndex >= 0) {
  at = new Date(rest[atIndex + 1] ?? '');
  if (Number.isNaN(at.getTime())) {
    process.stderr.write(`--at needs an ISO time such as 2026-12-08T09:05:00+08:00\n`);
    process.exit(2);
  }
}

const config = loadConfig(process.env);
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await migrateDatabase(database.db);
// Before the run: a job may upload (the weekly report's chart) while it decides what to send.
const { lark, where, close } = await larkForCli(config, log);
// The backup job and the daily brief's backup line need the snapshots a server here would take
// (none in sandbox mode, as the sandbox takes none).
const deps = { db: database.db, settings: settingsFromConfig(config), log, lark, backups: isSandbox(config) ? undefined : backupsFor(config) };
const outcome = await runSlot(deps, job, at, `cli-${process.pid}`, at);
if (!outcome.ran) {
  process.stdout.write(`${job.name} @ ${at.toISOString()}: 该时段已运行过，未重复发送 / this slot already ran; nothing new sent\n`);
} else if ('failed' in outcome) {
  process.stdout.write(`${job.name} @ ${at.toISOString()}: 运行失败 / failed: ${outcome.failed}\n`);
  process.exitCode = 1;
} else {
  // Deliver as of the job's instant, so reminders deferred past quiet hours inside it still wait.
  const sender = new OutboxSender({ client: database.client, lark, clock: () => new Date(Math.max(at.getTime(), Date.now())), log, instanceId: `cli-${process.pid}` });
  await sender.drain();
  const rows = outcome.outboxIds.length ? await database.db.select().from(outbox).where(inArray(outbox.id, outcome.outboxIds)) : [];
  process.stdout.write(`${job.name} @ ${at.toISOString()}: 排队 ${outcome.queued} 条 / queued ${outcome.queued} (via ${where})\n`);
  for (const r of rows) {
    if (r.kind === 'urgent') {
      process.stdout.write(`  📳 加急 buzz → ${r.audience}  [${r.status}]\n`);
      continue;
    }
    const content = JSON.parse(r.content) as Record<string, unknown>;
    // A row rendered when sent (a nag digest, docs/adr/0024) that is still waiting holds only its reference.
    const body = r.msgType === 'interactive' ? cardToText(content) : r.msgType === DEFERRED_MSG_TYPE ? '（发送时生成 / rendered when sent）' : String(content.text ?? '');
    process.stdout.write(`\n→ ${r.target}  [${r.status}${r.lastError ? ` ${r.lastError}` : ''}]\n${body.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
  }
}
await close();
database.close();
