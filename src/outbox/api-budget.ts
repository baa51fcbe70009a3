import type { Db } from '../db/client.ts';
import type { SqlClient } from '../db/sql.ts';
import { adminsOf } from '../domain/people.ts';
import { formatDate, fromLocal, localParts } from '../domain/time.ts';
import { errorFields, type Logger } from '../log.ts';
import type { Settings } from '../settings.ts';
import { budgetExceededText, budgetWarningText, quotaExhaustedText } from '../views/ops-notices.ts';
import { insertOutbox, sendRow } from './messages.ts';

/**
 * The Lark call budget. Every Open API call is counted by kind and local day (`api_calls`);
 * LARK_MONTHLY_CALL_BUDGET warns the admins at 80% and, past 100%, has the sender fold what does
 * not matter until the month turns. Lark's own 99991403 (the free edition's tenant quota is spent)
 * does the same at once. See docs/adr/0015-platform-limits.md.
 */
export type BudgetLevel = 'ok' | 'warn' | 'over' | 'quota';

/** What the sender holds back when the budget is spent: its kind and, for sends, its dedupe key. */
export interface FoldCandidate {
  kind: string;
  dedupeKey?: string | null;
}

/**
 * Only what matters goes out past the budget: emergency cards and buzzes, digests, replies to
 * people. Folded: card patches (a cosmetic follow-up; the next change after the month turns
 * carries the whole card again), the duty chat's "on duty now" echo, and mirrors into Feishu's
 * Tasks, Calendar and Bitable.
 */
const FOLDED_SENDS = ['shift-start:'];
export function foldable(row: FoldCandidate): boolean {
  // Mirrors are copies (the database stays the record); `npm run mirror -- bitable --full` and the next change catch up.
  if (row.kind === 'patch' || row.kind === 'mirror') return true;
  return row.kind === 'send' && FOLDED_SENDS.some((p) => row.dedupeKey?.startsWith(p));
}

const WARN_AT = 0.8;
/** Other instances count too: the month's total is re-read this often. */
const REFRESH_MS = 60_000;
const QUOTA_KEY = 'lark_quota_exhausted';

export interface ApiBudgetOptions {
  db: Db;
  client: SqlClient;
  settings: Settings;
  clock: () => Date;
  log: Logger;
}

export class ApiBudget {
  private pending = new Map<string, { calls: number; failed: number }>();
  private flushing: Promise<void> | undefined;
  private month = '';
  private used = 0;
  private loadedAt = -Infinity;
  private quotaMonth: string | undefined;
  private told = new Set<string>();

  constructor(private readonly o: ApiBudgetOptions) {}

  /** Counts one call (refused calls count as calls, and as failed: Lark's quota skips them). */
  record(kind: string, ok: boolean) {
    const now = this.o.clock();
    const key = `${formatDate(now, this.o.settings.tz)}|${kind}`;
    const p = this.pending.get(key) ?? { calls: 0, failed: 0 };
    p.calls++;
    if (!ok) p.failed++;
    this.pending.set(key, p);
    if (ok && this.monthOf(now) === this.month) this.used++;
    queueMicrotask(() => void this.flush().catch((e) => this.o.log.warn('api call counts not written', errorFields(e))));
  }

  /** Writes the counts taken so far (one upsert per day and kind). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const rows = [...this.pending].map(([key, v]) => [...key.split('|'), v.calls, v.failed] as const);
    this.pending = new Map();
    this.flushing = this.o.client
      .batch(
        rows.map(([day, kind, calls, failed]) => ({
          sql: 'INSERT INTO api_calls (day, kind, calls, failed) VALUES (?, ?, ?, ?) ON CONFLICT (day, kind) DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed',
          args: [day, kind, calls, failed],
        })),
        'write',
      )
      .then(() => undefined)
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** Successful calls this local month, as Lark counts them. */
  async usedThisMonth(now = this.o.clock()): Promise<number> {
    await this.refresh(now);
    return this.used;
  }

