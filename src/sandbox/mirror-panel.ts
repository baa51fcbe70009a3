import type { FakeLark } from '../lark/fake/server.ts';

// The sandbox's "Feishu 任务 / 日历 / 多维表格" panel (issue 19): what the mirrors have put into the
// fake Feishu, read from the fake itself — what a visitor would find in their task list, their
// calendar and the ledger's table.

const LIMIT = 6;

export function mirrorPanel(fake: FakeLark, now: number) {
  const ws = fake.workspace;
  const tasks = [...ws.tasks.values()].sort((a, b) => b.createdAt - a.createdAt);
  const events = [...ws.events.values()].filter((e) => !e.deleted);
  const startOf = (e: (typeof events)[number]) => (e.start.date ? Date.parse(`${e.start.date}T00:00:00Z`) : Number(e.start.timestamp) * 1000);
  const endOf = (e: (typeof events)[number]) => (e.end.date ? Date.parse(`${e.end.date}T23:59:59Z`) : Number(e.end.timestamp) * 1000);
  const upcoming = events.filter((e) => endOf(e) >= now).sort((a, b) => startOf(a) - startOf(b));
  const tables = [...ws.bitables.values()].flatMap((app) => [...app.values()]);
  const records = tables.flatMap((t) => [...t.records.values()]);
  return {
    tasks: {
      count: tasks.length,
      items: tasks.slice(0, LIMIT).map((t) => ({ guid: t.guid, summary: t.summary, due: t.due ?? null, done: t.completedAt > 0, assignees: t.members.filter((m) => m.role === 'assignee').map((m) => m.id) })),
    },
    events: {
      count: events.length,
      items: upcoming.slice(0, LIMIT).map((e) => ({ summary: e.summary, start: startOf(e), allDay: !!e.start.date, attendees: e.attendees })),
    },
    records: {
      count: records.length,
      fields: tables.reduce((n, t) => Math.max(n, t.fields.size), 0),
      items: records.slice(-LIMIT).reverse().map((r) => ({ no: String(r['隐患编号'] ?? ''), enterprise: String(r['企业名称'] ?? ''), status: String(r['整改情况'] ?? '') })),
    },
  };
}
