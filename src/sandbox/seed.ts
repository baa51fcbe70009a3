import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { hazards, mirrorItems, people, shifts } from '../db/schema.ts';
import { mirrorStatements } from '../outbox/mirror-rows.ts';
import { formatImportResult, importers, runImport } from '../import/index.ts';
import { bindChat } from '../domain/chats.ts';
import { insertOutbox, sendRow } from '../outbox/messages.ts';
import { loadHazard, planDispatch, planRectify, planReport, planVerify, type HazardPlan } from '../domain/hazards.ts';
import { enterpriseByName } from '../domain/enterprises.ts';
import { resolveCaller } from '../domain/people.ts';
import { planGenerate, planRotation } from '../domain/roster-generate.ts';
import { addLocalDays, endOfLocalDay, formatDate, formatDateTime, fromLocal, localParts } from '../domain/time.ts';
import type { MirrorSettings, Settings } from '../settings.ts';
import {
  DEMO_CHATS,
  DEMO_ENFORCEMENT,
  DEMO_ALIASES,
  DEMO_ENTERPRISES,
  DEMO_HAZARDS,
  DEMO_INSPECTIONS,
  DEMO_PEOPLE,
  DEMO_ROSTER,
  DEMO_TEAMS,
  type DemoHazard,
} from './demo-city.ts';

export { DEMO_PEOPLE } from './demo-city.ts';

const DAY_MS = 86_400_000;

/**
 * Seeds an empty database with the demo city (src/sandbox/demo-city.ts) through the same
 * imports and domain verbs people use; a database with people in it is left alone.
 */
export async function seedDemo(db: Db, settings: Settings, now: Date): Promise<boolean> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(people);
  if (n > 0) return false;
  const tz = settings.tz;
  const when = (daysAgo: number, hour: number, minute = 0) => at(now, tz, daysAgo, hour, minute);
  const ctx = { db, now, tz };
  const byName = new Map<string, string>(DEMO_PEOPLE.map((p) => [p.name, p.openId]));
  const id = (name: string) => {
    const openId = byName.get(name);
    if (!openId) throw new Error(`demo city: nobody is called ${name}`);
    return openId;
  };

  await importCsv('people', ['name', 'open_id', 'mobile', 'roles', 'department', 'township'],
    DEMO_PEOPLE.map((p) => [p.name, p.openId, p.mobile, p.roles, p.department, p.township ?? '']), ctx);
  await importCsv('enterprises', ['name', 'sector', 'township', 'address', 'supervisor', 'contact', 'aliases'], DEMO_ENTERPRISES.map((r) => [...r, DEMO_ALIASES[r[0]] ?? '']), ctx);
  await importCsv('teams', ['name', 'type', 'leader', 'members', 'township', 'equipment'], DEMO_TEAMS.map((r) => [...r]), ctx);
  await importCsv('inspections', ['enterprise', 'date', 'inspector', 'covert'],
    DEMO_INSPECTIONS.map(([e, d, who, covert]) => [e, formatDateTime(when(d, 9, 30), tz), who, covert ? '是' : '否']), ctx);
  await importCsv('enforcement', ['enterprise', 'date', 'kind', 'amount', 'people', 'note'],
    DEMO_ENFORCEMENT.map(([e, d, kind, amount, n, note]) => [e, formatDateTime(when(d, 14, 0), tz), kind, amount, n, note]), ctx);

  await batch(db, [
    ...DEMO_CHATS.map((c) => bindChat(db, c.binding.kind, c.binding.name, c.chatId, id('张伟'), now)),
    // Through the outbox like every message: the sender posts them once the sandbox runs.
    ...insertOutbox(db, DEMO_CHATS.map((c) => sendRow({ chatId: c.chatId }, { text: c.welcome }, { now, dedupeKey: `sandbox-welcome:${c.chatId}` }))),
  ]);

  // A month of 24-hour shifts from yesterday's handover, so someone is on duty right now.
  const rota = (role: 'leader' | 'officer', names: readonly string[]) =>
    planRotation({
      fromDate: formatDate(addLocalDays(now, -1, tz), tz),
      toDate: formatDate(addLocalDays(now, 30, tz), tz),
      role,
      people: names.map(id),
      handoff: DEMO_ROSTER.handover,
      lengthMs: DAY_MS,
      tz,
    });
  const roster = await planGenerate(db, [...rota('leader', DEMO_ROSTER.leaders), ...rota('officer', DEMO_ROSTER.officers)], now, false);
  await batch(db, roster.statements);

  for (const [i, h] of DEMO_HAZARDS.entries()) await seedHazard(db, settings, h, i, now, id);
  return true;
}

