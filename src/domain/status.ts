import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { formatDate } from './time.ts';
import type { Settings } from '../settings.ts';
import type { Bi } from '../bi.ts';
import type { Backups } from '../backup/backups.ts';
import { backupState, type BackupState } from './backup-status.ts';
import { buzzUsage, type BuzzUsage } from './escalations.ts';
import { mirrorCounts, type MirrorCounts } from './mirrors.ts';

// /status (and GET /status): what an admin checks to know the deployment is healthy. One ordered
// list of sections; a new concern adds one entry here and its rendering in src/views/status.ts.

/** How the process hears Lark, as the runtime reports it (plain data: the domain knows no SDK). */
export interface ServiceHealth {
  ok: boolean;
  /** Absent: webhook. */
  mode?: string;
  connection?: string;
  connects?: number;
}

export interface StatusDeps {
  db: Db;
  settings: Settings;
  now: Date;
  /** The runtime's view of itself (mode, long connection); absent in a CLI. */
  health?: ServiceHealth;
  backups?: Backups;
}

export type StatusSection =
  | { kind: 'events'; title: Bi; mode: string; connection?: string; connects?: number; lastEventAt?: number; inboxPending: number; inboxFailed: number }
  | { kind: 'outbox'; title: Bi; pending: number; oldestPendingAt?: number; failed: number; folded: number }
  | { kind: 'jobs'; title: Bi; jobs: { job: string; lastRunAt: number; status: string; error?: string | null; failures: number }[] }
  | { kind: 'lark_api'; title: Bi; month: string; used: number; budget?: number; byKind: Record<string, number>; quotaExhausted: boolean }
  | { kind: 'database'; title: Bi; bytes?: number }
  | { kind: 'backups'; title: Bi; state: BackupState }
  | { kind: 'buzzes'; title: Bi; usage: BuzzUsage; limits: { sms: number; phone: number }; inApp: number }
  | { kind: 'mirrors'; title: Bi; on: { tasks: boolean; calendar: boolean; bitable: boolean }; counts: MirrorCounts };

export interface StatusSource {
  kind: StatusSection['kind'];
  read(deps: StatusDeps): Promise<StatusSection>;
}

const one = async <T>(db: Db, q: ReturnType<typeof sql>) => (await db.all<T>(q))[0];

