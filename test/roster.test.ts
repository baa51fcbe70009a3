import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { addShift, bj, body, runJob, to } from './support/roster-helpers.ts';
import { chatBindings, jobRuns, keyPeriods, outbox, shifts, swapRequests } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { acceptSwap, closeSwap, swapByKey } from '../src/domain/swaps.ts';
import { findGaps } from '../src/domain/gaps.ts';
import { parseDateRange } from '../src/domain/holidays.ts';

let h: Harness;
const ADMIN = 'ou_admin';
const WANG = 'ou_wang';
const SUN = 'ou_sun';
const ZHANG = 'ou_zhang';
const CHEN = 'ou_chen';
const OUTSIDER = 'ou_guest';
const gapsJob = findJob('roster-gaps')!;
const brief = findJob('daily-brief')!;

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN], start: bj('2026-09-30T10:00:00') });
  await addPerson(h.db, ADMIN, '管理员', 'admin');
  await addPerson(h.db, WANG, '王强', 'officer', { mobile: '13900000005' });
  await addPerson(h.db, SUN, '孙丽', 'officer', { mobile: '13900000006' });
  await addPerson(h.db, ZHANG, '张伟', 'admin|leader', { mobile: '13900000001' });
  await addPerson(h.db, CHEN, '陈静', 'leader', { mobile: '13900000002' });
  // No holiday import: the 2026 calendar ships with the migrations.
  await h.db.insert(chatBindings).values({ kind: 'leaders', name: '', chatId: 'oc_leaders', boundAt: 0 });
});
afterAll(() => h.close());
beforeEach(async () => {
  for (const t of [shifts, outbox, jobRuns, keyPeriods, swapRequests]) await h.db.delete(t);
  h.fake.reset();
  h.setNow(bj('2026-09-30T10:00:00'));
});

async function roster() {
  // 24-hour officer shifts at 08:30, leader shifts at 08:00, 09-30 … 10-02.
  await addShift(h.db, 'officer', WANG, '2026-09-30T08:30:00', '2026-10-01T08:30:00');
  await addShift(h.db, 'officer', SUN, '2026-10-01T08:30:00', '2026-10-02T08:30:00');
  await addShift(h.db, 'officer', WANG, '2026-10-02T08:30:00', '2026-10-03T08:30:00');
  await addShift(h.db, 'leader', CHEN, '2026-09-30T08:00:00', '2026-10-01T08:00:00');
  await addShift(h.db, 'leader', ZHANG, '2026-10-01T08:00:00', '2026-10-02T08:00:00');
  await addShift(h.db, 'leader', CHEN, '2026-10-02T08:00:00', '2026-10-03T08:00:00');
}

const reply = async (who: string, text: string, opts = {}) => {
  const { replies } = await h.say(who, text, opts);
  expect(replies).toHaveLength(1);
  return replies[0];
};