/** One hazard walked through report → dispatch → rectify → verify, each verb at its own past time. */
async function seedHazard(db: Db, settings: Settings, h: DemoHazard, i: number, now: Date, id: (name: string) => string) {
  const { tz, hazardDefaults: defaults } = settings;
  const caller = (name: string) => resolveCaller(db, id(name), settings.adminOpenIds);
  const enterprise = await enterpriseByName(db, h.enterprise);
  if (!enterprise) throw new Error(`demo city: no enterprise ${h.enterprise}`);
  const reportedAt = at(now, tz, h.reportedDaysAgo, 10, (i * 17) % 50);
  const report = await planReport(
    db,
    { reporter: await caller(h.reporter), enterprise: { kind: 'existing', enterprise }, level: h.level, description: h.description, source: {} },
    reportedAt,
    tz,
    defaults,
  );
  await batch(db, report.statements);
  const no = report.after.hazard.no;
  const step = async (plan: (rec: NonNullable<Awaited<ReturnType<typeof loadHazard>>>) => Promise<HazardPlan>) => {
    const rec = await loadHazard(db, no);
    if (!rec) throw new Error(`demo city: ${no} vanished`);
    await batch(db, (await plan(rec)).statements);
  };
  if (h.dispatch) {
    const d = h.dispatch;
    const dispatchedAt = d.daysAgo === h.reportedDaysAgo ? new Date(reportedAt.getTime() + 40 * 60_000) : at(now, tz, d.daysAgo, 11, 0);
    const deadline = d.deadlineDaysAfter === undefined ? undefined : endOfLocalDay(addLocalDays(dispatchedAt, d.deadlineDaysAfter, tz), tz);
    const actor = await caller(d.by);
    await step((rec) => planDispatch(db, rec, { actor, assigneeOpenId: id(d.to), deadline }, dispatchedAt, tz, defaults));
  }
  if (h.rectify) {
    const actor = await caller(h.rectify.by);
    await step((rec) => planRectify(db, rec, { actor, note: '已按要求整改 / fixed as required' }, at(now, tz, h.rectify!.daysAgo, 15, 0), tz, defaults));
  }
  if (h.verify) {
    const actor = await caller(h.verify.by);
    await step((rec) => planVerify(db, rec, { actor, pass: true, note: '现场复查合格' }, at(now, tz, h.verify!.daysAgo, 10, 30), tz, defaults));
  }
}

/**
 * `daysAgo` whole days back at the given local time. Less than a day back, the times keep their
 * spacing around 10:00 from `daysAgo` before now, and never pass now.
 */
function at(now: Date, tz: string, daysAgo: number, hour: number, minute: number): Date {
  if (daysAgo < 1) {
    const t = now.getTime() - Math.round(daysAgo * DAY_MS) + ((hour - 10) * 60 + minute) * 60_000;
    return new Date(Math.min(t, now.getTime() - 60_000));
  }
  const day = localParts(addLocalDays(now, -Math.floor(daysAgo), tz), tz);
  return fromLocal(day.year, day.month, day.day, hour, minute, tz);
}

async function importCsv(kind: string, header: string[], rows: string[][], ctx: { db: Db; now: Date; tz: string }) {
  const importer = importers[kind];
  if (!importer) throw new Error(`demo city: no ${kind} import`);
  const csv = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
  // A fresh context per import: the ledger imports cache the people and enterprises they read per context.
  const result = await runImport(importer, csv, { ...ctx });
  if (result.errors.length) throw new Error(`demo city: the ${kind} import failed:\n${formatImportResult(result).join('\n')}`);
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function batch(db: Db, statements: BatchItem<'sqlite'>[]) {
  if (statements.length === 0) return;
  const [first, ...rest] = statements;
  await db.batch([first, ...rest]);
}

/** The sandbox's fake Feishu is new at each start: nothing recorded as mirrored into the last one holds. */
export const forgetMirrors = (db: Db) => db.delete(mirrorItems);

/** Mirror rows for everything the city holds (issue 19): its hazards and their tasks, its roster, its key periods. */
export async function demoMirrorStatements(db: Db, mirrors: MirrorSettings, now: Date) {
  const all = await db.select({ no: hazards.no, assignee: hazards.assigneeOpenId }).from(hazards);
  const nos = all.map((r) => r.no);
  const tasks = all.filter((r) => r.assignee).map((r) => r.no);
  const [span] = await db.select({ from: sql<number | null>`MIN(start)`, to: sql<number | null>`MAX(start)` }).from(shifts);
  const duty = span?.from != null && span.to != null ? [{ fromMs: Number(span.from), toMs: Number(span.to) + 1 }] : [];
  return mirrorStatements(db, mirrors, { now, hazards: nos, tasks, duty, keyPeriods: true });
}
