import type { Db } from '../db/client.ts';
import { loadHazard } from '../domain/hazards.ts';
import { mirrorItem, saveMirrorItem, taskClientToken, taskWanted, TASK_REMINDER_MINUTES } from '../domain/mirrors.ts';
import { LarkApiError } from '../lark/client.ts';
import { TaskCode, type TaskMember, type WorkspaceClient } from '../lark/workspace.ts';
import type { Logger } from '../log.ts';
import { taskDescription, taskOrigin, taskSummary, tasklistName, tasklistSubscriptionName } from '../views/mirror-texts.ts';
import { boundChat } from '../domain/chats.ts';

export interface MirrorEnv {
  db: Db;
  workspace: WorkspaceClient;
  tz: string;
  /** FEISHU_TASKLISTS: new tasks go into their township group's tasklist. */
  tasklists?: boolean;
  clock: () => Date;
  log: Logger;
}

/** What the task in Feishu has now, as recorded in mirror_items.state. */
interface TaskState {
  assignee: string;
  follower: string | null;
  dueMs: number;
  completed: boolean;
  summary: string;
}

/**
 * Brings a hazard's Feishu task up to what the hazard is now: created once (client_token = the
 * hazard number, so a retry inside Feishu's 5 minutes returns the same task; after that the
 * recorded guid does), then only the differences — assignee (re-dispatch), follower, due date
 * (extension), done (rectified, 销号) or reopened (verification failed). Each step is recorded as
 * soon as Feishu accepted it, so a retry after a failure repeats nothing that already happened.
 */
export async function syncTask(env: MirrorEnv, no: string): Promise<string | undefined> {
  const { db, workspace: ws } = env;
  const rec = await loadHazard(db, no);
  if (!rec) return undefined;
  const wanted = taskWanted(rec);
  let item = await mirrorItem(db, 'task', no);
  if (!item && !wanted) return undefined; // never dispatched: no task
  const save = async (guid: string, s: TaskState) => {
    await saveMirrorItem(db, { kind: 'task', key: no, feishuId: guid, state: { ...s } }, env.clock().getTime());
  };
  const summary = taskSummary(rec);
  if (!item) {
    const w = wanted!;
    const members: TaskMember[] = [{ id: w.assignee, role: 'assignee' }];
    if (w.follower) members.push({ id: w.follower, role: 'follower' });
    const { guid } = await ws.createTask({
      summary,
      description: taskDescription(rec, env.tz),
      dueMs: w.dueMs,
      members,
      reminderMinutes: TASK_REMINDER_MINUTES,
      origin: taskOrigin(rec, rec.hazard.sourceChatId ?? undefined),
      clientToken: taskClientToken(no),
      tasklistGuid: env.tasklists ? await townshipTasklist(env, rec.hazard.township) : undefined,
    });
    const state: TaskState = { assignee: w.assignee, follower: w.follower, dueMs: w.dueMs, completed: false, summary };
    await save(guid, state);
    item = { kind: 'task', key: no, feishuId: guid, state: { ...state }, updatedAt: env.clock().getTime() };
  }
  const guid = item.feishuId;
  const s = item.state as unknown as TaskState;
  // Undispatched again (no assignee): nothing to mirror but what it had.
  if (!wanted) return guid;

  if (s.assignee !== wanted.assignee) {
    await ws.addTaskMembers({ guid, members: [{ id: wanted.assignee, role: 'assignee' }] });
    if (s.assignee) await ws.removeTaskMembers({ guid, members: [{ id: s.assignee, role: 'assignee' }] });
    s.assignee = wanted.assignee;
    await save(guid, s);
  }
  if (s.follower !== wanted.follower) {
    if (wanted.follower) await ws.addTaskMembers({ guid, members: [{ id: wanted.follower, role: 'follower' }] });
    if (s.follower) await ws.removeTaskMembers({ guid, members: [{ id: s.follower, role: 'follower' }] });
    s.follower = wanted.follower;
    await save(guid, s);
  }
  if (s.dueMs !== wanted.dueMs || s.summary !== summary) {
    await ws.patchTask({ guid, dueMs: s.dueMs !== wanted.dueMs ? wanted.dueMs : undefined, summary: s.summary !== summary ? summary : undefined });
    s.dueMs = wanted.dueMs;
    s.summary = summary;
    await save(guid, s);
  }
  if (s.completed !== wanted.completed) {
    try {
      await ws.patchTask({ guid, completedAtMs: wanted.completed ? env.clock().getTime() : 0 });
    } catch (e) {
      // Ticked done in Feishu meanwhile (its event not yet seen): Feishu refuses to complete it twice.
      if (!(wanted.completed && e instanceof LarkApiError && e.code === TaskCode.badRequest)) throw e;
      env.log.info('task already done in Feishu', { no });
    }
    s.completed = wanted.completed;
    await save(guid, s);
  }
  return guid;
}

/** Activity a township group hears of: a task added, done, reopened, its assignee or its due date changed. */
export const TASKLIST_EVENT_KEYS = [100, 103, 104, 110, 130];

/**
 * The township's tasklist (清单) for its hazards' tasks, created the first time one is needed, with
 * the township's group (bound with /bind) subscribed to its activity; none when the hazard has no
 * township or the township no group. Recorded once made, so it is never made twice.
 */
async function townshipTasklist(env: MirrorEnv, township: string | null): Promise<string | undefined> {
  if (!township) return undefined;
  const known = await mirrorItem(env.db, 'tasklist', township);
  if (known?.state.subscribed) return known.feishuId;
  const chatId = await boundChat(env.db, 'township', township);
  if (!chatId) return undefined;
  const guid = known?.feishuId ?? (await env.workspace.createTasklist({ name: tasklistName(township) })).guid;
  if (!known) await saveMirrorItem(env.db, { kind: 'tasklist', key: township, feishuId: guid, state: { chatId } }, env.clock().getTime());
  await env.workspace.subscribeTasklist({ guid, name: tasklistSubscriptionName(township), chatId, includeKeys: TASKLIST_EVENT_KEYS });
  await saveMirrorItem(env.db, { kind: 'tasklist', key: township, feishuId: guid, state: { chatId, subscribed: true } }, env.clock().getTime());
  return guid;
}
