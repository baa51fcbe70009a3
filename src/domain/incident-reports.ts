// 信息报送: the reports the duty desk sends upward about an incident — 首报 within the hour (30
// minutes for 较大 and above), 续报 every REPORT_FOLLOWUP_HOURS while it is open, 终报 when it
// closes — their deadlines, whether each was on time, and the casualty figures each carried.

import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { incidentReports, incidents } from '../db/schema.ts';
import type { Incident } from './incidents.ts';
import { median } from './incident-stats.ts';

export type Report = typeof incidentReports.$inferSelect;
export type ReportKind = 'first' | 'followup' | 'final';

export interface ReportTimes {
  firstMinutes: number;
  firstMinutesMajor: number;
  followupHours: number;
}

export interface Casualties {
  deaths?: number;
  injured?: number;
  missing?: number;
  relocated?: number;
}

/** The option keys people write: 死亡:1 受伤:3 失联:0 转移:120. */
export const CASUALTY_KEYS: Record<string, keyof Casualties> = { 死亡: 'deaths', 受伤: 'injured', 失联: 'missing', 转移: 'relocated' };

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99, then digits). */
export function chineseNumber(n: number): string {
  if (n < 10) return CN[n];
  if (n < 20) return `十${n % 10 ? CN[n % 10] : ''}`;
  if (n < 100) return `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`;
  return String(n);
}

/** 首报, 续报一, 续报二 …, 终报 */
export function reportName(kind: string, seq: number): { zh: string; en: string } {
  if (kind === 'first') return { zh: '首报', en: 'first report' };
  if (kind === 'final') return { zh: '终报', en: 'final report' };
  return { zh: `续报${chineseNumber(seq)}`, en: `follow-up ${seq}` };
}

/** 较大 and above report first within REPORT_FIRST_MINUTES_MAJOR. */
export const firstDueAt = (i: Pick<Incident, 'reportedAt' | 'severity'>, t: ReportTimes) =>
  i.reportedAt + (i.severity === 'general' ? t.firstMinutes : t.firstMinutesMajor) * 60_000;

export interface Deadline {
  kind: ReportKind;
  seq: number;
  dueAt: number;
}

/** The report due next: 首报 until one is sent, then a 续报 every followupHours after the last report; none once closed. */
export function nextDeadline(i: Pick<Incident, 'reportedAt' | 'severity' | 'status'>, reports: Report[], t: ReportTimes): Deadline | undefined {
  if (i.status !== 'open') return undefined;
  if (!reports.some((r) => r.kind === 'first')) return { kind: 'first', seq: 0, dueAt: firstDueAt(i, t) };
  const last = Math.max(...reports.map((r) => r.at));
  const seq = Math.max(0, ...reports.filter((r) => r.kind === 'followup').map((r) => r.seq)) + 1;
  return { kind: 'followup', seq, dueAt: last + t.followupHours * 3_600_000 };
}

export async function reportsOf(db: Db, incidentId: number): Promise<Report[]> {
  return db.select().from(incidentReports).where(eq(incidentReports.incidentId, incidentId)).orderBy(asc(incidentReports.at), asc(incidentReports.id));
}

/** Reports of many incidents, by incident id. */
export async function reportsByIncident(db: Db, ids: number[]): Promise<Map<number, Report[]>> {
  const out = new Map<number, Report[]>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db.select().from(incidentReports).where(inArray(incidentReports.incidentId, ids.slice(i, i + 90))).orderBy(asc(incidentReports.at));
    for (const r of rows) out.set(r.incidentId, [...(out.get(r.incidentId) ?? []), r]);
  }
  return out;
}

/** A report; a second one of the same kind and number (a double send) changes nothing. */
export function insertReport(db: Db, v: typeof incidentReports.$inferInsert) {
  return db.insert(incidentReports).values(v).onConflictDoNothing();
}

/** The figures as last reported: each figure from the latest report that gave it. */
export function latestCasualties(reports: Report[], more: Casualties = {}): Casualties {
  const out: Casualties = {};
  for (const r of [...reports].sort((a, b) => a.at - b.at)) {
    for (const k of ['deaths', 'injured', 'missing', 'relocated'] as const) if (r[k] !== null && r[k] !== undefined) out[k] = r[k]!;
  }
  for (const k of ['deaths', 'injured', 'missing', 'relocated'] as const) if (more[k] !== undefined) out[k] = more[k];
  return out;
}

export const onTime = (r: Pick<Report, 'at' | 'dueAt'>) => r.at <= r.dueAt;

export interface ReportStats {
  /** Incidents reported in the period that have a 首报. */
  firstReports: number;
  /** Of those, sent by the deadline; null when there is none. */
  onTimePct: number | null;
  /** Median minutes from recording to 首报. */
  medianFirstMinutes: number | null;
}

/** On-time 首报 and the median time to it, over incidents recorded in [from, to). */
export async function reportStats(db: Db, from: Date, to: Date): Promise<ReportStats> {
  const rows = await db
    .select({ reportedAt: incidents.reportedAt, at: incidentReports.at, dueAt: incidentReports.dueAt })
    .from(incidentReports)
    .innerJoin(incidents, eq(incidents.id, incidentReports.incidentId))
    .where(and(eq(incidentReports.kind, 'first'), gte(incidents.reportedAt, from.getTime()), lt(incidents.reportedAt, to.getTime())));
  if (!rows.length) return { firstReports: 0, onTimePct: null, medianFirstMinutes: null };
  const onTimeCount = rows.filter(onTime).length;
  const m = median(rows.map((r) => r.at - r.reportedAt));
  return { firstReports: rows.length, onTimePct: Math.round((onTimeCount / rows.length) * 1000) / 10, medianFirstMinutes: m === null ? null : Math.round(m / 60_000) };
}
