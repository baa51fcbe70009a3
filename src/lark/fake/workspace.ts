// The fake's Feishu Tasks (task v2), Calendar (calendar v4) and Bitable (bitable v1): just what
// Watchkeeper's mirrors call, with the documented idempotency (task client_token for 5 minutes,
// event idempotency_key, record client_token as uuid v4), limits (one reminder and only with a due
// time, 50 members, 1,000 records a call, per-method rate limits) and error codes. ADR 0022.
import { failure, success, type LarkReply, type LarkRequest } from './api.ts';
import { SlidingWindow } from './rate-limit.ts';

export interface FakeTask {
  guid: string;
  summary: string;
  description?: string;
  /** Epoch ms */
  due?: number;
  members: { id: string; role: string }[];
  reminders: { relative_fire_minute: number }[];
  origin?: unknown;
  /** 0 = not completed */
  completedAt: number;
  tasklists: string[];
  createdAt: number;
}

export interface FakeCalendarEvent {
  calendarId: string;
  eventId: string;
  summary: string;
  description?: string;
  start: { date?: string; timestamp?: string; timezone?: string };
  end: { date?: string; timestamp?: string; timezone?: string };
  reminders: number[];
  attendees: string[];
  deleted: boolean;
}

export interface FakeBitableTable {
  /** Field name → type (1 text, 2 number, 5 date …). */
  fields: Map<string, number>;
  records: Map<string, Record<string, unknown>>;
}

const TASK_TOKEN_MS = 5 * 60 * 1000;
const TASK = { badRequest: 1470400, notFound: 1470404 } as const;
const CAL = { badRequest: 190002, calendarNotFound: 191000, eventNotFound: 193001, eventDeleted: 193003 } as const;
const BASE = {
  baseNotFound: 1254040,
  tableNotFound: 1254041,
  recordNotFound: 1254043,
  fieldNameNotFound: 1254045,
  textConv: 1254060,
  numberConv: 1254061,
  tooMany: 1254104,
  badClientToken: 1254037,
  wrongRequestBody: 1254001,
} as const;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAX_RECORDS = 1000;
const MAX_MEMBERS = 50;

