import type * as lark from '@larksuiteoapi/node-sdk';
import { LarkApiError } from './client.ts';
import type { EventBody, EventTime, NewTask, TaskMember, TaskPatch, WorkspaceClient } from './workspace.ts';

/** Runs one SDK call with the client's error mapping and token refresh (SdkLarkClient.guard). */
export type Guard = <T>(fn: () => Promise<T>) => Promise<T>;

const USER = { user_id_type: 'open_id' as const };
const members = (list: TaskMember[]) => list.map((m) => ({ id: m.id, type: 'user', role: m.role }));

/** Feishu's time_info: a timed event in seconds, an all-day one by date. */
function timeInfo(t: EventTime, timezone: string) {
  return t.date ? { date: t.date } : { timestamp: String(Math.floor((t.atMs ?? 0) / 1000)), timezone };
}

function eventData(e: EventBody) {
  return {
    summary: e.summary,
    description: e.description,
    start_time: timeInfo(e.start, e.timezone),
    end_time: timeInfo(e.end, e.timezone),
    reminders: (e.reminderMinutes ?? []).map((minutes) => ({ minutes })),
    // Duty shifts are not meetings: no video meeting is attached when people are added.
    vchat: { vc_type: 'no_meeting' as const },
    attendee_ability: 'can_see_others' as const,
    free_busy_status: 'busy' as const,
  };
}

/** Watchkeeper's WorkspaceClient over the SDK's typed task v2, calendar v4 and bitable v1 methods. */
export class SdkWorkspaceClient implements WorkspaceClient {
  constructor(private readonly sdk: lark.Client, private readonly guard: Guard) {}

  async createTask(req: NewTask) {
    const res = await this.guard(() =>
      this.sdk.task.v2.task.create({
        params: USER,
        data: {
          summary: req.summary,
          description: req.description,
          due: { timestamp: String(req.dueMs), is_all_day: false },
          members: members(req.members),
          reminders: req.reminderMinutes === undefined ? undefined : [{ relative_fire_minute: req.reminderMinutes }],
          origin: req.origin ? { platform_i18n_name: { zh_cn: '安全值守助手', en_us: 'Watchkeeper' }, href: { url: req.origin.url, title: req.origin.title } } : undefined,
          client_token: req.clientToken,
          tasklists: req.tasklistGuid ? [{ tasklist_guid: req.tasklistGuid }] : undefined,
        },
      }),
    );
    const guid = res?.data?.task?.guid;
    if (!guid) throw new LarkApiError('transient', 200, -1, 'task create returned no guid');
    return { guid };
  }

  async patchTask(req: TaskPatch) {
    const task: { due?: { timestamp: string; is_all_day: boolean }; completed_at?: string; summary?: string } = {};
    const fields: string[] = [];
    if (req.dueMs !== undefined) (task.due = { timestamp: String(req.dueMs), is_all_day: false }), fields.push('due');
    if (req.completedAtMs !== undefined) (task.completed_at = String(req.completedAtMs)), fields.push('completed_at');
    if (req.summary !== undefined) (task.summary = req.summary), fields.push('summary');
    if (!fields.length) return;
    await this.guard(() => this.sdk.task.v2.task.patch({ path: { task_guid: req.guid }, params: USER, data: { task, update_fields: fields } }));
  }

  async addTaskMembers(req: { guid: string; members: TaskMember[] }) {
    await this.guard(() => this.sdk.task.v2.task.addMembers({ path: { task_guid: req.guid }, params: USER, data: { members: members(req.members) } }));
  }

  async removeTaskMembers(req: { guid: string; members: TaskMember[] }) {
    await this.guard(() => this.sdk.task.v2.task.removeMembers({ path: { task_guid: req.guid }, params: USER, data: { members: members(req.members) } }));
  }

  async createTasklist(req: { name: string }) {
    const res = await this.guard(() => this.sdk.task.v2.tasklist.create({ params: USER, data: { name: req.name } }));
    const guid = res?.data?.tasklist?.guid;
    if (!guid) throw new LarkApiError('transient', 200, -1, 'tasklist create returned no guid');
    return { guid };
  }

  async subscribeTasklist(req: { guid: string; name: string; chatId: string; includeKeys: number[] }) {
    await this.guard(() =>
      this.sdk.task.v2.tasklistActivitySubscription.create({
        path: { tasklist_guid: req.guid },
        params: USER,
        data: { name: req.name, subscribers: [{ id: req.chatId, type: 'chat' }], include_keys: req.includeKeys, disabled: false },
      }),
    );
  }

