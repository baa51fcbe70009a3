// What people read of Watchkeeper in Feishu's Tasks, Calendar and Bitable (issue 19), and the card
// that answers a task completed in Feishu. Chinese first, English beside.
import type { Bi } from '../bi.ts';
import type { HazardRecord } from '../domain/hazards.ts';
import { levelLabel } from '../domain/hazard-terms.ts';
import { formatDateTime } from '../domain/time.ts';

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

/** The banner on the card sent when the assignee ticked the task in Feishu: nothing changed yet. */
export const taskCompletedBanner = (r: HazardRecord): Bi => ({
  zh: `**您已在飞书任务中将「${r.hazard.no}」标记为完成。** 隐患尚未整改完成：请在本卡片点「整改完成」确认${r.hazard.level === 'major' ? '（重大隐患需先回复整改照片）' : ''}，复查后方可销号。`,
  en: `**You ticked ${r.hazard.no} done in Feishu Tasks.** The hazard is not rectified yet: press 整改完成 on this card to confirm${r.hazard.level === 'major' ? ' (a major hazard needs a photo first: reply to this card with it)' : ''}; it closes after verification.`,
});
