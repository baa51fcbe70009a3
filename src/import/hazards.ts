// hazards.csv: no,enterprise,level,description,reported_at,deadline,status,rectified_at,closed_at,reporter,assignee
// A bureau's existing hazard ledger. Dates are local (TZ_NAME); a deadline given as a date means
// 23:59 that day. Sector and township are copied from the enterprise, as a report does.
//
// Re-import: a row with a `no` is that hazard. A row with a blank `no` is first matched to an
// existing hazard with the same enterprise, reported_at and description (the hazards table has
// no import key); only when none exists is a number generated, in the YH-<year of reported_at>
// series after everything already used. Imported numbers raise the YH-<year> sequence so the
// next chat report continues after them. Each new hazard gets an 'import' timeline row, each
// changed one an 'import' row saying what changed.

import { and, eq, inArray, like, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { hazardEvents, hazards, sequences } from '../db/schema.ts';
import type { Enterprise } from '../domain/enterprises.ts';
import { parseHazardLevel, parseHazardStatus, HAZARD_STATUSES, STATUS_LABELS, type HazardLevel, type HazardStatus } from '../domain/hazard-terms.ts';
import { inspectionForHazard } from '../domain/inspections.ts';
import { formatNumber, raiseSequence } from '../domain/sequences.ts';
import { endOfLocalDay, localParts } from '../domain/time.ts';
import { chunk, type Importer, type ImportPlan, type LineRow, type RowError } from './framework.ts';
import { dateCell, enterpriseCell, pastDateCell, personCell, repeatedRows, requiredPastDateCell } from './refs.ts';

export interface HazardRow {
  /** Canonical YH-YYYY-NNNN, or null to match or generate. */
  no: string | null;
  enterprise: Enterprise;
  level: HazardLevel;
  description: string;
  reportedAt: number;
  deadline: number | null;
  status: HazardStatus;
  rectifiedAt: number | null;
  closedAt: number | null;
  reporterOpenId: string | null;
  assigneeOpenId: string | null;
}

type Hazard = typeof hazards.$inferSelect;

const NO = /^YH-(\d{4})-(\d{1,6})$/i;
const MAX_DESCRIPTION = 1000;
const STATUS_HINT = HAZARD_STATUSES.map((s) => `${STATUS_LABELS[s].zh}/${s}`).join(', ');
const IMPORT_NOTE = '台账导入 / ledger import';

const naturalKey = (r: { enterpriseId: number; reportedAt: number; description: string }) =>
  JSON.stringify([r.enterpriseId, r.reportedAt, r.description]);
const rowKey = (r: HazardRow) => naturalKey({ enterpriseId: r.enterprise.id, reportedAt: r.reportedAt, description: r.description });

export const hazardsImporter: Importer<HazardRow> = {
  name: 'hazards',
  header: ['no', 'enterprise', 'level', 'description', 'reported_at', 'deadline', 'status', 'rectified_at', 'closed_at', 'reporter', 'assignee'],

  async parse(r, ctx) {
    let no: string | null = null;
    if (r.no.trim()) {
      const m = NO.exec(r.no.trim());
      if (!m) return `编号格式无效 / no "${r.no.trim()}" must look like YH-2025-0001 (or be left blank)`;
      no = formatNumber('YH', Number(m[1]), Number(m[2]));
    }
    const e = await enterpriseCell(ctx, r.enterprise);
    if (typeof e === 'string') return e;
    const level = parseHazardLevel(r.level);
    if (!level) return `等级无效 / level "${r.level.trim()}" must be 一般/重大 or general/major`;
    const description = r.description.trim();
    if (!description) return '隐患描述必填 / description is required';
    if (description.length > MAX_DESCRIPTION) return `隐患描述过长 / description is longer than ${MAX_DESCRIPTION} characters`;
    const reported = requiredPastDateCell(ctx, r.reported_at, 'reported_at');
    if (typeof reported === 'string') return reported;
    const reportedAt = reported.at.getTime();

    let deadline: number | null = null;
    if (r.deadline.trim()) {
      const d = dateCell(ctx, r.deadline, 'deadline');
      if (typeof d === 'string') return d;
      deadline = (d.hasTime ? d.at : endOfLocalDay(d.at, ctx.tz)).getTime();
      if (deadline < reportedAt) return 'deadline 早于 reported_at / deadline is before reported_at';
    }

    const status = parseHazardStatus(r.status);
    if (!status) return `状态无效 / status "${r.status.trim()}" (expected ${STATUS_HINT})`;
    const when = (text: string, column: string): number | null | string => {
      if (!text.trim()) return null;
      const d = pastDateCell(ctx, text, column);
      return typeof d === 'string' ? d : d.at.getTime();
    };
    const rectifiedAt = when(r.rectified_at, 'rectified_at');
    if (typeof rectifiedAt === 'string') return rectifiedAt;
    const closedAt = when(r.closed_at, 'closed_at');
    if (typeof closedAt === 'string') return closedAt;
    const label = `${STATUS_LABELS[status].zh}/${status}`;
    if (status === 'closed' && closedAt === null) return 'closed_at 必填 / a closed (已销号) hazard needs closed_at';
    if (status !== 'closed' && closedAt !== null) return `状态为${label}却有 closed_at / closed_at is set but the status is ${status}`;
    if (rectifiedAt !== null && status !== 'rectified' && status !== 'closed') {
      return `状态为${label}却有 rectified_at / rectified_at is set but the status is ${status}`;
    }
    if (rectifiedAt !== null && rectifiedAt < reportedAt) return 'rectified_at 早于 reported_at / rectified_at is before reported_at';
    if (closedAt !== null && closedAt < (rectifiedAt ?? reportedAt)) {
      return `closed_at 早于${rectifiedAt !== null ? ' rectified_at' : ' reported_at'} / closed_at is before ${rectifiedAt !== null ? 'rectified_at' : 'reported_at'}`;
    }

    const reporter = await personCell(ctx, r.reporter, 'reporter');
    if (typeof reporter === 'string') return reporter;
    const assignee = await personCell(ctx, r.assignee, 'assignee');
    if (typeof assignee === 'string') return assignee;
    return {
      no,
      enterprise: e,
      level,
      description,
      reportedAt,
      deadline,
      status,
      rectifiedAt,
      closedAt,
      reporterOpenId: reporter.openId,
      assigneeOpenId: assignee.openId,
    };
  },

  async check(rows, { db }) {
    const errors: RowError[] = [
      ...repeatedRows(rows.filter((r) => r.row.no), (r) => r.no!, 'no'),
      ...repeatedRows(rows, rowKey, 'enterprise, reported_at and description'),
    ];
    if (errors.length) return errors;
    const targets = await targetsOf(db, rows);
    const worked = await workedInChat(db, targets.filter((t) => t.old && changedFields(t.old, t.row).length).map((t) => t.old!.id));
    for (const { line, row, old } of targets) {
      if (!old) continue;
      // A number already used by a hazard at another enterprise is a different hazard: never overwrite it.
      if (old.enterpriseId !== row.enterprise.id) {
        errors.push({ line, reason: `编号已被其他企业的隐患使用 / ${row.no} is already a hazard at another enterprise` });
      } else if (worked.has(old.id)) {
        // Once people work a hazard in chat, the timeline owns it; a ledger must not roll it back.
        errors.push({
          line,
          reason: `${old.no} 已在聊天中处理（当前${STATUS_LABELS[old.status as HazardStatus]?.zh ?? old.status}），台账不能覆盖，请按当前情况修改此行或删除此行 / ${old.no} has been worked in chat (now ${old.status}); the ledger cannot overwrite it — update this row to match or remove it (differs in: ${changedFields(old, row).join(', ')})`,
        });
      }
    }
    return errors;
  },

  async plan(rows, { db, now, tz }) {
    const at = now.getTime();
    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    const targets = await targetsOf(db, rows);
    const numbers = await numberNew(db, targets.filter((t) => !t.old).map((t) => t.row), tz);

    const fresh: (typeof hazards.$inferInsert)[] = [];
    for (const { row, old } of targets) {
      if (!old) {
        const no = row.no ?? numbers.generated.get(row)!;
        const inspectionId = row.reporterOpenId
          ? ((await inspectionForHazard(db, row.enterprise.id, row.reporterOpenId, new Date(row.reportedAt), tz)) ?? null)
          : null;
        fresh.push({ ...columns(row), no, inspectionId, updatedAt: at });
        plan.inserted++;
        continue;
      }
      const changed = changedFields(old, row);
      if (!changed.length) {
        plan.unchanged++;
        continue;
      }
      plan.statements.push(
        db.update(hazards).set({ ...columns(row), updatedAt: at }).where(eq(hazards.id, old.id)),
        db.insert(hazardEvents).values({
          hazardId: old.id,
          at,
          actorOpenId: null,
          action: 'import',
          fromStatus: old.status,
          toStatus: row.status,
          note: `${IMPORT_NOTE}: ${changed.join(', ')}`,
        }),
      );
      plan.updated++;
    }

    for (const values of chunk(fresh, 40)) {
      plan.statements.push(db.insert(hazards).values(values));
      // The new ids are known only inside the batch: the timeline rows find their hazards by number.
      const nos = sql.join(values.map((v) => sql`${v.no}`), sql`, `);
      plan.statements.push(
        db.run(sql`INSERT INTO hazard_events (hazard_id, at, actor_open_id, action, from_status, to_status, note)
          SELECT id, ${at}, NULL, 'import', NULL, status, ${IMPORT_NOTE} FROM hazards WHERE no IN (${nos}) ORDER BY id`),
      );
    }
    for (const [name, value] of numbers.raise) plan.statements.push(raiseSequence(db, name, value));
    return plan;
  },
};

/** What a row sets on the hazard (everything but number, id, links and timestamps of its own). */
function columns(row: HazardRow) {
  return {
    enterpriseId: row.enterprise.id,
    sector: row.enterprise.sector,
    township: row.enterprise.township,
    level: row.level,
    description: row.description,
    reporterOpenId: row.reporterOpenId,
    assigneeOpenId: row.assigneeOpenId,
    deadline: row.deadline,
    status: row.status,
    reportedAt: row.reportedAt,
    rectifiedAt: row.rectifiedAt,
    closedAt: row.closedAt,
    // As a dispatch does: a hazard being rectified is watched from its deadline; others are not.
    nextNagAt: row.status === 'dispatched' ? row.deadline : null,
  };
}

const COMPARED = ['level', 'description', 'reportedAt', 'deadline', 'status', 'rectifiedAt', 'closedAt', 'reporterOpenId', 'assigneeOpenId'] as const;
const COLUMN_NAMES: Record<(typeof COMPARED)[number], string> = {
  level: 'level',
  description: 'description',
  reportedAt: 'reported_at',
  deadline: 'deadline',
  status: 'status',
  rectifiedAt: 'rectified_at',
  closedAt: 'closed_at',
  reporterOpenId: 'reporter',
  assigneeOpenId: 'assignee',
};

function changedFields(old: Hazard, row: HazardRow): string[] {
  return COMPARED.filter((k) => (old[k] ?? null) !== (row[k] ?? null)).map((k) => COLUMN_NAMES[k]);
}

/** Each row with the existing hazard it stands for, if any: by number, or else by enterprise, time and description. */
async function targetsOf(db: Db, rows: LineRow<HazardRow>[]) {
  const byNo = await byNumbers(db, rows);
  const byKey = await byNaturalKeys(db, rows.filter((r) => !r.row.no));
  return rows.map(({ line, row }) => ({ line, row, old: row.no ? byNo.get(row.no) : byKey.get(rowKey(row)) }));
}

/** Of these hazards, those with a timeline entry other than an import: reported or moved in chat. */
async function workedInChat(db: Db, ids: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (const part of chunk(ids, 500)) {
    const found = await db
      .selectDistinct({ id: hazardEvents.hazardId })
      .from(hazardEvents)
      .where(and(inArray(hazardEvents.hazardId, part), ne(hazardEvents.action, 'import')));
    for (const r of found) out.add(r.id);
  }
  return out;
}

async function byNumbers(db: Db, rows: LineRow<HazardRow>[]): Promise<Map<string, Hazard>> {
  const out = new Map<string, Hazard>();
  const nos = rows.map((r) => r.row.no).filter((n): n is string => !!n);
  for (const part of chunk(nos, 500)) {
    for (const h of await db.select().from(hazards).where(inArray(hazards.no, part))) out.set(h.no, h);
  }
  return out;
}

/** Existing hazards with the same enterprise, reported_at and description as a row without a number. */
async function byNaturalKeys(db: Db, rows: LineRow<HazardRow>[]): Promise<Map<string, Hazard>> {
  const out = new Map<string, Hazard>();
  const times = [...new Set(rows.map((r) => r.row.reportedAt))];
  for (const part of chunk(times, 500)) {
    const found = await db.select().from(hazards).where(inArray(hazards.reportedAt, part)).orderBy(hazards.id);
    for (const h of found) {
      const k = naturalKey(h);
      if (!out.has(k)) out.set(k, h);
    }
  }
  return out;
}

/**
 * Numbers for new rows without one, and how far each YH-<year> sequence must rise. Generated
 * numbers start after the sequence, the file's own numbers and the numbers already in use.
 * Should a chat report take a number between this read and the batch, the batch fails on the
 * unique number and writes nothing; running the import again then succeeds.
 */
async function numberNew(db: Db, fresh: HazardRow[], tz: string) {
  const years = new Map<number, { explicit: number; blank: HazardRow[] }>();
  const year = (row: HazardRow) => {
    const m = row.no ? NO.exec(row.no) : undefined;
    return m ? Number(m[1]) : localParts(new Date(row.reportedAt), tz).year;
  };
  for (const row of fresh) {
    const y = year(row);
    const entry = years.get(y) ?? { explicit: 0, blank: [] };
    if (row.no) entry.explicit = Math.max(entry.explicit, Number(NO.exec(row.no)![2]));
    else entry.blank.push(row);
    years.set(y, entry);
  }
  const generated = new Map<HazardRow, string>();
  const raise = new Map<string, number>();
  for (const [y, { explicit, blank }] of years) {
    const name = `YH-${y}`;
    const [seq] = await db.select({ value: sequences.value }).from(sequences).where(eq(sequences.name, name));
    const [{ used }] = await db
      .select({ used: sql<number>`coalesce(max(cast(substr(${hazards.no}, ${name.length + 2}) as integer)), 0)` })
      .from(hazards)
      .where(like(hazards.no, `${name}-%`));
    let n = Math.max(seq?.value ?? 0, Number(used), explicit);
    for (const row of blank) generated.set(row, formatNumber('YH', y, ++n));
    if (n > (seq?.value ?? 0)) raise.set(name, n);
  }
  return { generated, raise };
}
