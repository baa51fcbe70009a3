// 险情 / 突发事件: numbering, loading with dispatched teams, the response steps of each team
// (接令 → 出发 → 到达 → 处置完毕) and the statements that record them. The bot side
// (src/bot/incident-flow.ts) decides who is told; this file only knows the records.

import type { Bi } from '../bi.ts';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { incidentDispatches, incidents, teams } from '../db/schema.ts';
import { onDuty } from './roster.ts';
import { formatNumber, nextSequence } from './sequences.ts';
import type { Team } from './teams.ts';
import { localParts } from './time.ts';

export type Incident = typeof incidents.$inferSelect;
export type Dispatch = typeof incidentDispatches.$inferSelect;
export interface DispatchView extends Dispatch {
  team: Team;
}
export interface IncidentRecord {
  incident: Incident;
  /** In dispatch order. */
  dispatches: DispatchView[];
}

export const STEPS = ['ack', 'depart', 'arrive', 'done'] as const;
export type Step = (typeof STEPS)[number];

const STEP_COLUMNS = {
  ack: incidentDispatches.ackedAt,
  depart: incidentDispatches.departedAt,
  arrive: incidentDispatches.arrivedAt,
  done: incidentDispatches.doneAt,
} as const;
const STEP_FIELDS = { ack: 'ackedAt', depart: 'departedAt', arrive: 'arrivedAt', done: 'doneAt' } as const satisfies Record<Step, keyof Dispatch>;

/** Who may report an incident and dispatch teams to it (inspectors report hazards, not incidents). */
export const INCIDENT_REPORT_ROLES = ['officer', 'leader', 'admin'] as const;
/** Who may close an incident. */
export const INCIDENT_CLOSE_ROLES = ['leader', 'admin'] as const;

export const STEP_LABELS: Record<Step, Bi> = {
  ack: { zh: '接令', en: 'Acknowledge' },
  depart: { zh: '出发', en: 'Set off' },
  arrive: { zh: '到达', en: 'Arrived' },
  done: { zh: '处置完毕', en: 'Done' },
};
/** What a team's state is called once a step is stamped (or before any). */
export const STEP_STATES: Record<Step | 'dispatched', Bi> = {
  dispatched: { zh: '待接令', en: 'awaiting acknowledgement' },
  ack: { zh: '已接令', en: 'acknowledged' },
  depart: { zh: '已出发', en: 'on the way' },
  arrive: { zh: '已到达', en: 'on scene' },
  done: { zh: '处置完毕', en: 'done' },
};

export const isStep = (v: unknown): v is Step => typeof v === 'string' && (STEPS as readonly string[]).includes(v);
export const stepAt = (d: Pick<Dispatch, 'ackedAt' | 'departedAt' | 'arrivedAt' | 'doneAt'>, step: Step): number | null => d[STEP_FIELDS[step]];
/** The step a team must take next; undefined once 处置完毕. */
export const nextStep = (d: Pick<Dispatch, 'ackedAt' | 'departedAt' | 'arrivedAt' | 'doneAt'>): Step | undefined => STEPS.find((s) => stepAt(d, s) === null);
/** The last stamped step, or 'dispatched'. */
export const lastState = (d: Pick<Dispatch, 'ackedAt' | 'departedAt' | 'arrivedAt' | 'doneAt'>): Step | 'dispatched' =>
  [...STEPS].reverse().find((s) => stepAt(d, s) !== null) ?? 'dispatched';

/** `XQ-2026-0001`, `xq-2026-1` → `XQ-2026-0001`; anything else → undefined. */
export function parseIncidentNo(text: string | undefined): string | undefined {
  const m = /^XQ-(\d{4})-(\d{1,6})$/i.exec((text ?? '').trim());
  return m ? formatNumber('XQ', Number(m[1]), Number(m[2])) : undefined;
}

export const subjectOf = (no: string) => `incident:${no}`;

/** The next number of the local year; a change that then fails to commit leaves a gap. */
export async function nextIncidentNo(db: Db, now: Date, tz: string): Promise<string> {
  const year = localParts(now, tz).year;
  return formatNumber('XQ', year, await nextSequence(db, `XQ-${year}`));
}