describe('/duty', () => {
  it('now (the default): the leader and officer on duty with phone numbers', async () => {
    await roster();
    const r = await reply(SUN, '/duty');
    expect(body(r)).toContain('当前值班');
    expect(body(r)).toContain('**带班领导**：陈静（13900000002）');
    expect(body(r)).toContain('**值班员**：王强（13900000005）');
    expect(body(await reply(SUN, '/值班 now'))).toContain('王强（13900000005）');
  });

  it('on a public holiday during a key period says both, and shows that day’s shifts', async () => {
    await roster();
    await h.say(ZHANG, '/keyperiod 2026-09-28..2026-10-08 国庆安保');
    const r = await reply(WANG, '/值班 2026-10-01');
    const c = body(r);
    expect(c).toContain('2026-10-01 值班安排');
    expect(c).toContain('节假日：国庆节');
    expect(c).toContain('重点时段：国庆安保');
    expect(c).toContain('public holiday: 国庆节');
    expect(c).toContain('孙丽（13900000006）');
    expect(c).toContain('张伟（13900000001）');
    expect(JSON.parse(r.content).header.template).toBe('red');
    // tomorrow = 10-01 from 09-30.
    expect(body(await reply(WANG, '/duty tomorrow'))).toContain('节假日：国庆节');
    // A make-up workday is marked as such, and is not a key period on its own.
    const workday = body(await reply(WANG, '/duty 2026-10-10'));
    expect(workday).toContain('调休上班：国庆节调休上班');
    expect(workday).not.toContain('重点时段');
  });

  it('today, week as a table, and @person with their next shifts', async () => {
    await roster();
    const today = body(await reply(SUN, '/duty today'));
    expect(today).toContain('2026-09-30 值班安排');
    expect(today).toContain('王强（13900000005）');
    const week = await reply(SUN, '/duty week');
    const card = JSON.parse(week.content);
    const table = card.body.elements.find((e: { tag: string }) => e.tag === 'table');
    expect(table.rows).toHaveLength(7);
    expect(table.rows[0]).toMatchObject({ leader: '陈静（13900000002） 08:00', officer: '王强（13900000005） 08:30' });
    expect(table.rows[1].note).toContain('节假日：国庆节');
    expect(table.rows[3].officer).toBe('—');
    const mine = body(await reply(ZHANG, '/duty @_user_1', { mentions: [{ openId: WANG, name: '王强' }] }));
    expect(mine).toContain('王强 的后续班次');
    expect(mine).toContain('2026-09-30 08:30 – 10-01 08:30');
    expect(mine).toContain('2026-10-02 08:30 – 10-03 08:30');
    expect(mine).toContain('🔴');
    expect(body(await reply(ZHANG, '/duty 孙丽'))).toContain('孙丽 的后续班次');
    expect(textOf(await reply(ZHANG, '/duty 下周三'))).toContain('无法识别');
  });

  it('tonight and tomorrow night: who is on at 21:00, not the whole day; during the night, now', async () => {
    await roster();
    // 09-30 10:00: tonight is 王强 and 陈静; tomorrow night (10-01 21:00) 孙丽 and 张伟.
    const tonight = body(await reply(SUN, '/duty tonight'));
    expect(tonight).toContain('夜间值班 2026-09-30 21:00');
    expect(tonight).toContain('王强（13900000005）');
    expect(tonight).not.toContain('孙丽');
    const tomorrowNight = body(await reply(SUN, '/值班 明晚'));
    expect(tomorrowNight).toContain('夜间值班 2026-10-01 21:00');
    expect(tomorrowNight).toContain('孙丽（13900000006）');
    expect(tomorrowNight).toContain('张伟（13900000001）');
    // Asked at 02:00 on 10-01, "tonight" is the night under way: 王强 still, not the evening of 10-01.
    h.setNow(bj('2026-10-01T02:00:00'));
    const late = body(await reply(SUN, '/duty 今晚'));
    expect(late).toContain('夜间值班 2026-10-01 02:00');
    expect(late).toContain('王强（13900000005）');
  });

  it('is for registered people only', async () => {
    expect(textOf(await reply(OUTSIDER, '/duty'))).toContain('尚未登记');
  });
});

describe('/keyperiod', () => {
  it('admins declare and remove key periods; everyone registered can list them', async () => {
    const refused = await reply(WANG, '/重点时段 2026-03-04..2026-03-11 全国两会');
    expect(textOf(refused)).toContain('需要以下角色之一：管理员');
    expect(textOf(await reply(ADMIN, '/keyperiod 2026-03-04..2026-03-11 全国两会'))).toContain('已设置重点时段：2026-03-04 – 2026-03-11 全国两会');
    expect(textOf(await reply(ADMIN, '/keyperiod 2026-03-11..2026-03-04 反了'))).toContain('参数有误');
    // 全国两会 is in the past from 09-30; `all` shows it.
    expect(textOf(await reply(WANG, '/keyperiod'))).toContain('当前没有设置重点时段');
    const all = textOf(await reply(WANG, '/keyperiod all'));
    expect(all).toContain('全国两会');
    const [row] = await h.db.select().from(keyPeriods);
    expect(textOf(await reply(ADMIN, `/keyperiod remove ${row.id}`))).toContain('已删除');
    expect(await h.db.select().from(keyPeriods)).toHaveLength(0);
    expect(parseDateRange('2026-03-04', h.now, 'Asia/Shanghai')).toEqual({ startDate: '2026-03-04', endDate: '2026-03-04' });
  });
});

