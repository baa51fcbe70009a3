import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addEnterprise, addPerson } from './support/seed.ts';
import { bj, runJob } from './support/roster-helpers.ts';
import { chatBindings, enterprises } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { fileBackups } from '../src/backup/file-backups.ts';
import { D1_BACKUPS, type Backups } from '../src/backup/backups.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { killHard, runCli, startServer, stopGracefully } from '../scripts/chaos/server-process.ts';

const ADMIN = 'ou_bk_admin';
const INSPECTOR = 'ou_bk_lina';
const backupJob = findJob('backup')!;
const briefJob = findJob('daily-brief')!;
const LEADERS = 'oc_bk_leaders';
const names = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.db')).sort();

describe('the backup job and /status', () => {
  let h: Harness;
  let dir: string;
  let failing = false;
  let files: Backups;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wk-backups-'));
    // Backups that can be made to fail the way a full or read-only disk does.
    const inner = () => fileBackups({ dbPath: h.dbPath, dir: join(dir, 'snapshots'), keep: 14 });
    files = {
      dir: join(dir, 'snapshots'),
      keep: 14,
      list: () => inner().list(),
      take: (now) => (failing ? Promise.reject(new Error('ENOSPC: no space left on device')) : inner().take(now)),
    };
    h = await startHarness({ adminOpenIds: [ADMIN], start: bj('2026-12-01T09:00:00'), backups: files });
    await addPerson(h.db, INSPECTOR, '李娜', 'inspector');
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells an admin there is no backup yet, and refuses /status to others', async () => {
    const { replies } = await h.say(ADMIN, '/状态');
    expect(textOf(replies[0])).toContain('还没有备份');
    const refused = await h.say(INSPECTOR, '/status');
    expect(textOf(refused.replies[0])).toContain('管理员');
    expect(textOf(refused.replies[0])).not.toContain('备份');
  });

  it('keeps the newest 14 snapshots over 16 nights, each a whole database', async () => {
    for (let d = 2; d <= 17; d++) {
      const { outcome } = await runJob(h, backupJob, bj(`2026-12-${String(d).padStart(2, '0')}T02:30:00`));
      expect(outcome).toMatchObject({ ran: true, queued: 0 });
    }
    const kept = names(files.dir!);
    expect(kept).toHaveLength(14);
    // 02:30 in Beijing is 18:30 UTC the evening before: Dec 3 … Dec 16 (UTC) are kept.
    expect(kept[0]).toBe('watchkeeper-20261203T183000Z.db');
    expect(kept[13]).toBe('watchkeeper-20261216T183000Z.db');
    expect(readdirSync(files.dir!).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('names the last good backup in /status', async () => {
    h.setNow(bj('2026-12-17T09:00:00'));
    const { replies } = await h.say(ADMIN, '/status');
    const text = textOf(replies[0]);
    expect(text).toContain('最近一次成功备份：2026-12-17 02:30');
    expect(text).toContain('watchkeeper-20261216T183000Z.db');
    expect(text).toContain('共 14 份，保留最近 14 份');
  });

  it('names the last good backup in the daily brief', async () => {
    await h.db.insert(chatBindings).values({ kind: 'leaders', name: '', chatId: LEADERS, boundBy: ADMIN, boundAt: 0 });
    const { sent } = await runJob(h, briefJob, bj('2026-12-17T08:30:00'));
    expect(sent.map((m) => m.chatId)).toEqual([LEADERS]);
    const brief = textOf(sent[0]);
    expect(brief).toContain('最近一次成功备份 2026-12-17 02:30（watchkeeper-20261216T183000Z.db）');
    expect(brief).toContain('last good backup 2026-12-17 02:30');
    expect(brief).not.toContain('备份失败');
  });

  it('tells every admin when a backup fails, and /status shows it until one succeeds', async () => {
    failing = true;
    const { outcome, sent } = await runJob(h, backupJob, bj('2026-12-18T02:30:00'));
    expect(outcome).toMatchObject({ ran: true, queued: 1 });
    expect(sent.map((m) => m.receiveId)).toEqual([ADMIN]);
    const notice = textOf(sent[0]);
    expect(notice).toContain('数据库备份失败（2026-12-18 02:30）：ENOSPC');
    expect(notice).toContain('上一次成功的备份是 2026-12-17 02:30');
    expect(notice).toContain('The database backup failed');
    expect(names(files.dir!)).toHaveLength(14);

    h.setNow(bj('2026-12-18T09:00:00'));
    const during = await h.say(ADMIN, '/status');
    expect(textOf(during.replies[0])).toContain('2026-12-18 02:30 的备份失败：ENOSPC');

    // The morning brief says so too, beside the last good one.
    const brief = textOf((await runJob(h, briefJob, bj('2026-12-18T08:30:00'))).sent[0]);
    expect(brief).toContain('最近一次成功备份 2026-12-17 02:30');
    expect(brief).toContain('⚠️ 2026-12-18 02:30 的备份失败');

    failing = false;
    await runJob(h, backupJob, bj('2026-12-19T02:30:00'));
    h.setNow(bj('2026-12-19T09:00:00'));
    const after = await h.say(ADMIN, '/status');
    expect(textOf(after.replies[0])).toContain('最近一次成功备份：2026-12-19 02:30');
    expect(textOf(after.replies[0])).not.toContain('失败');
  });

  it('does nothing on D1 and says Cloudflare Time Travel keeps it', async () => {
    const d1 = await startHarness({ adminOpenIds: [ADMIN], backups: D1_BACKUPS });
    try {
      const { outcome } = await runJob(d1, backupJob, bj('2026-12-02T02:30:00'));
      expect(outcome).toMatchObject({ ran: true, queued: 0 });
      const { replies } = await d1.say(ADMIN, '/status');
      expect(textOf(replies[0])).toContain('Cloudflare Time Travel');
    } finally {
      await d1.close();
    }
  });
});

describe('npm run backup and npm run restore against a real server', { timeout: 120_000 }, () => {
  let fake: FakeLark;
  let dir: string;
  let env: Record<string, string>;
  const dbPath = () => join(dir, 'wk.db');

  beforeAll(async () => {
    fake = await startFakeLark();
    dir = mkdtempSync(join(tmpdir(), 'wk-restore-'));
    env = {
      DATABASE_URL: `file:${dbPath()}`,
      BACKUP_DIR: join(dir, 'backups'),
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_DOMAIN: fake.url,
      LARK_ENCRYPT_KEY: 'restore-encrypt-key',
      LARK_VERIFICATION_TOKEN: 'restore-verification-token',
      LOG_LEVEL: 'warn',
    };
    const database = await openDatabase(env.DATABASE_URL);
    await migrateDatabase(database.db);
    await addEnterprise(database.db, { name: '备份前化工厂', township: '红梅镇' });
    database.close();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const enterpriseNames = async () => {
    const database = await openDatabase(env.DATABASE_URL);
    try {
      return (await database.db.select({ name: enterprises.name }).from(enterprises)).map((r) => r.name).sort();
    } finally {
      database.close();
    }
  };

  it('takes a backup beside a running server, refuses to restore under it, restores once it stops: the data is back', async () => {
    const server = await startServer(env);
    try {
      const backup = await runCli('src/cli/backup.ts', [], env);
      expect(backup.code, backup.out).toBe(0);
      expect(backup.out).toContain('已备份');
      const [snapshot] = names(env.BACKUP_DIR);
      expect(snapshot).toMatch(/^watchkeeper-\d{8}T\d{6}Z\.db$/);

      // The data changes after the backup.
      const database = await openDatabase(env.DATABASE_URL);
      await database.db.update(enterprises).set({ name: '备份后改名' }).where(eq(enterprises.name, '备份前化工厂'));
      await addEnterprise(database.db, { name: '备份后新增' });
      database.close();
      expect(await enterpriseNames()).toEqual(['备份后改名', '备份后新增']);

      const refused = await runCli('src/cli/restore.ts', [join(env.BACKUP_DIR, snapshot)], env);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('有服务器正在使用');
      expect(refused.out).toContain(`pid ${server.proc.pid}`);
      expect(await enterpriseNames()).toEqual(['备份后改名', '备份后新增']);
    } finally {
      await stopGracefully(server);
    }

    const [snapshot] = names(env.BACKUP_DIR);
    const restored = await runCli('src/cli/restore.ts', [join(env.BACKUP_DIR, snapshot)], env);
    expect(restored.code, restored.out).toBe(0);
    expect(await enterpriseNames()).toEqual(['备份前化工厂']);
    // The replaced database is kept aside, whole, with the changes made after the backup.
    const aside = readdirSync(dir).find((n) => /^wk\.db\.replaced-\d{8}T\d{6}Z$/.test(n))!;
    expect(restored.out).toContain(aside);
    const old = await openDatabase(`file:${join(dir, aside)}`);
    expect((await old.db.select({ name: enterprises.name }).from(enterprises)).map((r) => r.name).sort()).toEqual(['备份后改名', '备份后新增']);
    old.close();

    // The restored database serves: a server starts on it.
    const again = await startServer(env);
    await stopGracefully(again);
  });

  it('restores at once after a server was killed with -9 (its pid is gone), and refuses a file that is not a Watchkeeper database', async () => {
    const server = await startServer(env);
    await killHard(server);
    const [snapshot] = names(env.BACKUP_DIR);
    const r = await runCli('src/cli/restore.ts', [join(env.BACKUP_DIR, snapshot)], env);
    expect(r.code, r.out).toBe(0);

    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database');
    const bad = await runCli('src/cli/restore.ts', [junk], env);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('不是可用的 Watchkeeper 备份');
    const other = join(dir, 'other.db');
    const o = await openDatabase(`file:${other}`);
    await o.client.execute('CREATE TABLE notes (x TEXT)');
    o.close();
    const foreign = await runCli('src/cli/restore.ts', [other], env);
    expect(foreign.code).toBe(1);
    expect(foreign.out).toContain('not a Watchkeeper database');
    expect(await enterpriseNames()).toEqual(['备份前化工厂']);
    expect(existsSync(dbPath())).toBe(true);
  });
});