  async level(now = this.o.clock()): Promise<BudgetLevel> {
    await this.refresh(now);
    const month = this.monthOf(now);
    if (this.quotaMonth === month) return 'quota';
    const budget = this.o.settings.ops.monthlyCallBudget;
    if (budget === undefined) return 'ok';
    if (this.used >= budget) return 'over';
    return this.used >= budget * WARN_AT ? 'warn' : 'ok';
  }

  /** The sender asks before each call: fold it (hold it back until the month turns) or send it. */
  async verdict(row: FoldCandidate, now = this.o.clock()): Promise<'send' | 'fold'> {
    const level = await this.level(now);
    if (level !== 'ok') await this.tellAdmins(level, now);
    return (level === 'over' || level === 'quota') && foldable(row) ? 'fold' : 'send';
  }

  /** Lark answered 99991403: the tenant's quota is spent for this month, whatever we counted. */
  async quotaExhausted(now = this.o.clock()) {
    const month = this.monthOf(now);
    if (this.quotaMonth === month) return;
    this.quotaMonth = month;
    this.o.log.error('lark monthly API quota exhausted (99991403); only what matters is sent until the month turns', { month });
    await this.o.client.execute({
      sql: 'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      args: [QUOTA_KEY, month, now.getTime()],
    });
    await this.tellAdmins('quota', now);
  }

  /** The first instant of the next local month: when folding stops. */
  monthTurns(now = this.o.clock()): Date {
    const p = localParts(now, this.o.settings.tz);
    return p.month === 12 ? fromLocal(p.year + 1, 1, 1, 0, 0, this.o.settings.tz) : fromLocal(p.year, p.month + 1, 1, 0, 0, this.o.settings.tz);
  }

  monthOf(now: Date): string {
    return formatDate(now, this.o.settings.tz).slice(0, 7);
  }

  private async refresh(now: Date) {
    const month = this.monthOf(now);
    if (month === this.month && now.getTime() - this.loadedAt < REFRESH_MS && now.getTime() >= this.loadedAt) return;
    await this.flush();
    const rs = await this.o.client.execute({
      sql: `SELECT COALESCE(SUM(calls - failed), 0) AS used,
              (SELECT value FROM settings WHERE key = ?) AS quota_month
            FROM api_calls WHERE day >= ? AND day < ?`,
      args: [QUOTA_KEY, `${month}-01`, `${month}-99`],
    });
    this.month = month;
    this.used = Number(rs.rows[0]?.used ?? 0);
    const q = rs.rows[0]?.quota_month;
    this.quotaMonth = q == null ? undefined : String(q);
    this.loadedAt = now.getTime();
  }

  /** Once a month per level: the outbox's dedupe key keeps it once across restarts and instances. */
  private async tellAdmins(level: Exclude<BudgetLevel, 'ok'>, now: Date) {
    const month = this.monthOf(now);
    const key = `${month}:${level}`;
    if (this.told.has(key)) return;
    this.told.add(key);
    try {
      const admins = await adminsOf(this.o.db, this.o.settings.adminOpenIds);
      if (admins.length === 0) {
        this.o.log.warn('lark call budget: no admin to tell', { level, month });
        return;
      }
      const figures = { month, used: this.used, budget: this.o.settings.ops.monthlyCallBudget };
      const text = level === 'warn' ? budgetWarningText(figures) : level === 'over' ? budgetExceededText(figures) : quotaExhaustedText(figures);
      const rows = admins.map((a) => sendRow({ openId: a }, { text }, { now, dedupeKey: `lark-budget:${key}:${a}` }));
      const [first, ...rest] = insertOutbox(this.o.db, rows);
      await this.o.db.batch([first, ...rest]);
    } catch (e) {
      this.told.delete(key);
      this.o.log.error('lark call budget: could not queue the admins notice', { level, ...errorFields(e) });
    }
  }
}
