// npm run roster -- generate --from DATE --to DATE --role leader|chief|officer|dispatcher|info|tech --people A,B,C [--handoff 08:30] [--length 24h] [--replace]
// npm run roster -- list [--from DATE] [--to DATE]
// Exit codes: 0 done, 1 refused (nothing written), 2 usage or configuration error.

import { findPeople } from '../domain/people.ts';
import { parseHHmm, parseRosterRole, peopleInfo, shiftsBetween, shiftSpanLong, ROSTER_ROLE_LABELS, ROSTER_ROLES_TEXT, type RosterRole } from '../domain/roster.ts';
import { parseLength, planGenerate, planRotation } from '../domain/roster-generate.ts';
import { addLocalDays, formatDate, parseLocalDate, startOfLocalDay } from '../domain/time.ts';
import type { Db } from '../db/client.ts';
import { mirrorStatements } from '../outbox/mirror-rows.ts';
import { settingsFromConfig, type MirrorSettings } from '../settings.ts';
import { configOrExplain, withMigratedDatabase } from './config-and-database.ts';

const USAGE = [
  '用法 / usage:',
  '  npm run roster -- generate --from 2026-03-01 --to 2026-03-31 --role officer --people 王强,孙丽 [--handoff 08:30] [--length 24h] [--replace]',
  '  npm run roster -- list [--from 2026-03-01] [--to 2026-03-07]',
].join('\n');

const FLAGS = new Set(['--from', '--to', '--role', '--people', '--handoff', '--length']);
const SWITCHES = new Set(['--replace', '--force']);

class UsageError extends Error {}

function parseFlags(argv: string[]): { values: Record<string, string>; switches: Set<string> } {
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const [name, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (SWITCHES.has(name)) switches.add('--replace');
    else if (FLAGS.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} 需要一个值 / needs a value`);
      values[name] = v;
    } else throw new UsageError(`未知参数 / unknown argument "${a}"`);
  }
  return { values, switches };
}

function dateFlag(values: Record<string, string>, name: string, tz: string, now: Date): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const d = parseLocalDate(v, now, tz);
  if (!d || d.hasTime) throw new UsageError(`${name} "${v}" 不是日期 / is not a date (YYYY-MM-DD)`);
  return formatDate(d.date, tz);
}

async function resolvePeople(db: Db, list: string): Promise<{ openIds: string[]; problems: string[] }> {
  const openIds: string[] = [];
  const problems: string[] = [];
  for (const key of list.split(/[,，、]/).map((s) => s.trim()).filter(Boolean)) {
    const found = await findPeople(db, key);
    if (found.length === 1) openIds.push(found[0].openId);
    else if (found.length === 0) problems.push(`未登记 / no registered person "${key}"`);
    else problems.push(`重名 / ${found.length} people are named "${key}"; use the open_id (${found.map((p) => p.openId).join(', ')})`);
  }
  return { openIds, problems };
}

async function generate(db: Db, argv: string[], tz: string, now: Date, mirrors?: MirrorSettings): Promise<number> {
  const { values, switches } = parseFlags(argv);
  const fromDate = dateFlag(values, '--from', tz, now);
  const toDate = dateFlag(values, '--to', tz, now);
  if (!fromDate || !toDate || !values['--role'] || !values['--people']) throw new UsageError('generate 需要 --from --to --role --people / generate needs --from, --to, --role and --people');
  if (toDate < fromDate) throw new UsageError('--to 早于 --from / --to is before --from');
  const role = parseRosterRole(values['--role']) as RosterRole | undefined;
  if (!role) throw new UsageError(`--role "${values['--role']}" 岗位无效 / must be one of ${ROSTER_ROLES_TEXT}`);
  const handoff = parseHHmm(values['--handoff'] ?? '08:30');
  if (handoff === undefined) throw new UsageError(`--handoff "${values['--handoff']}" 应为 HH:mm / must be HH:mm`);
  const lengthMs = parseLength(values['--length'] ?? '24h');
  if (lengthMs === undefined) throw new UsageError(`--length "${values['--length']}" 应为如 24h、12h、1d / must be like 24h, 12h, 1d (1 hour to 7 days)`);
  const { openIds, problems } = await resolvePeople(db, values['--people']);
  if (problems.length) {
    console.error(['未生成任何班次 / nothing was generated:', ...problems.map((p) => `  ${p}`)].join('\n'));
    return 1;
  }
  if (!openIds.length) throw new UsageError('--people 为空 / --people is empty');

  const planned = planRotation({ fromDate, toDate, role, people: openIds, handoff, lengthMs, tz });
  const plan = await planGenerate(db, planned, now, switches.has('--replace'));
  const info = await peopleInfo(db, [...openIds, ...plan.conflicts.map((s) => s.personOpenId)]);
  const name = (id: string) => info.get(id)?.name ?? id;
  const label = ROSTER_ROLE_LABELS[role];
  if (plan.started.length) {
    console.error(
      [
        `未生成任何班次：以下已开始的${label.zh}班次与新排班重叠，不能替换 / nothing was generated: these ${label.en} shifts have already begun and cannot be replaced:`,
        ...plan.started.map((s) => `  #${s.id} ${shiftSpanLong(s, tz)} ${name(s.personOpenId)}`),
        '请从更晚的日期开始生成 / generate from a later date.',
      ].join('\n'),
    );
    return 1;
  }
  if (plan.conflicts.length && !switches.has('--replace')) {
    console.error(
      [
        `未生成任何班次：与已有${label.zh}班次重叠 / nothing was generated: it overlaps existing ${label.en} shifts:`,
        ...plan.conflicts.map((s) => `  #${s.id} ${shiftSpanLong(s, tz)} ${name(s.personOpenId)}`),
        '确认覆盖请加 --replace / add --replace to replace them.',
      ].join('\n'),
    );
    return 1;
  }
  if (plan.statements.length) {
    // The duty calendar (FEISHU_DUTY_CALENDAR) follows in the same batch: new slots, and replaced ones removed.
    const starts = [...plan.create, ...plan.conflicts].map((s) => s.start);
    const duty = starts.length ? [{ fromMs: Math.min(...starts), toMs: Math.max(...starts) + 1 }] : [];
    const [first, ...rest] = [...plan.statements, ...mirrorStatements(db, mirrors, { now, duty })];
    await db.batch([first, ...rest]);
  }
  const lines = [`已生成 ${plan.create.length} 个${label.zh}班次 / created ${plan.create.length} ${label.en} shifts:`];
  for (const s of plan.create) lines.push(`  ${shiftSpanLong(s, tz)}  ${name(s.personOpenId)}`);
  if (plan.unchanged.length) lines.push(`已存在相同班次 ${plan.unchanged.length} 个，未改动 / ${plan.unchanged.length} identical shifts were already there`);
  if (plan.conflicts.length) {
    lines.push(`已替换 ${plan.conflicts.length} 个原有班次 / replaced ${plan.conflicts.length} shifts:`);
    for (const s of plan.conflicts) lines.push(`  #${s.id} ${shiftSpanLong(s, tz)} ${name(s.personOpenId)}`);
  }
  console.log(lines.join('\n'));
  return 0;
}

