import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import '../src/bot/tip-actions.ts';
import { listTips } from '../src/domain/tips.ts';
import { tipListText } from '../src/views/tip-cards.ts';

const USAGE = '/tips [open|overdue]';
const FILTERS: Record<string, 'open' | 'overdue' | 'all'> = {
  open: 'open', 未办结: 'open', 在办: 'open', overdue: 'overdue', 逾期: 'overdue', all: 'all', 全部: 'all',
};
const LABELS = {
  open: { zh: '未办结的群众举报', en: 'Open tips' },
  overdue: { zh: '逾期未核查的群众举报', en: 'Overdue tips' },
  all: { zh: '群众举报', en: 'Tips' },
};

export default defineCommand({
  name: 'tips',
  aliases: ['举报列表'],
  summary: { zh: '群众举报列表：未办结（默认）或逾期', en: 'list public tips: open (default) or overdue' },
  usage: USAGE,
  args: z.object({ words: z.array(z.string()).max(1) }),
  roles: ['admin', 'leader', 'inspector', 'officer'],
  async handle(ctx, { words }) {
    const w = words[0]?.toLowerCase();
    const f = w === undefined ? 'open' : Object.hasOwn(FILTERS, w) ? FILTERS[w] : undefined;
    if (!f) throw new BotError(`用法：${USAGE}`, `Usage: ${USAGE}`);
    const tips = await listTips(ctx.db, f, ctx.now);
    ctx.reply({ text: tipListText(tips, { tz: ctx.settings.tz, now: ctx.now, label: LABELS[f] }) });
  },
});
