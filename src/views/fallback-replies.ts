// What the bot says when someone talks to it and there is nothing to act on: never silence.
import type { Bi } from '../bi.ts';

/** A bot-menu entry the bot no longer knows. */
export const UNKNOWN_MENU: Bi = {
  zh: '此菜单项已失效，请发送 /help 查看可用命令。',
  en: 'This menu item no longer works; send /help to see the commands.',
};
