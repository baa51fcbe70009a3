// hazards.csv / .xlsx: no,enterprise,level,description,reported_at,deadline,status,rectified_at,closed_at,assignee
// [,reporter,source,measures,funds,contingency,verifier] — or the ledger's Chinese columns (HAZARD_LEDGER_ALIASES).
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
import { mirrorStatements } from '../outbox/mirror-rows.ts';
import type { Db } from '../db/client.ts';
import { hazardEvents, hazards, sequences } from '../db/schema.ts';
import type { Enterprise } from '../domain/enterprises.ts';
import { parseHazardLevel, parseHazardStatus, HAZARD_STATUSES, STATUS_LABELS, type HazardLevel, type HazardStatus } from '../domain/hazard-terms.ts';
import { inspectionForHazard } from '../domain/inspections.ts';
import { formatNumber, raiseSequence } from '../domain/sequences.ts';
import { endOfLocalDay, formatDate, localParts } from '../domain/time.ts';
import { parseHazardSource, SOURCE_HINT, type HazardSource } from '../domain/hazard-sources.ts';
import { parseFunds } from '../domain/money.ts';
import { cellProblem, chunk, hasColumn, isProblem, labelOf, optional, type Importer, type ImportPlan, type LineRow, type Problem, type RowError } from './framework.ts';
import { dateCell, enterpriseCell, pastDateCell, personCell, repeatedRows, requiredPastDateCell } from './refs.ts';

/** A ledger time and how precisely the cell gave it (a date alone, or to the minute). */
export interface LedgerTime {
  at: number;
  hasTime: boolean;
}

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
  assigneeOpenId: string | null;
  // Columns a ledger may leave out: undefined = not in the file, so the stored value stays.
  reporterOpenId?: string | null;
  source?: HazardSource;
  measures?: string | null;
  fundsFen?: number | null;
  contingency?: string | null;
  verifierOpenId?: string | null;
  /** How precisely each time was written, so a value the export rounded reads back as unchanged. */
  precision: Partial<Record<TimeField, boolean>>;
}

type Hazard = typeof hazards.$inferSelect;
type TimeField = 'reportedAt' | 'deadline' | 'rectifiedAt' | 'closedAt';

const NO = /^YH-(\d{4})-(\d{1,6})$/i;
const MAX_DESCRIPTION = 1000;
const MAX_TEXT = 1000;
const STATUS_HINT = HAZARD_STATUSES.map((s) => `${STATUS_LABELS[s].zh}/${s}`).join(', ');
const IMPORT_NOTE = '台账导入 / ledger import';

const naturalKey = (r: { enterpriseId: number; reportedAt: number; description: string }) =>
  JSON.stringify([r.enterpriseId, r.reportedAt, r.description]);
const rowKey = (r: HazardRow) => naturalKey({ enterpriseId: r.enterprise.id, reportedAt: r.reportedAt, description: r.description });

/**
 * The 隐患排查治理台账's own columns (the ones /export writes, in this order) beside the English
 * ones. 序号 is the ledger's row counter and is ignored.
 */
export const HAZARD_LEDGER_ALIASES = {
  no: ['隐患编号', '编号'],
  enterprise: ['企业名称', '单位名称', '企业'],
  level: ['隐患等级', '隐患级别', '等级'],
  description: ['隐患描述', '隐患内容', '存在问题'],
  source: ['隐患来源', '来源'],
  reported_at: ['发现日期', '发现时间', '检查日期', '上报时间'],
  measures: ['整改措施'],
  funds: ['整改资金', '整改资金(万元)'],
  assignee: ['整改责任人', '责任人'],
  deadline: ['整改期限', '整改时限'],
  status: ['整改情况', '整改状态', '状态'],
  rectified_at: ['整改完成日期', '整改完成时间'],
  verifier: ['复查人', '验收人'],
  closed_at: ['复查日期/销号日期', '销号日期', '复查日期', '销号时间'],
  contingency: ['应急预案', '应急预案/防范措施', '防范措施'],
  reporter: ['上报人', '发现人', '检查人'],
} as const;

