// What the admins read about the running service (the Lark call budget, a group where the bot
// cannot buzz, a silence on the event stream), and what a group reads when the bot joins it.
// Chinese first, English beside.

export interface BudgetFigures {
  /** YYYY-MM, local. */
  month: string;
  used: number;
  budget?: number;
}

const lines = (...pairs: [string, string][]) => pairs.map(([zh, en]) => `${zh}\n${en}`).join('\n');

/** LARK_MONTHLY_CALL_BUDGET reached 80%. */
export function budgetWarningText(f: BudgetFigures): string {
  const pct = f.budget ? Math.floor((f.used / f.budget) * 100) : 0;
  return lines(
    [`⚠️ 本月（${f.month}）飞书 API 调用已用 ${f.used} 次，达到预算 ${f.budget} 次的 ${pct}%。`, `⚠️ Lark API calls this month (${f.month}): ${f.used}, ${pct}% of the budget of ${f.budget}.`],
    ['超过预算后只发送要紧的消息（险情卡片与加急、汇总、对人的回复），其余（旧卡片更新、值班群播报）暂停到下月。', 'Past the budget only what matters is sent (emergency cards and buzzes, digests, replies to people); the rest (updates of old cards, duty-chat echoes) waits until the month turns.'],
  );
}

/** LARK_MONTHLY_CALL_BUDGET passed. */
export function budgetExceededText(f: BudgetFigures): string {
  return lines(
    [`⛔ 本月（${f.month}）飞书 API 调用已用 ${f.used} 次，超过预算 ${f.budget} 次。`, `⛔ Lark API calls this month (${f.month}): ${f.used}, past the budget of ${f.budget}.`],
    ['从现在到下月只发送要紧的消息；旧卡片更新、值班群播报暂停。可调高 LARK_MONTHLY_CALL_BUDGET 或升级飞书版本。', 'Until the month turns only what matters is sent; card updates and duty-chat echoes are held back. Raise LARK_MONTHLY_CALL_BUDGET or upgrade the Feishu edition.'],
  );
}

/** Lark answered 99991403: the tenant's monthly quota (free edition: 10,000) is spent. */
export function quotaExhaustedText(f: BudgetFigures): string {
  return lines(
    [`⛔ 飞书返回 99991403：本租户本月（${f.month}）API 调用次数已达上限（本应用本月已用 ${f.used} 次）。`, `⛔ Lark answered 99991403: this tenant's API calls for ${f.month} are used up (this app used ${f.used}).`],
    ['到下月 1 日前只尝试要紧的消息，其余暂停。请企业管理员在管理后台「费用中心 › 权益数据」查看，或升级飞书版本。', 'Until the 1st only what matters is tried; the rest is held back. The tenant admin can check 费用中心 › 权益数据 in the admin console, or upgrade the Feishu edition.'],
  );
}

/** The greeting in a group the bot was just added to. */
export function joinedGroupText(chatName: string): string {
  const name = chatName ? `「${chatName}」` : '本群';
  return lines(
    [`大家好，我是安全值守助手。我在${name}可以：上报和跟踪隐患（/report）、查看值班（/duty）、上报险情并调度队伍（/incident）、查看统计（/stats）。发送 /help 查看全部命令。`, `Hello, I am Watchkeeper. Here I can: report and follow hazards (/report), show who is on duty (/duty), report an emergency and dispatch teams (/incident), show statistics (/stats). Send /help for every command.`],
    ['管理员可在本群发送 /bind leaders（领导群）、/bind duty（值班群）或 /bind township:乡镇名（乡镇群）绑定本群用途。', 'An admin can bind this group by sending /bind leaders, /bind duty or /bind township:NAME here.'],
  );
}

/** To the admins: the bot cannot buzz (加急) in this group, and what to change. */
export function cannotBuzzText(chatName: string, chatId: string): string {
  const name = chatName ? `「${chatName}」` : chatId;
  return lines(
    [`⚠️ 机器人无法在群${name}加急：该群设置了「仅群主和管理员可加急」，而机器人不是群管理员。`, `⚠️ The bot cannot buzz (加急) in ${chatName || chatId}: only the owner and managers may buzz there, and the bot is not a manager.`],
    ['请群主在「群设置 › 群管理 › 谁可以加急」选择「所有群成员」，或把机器人设为群管理员；否则逾期催办和险情通知的加急会失败。', 'Ask the owner to set 群设置 › 群管理 › 谁可以加急 to 所有群成员 (all members), or make the bot a group manager; otherwise buzzes for overdue hazards and emergencies fail there.'],
  );
}

/** To the admins: the bot could not read the group's settings to check buzzing. */
export function cannotCheckBuzzText(chatName: string, chatId: string): string {
  const name = chatName ? `「${chatName}」` : chatId;
  return lines(
    [`⚠️ 机器人加入了群${name}，但无法读取群设置来检查能否加急（需要权限 im:chat:readonly）。`, `⚠️ The bot joined ${chatName || chatId} but could not read its settings to check it can buzz (needs the im:chat:readonly scope).`],
  );
}

/** To the admins: no event at all for SILENCE_ALARM_HOURS. */
export function silenceText(hours: number, lastAt: string | undefined): string {
  return lines(
    [`⚠️ 已有 ${hours} 小时没有收到飞书的任何事件${lastAt ? `（最后一条：${lastAt}）` : ''}。事件订阅可能已停止投递：请检查开发者后台的事件订阅、长连接状态和 /status。`, `⚠️ No event from Lark for ${hours} hours${lastAt ? ` (last: ${lastAt})` : ''}. The event subscription may have stopped delivering: check the developer console's event subscription, the long connection and /status.`],
  );
}