/** Per-method limits from the docs: task create/patch 10/s, add/remove members and subscriptions 100/min, tasklist create 50/s, calendar and bitable 50/s. */
const LIMITS: Record<string, { limit: number; windowMs: number }> = {
  'task.tasklist': { limit: 50, windowMs: 1000 },
  'task.create': { limit: 10, windowMs: 1000 },
  'task.patch': { limit: 10, windowMs: 1000 },
  'task.members': { limit: 100, windowMs: 60_000 },
  calendar: { limit: 50, windowMs: 1000 },
  bitable: { limit: 50, windowMs: 1000 },
};

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export class FakeWorkspace {
  readonly tasks = new Map<string, FakeTask>();
  readonly tasklists = new Map<string, { guid: string; name: string; subscriptions: { name: string; chatIds: string[]; includeKeys: number[] }[] }>();
  readonly calendars = new Map<string, { calendarId: string; summary: string; description?: string; permissions?: string }>();
  readonly events = new Map<string, FakeCalendarEvent>();
  readonly bitables = new Map<string, Map<string, FakeBitableTable>>();
  private readonly taskTokens = new Map<string, { guid: string; at: number }>();
  private readonly eventKeys = new Map<string, string>();
  private readonly recordTokens = new Map<string, string[]>();
  private windows = new Map<string, SlidingWindow>();
  private seq = 0;

  constructor(private readonly now: () => number, private readonly limited: boolean) {}

  private id(prefix: string) {
    this.seq++;
    return `${prefix}${this.seq.toString(16).padStart(8, '0')}`;
  }

  /**
   * Feishu's method rate limit: HTTP 429 with the reset header — the gateway's 99991400 for tasks,
   * calendar's own 190004 (method rate limited); Bitable answers 1254290 (TooManyRequest).
   */
  private admit(method: keyof typeof LIMITS, code: number): LarkReply | null {
    if (!this.limited) return null;
    const l = LIMITS[method];
    let w = this.windows.get(method);
    if (!w) this.windows.set(method, (w = new SlidingWindow(l.limit, l.windowMs)));
    const now = this.now();
    const wait = w.waitMs(now);
    if (wait > 0) return failure(code === 1254290 ? 200 : 429, code, 'request trigger frequency limit', { 'x-ogw-ratelimit-reset': String(Math.max(1, Math.ceil(wait / 1000))) });
    w.record(now);
    return null;
  }

  // ── tasks ──

  createTask(req: LarkRequest): LarkReply {
    const limited = this.admit('task.create', 99991400);
    if (limited) return limited;
    const b = asRecord(req.json);
    const token = str(b.client_token);
    if (token !== undefined && (token.length < 10 || token.length > 100)) return failure(400, TASK.badRequest, 'client_token must be 10-100 characters');
    const now = this.now();
    if (token) {
      const seen = this.taskTokens.get(token);
      if (seen && now - seen.at < TASK_TOKEN_MS) return success({ task: this.taskView(this.tasks.get(seen.guid)!) });
    }
    const summary = str(b.summary) ?? '';
    if (!summary.trim() || summary.length > 3000) return failure(400, TASK.badRequest, 'summary must be 1-3000 characters');
    const due = asRecord(b.due);
    const dueMs = due.timestamp !== undefined ? Number(due.timestamp) : undefined;
    if (dueMs !== undefined && !Number.isFinite(dueMs)) return failure(400, TASK.badRequest, 'due.timestamp must be milliseconds');
    const reminders = Array.isArray(b.reminders) ? (b.reminders as Record<string, unknown>[]) : [];
    if (reminders.length > 1) return failure(400, TASK.badRequest, 'a task has at most 1 reminder');
    if (reminders.length && dueMs === undefined) return failure(400, TASK.badRequest, 'a reminder needs a due time');
    if (reminders.some((r) => !(Number(r.relative_fire_minute) >= 0))) return failure(400, TASK.badRequest, 'relative_fire_minute must be >= 0');
    const members = this.readMembers(b.members);
    if ('status' in members) return members;
    const lists = (Array.isArray(b.tasklists) ? b.tasklists : []).map((t) => String(asRecord(t).tasklist_guid ?? '')).filter(Boolean);
    if (lists.some((g) => !this.tasklists.has(g))) return failure(404, TASK.notFound, 'tasklist not found or deleted');
    const task: FakeTask = {
      guid: crypto.randomUUID(),
      summary,
      description: str(b.description),
      due: dueMs,
      members: members.list,
      reminders: reminders.map((r) => ({ relative_fire_minute: Number(r.relative_fire_minute) })),
      origin: b.origin,
      completedAt: Number(b.completed_at ?? 0) || 0,
      tasklists: lists,
      createdAt: now,
    };
    this.tasks.set(task.guid, task);
    if (token) this.taskTokens.set(token, { guid: task.guid, at: now });
    return success({ task: this.taskView(task) });
  }

  patchTask(req: LarkRequest): LarkReply {
    const limited = this.admit('task.patch', 99991400);
    if (limited) return limited;
    const task = this.tasks.get(req.params.task_guid);
    if (!task) return failure(404, TASK.notFound, 'task not found or deleted');
    const b = asRecord(req.json);
    const fields = Array.isArray(b.update_fields) ? b.update_fields.map(String) : [];
    if (!fields.length) return failure(400, TASK.badRequest, 'update_fields is required');
    const t = asRecord(b.task);
    for (const f of fields) {
      if (f === 'due') {
        const ts = asRecord(t.due).timestamp;
        if (ts === undefined && task.reminders.length) return failure(400, TASK.badRequest, 'cannot clear the due time of a task with a reminder');
        task.due = ts === undefined ? undefined : Number(ts);
      } else if (f === 'completed_at') {
        const at = Number(t.completed_at ?? 0) || 0;
        // "不能对已经完成的任务再次完成": completing a completed task is refused; reopening ("0") is fine.
        if (at && task.completedAt) return failure(400, TASK.badRequest, 'task is already completed');
        task.completedAt = at;
      } else if (f === 'summary') {
        const s = str(t.summary) ?? '';
        if (!s.trim()) return failure(400, TASK.badRequest, 'summary cannot be empty');
        task.summary = s;
      } else if (f === 'description') {
        task.description = str(t.description);
      } else {
        return failure(400, TASK.badRequest, `unsupported update field ${f}`);
      }
    }
    return success({ task: this.taskView(task) });
  }

  changeTaskMembers(add: boolean, req: LarkRequest): LarkReply {
    const limited = this.admit('task.members', 99991400);
    if (limited) return limited;
    const task = this.tasks.get(req.params.task_guid);
    if (!task) return failure(404, TASK.notFound, 'task not found or deleted');
    const members = this.readMembers(asRecord(req.json).members);
    if ('status' in members) return members;
    if (!members.list.length) return failure(400, TASK.badRequest, 'members is required');
    const same = (a: { id: string; role: string }, b: { id: string; role: string }) => a.id === b.id && a.role === b.role;
    if (add) {
      // A member already on the task is ignored, as the docs say.
      for (const m of members.list) if (!task.members.some((x) => same(x, m))) task.members.push(m);
      if (task.members.length > MAX_MEMBERS) return failure(400, TASK.badRequest, `a task has at most ${MAX_MEMBERS} members`);
    } else {
      task.members = task.members.filter((x) => !members.list.some((m) => same(x, m)));
    }
    return success({ task: this.taskView(task) });
  }

  createTasklist(req: LarkRequest): LarkReply {
    const limited = this.admit('task.tasklist', 99991400);
    if (limited) return limited;
    const name = str(asRecord(req.json).name) ?? '';
    if (!name.trim() || name.length > 100) return failure(400, TASK.badRequest, 'tasklist name must be 1-100 characters');
    const guid = crypto.randomUUID();
    this.tasklists.set(guid, { guid, name, subscriptions: [] });
    return success({ tasklist: { guid, name } });
  }

  /** 创建动态订阅: only chats may subscribe; event keys from the documented list, none twice. */
  subscribeTasklist(req: LarkRequest): LarkReply {
    const limited = this.admit('task.members', 99991400);
    if (limited) return limited;
    const list = this.tasklists.get(req.params.tasklist_guid);
    if (!list) return failure(404, TASK.notFound, 'tasklist not found or deleted');
    const b = asRecord(req.json);
    const name = str(b.name) ?? '';
    if (!name.trim() || name.length > 50) return failure(400, TASK.badRequest, 'subscription name must be 1-50 characters');
    const subs = (Array.isArray(b.subscribers) ? b.subscribers : []).map(asRecord);
    if (!subs.length || subs.some((s) => s.type !== 'chat' || !str(s.id))) return failure(400, TASK.badRequest, 'subscribers must be chats');
    const keys = (Array.isArray(b.include_keys) ? b.include_keys : []).map(Number);
    const known = new Set([100, 101, 103, 104, 109, 110, 111, 119, 121, 122, 129, 130, 131, 132]);
    if (keys.some((k) => !known.has(k)) || new Set(keys).size !== keys.length) return failure(400, TASK.badRequest, 'unsupported or repeated event key');
    list.subscriptions.push({ name, chatIds: subs.map((s) => String(s.id)), includeKeys: keys });
    return success({ activity_subscription: { name, subscribers: subs, include_keys: keys, disabled: !!b.disabled } });
  }

  /** What a person does in Feishu: ticks the task done (the app then receives task.task.updated_v1, obj_type 5). */
  completeAsUser(guid: string): FakeTask {
    const task = this.tasks.get(guid);
    if (!task) throw new Error(`no task ${guid}`);
    task.completedAt = this.now();
    return task;
  }

  private readMembers(v: unknown): { list: { id: string; role: string }[] } | LarkReply {
    const list = (Array.isArray(v) ? v : []).map((m) => ({ id: String(asRecord(m).id ?? ''), role: String(asRecord(m).role ?? '') }));
    if (list.length > MAX_MEMBERS) return failure(400, TASK.badRequest, `at most ${MAX_MEMBERS} members in one request`);
    if (list.some((m) => !m.id || (m.role !== 'assignee' && m.role !== 'follower'))) return failure(400, TASK.badRequest, 'member needs an id and the role assignee or follower');
    return { list };
  }

  private taskView(t: FakeTask) {
    return {
      guid: t.guid,
      summary: t.summary,
      description: t.description,
      due: t.due === undefined ? undefined : { timestamp: String(t.due), is_all_day: false },
      members: t.members.map((m) => ({ ...m, type: 'user' })),
      reminders: t.reminders.map((r, i) => ({ id: String(i + 1), ...r })),
      completed_at: String(t.completedAt),
      origin: t.origin,
    };
  }

  // ── calendar ──

  createCalendar(req: LarkRequest): LarkReply {
    const limited = this.admit('calendar', 190004);
    if (limited) return limited;
    const b = asRecord(req.json);
    const summary = str(b.summary) ?? '';
    if (summary.length > 255 || (str(b.description) ?? '').length > 255) return failure(400, CAL.badRequest, 'summary and description are at most 255 characters');
    const calendarId = `${this.id('cal_')}@group.calendar.feishu.cn`;
    const cal = { calendarId, summary, description: str(b.description), permissions: str(b.permissions) ?? 'show_only_free_busy' };
    this.calendars.set(calendarId, cal);
    return success({ calendar: { calendar_id: calendarId, summary, description: cal.description, permissions: cal.permissions, type: 'shared', role: 'owner' } });
  }

  createEvent(req: LarkRequest): LarkReply {
    const limited = this.admit('calendar', 190004);
    if (limited) return limited;
    const calendarId = req.params.calendar_id;
    if (!this.calendars.has(calendarId)) return failure(404, CAL.calendarNotFound, 'calendar not found');
    const key = req.query.idempotency_key;
    if (key !== undefined && (key.length < 32 || key.length > 128)) return failure(400, CAL.badRequest, 'idempotency_key must be 32-128 characters');
    if (key) {
      const seen = this.eventKeys.get(`${calendarId}\n${key}`);
      if (seen) return success({ event: this.eventView(this.events.get(seen)!) });
    }
    const body = this.readEventBody(asRecord(req.json), true);
    if ('status' in body) return body;
    const ev: FakeCalendarEvent = { calendarId, eventId: `${crypto.randomUUID()}_0`, attendees: [], deleted: false, ...body } as FakeCalendarEvent;
    this.events.set(ev.eventId, ev);
    if (key) this.eventKeys.set(`${calendarId}\n${key}`, ev.eventId);
    return success({ event: this.eventView(ev) });
  }

  patchEvent(req: LarkRequest): LarkReply {
    const limited = this.admit('calendar', 190004);
    if (limited) return limited;
    const ev = this.liveEvent(req);
    if ('status' in ev) return ev;
    const body = this.readEventBody(asRecord(req.json), false);
    if ('status' in body) return body;
    Object.assign(ev, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
    return success({ event: this.eventView(ev) });
  }

  deleteEvent(req: LarkRequest): LarkReply {
    const limited = this.admit('calendar', 190004);
    if (limited) return limited;
    const ev = this.liveEvent(req);
    if ('status' in ev) return ev;
    ev.deleted = true;
    return success();
  }

  changeAttendees(add: boolean, req: LarkRequest): LarkReply {
    const limited = this.admit('calendar', 190004);
    if (limited) return limited;
    const ev = this.liveEvent(req);
    if ('status' in ev) return ev;
    const b = asRecord(req.json);
    const list = (add ? b.attendees : b.delete_ids) as unknown;
    const ids = (Array.isArray(list) ? list : []).map((a) => String(asRecord(a).user_id ?? '')).filter(Boolean);
    if (ids.length > (add ? 1000 : 500)) return failure(400, CAL.badRequest, 'too many attendees in one request');
    if (add) for (const id of ids) if (!ev.attendees.includes(id)) ev.attendees.push(id);
    if (!add) ev.attendees = ev.attendees.filter((a) => !ids.includes(a));
    return success({ attendees: ev.attendees.map((id) => ({ type: 'user', user_id: id, attendee_id: `user_${id}` })) });
  }

  private liveEvent(req: LarkRequest): FakeCalendarEvent | LarkReply {
    if (!this.calendars.has(req.params.calendar_id)) return failure(404, CAL.calendarNotFound, 'calendar not found');
    const ev = this.events.get(req.params.event_id);
    if (!ev || ev.calendarId !== req.params.calendar_id) return failure(404, CAL.eventNotFound, 'event not found');
    if (ev.deleted) return failure(403, CAL.eventDeleted, 'event is deleted');
    return ev;
  }

  private readEventBody(b: Record<string, unknown>, create: boolean): Partial<FakeCalendarEvent> | LarkReply {
    const time = (v: unknown) => {
      const t = asRecord(v);
      if (t.date !== undefined && t.timestamp !== undefined) return null;
      if (t.date === undefined && t.timestamp === undefined) return null;
      return { date: str(t.date), timestamp: str(t.timestamp), timezone: str(t.timezone) };
    };
    const out: Partial<FakeCalendarEvent> = {};
    if (create || b.start_time !== undefined || b.end_time !== undefined) {
      const start = time(b.start_time);
      const end = time(b.end_time);
      if (!start || !end) return failure(400, CAL.badRequest, 'start_time and end_time need exactly one of date and timestamp');
      const at = (t: { date?: string; timestamp?: string }) => (t.date ? Date.parse(`${t.date}T00:00:00Z`) / 1000 : Number(t.timestamp));
      if (!(at(end) >= at(start))) return failure(400, CAL.badRequest, 'end_time is before start_time');
      out.start = start;
      out.end = end;
    }
    if (b.summary !== undefined || create) {
      const s = str(b.summary) ?? '';
      if (s.length > 1000) return failure(400, CAL.badRequest, 'summary is at most 1000 characters');
      out.summary = s;
    }
    if (b.description !== undefined) out.description = str(b.description);
    if (b.reminders !== undefined) {
      const r = (Array.isArray(b.reminders) ? b.reminders : []).map((x) => Number(asRecord(x).minutes));
      if (r.some((m) => !(m >= -20160 && m <= 20160))) return failure(400, CAL.badRequest, 'reminder minutes must be within ±20160');
      out.reminders = r;
    } else if (create) out.reminders = [];
    return out;
  }

  private eventView(ev: FakeCalendarEvent) {
    return { event_id: ev.eventId, summary: ev.summary, start_time: ev.start, end_time: ev.end, reminders: ev.reminders.map((minutes) => ({ minutes })), status: ev.deleted ? 'cancelled' : 'confirmed' };
  }

  // ── bitable ──

  /** A Bitable app with one empty table, as someone would create one in Feishu for the ledger. */
  createTable(appToken = this.id('bascn'), tableId = this.id('tbl')): { appToken: string; tableId: string } {
    let app = this.bitables.get(appToken);
    if (!app) this.bitables.set(appToken, (app = new Map()));
    if (!app.has(tableId)) app.set(tableId, { fields: new Map(), records: new Map() });
    return { appToken, tableId };
  }

  private table(req: LarkRequest): FakeBitableTable | LarkReply {
    const app = this.bitables.get(req.params.app_token);
    if (!app) return failure(200, BASE.baseNotFound, 'BaseTokenNotFound');
    const table = app.get(req.params.table_id);
    if (!table) return failure(200, BASE.tableNotFound, 'TableIdNotFound');
    return table;
  }

  listFields(req: LarkRequest): LarkReply {
    const limited = this.admit('bitable', 1254290);
    if (limited) return limited;
    const table = this.table(req);
    if ('status' in table) return table;
    const all = [...table.fields.entries()].map(([name, type], i) => ({ field_id: `fld${i}`, field_name: name, type }));
    const size = Math.min(100, Number(req.query.page_size ?? 20) || 20);
    const from = Number(req.query.page_token ?? 0) || 0;
    const items = all.slice(from, from + size);
    const more = from + size < all.length;
    return success({ items, has_more: more, page_token: more ? String(from + size) : undefined, total: all.length });
  }

  createField(req: LarkRequest): LarkReply {
    const limited = this.admit('bitable', 1254290);
    if (limited) return limited;
    const table = this.table(req);
    if ('status' in table) return table;
    const b = asRecord(req.json);
    const name = str(b.field_name) ?? '';
    const type = Number(b.type);
    if (!name || !Number.isInteger(type)) return failure(200, BASE.wrongRequestBody, 'field_name and type are required');
    if (table.fields.has(name)) return failure(200, 1254014, 'FieldNameDuplicated');
    table.fields.set(name, type);
    return success({ field: { field_name: name, type } });
  }

  createRecords(req: LarkRequest): LarkReply {
    const limited = this.admit('bitable', 1254290);
    if (limited) return limited;
    const token = req.query.client_token;
    if (token !== undefined && !UUID_V4.test(token)) return failure(400, BASE.badClientToken, 'Invalid client token, make sure that it complies with the specification.');
    const table = this.table(req);
    if ('status' in table) return table;
    if (token && this.recordTokens.has(token)) {
      const ids = this.recordTokens.get(token)!;
      return success({ records: ids.map((id) => ({ record_id: id, fields: table.records.get(id) })) });
    }
    const records = Array.isArray(asRecord(req.json).records) ? (asRecord(req.json).records as unknown[]) : [];
    const checked = this.checkRecords(table, records.map((r) => asRecord(asRecord(r).fields)));
    if (checked) return checked;
    const ids = records.map((r) => {
      const id = this.id('rec');
      table.records.set(id, { ...asRecord(asRecord(r).fields) });
      return id;
    });
    if (token) this.recordTokens.set(token, ids);
    return success({ records: ids.map((id) => ({ record_id: id, fields: table.records.get(id) })) });
  }

  updateRecords(req: LarkRequest): LarkReply {
    const limited = this.admit('bitable', 1254290);
    if (limited) return limited;
    const table = this.table(req);
    if ('status' in table) return table;
    const records = (Array.isArray(asRecord(req.json).records) ? (asRecord(req.json).records as unknown[]) : []).map(asRecord);
    const checked = this.checkRecords(table, records.map((r) => asRecord(r.fields)));
    if (checked) return checked;
    // All or nothing: one unknown record id refuses the whole call.
    const missing = records.find((r) => !table.records.has(String(r.record_id ?? '')));
    if (missing) return failure(200, BASE.recordNotFound, `RecordIdNotFound: ${String(missing.record_id ?? '')}`);
    for (const r of records) Object.assign(table.records.get(String(r.record_id))!, asRecord(r.fields));
    return success({ records: records.map((r) => ({ record_id: r.record_id, fields: table.records.get(String(r.record_id)) })) });
  }

  private checkRecords(table: FakeBitableTable, rows: Record<string, unknown>[]): LarkReply | null {
    if (!rows.length) return failure(200, BASE.wrongRequestBody, 'records is required');
    if (rows.length > MAX_RECORDS) return failure(200, BASE.tooMany, `RecordAddOnceExceedLimit: at most ${MAX_RECORDS} records a call`);
    for (const fields of rows) {
      for (const [name, value] of Object.entries(fields)) {
        const type = table.fields.get(name);
        if (type === undefined) return failure(200, BASE.fieldNameNotFound, `FieldNameNotFound: ${name}`);
        if (value === null) continue;
        if (type === 1 && typeof value !== 'string') return failure(200, BASE.textConv, `TextFieldConvFail: ${name}`);
        if ((type === 2 || type === 5) && typeof value !== 'number') return failure(200, BASE.numberConv, `NumberFieldConvFail: ${name}`);
      }
    }
    return null;
  }

  reset(): void {
    for (const m of [this.tasks, this.tasklists, this.calendars, this.events, this.bitables, this.taskTokens, this.eventKeys, this.recordTokens, this.windows]) m.clear();
  }
}
