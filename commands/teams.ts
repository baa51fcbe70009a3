import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { teamTypeLabel } from '../src/domain/incident-types.ts';
import { peopleInfo } from '../src/domain/roster.ts';
import { listTeams, parseTeamFilter, totalsOf } from '../src/domain/teams.ts';
import { teamsCard } from '../src/views/incident-cards.ts';

export default defineCommand({
  name: 'teams',
  aliases: ['队伍'],
  summary: { zh: '列出应急队伍（可按类型或乡镇筛选），含人数、设备及合计', en: 'list rescue teams (by type or township) with people, equipment and totals' },
  usage: '/teams [类型 type|乡镇 township]',
  args: z.object({ words: z.array(z.string()).max(1) }),
  roles: 'registered',
  async handle(ctx, { words }) {
    const filter = parseTeamFilter(words[0]);
    const list = await listTeams(ctx.db, filter);
    const label =
      filter.kind === 'type'
        ? teamTypeLabel(filter.type)
        : filter.kind === 'township'
          ? { zh: filter.township, en: filter.township }
          : { zh: '全部', en: 'all' };
    const names = await peopleInfo(ctx.db, list.map((t) => t.leaderOpenId));
    ctx.reply({ card: teamsCard(list, totalsOf(list), { label, names }) });
  },
});