export const hazardsImporter: Importer<HazardRow> = {
  name: 'hazards',
  header: ['no', 'enterprise', 'level', 'description', 'reported_at', 'deadline', 'status', 'rectified_at', 'closed_at', 'assignee'],
  optional: ['reporter', 'source', 'measures', 'funds', 'contingency', 'verifier'],
  aliases: HAZARD_LEDGER_ALIASES,
  ignored: ['序号'],
  units: { funds: ['万元'] },

  async parse(r, ctx) {
    const L = (c: string) => labelOf(ctx, c);
    const bad = (column: string, reason: (label: string) => string) => cellProblem(ctx, column, reason);
    let no: string | null = null;
    if (r.no.trim()) {
      const m = NO.exec(r.no.trim());
      if (!m) return bad('no', (c) => `${c}格式无效 / no "${r.no.trim()}" must look like YH-2025-0001 (or be left blank)`);
      no = formatNumber('YH', Number(m[1]), Number(m[2]));
    }
    const e = await enterpriseCell(ctx, r.enterprise);
    if (isProblem(e)) return e;
    const level = parseHazardLevel(r.level);
    if (!level) return bad('level', (c) => `${c}无效 / level "${r.level.trim()}" must be 一般/重大 or general/major`);
    const description = r.description.trim();
    if (!description) return bad('description', (c) => `${c}必填 / description is required`);
    if (description.length > MAX_DESCRIPTION) return bad('description', (c) => `${c}过长 / description is longer than ${MAX_DESCRIPTION} characters`);
    const reported = requiredPastDateCell(ctx, r.reported_at, 'reported_at');
    if (isProblem(reported)) return reported;
    const reportedAt = reported.at.getTime();
    const precision: HazardRow['precision'] = { reportedAt: reported.hasTime };

    let deadline: number | null = null;
    if (r.deadline.trim()) {
      const d = dateCell(ctx, r.deadline, 'deadline');
      if (isProblem(d)) return d;
      deadline = (d.hasTime ? d.at : endOfLocalDay(d.at, ctx.tz)).getTime();
      precision.deadline = d.hasTime;
      if (deadline < reportedAt) return bad('deadline', (c) => `${c} 早于 ${L('reported_at')} / deadline is before reported_at`);
    }

    const status = parseHazardStatus(r.status);
    if (!status) return bad('status', (c) => `${c}无效 / status "${r.status.trim()}" (expected ${STATUS_HINT})`);
    const when = (text: string, column: string, field: TimeField): number | null | Problem => {
      if (!text.trim()) return null;
      const d = pastDateCell(ctx, text, column);
      if (isProblem(d)) return d;
      precision[field] = d.hasTime;
      return d.at.getTime();
    };
    const rectifiedAt = when(r.rectified_at, 'rectified_at', 'rectifiedAt');
    if (isProblem(rectifiedAt)) return rectifiedAt;
    const closedAt = when(r.closed_at, 'closed_at', 'closedAt');
    if (isProblem(closedAt)) return closedAt;
    const label = `${STATUS_LABELS[status].zh}/${status}`;
    if (status === 'closed' && closedAt === null) return bad('closed_at', (c) => `${c} 必填 / a closed (已销号) hazard needs closed_at`);
    if (status !== 'closed' && closedAt !== null) return bad('closed_at', (c) => `状态为${label}却有 ${c} / closed_at is set but the status is ${status}`);
    if (rectifiedAt !== null && status !== 'rectified' && status !== 'closed') {
      return bad('rectified_at', (c) => `状态为${label}却有 ${c} / rectified_at is set but the status is ${status}`);
    }
    if (rectifiedAt !== null && rectifiedAt < reportedAt) return bad('rectified_at', (c) => `${c} 早于 ${L('reported_at')} / rectified_at is before reported_at`);
    if (closedAt !== null && closedAt < (rectifiedAt ?? reportedAt)) {
      const before = rectifiedAt !== null ? 'rectified_at' : 'reported_at';
      return bad('closed_at', (c) => `${c} 早于 ${L(before)} / closed_at is before ${before}`);
    }

    const assignee = await personCell(ctx, r.assignee, 'assignee');
    if (isProblem(assignee)) return assignee;
    const row: HazardRow = {
      no,
      enterprise: e,
      level,
      description,
      reportedAt,
      deadline,
      status,
      rectifiedAt,
      closedAt,
      assigneeOpenId: assignee.openId,
      precision,
    };
    if (hasColumn(r, 'reporter')) {
      const reporter = await personCell(ctx, r.reporter, 'reporter');
      if (isProblem(reporter)) return reporter;
      row.reporterOpenId = reporter.openId;
    }
    if (hasColumn(r, 'verifier')) {
      const verifier = await personCell(ctx, r.verifier, 'verifier');
      if (isProblem(verifier)) return verifier;
      row.verifierOpenId = verifier.openId;
    }
    if (hasColumn(r, 'source')) {
      const text = r.source.trim();
      const source = text ? parseHazardSource(text) : 'inspection';
      if (!source) return bad('source', (c) => `${c}无效 / source "${text}" (expected ${SOURCE_HINT})`);
      row.source = source;
    }
    for (const [column, field] of [['measures', 'measures'], ['contingency', 'contingency']] as const) {
      if (!hasColumn(r, column)) continue;
      const text = optional(r[column]);
      if (text && text.length > MAX_TEXT) return bad(column, (c) => `${c}过长 / ${column} is longer than ${MAX_TEXT} characters`);
      row[field] = text;
    }
    if (hasColumn(r, 'funds')) {
      const text = r.funds.trim();
      if (!text) row.fundsFen = null;
      else {
        const m = parseFunds(text);
        if (!m.ok) return bad('funds', (c) => `${c}无效 / ${m.zh} / ${m.en}`);
        row.fundsFen = m.fen;
      }
    }
    return row;
  },

  async check(rows, { db, tz }) {
    const errors: RowError[] = [
      ...repeatedRows(rows.filter((r) => r.row.no), (r) => r.no!, 'no'),
      ...repeatedRows(rows, rowKey, 'enterprise, reported_at and description'),
    ];
    if (errors.length) return errors;
    const targets = await targetsOf(db, rows, tz);
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

  async plan(rows, { db, now, tz, mirrors }) {
    const at = now.getTime();
    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    const targets = await targetsOf(db, rows, tz);
    const numbers = await numberNew(db, targets.filter((t) => !t.old).map((t) => t.row), tz);

    const fresh: (typeof hazards.$inferInsert)[] = [];
    /** Hazards whose Bitable record must follow (issue 19). */
    const mirrored: string[] = [];
    for (const { row, old } of targets) {
      if (!old) {
        const no = row.no ?? numbers.generated.get(row)!;
        const inspectionId = row.reporterOpenId
          ? ((await inspectionForHazard(db, row.enterprise.id, row.reporterOpenId, new Date(row.reportedAt), tz)) ?? null)
          : null;
        fresh.push({
          ...columns(row),
          reporterOpenId: row.reporterOpenId ?? null,
          source: row.source ?? 'inspection',
          no,
          inspectionId,
          originalDeadline: row.deadline,
          updatedAt: at,
        });
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
      mirrored.push(old.no);
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
    plan.statements.push(...mirrorStatements(db, mirrors, { now, hazards: [...mirrored, ...fresh.map((f) => f.no)] }));
    for (const [name, value] of numbers.raise) plan.statements.push(raiseSequence(db, name, value));
    return plan;
  },
};

/** What a row sets on the hazard (everything but number, id, links and timestamps of its own). */
function columns(row: HazardRow) {
  // Columns the file left out are undefined here, and drizzle leaves undefined fields alone.
  return {
    enterpriseId: row.enterprise.id,
    sector: row.enterprise.sector,
    township: row.enterprise.township,
    level: row.level,
    description: row.description,
    reporterOpenId: row.reporterOpenId,
    assigneeOpenId: row.assigneeOpenId,
    source: row.source,
    measures: row.measures,
    fundsFen: row.fundsFen,
    contingency: row.contingency,
    verifierOpenId: row.verifierOpenId,
    deadline: row.deadline,
    status: row.status,
    reportedAt: row.reportedAt,
    rectifiedAt: row.rectifiedAt,
    closedAt: row.closedAt,
    // As a dispatch does: a hazard being rectified is watched from its deadline; others are not.
    nextNagAt: row.status === 'dispatched' ? row.deadline : null,
  };
}

const COMPARED = [
  'level', 'description', 'reportedAt', 'deadline', 'status', 'rectifiedAt', 'closedAt', 'reporterOpenId', 'assigneeOpenId',
  'source', 'measures', 'fundsFen', 'contingency', 'verifierOpenId',
] as const;
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
  source: 'source',
  measures: 'measures',
  fundsFen: 'funds',
  contingency: 'contingency',
  verifierOpenId: 'verifier',
};

/** Fields the file has (an absent optional column is not compared) that differ from the stored hazard. */
function changedFields(old: Hazard, row: HazardRow): string[] {
  return COMPARED.filter((k) => row[k] !== undefined && (old[k] ?? null) !== (row[k] ?? null)).map((k) => COLUMN_NAMES[k]);
}

const TIME_FIELDS: TimeField[] = ['reportedAt', 'deadline', 'rectifiedAt', 'closedAt'];

/**
 * The row with each time the cell wrote at a coarser precision than stored — a day, or a minute —
 * replaced by the stored time when they agree: a ledger (or our own export) that shows
 * `2026-11-05 09:30` for 09:30:41.2 means the same instant, and re-importing it changes nothing.
 */
function reconciled(old: Hazard, row: HazardRow, tz: string): HazardRow {
  const out = { ...row };
  for (const f of TIME_FIELDS) {
    const cell = row[f];
    const stored = old[f];
    if (cell === null || stored === null || cell === stored || row.precision[f] === undefined) continue;
    const same = row.precision[f]
      ? Math.floor(cell / 60_000) === Math.floor(stored / 60_000)
      : formatDate(new Date(cell), tz) === formatDate(new Date(stored), tz);
    if (same) out[f] = stored;
  }
  return out;
}

/** Each row with the existing hazard it stands for, if any: by number, or else by enterprise, time and description. */
async function targetsOf(db: Db, rows: LineRow<HazardRow>[], tz: string) {
  const byNo = await byNumbers(db, rows);
  const byKey = await byNaturalKeys(db, rows.filter((r) => !r.row.no), tz);
  return rows.map(({ line, row }) => {
    const old = row.no ? byNo.get(row.no) : byKey.get(rowKey(row)) ?? byKey.get(dayKey(row, tz));
    return { line, row: old ? reconciled(old, row, tz) : row, old };
  });
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
async function byNaturalKeys(db: Db, rows: LineRow<HazardRow>[], tz: string): Promise<Map<string, Hazard>> {
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

/** The key of a row without a number whose 发现日期 is a date or a minute: matched by that day or minute. */
function dayKey(row: HazardRow, tz: string): string {
  return JSON.stringify([row.enterprise.id, row.description, row.precision.reportedAt ? Math.floor(row.reportedAt / 60_000) : formatDate(new Date(row.reportedAt), tz)]);
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