describe('roster-gaps', () => {
  it('reports each gap in the next 72 hours to the admins once, and again 24 hours before it starts', async () => {
    await roster();
    // Now 09-30 10:07: covered to 10-03 08:00 / 08:30; the 72-hour horizon ends 10-03 10:07.
    const first = await runJob(h, gapsJob, bj('2026-09-30T10:07:00'));
    for (const admin of [ADMIN, ZHANG]) {
      const mine = to(first.sent, admin);
      expect(mine).toHaveLength(2);
      expect(mine.map(body).join()).toContain('2026-10-03 08:00 至 2026-10-03 10:07 之后仍未排');
      expect(mine.map(body).join()).toContain('没有带班领导');
      expect(mine.map(body).join()).toContain('没有值班员');
    }
    expect(first.sent.every((m) => [ADMIN, ZHANG].includes(m.receiveId))).toBe(true);
    // The horizon moves on; the same gaps are not reported again.
    expect((await runJob(h, gapsJob, bj('2026-09-30T10:22:00'))).sent).toHaveLength(0);
    expect((await runJob(h, gapsJob, bj('2026-10-01T20:07:00'))).sent).toHaveLength(0);
    // The officer gap is filled; the leader gap is still open 24 hours before it starts.
    await addShift(h.db, 'officer', SUN, '2026-10-03T08:30:00', '2026-10-06T08:30:00');
    const again = await runJob(h, gapsJob, bj('2026-10-02T08:07:00'));
    expect(again.sent).toHaveLength(2);
    expect(again.sent.every((m) => body(m).includes('排班空档仍未补齐') && body(m).includes('没有带班领导'))).toBe(true);
    expect((await runJob(h, gapsJob, bj('2026-10-02T08:22:00'))).sent).toHaveLength(0);
  });

  it('a gap first seen within 24 hours of its start is reported once, not twice', async () => {
    await addShift(h.db, 'officer', WANG, '2026-09-30T08:30:00', '2026-10-04T08:30:00');
    await addShift(h.db, 'leader', CHEN, '2026-09-30T08:00:00', '2026-10-01T08:00:00');
    await addShift(h.db, 'leader', CHEN, '2026-10-01T20:00:00', '2026-10-04T08:00:00');
    const gaps = await findGaps(h.db, bj('2026-09-30T10:07:00'));
    expect(gaps.map((g) => [g.role, new Date(g.start).toISOString(), new Date(g.end).toISOString()])).toEqual([
      ['leader', bj('2026-10-01T08:00:00').toISOString(), bj('2026-10-01T20:00:00').toISOString()],
    ]);
    const { sent } = await runJob(h, gapsJob, bj('2026-09-30T10:07:00'));
    expect(sent).toHaveLength(2);
    expect(body(sent[0])).toContain('排班空档仍未补齐');
    expect((await runJob(h, gapsJob, bj('2026-09-30T10:22:00'))).sent).toHaveLength(0);
  });

  it('a gap happening now keeps its name while it lasts', async () => {
    await addShift(h.db, 'leader', CHEN, '2026-09-29T08:00:00', '2026-09-30T08:00:00');
    await addShift(h.db, 'leader', CHEN, '2026-09-30T12:00:00', '2026-10-04T08:00:00');
    await addShift(h.db, 'officer', WANG, '2026-09-29T08:30:00', '2026-10-04T08:30:00');
    expect((await runJob(h, gapsJob, bj('2026-09-30T10:07:00'))).sent).toHaveLength(2);
    expect((await runJob(h, gapsJob, bj('2026-09-30T10:22:00'))).sent).toHaveLength(0);
    expect((await runJob(h, gapsJob, bj('2026-09-30T11:52:00'))).sent).toHaveLength(0);
  });
});

describe('daily brief', () => {
  it('says who is on duty today, and that a holiday is a key period', async () => {
    await roster();
    const plain = await runJob(h, brief, bj('2026-09-30T08:30:00'));
    const c = body(plain.sent[0]);
    expect(c).toContain('**今日值班** 带班领导：陈静（13900000002） 08:00起；值班员：王强（13900000005） 08:30起');
    expect(c).toContain('On duty today');
    expect(c).not.toContain('今日为重点时段');
    const holiday = await runJob(h, brief, bj('2026-10-01T08:30:00'));
    const d = body(holiday.sent[0]);
    expect(d).toContain('带班领导：张伟（13900000001） 08:00起；值班员：孙丽（13900000006） 08:30起');
    expect(d).toContain('今日为重点时段**（节假日：国庆节）');
  });
});

describe('swap guard', () => {
  it('an accept that lands after the request was closed changes nothing', async () => {
    await roster();
    const [a] = await h.db.select().from(shifts).where(eq(shifts.personOpenId, SUN));
    const [b] = await h.db.select().from(shifts).where(eq(shifts.start, bj('2026-10-02T08:30:00').getTime()));
    const t = h.now.getTime();
    await h.db.insert(swapRequests).values({ requesterOpenId: SUN, requesterShiftId: a.id, targetOpenId: WANG, targetShiftId: b.id, status: 'pending', expiresAt: a.start, createdAt: t });
    const req = (await swapByKey(h.db, { a: a.id, b: b.id, t }))!;
    // Read while pending, committed after a decline: every statement is guarded by "still pending".
    await h.db.batch([closeSwap(h.db, req.id, 'declined', h.now)]);
    await h.db.batch(acceptSwap(h.db, req, h.now) as [never]);
    const [a2] = await h.db.select().from(shifts).where(eq(shifts.id, a.id));
    const [b2] = await h.db.select().from(shifts).where(eq(shifts.id, b.id));
    expect([a2.personOpenId, b2.personOpenId]).toEqual([SUN, WANG]);
    expect((await swapByKey(h.db, { a: a.id, b: b.id, t }))!.status).toBe('declined');
    // And while pending it does swap.
    await h.db.update(swapRequests).set({ status: 'pending' });
    await h.db.batch(acceptSwap(h.db, req, h.now) as [never]);
    const [a3] = await h.db.select().from(shifts).where(eq(shifts.id, a.id));
    expect(a3.personOpenId).toBe(WANG);
  });
});