async function list(db: Db, argv: string[], tz: string, now: Date): Promise<number> {
  const { values } = parseFlags(argv);
  const fromDate = dateFlag(values, '--from', tz, now) ?? formatDate(now, tz);
  const from = parseLocalDate(fromDate, now, tz)!.date;
  const toDate = dateFlag(values, '--to', tz, now);
  const to = toDate ? addLocalDays(parseLocalDate(toDate, now, tz)!.date, 1, tz) : addLocalDays(from, 7, tz);
  const rows = await shiftsBetween(db, startOfLocalDay(from, tz), to);
  const info = await peopleInfo(db, rows.map((s) => s.personOpenId));
  if (!rows.length) console.log('该时段没有班次 / no shifts in that range');
  for (const s of rows) {
    const p = info.get(s.personOpenId);
    const role = ROSTER_ROLE_LABELS[s.role as RosterRole]?.zh ?? s.role;
    console.log(`#${s.id}  ${shiftSpanLong(s, tz)}  ${role}  ${p?.name ?? s.personOpenId}${p?.mobile ? ` ${p.mobile}` : ''}  (${s.origin})`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'generate' && verb !== 'list') {
    console.error(USAGE);
    return 2;
  }
  const config = configOrExplain();
  if (!config) return 2;
  return withMigratedDatabase(config, async (db) => {
    try {
      const now = new Date();
      return verb === 'generate' ? await generate(db, rest, config.TZ_NAME, now, settingsFromConfig(config).mirrors) : await list(db, rest, config.TZ_NAME, now);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      console.error(`${e.message}\n${USAGE}`);
      return 2;
    }
  });
}

process.exitCode = await main(process.argv.slice(2));
