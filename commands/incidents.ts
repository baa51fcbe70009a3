import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { openIncidents } from '../src/domain/incidents.ts';
import { incidentListCard } from '../src/views/incident-cards.ts';

export default defineCommand({
  name: 'incidents',
  aliases: ['险情列表'],
  summary: { zh: '列出处置中的险情及各队伍调度进度、响应时间', en: 'list open incidents with each team’s progress and the response times' },
  usage: '/incidents',
  args: z.object({ words: z.array(z.string()).max(0), options: z.record(z.string(), z.string()).refine((o) => Object.keys(o).length === 0) }),
  roles: 'registered',
  async handle(ctx) {
    ctx.reply({ card: incidentListCard(await openIncidents(ctx.db), { tz: ctx.settings.tz }) });
  },
});
