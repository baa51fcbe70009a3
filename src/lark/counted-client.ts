import type { LarkClient } from './client.ts';
import type { WorkspaceClient } from './workspace.ts';

/** Where a counted call is recorded: its kind and whether Lark accepted it. */
export type CallRecorder = (kind: string, ok: boolean) => void;

/** The kind each LarkClient method is counted under (api_calls.kind, /status). */
const KINDS: Record<keyof LarkClient, string> = {
  botInfo: 'bot',
  send: 'send',
  reply: 'reply',
  patch: 'patch',
  urgentApp: 'urgent',
  urgentSms: 'urgent_sms',
  urgentPhone: 'urgent_phone',
  uploadImage: 'upload',
  uploadFile: 'upload',
  messageResource: 'download',
  chatInfo: 'chat',
  updateCard: 'card_update',
};

/**
 * The same client, every call counted by kind: the monthly budget and /status read the counts.
 * Token requests are the SDK's own and do not count (Lark does not bill authentication either).
 */
export function countedLarkClient(inner: LarkClient, record: CallRecorder): LarkClient {
  return countedClient(inner, KINDS, record);
}

/** The kind each WorkspaceClient method is counted under: one per Feishu product. */
const WORKSPACE_KINDS: Record<keyof WorkspaceClient, string> = {
  createTask: 'task',
  patchTask: 'task',
  addTaskMembers: 'task',
  removeTaskMembers: 'task',
  createTasklist: 'task',
  subscribeTasklist: 'task',
  createCalendar: 'calendar',
  createEvent: 'calendar',
  patchEvent: 'calendar',
  deleteEvent: 'calendar',
  addAttendees: 'calendar',
  removeAttendees: 'calendar',
  listFields: 'bitable',
  createField: 'bitable',
  createRecords: 'bitable',
  updateRecords: 'bitable',
};

/** The mirrors' client, counted like the rest (the monthly quota is one for every API). */
export function countedWorkspace(inner: WorkspaceClient, record: CallRecorder): WorkspaceClient {
  return countedClient(inner, WORKSPACE_KINDS, record);
}

/** Wraps each method named in `kinds` so its call is recorded, accepted or refused, under its kind. */
function countedClient<T extends object>(inner: T, kinds: Record<keyof T, string>, record: CallRecorder): T {
  const counted = {} as Record<keyof T, unknown>;
  for (const [method, kind] of Object.entries(kinds) as [keyof T, string][]) {
    counted[method] = async (...args: unknown[]) => {
      try {
        const result = await (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
        record(kind, true);
        return result;
      } catch (e) {
        record(kind, false);
        throw e;
      }
    };
  }
  return counted as unknown as T;
}