  async createCalendar(req: { summary: string; description: string }) {
    const res = await this.guard(() => this.sdk.calendar.v4.calendar.create({ data: { summary: req.summary, description: req.description, permissions: 'public' } }));
    const id = res?.data?.calendar?.calendar_id;
    if (!id) throw new LarkApiError('transient', 200, -1, 'calendar create returned no calendar_id');
    return { calendarId: id };
  }

  async createEvent(req: { calendarId: string; event: EventBody; idempotencyKey: string }) {
    const res = await this.guard(() =>
      this.sdk.calendar.v4.calendarEvent.create({ path: { calendar_id: req.calendarId }, params: { idempotency_key: req.idempotencyKey, ...USER }, data: eventData(req.event) }),
    );
    const id = res?.data?.event?.event_id;
    if (!id) throw new LarkApiError('transient', 200, -1, 'event create returned no event_id');
    return { eventId: id };
  }

  async patchEvent(req: { calendarId: string; eventId: string; event: EventBody }) {
    const { vchat: _vchat, ...data } = eventData(req.event);
    await this.guard(() => this.sdk.calendar.v4.calendarEvent.patch({ path: { calendar_id: req.calendarId, event_id: req.eventId }, params: USER, data }));
  }

  async deleteEvent(req: { calendarId: string; eventId: string }) {
    await this.guard(() => this.sdk.calendar.v4.calendarEvent.delete({ path: { calendar_id: req.calendarId, event_id: req.eventId }, params: { need_notification: 'false' } }));
  }

  async addAttendees(req: { calendarId: string; eventId: string; openIds: string[] }) {
    if (!req.openIds.length) return;
    await this.guard(() =>
      this.sdk.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: req.calendarId, event_id: req.eventId },
        params: USER,
        data: { attendees: req.openIds.map((id) => ({ type: 'user' as const, user_id: id })), need_notification: true },
      }),
    );
  }

  async removeAttendees(req: { calendarId: string; eventId: string; openIds: string[] }) {
    if (!req.openIds.length) return;
    await this.guard(() =>
      this.sdk.calendar.v4.calendarEventAttendee.batchDelete({
        path: { calendar_id: req.calendarId, event_id: req.eventId },
        params: USER,
        data: { delete_ids: req.openIds.map((id) => ({ type: 'user' as const, user_id: id })), need_notification: true },
      }),
    );
  }

  async listFields(req: { appToken: string; tableId: string }) {
    const names: string[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await this.guard(() =>
        this.sdk.bitable.v1.appTableField.list({ path: { app_token: req.appToken, table_id: req.tableId }, params: { page_size: 100, page_token: pageToken } }),
      );
      for (const f of res?.data?.items ?? []) if (f.field_name) names.push(f.field_name);
      if (!res?.data?.has_more || !res.data.page_token) break;
      pageToken = res.data.page_token;
    }
    return names;
  }

  async createField(req: { appToken: string; tableId: string; name: string; type: 1 | 2 | 5 }) {
    await this.guard(() => this.sdk.bitable.v1.appTableField.create({ path: { app_token: req.appToken, table_id: req.tableId }, data: { field_name: req.name, type: req.type } }));
  }

  async createRecords(req: { appToken: string; tableId: string; records: Record<string, unknown>[]; clientToken: string }) {
    const res = await this.guard(() =>
      this.sdk.bitable.v1.appTableRecord.batchCreate({
        path: { app_token: req.appToken, table_id: req.tableId },
        params: { client_token: req.clientToken, ...USER },
        data: { records: req.records.map((fields) => ({ fields: fields as never })) },
      }),
    );
    const ids = (res?.data?.records ?? []).map((r) => r.record_id ?? '');
    if (ids.length !== req.records.length || ids.some((id) => !id)) throw new LarkApiError('transient', 200, -1, 'record create returned fewer ids than records');
    return ids;
  }

  async updateRecords(req: { appToken: string; tableId: string; records: { recordId: string; fields: Record<string, unknown> }[] }) {
    await this.guard(() =>
      this.sdk.bitable.v1.appTableRecord.batchUpdate({
        path: { app_token: req.appToken, table_id: req.tableId },
        params: USER,
        data: { records: req.records.map((r) => ({ record_id: r.recordId, fields: r.fields as never })) },
      }),
    );
  }
}
