// Every post on the duty desk: 值班长, 协调调度, 综合信息 and 技术保障 beside the leader and the
// officer — imported by code or label, checked for overlaps per post, listed by /duty, reminded.
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { bj, runJob, to } from './support/roster-helpers.ts';
import { shown } from './support/cards.ts';
import { chatBindings, jobRuns, outbox, shifts } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { formatImportResult, runImport } from '../src/import/framework.ts';
import { rosterImporter } from '../src/import/roster.ts';
import { planRotation } from '../src/domain/roster-generate.ts';
import { parseRosterRole } from '../src/domain/roster.ts';

let h: Harness;
const ZHANG = 'ou_p_zhang'; // 带班领导
const WANG = 'ou_p_wang'; // 值班员
const LIU = 'ou_p_liu'; // 值班长
const ZHAO = 'ou_p_zhao'; // 协调调度
const QIAN = 'ou_p_qian'; // 综合信息
const ZHOU = 'ou_p_zhou'; // 技术保障
const DUTY = 'oc_p_duty';
const reminders = findJob('shift-reminders')!;
const ctx = () => ({ db: h.db, now: h.now, tz: 'Asia/Shanghai' });

beforeAll(async () => {
  h = await startHarness({ start: bj('2026-03-01T10:00:00') });
  await addPerson(h.db, ZHANG, '张伟', 'leader', { mobile: '13900000001' });
  await addPerson(h.db, WANG, '王强', 'officer', { mobile: '13900000005' });
  await addPerson(h.db, LIU, '刘洋', 'officer', { mobile: '13900000007' });
  await addPerson(h.db, ZHAO, '赵敏', 'officer', { mobile: '13900000008' });
  await addPerson(h.db, QIAN, '钱进', 'officer');
  await addPerson(h.db, ZHOU, '周涛', 'officer');
  await h.db.insert(chatBindings).values({ kind: 'duty', name: '', chatId: DUTY, boundAt: 0 });
});
afterAll(() => h.close());
beforeEach(async () => {
  for (const t of [shifts, outbox, jobRuns]) await h.db.delete(t);
  h.fake.reset();
  h.setNow(bj('2026-03-01T10:00:00'));
});

const DAY = ['2026-03-05 08:30', '2026-03-06 08:30'];
const allPosts = [
  'start,end,role,person',
  `${DAY[0]},${DAY[1]},带班领导,张伟`,
  `${DAY[0]},${DAY[1]},值班员,王强`,
  `${DAY[0]},${DAY[1]},chief,刘洋`,
  `${DAY[0]},${DAY[1]},协调调度,赵敏`,
  `${DAY[0]},${DAY[1]},info,钱进`,
  `${DAY[0]},${DAY[1]},技术保障,周涛`,
].join('\n');

