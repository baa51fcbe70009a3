import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { allows, rolesText } from '../src/bot/access.ts';
import { BotError } from '../src/bot/errors.ts';

export default defineCommand({
  name: 'help',
  aliases: ['帮助', 'h', '?'],
  summary: { zh: '列出您可用的命令，或查看某个命令的用法', en: 'list the commands you may use, or show one command’s usage' },
  usage: '/help [命令 command]',
  args: z.object({ words: z.array(z.string()).max(1) }).transform((a) => ({ topic: a.words[0]?.replace(/^[/／]/, '') })),
  roles: 'anyone',
  async handle(ctx, { topic }) {
    const registry = ctx.deps.registry;
    if (topic) {
      const c = registry.find(topic);
      if (!c) throw new BotError(`没有命令 /${topic}。发送 /help 查看全部命令。`, `There is no command /${topic}. Send /help to see them all.`);
      const who = c.roles === 'anyone' ? { zh: '所有人', en: 'anyone' } : c.roles === 'registered' ? { zh: '已登记人员', en: 'registered people' } : rolesText(c.roles);
      ctx.reply({
        text: [
          `/${c.name}（${c.aliases.map((a) => '/' + a).join(' ')}）`,
          `${c.summary.zh}`,
          `${c.summary.en}`,
          `用法 Usage: ${c.usage}`,
          `可用角色 Who: ${who.zh} / ${who.en}`,
        ].join('\n'),
      });
      return;
    }
    const mine = registry.commands.filter((c) => allows(c.roles, ctx.caller));
    const lines = mine.map((c) => `/${c.name}（/${c.aliases[0] ?? c.name}）— ${c.summary.zh} / ${c.summary.en}`);
    const footer = ctx.caller.person || ctx.caller.roles.size
      ? '发送 /help 命令名 查看用法。 Send /help NAME for a command’s usage.'
      : '您尚未登记，请联系管理员登记。 You are not registered yet; ask an admin to register you.';
    ctx.reply({ text: ['您可以使用的命令 Commands you may use:', ...lines, '', footer].join('\n') });
  },
});
