// roster.csv: start,end,role,person — local `YYYY-MM-DD HH:mm`, role a post's code or label
// (leader 带班领导, chief 值班长, officer 值班员, dispatcher 协调调度, info 综合信息, tech 技术保障),
// person by name or open_id. Overlapping shifts of one role are refused, inside the file and
// against the roster; a row identical to a shift already on the roster is left alone, so
// importing the same file twice changes nothing.

import { and, eq, gt, lt } from 'drizzle-orm';
import { mirrorStatements } from '../outbox/mirror-rows.ts';
import { people, shifts } from '../db/schema.ts';
import { parseRosterRole, roleLabel, ROSTER_ROLES, ROSTER_ROLES_TEXT, type RosterRole, type Shift } from '../domain/roster.ts';
import { formatDateTime } from '../domain/time.ts';
import type { Db } from '../db/client.ts';
import { chunk, type Importer, type ImportContext, type LineRow, type RowError, isProblem } from './framework.ts';
import { dateCell, personCell } from './refs.ts';

export interface RosterRow {
  start: number;
  end: number;
  role: RosterRole;
  personOpenId: string;
}

const MAX_SHIFT_MS = 7 * 24 * 3600_000;

export const rosterImporter: Importer<RosterRow> = {
  name: 'roster',
  header: ['start', 'end', 'role', 'person'],
  aliases: { start: ['开始时间', '开始'], end: ['结束时间', '结束'], role: ['岗位'], person: ['值班人', '姓名'] },

  async parse(r, ctx) {
    const start = dateCell(ctx, r.start, 'start');
    if (isProblem(start)) return start;
    const end = dateCell(ctx, r.end, 'end');
    if (isProblem(end)) return end;
    if (!start.hasTime || !end.hasTime) return '时间须精确到分钟 / start and end need a time: YYYY-MM-DD HH:mm';
    if (end.at.getTime() <= start.at.getTime()) return `结束时间须晚于开始时间 / end ${r.end.trim()} is not after start ${r.start.trim()}`;
    if (end.at.getTime() - start.at.getTime() > MAX_SHIFT_MS) return '班次超过 7 天 / a shift may last at most 7 days';
    const role = parseRosterRole(r.role);
    if (!role) return `岗位无效 / role "${r.role.trim()}" must be one of ${ROSTER_ROLES_TEXT}`;
    if (!r.person.trim()) return '值班人必填 / person is required';
    const person = await personCell(ctx, r.person, 'person');
    if (isProblem(person)) return person;
    return { start: start.at.getTime(), end: end.at.getTime(), role, personOpenId: person.openId! };
  },

  async check(rows, ctx) {
    const errors: RowError[] = [];
    for (const role of ROSTER_ROLES) {
      const mine = rows.filter((r) => r.row.role === role).sort((a, b) => a.row.start - b.row.start || a.line - b.line);
      let prev: LineRow<RosterRow> | undefined;
      for (const cur of mine) {
        if (prev && cur.row.start < prev.row.end) {
          const same = cur.row.start === prev.row.start && cur.row.end === prev.row.end && cur.row.personOpenId === prev.row.personOpenId;
          errors.push({
            line: cur.line,
            reason: same ? `与第${prev.line}行重复 / same shift as line ${prev.line}` : `与第${prev.line}行的${roleLabel(role).zh}班次重叠 / overlaps the ${role} shift on line ${prev.line}`,
          });
        }
        if (!prev || cur.row.end > prev.row.end) prev = cur;
      }
    }
    const names = await nameMap(ctx.db);
    for (const { line, row } of rows) {
      const { clash } = await against(ctx, row);
      if (clash) {
        errors.push({
          line,
          reason: `与已有班次重叠 / overlaps shift #${clash.id} on the roster: ${formatDateTime(new Date(clash.start), ctx.tz)} – ${formatDateTime(new Date(clash.end), ctx.tz)} ${names.get(clash.personOpenId) ?? clash.personOpenId}`,
        });
      }
    }
    return errors;
  },

  async plan(rows, ctx) {
    const at = ctx.now.getTime();
    const fresh: (typeof shifts.$inferInsert)[] = [];
    let unchanged = 0;
    for (const { row } of rows) {
      if ((await against(ctx, row)).same) unchanged++;
      else fresh.push({ ...row, origin: 'imported', createdAt: at, updatedAt: at });
    }
    const starts = fresh.map((f) => f.start);
    const duty = starts.length ? [{ fromMs: Math.min(...starts), toMs: Math.max(...starts) + 1 }] : [];
    const statements = [...chunk(fresh, 100).map((values) => ctx.db.insert(shifts).values(values)), ...mirrorStatements(ctx.db, ctx.mirrors, { now: ctx.now, duty })];
    return { statements, inserted: fresh.length, updated: 0, unchanged };
  },
};

/** The roster's shifts of the row's role that overlap it: identical (already imported) or a clash. */
async function against(ctx: ImportContext, row: RosterRow): Promise<{ same?: Shift; clash?: Shift }> {
  const hits = await ctx.db
    .select()
    .from(shifts)
    .where(and(eq(shifts.role, row.role), lt(shifts.start, row.end), gt(shifts.end, row.start)));
  const same = hits.find((s) => s.start === row.start && s.end === row.end && s.personOpenId === row.personOpenId);
  if (same && hits.length === 1) return { same };
  return { clash: hits.find((s) => s !== same) };
}

async function nameMap(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ openId: people.openId, name: people.name }).from(people);
  return new Map(rows.map((r) => [r.openId, r.name]));
}