describe('duty posts', () => {
  it('reads every post by code or Chinese label', () => {
    expect(['chief', '值班长', 'dispatcher', '协调调度', 'info', '综合信息', 'tech', '技术保障', 'leader', '值班员'].map(parseRosterRole)).toEqual([
      'chief', 'chief', 'dispatcher', 'dispatcher', 'info', 'info', 'tech', 'tech', 'leader', 'officer',
    ]);
    expect(parseRosterRole('boss')).toBeUndefined();
  });

  it('imports all six posts for one day; overlaps are refused per post only', async () => {
    const r = await runImport(rosterImporter, allPosts, ctx());
    expect(r).toEqual({ inserted: 6, updated: 0, unchanged: 0, errors: [] });
    const rows = await h.db.select().from(shifts).orderBy(asc(shifts.id));
    expect(rows.map((s) => [s.role, s.personOpenId])).toEqual([
      ['leader', ZHANG], ['officer', WANG], ['chief', LIU], ['dispatcher', ZHAO], ['info', QIAN], ['tech', ZHOU],
    ]);
    // A second 值班长 the same day overlaps the chief's shift; a second 协调调度 in the file overlaps too.
    const clash = await runImport(
      rosterImporter,
      ['start,end,role,person', `2026-03-05 20:00,2026-03-06 08:00,值班长,王强`, '2026-03-07 08:30,2026-03-08 08:30,dispatcher,赵敏', '2026-03-07 20:30,2026-03-08 08:30,协调调度,钱进', '2026-03-07 08:30,2026-03-08 08:30,tech,赵敏'].join('\n'),
      ctx(),
    );
    expect(clash.inserted).toBe(0);
    expect(clash.errors.map((e) => e.line).sort()).toEqual([2, 4]);
    const text = formatImportResult(clash).join('\n');
    expect(text).toContain('与已有班次重叠');
    expect(text).toContain('与第3行的协调调度班次重叠');
    const bad = await runImport(rosterImporter, ['start,end,role,person', `${DAY[0]},${DAY[1]},boss,王强`].join('\n'), ctx());
    expect(formatImportResult(bad).join('\n')).toContain('chief (值班长)');
  });

  it('generates a rotation for any post', () => {
    const planned = planRotation({ fromDate: '2026-03-01', toDate: '2026-03-02', role: 'chief', people: ['a', 'b'], handoff: 510, lengthMs: 86_400_000, tz: 'Asia/Shanghai' });
    expect(planned.map((p) => [p.role, p.personOpenId])).toEqual([['chief', 'a'], ['chief', 'b']]);
  });

  it('/duty lists every post with phones; the leader and officer show a gap when empty', async () => {
    await runImport(rosterImporter, allPosts, ctx());
    h.setNow(bj('2026-03-05T12:00:00'));
    const { replies } = await h.say(WANG, '/duty');
    const text = shown(replies[0]);
    for (const line of ['带班领导**：张伟（13900000001）', '值班员**：王强（13900000005）', '值班长**：刘洋（13900000007）', '协调调度**：赵敏（13900000008）', '综合信息**：钱进', '技术保障**：周涛']) {
      expect(text).toContain(line);
    }
    const day = shown((await h.say(WANG, '/duty 2026-03-05')).replies[0]);
    expect(day).toContain('值班长');
    expect(day).toContain('技术保障');
    const week = shown((await h.say(WANG, '/duty week')).replies[0]);
    expect(week).toContain('值班长 刘洋（13900000007）');

    // With only a chief on, the empty core posts are called out.
    await h.db.delete(shifts);
    await runImport(rosterImporter, ['start,end,role,person', `${DAY[0]},${DAY[1]},值班长,刘洋`].join('\n'), ctx());
    const gap = shown((await h.say(WANG, '/duty')).replies[0]);
    expect(gap).toContain('带班领导**：—（空档 / gap）');
    expect(gap).toContain('值班长**：刘洋');
    expect(gap).not.toContain('协调调度');
  });

  it('reminds every person on the shift, and the duty chat hears every post at the start', async () => {
    await runImport(rosterImporter, allPosts, ctx());
    const eve = await runJob(h, reminders, bj('2026-03-04T20:00:00'));
    expect(eve.sent.map((m) => m.receiveId).sort()).toEqual([ZHANG, WANG, LIU, ZHAO, QIAN, ZHOU].sort());
    expect(shown(to(eve.sent, ZHAO)[0])).toContain('明天您值班（协调调度）');
    const t30 = await runJob(h, reminders, bj('2026-03-05T08:00:00'));
    expect(t30.sent.filter((m) => m.urgent.length).map((m) => m.receiveId).sort()).toEqual([ZHANG, WANG, LIU, ZHAO, QIAN, ZHOU].sort());
    expect(shown(to(t30.sent, ZHOU)[0])).toContain('同班带班领导：张伟（13900000001）');
    const start = await runJob(h, reminders, bj('2026-03-05T08:30:00'));
    const posted = shown(start.sent.find((m) => m.chatId === DUTY)!);
    for (const label of ['带班领导', '值班员', '值班长', '协调调度', '综合信息', '技术保障']) expect(posted).toContain(label);
    // The handover ask stays the officer's.
    const ask = await runJob(h, reminders, bj('2026-03-06T08:15:00'));
    expect(ask.sent.map((m) => m.receiveId)).toEqual([WANG]);
  });
});
