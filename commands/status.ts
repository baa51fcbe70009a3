import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { readStatus } from '../src/domain/status.ts';
import { statusText } from '../src/views/status.ts';

export default defineCommand({
  name: 'status',
  aliases: ['状态'],
  summary: { zh: '系统状态（管理员）：事件接收、消息发送、定时任务、API 调用量、数据库、最近一次成功的备份', en: 'system status (admins): events, outgoing messages, jobs, API calls, database, the last good backup' },
  usage: '/status',
  args: z.object({ words: z.array(z.string()).max(0) }),
  roles: ['admin'],
  async handle(ctx) {
    await ctx.deps.service?.flushCounts();
    const sections = await readStatus({ db: ctx.db, settings: ctx.settings, now: ctx.now, health: ctx.deps.service?.health(), backups: ctx.deps.backups });
    ctx.reply({ text: statusText(sections, ctx.settings.tz) });
  },
});
