import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { hazardArgs } from '../src/bot/hazard-args.ts';
import { hazardListPage } from '../src/bot/hazard-list.ts';

const USAGE = '/hazards [mine|open|overdue|企业|行业|乡镇] [页码]';

export default defineCommand({
  name: 'hazards',
  aliases: ['隐患'],
  summary: { zh: '列出隐患（最新在前，每页10条）：我的、未销号、逾期，或按企业、行业、乡镇', en: 'list hazards, newest first, 10 a page: mine, open, overdue, or by enterprise, sector, township' },
  usage: USAGE,
  args: hazardArgs,
  roles: 'registered',
  async handle(ctx, a) {
    const words = [...a.words];
    // A trailing small number is the page (1-based): `/hazards open 2`, `/hazards 2`.
    const page = words.length && /^\d{1,3}$/.test(words[words.length - 1]) ? Number(words.pop()) - 1 : 0;
    if (page < 0 || Object.keys(a.options).length || a.mentions.length) throw new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);
    const filter = words.join(' ') || undefined;
    ctx.reply({ card: await hazardListPage(ctx, filter, page) });
  },
});
