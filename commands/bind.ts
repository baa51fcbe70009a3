import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { allBindings, bindChat, CHAT_KIND_LABELS, type ChatKind } from '../src/domain/chats.ts';

/** `leaders`, `duty`, `township:NAME` (also 领导 / 值班 / 乡镇:NAME). */
function parseTarget(words: string[], options: Record<string, string>): { kind: ChatKind; name: string } | undefined {
  const township = options.township ?? options['乡镇'];
  if (township) return { kind: 'township', name: township.trim() };
  const w = (words[0] ?? '').toLowerCase();
  if (w === 'leaders' || w === '领导' || w === '领导群') return { kind: 'leaders', name: '' };
  if (w === 'duty' || w === '值班' || w === '值班群') return { kind: 'duty', name: '' };
  return undefined;
}

export default defineCommand({
  name: 'bind',
  aliases: ['绑定'],
  summary: { zh: '把本群绑定为领导群、值班群或乡镇群；不带参数时查看绑定', en: "bind this chat as the leaders' group, duty desk or a township's group; no argument shows the bindings" },
  usage: '/bind leaders|duty|township:乡镇名',
  args: z.object({ words: z.array(z.string()).max(1), options: z.record(z.string(), z.string()) }),
  roles: ['admin'],
  async handle(ctx, { words, options }) {
    if (words.length === 0 && Object.keys(options).length === 0) {
      const rows = await allBindings(ctx.db);
      const lines = rows.map((r) => {
        const label = CHAT_KIND_LABELS[r.kind as ChatKind] ?? { zh: r.kind, en: r.kind };
        return `${label.zh}${r.name ? `（${r.name}）` : ''} / ${label.en}${r.name ? ` (${r.name})` : ''}: ${r.chatId}`;
      });
      ctx.reply({ text: rows.length ? ['当前绑定 Current bindings:', ...lines].join('\n') : '尚未绑定任何群。\nNo chat is bound yet.' });
      return;
    }
    const target = parseTarget(words, options);
    if (!target) throw new BotError('无法识别要绑定的类型。用法：/bind leaders|duty|township:乡镇名', 'Unknown binding. Usage: /bind leaders|duty|township:NAME');
    const s = ctx.source;
    if (s.kind !== 'message' || s.chatType !== 'group') {
      throw new BotError('请在要绑定的群里发送此命令。', 'Send this command in the group chat you want to bind.');
    }
    ctx.write(bindChat(ctx.db, target.kind, target.name, s.chatId, ctx.caller.openId, ctx.now));
    const label = CHAT_KIND_LABELS[target.kind];
    const suffix = target.name ? `（${target.name}）` : '';
    ctx.reply({ text: `已将本群绑定为${label.zh}${suffix}。\nThis chat is now the ${label.en}${target.name ? ` (${target.name})` : ''}.` });
  },
});