export const cardIdsOf = (incident: Pick<Incident, 'cardOutboxIds'>): string[] => {
  try {
    const ids = JSON.parse(incident.cardOutboxIds) as unknown;
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

async function withDispatches(db: Db, list: Incident[]): Promise<IncidentRecord[]> {
  if (!list.length) return [];
  const rows = await db
    .select({ d: incidentDispatches, team: teams })
    .from(incidentDispatches)
    .innerJoin(teams, eq(teams.id, incidentDispatches.teamId))
    .where(inArray(incidentDispatches.incidentId, list.map((i) => i.id)))
    .orderBy(asc(incidentDispatches.dispatchedAt), asc(incidentDispatches.id));
  return list.map((incident) => ({
    incident,
    dispatches: rows.filter((r) => r.d.incidentId === incident.id).map((r) => ({ ...r.d, team: r.team })),
  }));
}

export async function loadIncident(db: Db, no: string): Promise<IncidentRecord | undefined> {
  const [incident] = await db.select().from(incidents).where(eq(incidents.no, no)).limit(1);
  if (!incident) return undefined;
  return (await withDispatches(db, [incident]))[0];
}

/** Incidents matching `where`, newest first, each with its dispatched teams. */
export async function loadRecords(db: Db, where: SQL | undefined, limit?: number): Promise<IncidentRecord[]> {
  const q = db.select().from(incidents).where(where).orderBy(desc(incidents.reportedAt));
  return withDispatches(db, limit === undefined ? await q : await q.limit(limit));
}

/** Open incidents, newest first. */
export const openIncidents = (db: Db, limit = 50) => loadRecords(db, eq(incidents.status, 'open'), limit);

export function insertIncident(db: Db, values: typeof incidents.$inferInsert) {
  return db.insert(incidents).values(values);
}

/** Adds one more card (a `/incident NO` reply) to the cards kept current, atomically. */
export function addCardOutbox(db: Db, incidentId: number, outboxId: string) {
  return db
    .update(incidents)
    .set({ cardOutboxIds: sql`json_insert(${incidents.cardOutboxIds}, '$[#]', ${outboxId})` })
    .where(eq(incidents.id, incidentId));
}

/** A team sent to an incident; a second dispatch of the same team is a no-op (unique index). */
export function insertDispatch(db: Db, values: typeof incidentDispatches.$inferInsert) {
  return db.insert(incidentDispatches).values(values).onConflictDoNothing();
}

/**
 * Stamps a step only if it is still unstamped and the one before it is stamped: a repeated or
 * out-of-order click that slipped past the check changes nothing.
 */
export function stampStep(db: Db, dispatchId: number, step: Step, at: number) {
  const i = STEPS.indexOf(step);
  const guards: SQL[] = [eq(incidentDispatches.id, dispatchId), isNull(STEP_COLUMNS[step])];
  if (i > 0) guards.push(isNotNull(STEP_COLUMNS[STEPS[i - 1]]));
  return db.update(incidentDispatches).set({ [STEP_FIELDS[step]]: at }).where(and(...guards));
}

export const withStep = <D extends Dispatch>(d: D, step: Step, at: number): D => ({ ...d, [STEP_FIELDS[step]]: at });

export function closeStatement(db: Db, incidentId: number, by: string, summary: string | null, at: number) {
  return db
    .update(incidents)
    .set({ status: 'closed', closedAt: at, closedBy: by, summary, updatedAt: at })
    .where(and(eq(incidents.id, incidentId), eq(incidents.status, 'open')));
}

export interface ResponseTimes {
  /** Report → first 接令, ms. */
  ackMs?: number;
  /** Report → first team 到达, ms. */
  arriveMs?: number;
}

export function responseTimes(rec: IncidentRecord): ResponseTimes {
  const first = (step: Step) => {
    const ts = rec.dispatches.map((d) => stepAt(d, step)).filter((t): t is number => t !== null);
    return ts.length ? Math.max(0, Math.min(...ts) - rec.incident.reportedAt) : undefined;
  };
  return { ackMs: first('ack'), arriveMs: first('arrive') };
}

/** `12分` / `12 min`, `1小时5分` / `1 h 5 min`, `40秒` / `40 s`. */
export function formatDuration(ms: number): Bi {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return { zh: `${s}秒`, en: `${s} s` };
  const m = Math.round(s / 60);
  if (m < 60) return { zh: `${m}分`, en: `${m} min` };
  const h = Math.floor(m / 60);
  const r = m % 60;
  return r ? { zh: `${h}小时${r}分`, en: `${h} h ${r} min` } : { zh: `${h}小时`, en: `${h} h` };
}

/** The open_ids of the 带班领导, 值班员 and 值班长 on duty at `at` (from the duty roster). */
export async function dutyAt(db: Db, at: Date): Promise<{ leader?: string; officer?: string; chief?: string }> {
  const d = await onDuty(db, at);
  return { leader: d.leader?.personOpenId, officer: d.officer?.personOpenId, chief: d.chief?.personOpenId };
}
