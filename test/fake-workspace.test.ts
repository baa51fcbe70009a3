// The fake Lark's Tasks, Calendar and Bitable answer as Feishu's docs say (issue 19): idempotency
// (task client_token, event idempotency_key, record client_token), limits and error codes — through
// the real SDK client the mirrors use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { LarkApiError } from '../src/lark/client.ts';
import { SdkLarkClient } from '../src/lark/sdk-client.ts';
import type { WorkspaceClient } from '../src/lark/workspace.ts';

let fake: FakeLark;
let ws: WorkspaceClient;
let now = Date.UTC(2026, 11, 1, 1);
beforeAll(async () => {
  fake = await startFakeLark({ now: () => now });
  ws = new SdkLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, log: { debug() {}, info() {}, warn() {}, error() {} } }).workspace();
});
afterAll(() => fake.close());

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof LarkApiError) return { code: e.code, kind: e.kind };
    throw e;
  }
  throw new Error('expected Feishu to refuse');
}

const task = { summary: 'YH-2026-0001 某企业：某隐患', dueMs: now + 86_400_000, members: [{ id: 'ou_a', role: 'assignee' as const }], reminderMinutes: 1440 };

describe('fake Feishu Tasks', () => {
  it('the same client_token within 5 minutes returns the first task; after that it is a new one', async () => {
    const a = await ws.createTask({ ...task, clientToken: 'token-0001-abc' });
    const b = await ws.createTask({ ...task, clientToken: 'token-0001-abc' });
    expect(b.guid).toBe(a.guid);
    now += 6 * 60_000;
    const c = await ws.createTask({ ...task, clientToken: 'token-0001-abc' });
    expect(c.guid).not.toBe(a.guid);
  });

  it('refuses what Feishu refuses: a short client_token, a reminder without a due time, completing a completed task; an unknown task is 1470404', async () => {
    expect(await refusal(ws.createTask({ ...task, clientToken: 'short' }))).toEqual({ code: 1470400, kind: 'permanent' });
    const { guid } = await ws.createTask({ ...task, clientToken: 'token-0002-abc' });
    await ws.patchTask({ guid, completedAtMs: now });
    expect(await refusal(ws.patchTask({ guid, completedAtMs: now }))).toMatchObject({ code: 1470400 });
    await ws.patchTask({ guid, completedAtMs: 0 });
    expect(fake.workspace.tasks.get(guid)!.completedAt).toBe(0);
    expect(await refusal(ws.patchTask({ guid: 'no-such-task', dueMs: now }))).toMatchObject({ code: 1470404 });
    expect(fake.calls.some((c) => c.path === '/open-apis/task/v2/tasks' && c.status === 400)).toBe(true);
  });
});

describe('fake Feishu Calendar', () => {
  it('an idempotency_key returns the first event; an unknown calendar is 191000, a deleted event 193003', async () => {
    const { calendarId } = await ws.createCalendar({ summary: '值班日历', description: '' });
    const event = { summary: '值班', start: { atMs: now }, end: { atMs: now + 3_600_000 }, reminderMinutes: [30], timezone: 'Asia/Shanghai' };
    const key = 'watchkeeper-duty-1796171400000-1796257800000';
    const a = await ws.createEvent({ calendarId, event, idempotencyKey: key });
    const b = await ws.createEvent({ calendarId, event, idempotencyKey: key });
    expect(b.eventId).toBe(a.eventId);
    expect(await refusal(ws.createEvent({ calendarId, event, idempotencyKey: 'too-short' }))).toMatchObject({ code: 190002 });
    expect(await refusal(ws.createEvent({ calendarId: 'nope@group.calendar.feishu.cn', event, idempotencyKey: key }))).toMatchObject({ code: 191000 });
    await ws.deleteEvent({ calendarId, eventId: a.eventId });
    expect(await refusal(ws.addAttendees({ calendarId, eventId: a.eventId, openIds: ['ou_a'] }))).toMatchObject({ code: 193003 });
  });
});

describe('fake Feishu Bitable', () => {
  it('records need their fields (1254045), at most 1,000 a call (1254104), a uuid v4 client_token (1254037) that returns the first records', async () => {
    const t = fake.workspace.createTable('bascnFakeTest', 'tblFakeTest');
    expect(await refusal(ws.createRecords({ ...t, records: [{ 隐患编号: 'YH-1' }], clientToken: crypto.randomUUID() }))).toMatchObject({ code: 1254045 });
    await ws.createField({ ...t, name: '隐患编号', type: 1 });
    expect(await ws.listFields(t)).toEqual(['隐患编号']);
    const token = crypto.randomUUID();
    const ids = await ws.createRecords({ ...t, records: [{ 隐患编号: 'YH-1' }, { 隐患编号: 'YH-2' }], clientToken: token });
    expect(await ws.createRecords({ ...t, records: [{ 隐患编号: 'YH-1' }, { 隐患编号: 'YH-2' }], clientToken: token })).toEqual(ids);
    expect(fake.workspace.bitables.get(t.appToken)!.get(t.tableId)!.records.size).toBe(2);
    const many = Array.from({ length: 1001 }, (_, i) => ({ 隐患编号: `YH-${i}` }));
    expect(await refusal(ws.createRecords({ ...t, records: many, clientToken: crypto.randomUUID() }))).toMatchObject({ code: 1254104 });
    expect(await refusal(ws.createRecords({ ...t, records: [{ 隐患编号: 'x' }], clientToken: 'not-a-uuid' }))).toMatchObject({ code: 1254037 });
    expect(await refusal(ws.updateRecords({ ...t, records: [{ recordId: 'recGone', fields: { 隐患编号: 'x' } }] }))).toMatchObject({ code: 1254043 });
  });
});