export const statusSources: readonly StatusSource[] = [
  {
    kind: 'events',
    async read({ db, health, now }) {
      // Waiting: pending and not held by a worker right now (the /status event itself is).
      const r = await one<{ last: number | null; pending: number; failed: number }>(
        db,
        sql`SELECT MAX(received_at) AS last,
                   SUM(status = 'pending' AND (claimed_until IS NULL OR claimed_until < ${now.getTime()})) AS pending,
                   SUM(status = 'failed') AS failed
            FROM inbox`,
      );
      return {
        kind: 'events',
        title: { zh: '事件接收', en: 'Events' },
        mode: health?.mode ?? 'webhook',
        connection: health?.connection,
        connects: health?.connects,
        lastEventAt: r?.last ?? undefined,
        inboxPending: Number(r?.pending ?? 0),
        inboxFailed: Number(r?.failed ?? 0),
      };
    },
  },
  {
    kind: 'outbox',
    async read({ db }) {
      const r = await one<{ pending: number; oldest: number | null; failed: number; folded: number }>(
        db,
        sql`SELECT SUM(status IN ('pending', 'sending')) AS pending,
                   MIN(CASE WHEN status IN ('pending', 'sending') THEN created_at END) AS oldest,
                   SUM(status = 'failed') AS failed, SUM(status = 'folded') AS folded
            FROM outbox`,
      );
      return {
        kind: 'outbox',
        title: { zh: '消息发送', en: 'Outgoing messages' },
        pending: Number(r?.pending ?? 0),
        oldestPendingAt: r?.oldest ?? undefined,
        failed: Number(r?.failed ?? 0),
        folded: Number(r?.folded ?? 0),
      };
    },
  },
  {
    kind: 'jobs',
    async read({ db }) {
      // Each job's latest run, and how many runs failed in the last 7 days.
      const rows = await db.all<{ job: string; slot: number; status: string; error: string | null; failures: number }>(sql`
        SELECT r.job, r.slot, r.status, r.error,
               (SELECT COUNT(*) FROM job_runs f WHERE f.job = r.job AND f.status = 'failed' AND f.slot > r.slot - 7 * 86400000) AS failures
        FROM job_runs r
        WHERE r.slot = (SELECT MAX(slot) FROM job_runs m WHERE m.job = r.job)
        ORDER BY r.job`);
      return { kind: 'jobs', title: { zh: '定时任务', en: 'Jobs' }, jobs: rows.map((r) => ({ job: r.job, lastRunAt: Number(r.slot), status: r.status, error: r.error, failures: Number(r.failures) })) };
    },
  },
  {
    kind: 'lark_api',
    async read({ db, settings, now }) {
      const month = formatDate(now, settings.tz).slice(0, 7);
      const rows = await db.all<{ kind: string; ok: number }>(
        sql`SELECT kind, SUM(calls - failed) AS ok FROM api_calls WHERE day >= ${`${month}-01`} AND day <= ${`${month}-31`} GROUP BY kind ORDER BY kind`,
      );
      const quota = await one<{ value: string }>(db, sql`SELECT value FROM settings WHERE key = 'lark_quota_exhausted'`);
      const byKind = Object.fromEntries(rows.map((r) => [r.kind, Number(r.ok)]));
      return {
        kind: 'lark_api',
        title: { zh: '飞书 API 调用', en: 'Lark API calls' },
        month,
        used: rows.reduce((n, r) => n + Number(r.ok), 0),
        budget: settings.ops.monthlyCallBudget,
        byKind,
        quotaExhausted: quota?.value === month,
      };
    },
  },
  {
    kind: 'database',
    async read({ db }) {
      // page_count × page_size: the file's size on libSQL; D1 and a libSQL server may refuse the pragmas.
      try {
        const pages = await one<{ page_count: number }>(db, sql`PRAGMA page_count`);
        const size = await one<{ page_size: number }>(db, sql`PRAGMA page_size`);
        return { kind: 'database', title: { zh: '数据库', en: 'Database' }, bytes: Number(pages?.page_count ?? 0) * Number(size?.page_size ?? 0) };
      } catch {
        return { kind: 'database', title: { zh: '数据库', en: 'Database' } };
      }
    },
  },
  { kind: 'backups', read: async (d) => ({ kind: 'backups', title: { zh: '备份', en: 'Backups' }, state: await backupState(d.db, d.backups) }) },
  // Buzzes this month: in-app ones as Lark counted the calls, paid ones against
  // BUZZ_SMS_MONTHLY_LIMIT / BUZZ_PHONE_MONTHLY_LIMIT (issue 16).
  {
    kind: 'buzzes',
    read: async (d) => {
      const month = formatDate(d.now, d.settings.tz).slice(0, 7);
      const inApp = await one<{ ok: number }>(d.db, sql`SELECT COALESCE(SUM(calls - failed), 0) AS ok FROM api_calls WHERE kind = 'urgent' AND day >= ${`${month}-01`} AND day <= ${`${month}-31`}`);
      return {
        kind: 'buzzes',
        title: { zh: '本月加急', en: 'Buzzes this month' },
        usage: await buzzUsage(d.db, d.now, d.settings.tz),
        limits: { sms: d.settings.escalation.smsMonthlyLimit, phone: d.settings.escalation.phoneMonthlyLimit },
        inApp: Number(inApp?.ok ?? 0),
      };
    },
  },
  // Copies in Feishu's Tasks, Calendar and Bitable (issue 19): which are on, what they hold, what waits or failed.
  {
    kind: 'mirrors',
    read: async (d) => ({
      kind: 'mirrors',
      title: { zh: '飞书任务 / 日历 / 多维表格', en: 'Feishu Tasks / Calendar / Bitable' },
      on: { tasks: d.settings.mirrors.tasks, calendar: d.settings.mirrors.dutyCalendar, bitable: !!d.settings.mirrors.bitable },
      counts: await mirrorCounts(d.db),
    }),
  },
];

export const readStatus = (deps: StatusDeps): Promise<StatusSection[]> => Promise.all(statusSources.map((s) => s.read(deps)));
