import type { InboundEvent } from '../lark/events.ts';
import { adminsOf, resolveCaller } from '../domain/people.ts';
import { errorFields } from '../log.ts';
import { cannotBuzzText, cannotCheckBuzzText, joinedGroupText } from '../views/ops-notices.ts';
import { BotContext, type BotDeps } from './context.ts';

type BotAddedEvent = Extract<InboundEvent, { kind: 'bot_added' }>;

/**
 * The bot was added to a group (im.chat.member.bot.added_v1): it says what it can do there and
 * how to bind the group, and checks it can buzz (加急) there. Since 2023-10 Lark refuses a bot's
 * buzz (230052) in a group where only the owner and managers may buzz, unless the bot is a
 * manager — found out only when an overdue hazard or an emergency needs the buzz. So the bot reads
 * the group's settings (获取群信息: urgent_setting, bot_manager_id_list) now and, if it cannot buzz,
 * tells the admins what to change.
 */
export async function botAdded(deps: BotDeps, event: BotAddedEvent, now: Date): Promise<BotContext> {
  const caller = await resolveCaller(deps.db, event.operatorOpenId ?? '', deps.settings.adminOpenIds);
  const ctx = new BotContext(deps, caller, { kind: 'menu' }, now);
  ctx.send({ chatId: event.chatId }, { text: joinedGroupText(event.chatName) }, { dedupeKey: `joined:${event.eventId}` });

  let warning: string | undefined;
  try {
    const info = await deps.lark!.chatInfo(event.chatId);
    if (info.urgentSetting === 'only_owner' && !info.botIsManager) warning = cannotBuzzText(info.name || event.chatName, event.chatId);
  } catch (e) {
    deps.log.warn('cannot read the settings of a group the bot joined', { chatId: event.chatId, ...errorFields(e) });
    warning = cannotCheckBuzzText(event.chatName, event.chatId);
  }
  if (warning) {
    const admins = await adminsOf(deps.db, deps.settings.adminOpenIds);
    if (admins.length === 0) deps.log.warn('the bot cannot buzz in a group it joined, and there is no admin to tell', { chatId: event.chatId });
    for (const admin of admins) ctx.send({ openId: admin }, { text: warning }, { dedupeKey: `joined:${event.eventId}:${admin}` });
  }
  return ctx;
}
