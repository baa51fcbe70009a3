// The second half of the Lark seam (ADR 0002): what Watchkeeper asks of Feishu's Tasks (task v2),
// Calendar (calendar v4) and Bitable (bitable v1) to mirror its records there (issue 19, ADR 0022).
// Times are epoch milliseconds here; each implementation writes Feishu's own units.

export interface TaskMember {
  /** open_id */
  id: string;
  role: 'assignee' | 'follower';
}

export interface NewTask {
  summary: string;
  description?: string;
  dueMs: number;
  members: TaskMember[];
  /** Minutes before the due time (Feishu allows one reminder, and only with a due time). */
  reminderMinutes?: number;
  /** Shown in the task as where it came from; Feishu lets it be set only at creation. */
  origin?: { title: string; url: string };
  /** 10–100 characters; the same token within 5 minutes returns the first task instead of a second. */
  clientToken: string;
  tasklistGuid?: string;
}

export interface TaskPatch {
  guid: string;
  dueMs?: number;
  /** A time marks the task done; 0 reopens it. */
  completedAtMs?: number;
  summary?: string;
}

export interface EventTime {
  /** A timed event: epoch ms. */
  atMs?: number;
  /** An all-day event: YYYY-MM-DD. */
  date?: string;
}

export interface EventBody {
  summary: string;
  description?: string;
  start: EventTime;
  end: EventTime;
  /** Minutes before the start. */
  reminderMinutes?: number[];
  timezone: string;
}

/** A Bitable field type as the API numbers them: 1 text, 2 number, 5 date. */
export type BitableFieldType = 1 | 2 | 5;

export interface WorkspaceClient {
  createTask(req: NewTask): Promise<{ guid: string }>;
  patchTask(req: TaskPatch): Promise<void>;
  addTaskMembers(req: { guid: string; members: TaskMember[] }): Promise<void>;
  removeTaskMembers(req: { guid: string; members: TaskMember[] }): Promise<void>;
  /** A tasklist (清单), at most 100 characters of name. */
  createTasklist(req: { name: string }): Promise<{ guid: string }>;
  /** Subscribes a group chat (the bot a member) to a tasklist's activity: Feishu posts the chosen events there. */
  subscribeTasklist(req: { guid: string; name: string; chatId: string; includeKeys: number[] }): Promise<void>;
  createCalendar(req: { summary: string; description: string }): Promise<{ calendarId: string }>;
  /** `idempotencyKey`: 32–128 characters; a repeat returns the event the first call made. */
  createEvent(req: { calendarId: string; event: EventBody; idempotencyKey: string }): Promise<{ eventId: string }>;
  patchEvent(req: { calendarId: string; eventId: string; event: EventBody }): Promise<void>;
  deleteEvent(req: { calendarId: string; eventId: string }): Promise<void>;
  addAttendees(req: { calendarId: string; eventId: string; openIds: string[] }): Promise<void>;
  removeAttendees(req: { calendarId: string; eventId: string; openIds: string[] }): Promise<void>;
  /** The table's field names. */
  listFields(req: { appToken: string; tableId: string }): Promise<string[]>;
  createField(req: { appToken: string; tableId: string; name: string; type: BitableFieldType }): Promise<void>;
  /** At most 1,000 records; `clientToken` is a uuid v4. Returns the new record ids in order. */
  createRecords(req: { appToken: string; tableId: string; records: Record<string, unknown>[]; clientToken: string }): Promise<string[]>;
  /** At most 1,000 records. */
  updateRecords(req: { appToken: string; tableId: string; records: { recordId: string; fields: Record<string, unknown> }[] }): Promise<void>;
}

/** Feishu's caps that the callers batch by. */
export const BITABLE_MAX_RECORDS_PER_CALL = 1000;
export const TASK_MAX_MEMBERS = 50;

/** Task v2's codes: bad request, not found, internal (retried), the same client_token in flight. */
export const TaskCode = { badRequest: 1470400, forbidden: 1470403, notFound: 1470404, internal: 1470500, tokenInFlight: 1470422 } as const;
/** Calendar v4's codes. */
export const CalendarCode = { badRequest: 190002, internal: 190003, methodRateLimited: 190004, appRateLimited: 190005, calendarNotFound: 191000, eventNotFound: 193001, eventDeleted: 193003 } as const;
/** Bitable's codes (answered with HTTP 200 unless noted). */
export const BitableCode = {
  wrongBaseToken: 1254003,
  recordIdNotFound: 1254043,
  fieldNameNotFound: 1254045,
  tableIdNotFound: 1254041,
  tooManyRecords: 1254104,
  /** HTTP 400 */
  invalidClientToken: 1254037,
  tooManyRequests: 1254290,
  writeConflict: 1254291,
  timeout: 1255040,
} as const;
