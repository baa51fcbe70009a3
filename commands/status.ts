import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { readStatus } from '../src/domain/status.ts';
import { statusText } from '../src/views/status.ts';

export default defineCommand({
  name: 'status',
  aliases: ['状态'],
  summary: { zh: '系统状态（管理员）：最近一次成功的备份等', en: 'system status (admins): the last good backup and more' },
  usage: '/status',
  args: z.object({ words: z.array(z.string()).max(0) }),
  roles: ['admin'],
  async handle(ctx) {
    const sections = await readStatus({ db: ctx.db, settings: ctx.settings, backups: ctx.deps.backups, now: ctx.now });
    ctx.reply({ text: statusText(sections, ctx.settings.tz) });
  },
});
