// The bot's side of the mirrors into Feishu (issue 19, ADR 0022): queue a hazard's copies when it
// changes, and answer a task ticked done in Feishu. The copies themselves are made by src/mirrors/.
import type { InboundEvent } from '../lark/events.ts';
import { loadHazard, subjectOf, type HazardRecord } from '../domain/hazards.ts';
import { mirrorItemByFeishuId, saveMirrorItem } from '../domain/mirrors.ts';
import { personNames, resolveCaller } from '../domain/people.ts';
import type { Effects } from '../outbox/effects.ts';
import type { Settings } from '../settings.ts';
import { hazardCard } from '../views/hazard-cards.ts';
import { taskCompletedBanner } from '../views/mirror-texts.ts';
import { BotContext, type BotDeps } from './context.ts';

/** A hazard changed: its task (once it has an assignee) and its Bitable record follow, each only when configured. */
export function mirrorHazard(fx: Effects, settings: Settings, rec: HazardRecord) {
  const m = settings.mirrors;
  const no = rec.hazard.no;
  if (m.tasks && rec.hazard.assigneeOpenId) fx.mirror({ kind: 'task', no });
  if (m.bitable) fx.mirror({ kind: 'record', nos: [no] });
}

type TaskUpdated = Extract<InboundEvent, { kind: 'task_updated' }>;

/** task.task.updated_v1's obj_type for "任务完成" and "任务取消完成". */
const COMPLETED = 5;
const UNCOMPLETED = 6;

/**
 * Someone ticked a hazard's task done in Feishu (task.task.updated_v1, obj_type 5). That is no
 * rectification — photos and verification still apply — so the assignee gets the hazard card
 * asking them to confirm 整改完成 there, and nothing about the hazard changes. The task's recorded
 * state follows Feishu, so the mirror neither completes it twice nor fights the person.
 */
export async function taskUpdated(deps: BotDeps, event: TaskUpdated, now: Date): Promise<BotContext | undefined> {
  if (event.objType !== COMPLETED && event.objType !== UNCOMPLETED) return undefined;
  const item = await mirrorItemByFeishuId(deps.db, 'task', event.taskId);
  if (!item) return undefined; // not one of ours
  const rec = await loadHazard(deps.db, item.key);
  if (!rec) return undefined;
  const done = event.objType === COMPLETED;
  const ctx = new BotContext(deps, await resolveCaller(deps.db, '', deps.settings.adminOpenIds), { kind: 'menu' }, now);
  ctx.write(saveMirrorItem(deps.db, { ...item, state: { ...item.state, completed: done } }, now.getTime()));
  const h = rec.hazard;
  if (done && h.status === 'dispatched' && h.assigneeOpenId) {
    const names = await personNames(deps.db, [h.reporterOpenId, h.assigneeOpenId, rec.enterprise.contactOpenId]);
    const card = hazardCard(rec, { tz: deps.settings.tz, now, names, banner: taskCompletedBanner(rec) });
    ctx.send({ openId: h.assigneeOpenId }, { card }, { subject: subjectOf(h.no), dedupeKey: `task-done:${event.eventId}` });
  }
  return ctx;
}

/** Shifts changed (a swap): the duty calendar's events for their slots follow, when configured. */
export function mirrorShifts(fx: Effects, settings: Settings, starts: number[]) {
  if (!settings.mirrors.dutyCalendar) return;
  for (const start of new Set(starts)) fx.mirror({ kind: 'duty', fromMs: start, toMs: start + 1 });
}

/** A key period was declared or removed: the calendar's all-day events follow, when configured. */
export function mirrorKeyPeriods(fx: Effects, settings: Settings) {
  if (settings.mirrors.dutyCalendar) fx.mirror({ kind: 'keyperiods' });
}
