// What people read of Watchkeeper in Feishu's Tasks, Calendar and Bitable (issue 19), and the card
// that answers a task completed in Feishu. Chinese first, English beside.
import type { Bi } from '../bi.ts';
import type { HazardRecord } from '../domain/hazards.ts';
import { levelLabel } from '../domain/hazard-terms.ts';
import { formatDateTime } from '../domain/time.ts';
import { nameOf, ROSTER_ROLES, roleLabel, shiftSpanLong, type PersonInfo, type Shift } from '../domain/roster.ts';
import type { EventBody } from '../lark/workspace.ts';

/** `YH-2026-0012 梅河化工有限公司：储罐区消防通道堵塞` — the task's title, as the ledger names it. */
export const taskSummary = (r: HazardRecord) => `${r.hazard.no} ${r.enterprise.name}：${r.hazard.description}`.slice(0, 3000);

export function taskDescription(r: HazardRecord, tz: string): string {
  const h = r.hazard;
  const lines = [
    `隐患等级：${levelLabel(h.level).zh}`,
    h.deadline !== null ? `整改期限：${formatDateTime(new Date(h.deadline), tz)}` : '',
    h.measures ? `整改措施：${h.measures}` : '',
    '请在飞书群的隐患卡片上点「整改完成」并附照片；在任务里勾选完成后，机器人会请您到卡片上确认。',
    'Press 整改完成 on the hazard card in the chat (with photos); ticking this task asks you to confirm there.',
  ];
  return lines.filter(Boolean).join('\n').slice(0, 3000);
}

/**
 * The link back from the task: Feishu's AppLink opens the chat holding the hazard's card (there is
 * no AppLink to a single message), where 整改完成 and the photos are.
 */
export function taskOrigin(r: HazardRecord, chatId: string | undefined): { title: string; url: string } | undefined {
  if (!chatId) return undefined;
  return { title: `隐患卡片 ${r.hazard.no}（在群聊中查看）`, url: `https://applink.feishu.cn/client/chat/open?openChatId=${encodeURIComponent(chatId)}` };
}

/** A township group's tasklist, and the name of the group's subscription to it (Feishu: 50 characters at most). */
export const tasklistName = (township: string) => `隐患整改 · ${township}`.slice(0, 100);
export const tasklistSubscriptionName = (township: string) => `${township}安全生产群`.slice(0, 50);

/** The banner on the card sent when the assignee ticked the task in Feishu: nothing changed yet. */
export const taskCompletedBanner = (r: HazardRecord): Bi => ({
  zh: `**您已在飞书任务中将「${r.hazard.no}」标记为完成。** 隐患尚未整改完成：请在本卡片点「整改完成」确认${r.hazard.level === 'major' ? '（重大隐患需先回复整改照片）' : ''}，复查后方可销号。`,
  en: `**You ticked ${r.hazard.no} done in Feishu Tasks.** The hazard is not rectified yet: press 整改完成 on this card to confirm${r.hazard.level === 'major' ? ' (a major hazard needs a photo first: reply to this card with it)' : ''}; it closes after verification.`,
});

// ── the duty calendar ────────────────────────────────────────────────────────────────────

/** The shared calendar, created once. */
export const dutyCalendarName = { summary: '值班日历', description: '安全值守助手同步的24小时值班表与重点时段（只读副本，以值班表为准）。Duty roster and key periods from Watchkeeper.' };

/** One time slot of the roster as an event: `值班：带班领导 张伟 · 值班员 李娜`, a reminder before it starts. */
export function dutyEventBody(list: Shift[], info: Map<string, PersonInfo>, tz: string, reminderMinutes: number): EventBody {
  const byRole = ROSTER_ROLES.flatMap((role) => list.filter((s) => s.role === role).map((s) => `${roleLabel(role).zh} ${nameOf(info, s.personOpenId)}`));
  return {
    summary: `值班：${byRole.join(' · ')}`.slice(0, 1000),
    description: [`${shiftSpanLong(list[0], tz)}`, '换班请在飞书群里发 /swap；以值班表为准。'].filter(Boolean).join('\n'),
    start: { atMs: list[0].start },
    end: { atMs: list[0].end },
    reminderMinutes: [reminderMinutes],
    timezone: tz,
  };
}

/** 重点时段 as an all-day event over its dates (Feishu's all-day end date is the last day). */
export function keyPeriodEventBody(p: { name: string; startDate: string; endDate: string }, tz: string): EventBody {
  return {
    summary: `重点时段：${p.name}`.slice(0, 1000),
    description: '重点时段内加强值班值守，严格执行24小时值班和领导带班制度。',
    start: { date: p.startDate },
    end: { date: p.endDate },
    reminderMinutes: [],
    timezone: tz,
  };
}
