// Shifts mirrored to a shared Feishu calendar 值班日历 (issue 19, FEISHU_DUTY_CALENDAR=1): a roster
// import makes one event per shift with its people as attendees and a reminder 30 minutes before;
// a swap moves the people; key periods are all-day events — the real SDK against the fake's calendar v4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../src/import/framework.ts';
import { importers } from '../src/import/index.ts';
import type { FakeCalendarEvent } from '../src/lark/fake/server.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { buttonValues, cardOf } from './support/cards.ts';
import { addPerson } from './support/seed.ts';
import { bj } from './support/roster-helpers.ts';

let h: Harness;
const WANG = 'ou_wang';
const SUN = 'ou_sun';
const ZHANG = 'ou_zhang';
const ADMIN = 'ou_admin';
const mirrors = { tasks: false, dutyCalendar: true };

beforeAll(async () => {
  h = await startHarness({ start: bj('2026-03-03T10:00:00'), adminOpenIds: [ADMIN], settings: { mirrors } });
  await addPerson(h.db, WANG, '王强', 'officer');
  await addPerson(h.db, SUN, '孙丽', 'officer');
  await addPerson(h.db, ZHANG, '张伟', 'leader');
});
afterAll(() => h.close());

const live = () => [...h.fake.workspace.events.values()].filter((e) => !e.deleted);
const at = (e: FakeCalendarEvent) => new Date(Number(e.start.timestamp) * 1000).toISOString();
const eventAt = (iso: string) => live().find((e) => e.start.timestamp === String(bj(iso).getTime() / 1000));

describe('duty calendar', () => {
  it('a roster import creates 值班日历 once and one event per shift, its people attending, reminded 30 minutes before', async () => {
    const csv = [
      'start,end,role,person',
      '2026-03-05 08:30,2026-03-06 08:30,officer,王强',
      '2026-03-05 08:30,2026-03-06 08:30,leader,张伟',
      '2026-03-06 08:30,2026-03-07 08:30,officer,孙丽',
    ].join('\n');
    const r = await runImport(importers.roster, csv, { db: h.db, now: h.now, tz: 'Asia/Shanghai', mirrors });
    expect(r.errors).toEqual([]);
    await h.settle();
    const calendars = [...h.fake.workspace.calendars.values()];
    expect(calendars.map((c) => c.summary)).toEqual(['值班日历']);
    expect(live()).toHaveLength(2);
    const fifth = eventAt('2026-03-05T08:30:00')!;
    expect(fifth.summary).toBe('值班：带班领导 张伟 · 值班员 王强');
    expect(fifth.attendees.sort()).toEqual([WANG, ZHANG].sort());
    expect(fifth.reminders).toEqual([30]);
    expect(fifth.end.timestamp).toBe(String(bj('2026-03-06T08:30:00').getTime() / 1000));
    expect(eventAt('2026-03-06T08:30:00')!.attendees).toEqual([SUN]);
    // Importing the same file again changes nothing in Feishu either.
    const calls = h.fake.calls.length;
    await runImport(importers.roster, csv, { db: h.db, now: h.now, tz: 'Asia/Shanghai', mirrors });
    await h.settle();
    expect(h.fake.calls.slice(calls).filter((c) => c.path.startsWith('/open-apis/calendar/'))).toHaveLength(0);
  });

  it('a swap moves the people: each event now has the other officer', async () => {
    const { replies } = await h.say(WANG, '/换班 2026-03-05 @_user_1', { mentions: [{ openId: SUN, name: '孙丽' }] });
    const card = replies.find((m) => m.receiveId === SUN)!;
    const [accept] = buttonValues(cardOf(card));
    await h.click({ operatorOpenId: SUN, value: accept, messageId: card.messageId, chatId: card.chatId });
    expect(eventAt('2026-03-05T08:30:00')!.attendees.sort()).toEqual([SUN, ZHANG].sort());
    expect(eventAt('2026-03-05T08:30:00')!.summary).toBe('值班：带班领导 张伟 · 值班员 孙丽');
    expect(eventAt('2026-03-06T08:30:00')!.attendees).toEqual([WANG]);
    expect(live()).toHaveLength(2);
    expect(at(eventAt('2026-03-06T08:30:00')!)).toBe(bj('2026-03-06T08:30:00').toISOString());
  });

  it('a key period is an all-day event; removing it deletes the event', async () => {
    await h.say(ADMIN, '/keyperiod 2026-03-04..2026-03-11 全国两会', { chatType: 'p2p' });
    const ev = live().find((e) => e.summary === '重点时段：全国两会')!;
    expect(ev).toBeDefined();
    expect(ev.start).toMatchObject({ date: '2026-03-04' });
    expect(ev.end).toMatchObject({ date: '2026-03-11' });
    const list = await h.say(ADMIN, '/keyperiod', { chatType: 'p2p' });
    const id = /#(\d+)/.exec(list.replies.map((m) => m.content).join('\n'))![1];
    await h.say(ADMIN, `/keyperiod 删除 ${id}`, { chatType: 'p2p' });
    expect(live().find((e) => e.summary === '重点时段：全国两会')).toBeUndefined();
  });

  it('a Lark 5xx on a calendar call is retried through the outbox', async () => {
    h.fake.failNext(1, { status: 500, code: 190003, msg: 'internal service error', path: '/open-apis/calendar/' });
    const csv = ['start,end,role,person', '2026-03-09 08:30,2026-03-10 08:30,officer,王强'].join('\n');
    await runImport(importers.roster, csv, { db: h.db, now: h.now, tz: 'Asia/Shanghai', mirrors });
    await h.settle();
    expect(eventAt('2026-03-09T08:30:00')).toBeUndefined();
    h.advance(5_000);
    await h.settle();
    expect(eventAt('2026-03-09T08:30:00')!.attendees).toEqual([WANG]);
  });
});
