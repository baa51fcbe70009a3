import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { ROLE_LABELS, ROLES } from '../src/domain/roles.ts';

export default defineCommand({
  name: 'whoami',
  aliases: ['我是谁'],
  summary: { zh: '查看您的登记信息和角色', en: 'show your registration and roles' },
  usage: '/whoami',
  args: z.object({ words: z.array(z.string()).max(0) }),
  roles: 'anyone',
  async handle(ctx) {
    const { person, roles, openId } = ctx.caller;
    const roleText = ROLES.filter((r) => roles.has(r)).map((r) => `${ROLE_LABELS[r].zh}(${r})`).join('、') || '无 none';
    if (!person) {
      ctx.reply({
        text: [
          `您尚未登记。open_id: ${openId}`,
          `You are not registered yet. open_id: ${openId}`,
          roles.size ? `角色 Roles: ${roleText}` : '请联系管理员登记。 Ask an admin to register you.',
        ].join('\n'),
      });
      return;
    }
    ctx.reply({
      text: [
        `姓名 Name: ${person.name}`,
        `角色 Roles: ${roleText}`,
        `部门 Department: ${person.department ?? '—'}`,
        `乡镇 Township: ${person.township ?? '—'}`,
        ...(person.county ? [`县区 County: ${person.county}`] : []),
        `手机 Mobile: ${person.mobile ?? '—'}`,
        `open_id: ${openId}`,
      ].join('\n'),
    });
  },
});
