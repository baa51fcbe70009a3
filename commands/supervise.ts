import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { hazardArgs, hazardNo, leftovers, takeOption } from '../src/bot/hazard-args.ts';
import '../src/bot/hazard-actions.ts';
import { superviseHazard } from '../src/bot/ledger-flow.ts';
import { parseSuperviseLevel } from '../src/domain/hazard-ledger.ts';

const USAGE = '/supervise 隐患编号 市级|县级 督办单位… [督办人:@…]';

export default defineCommand({
  name: 'supervise',
  aliases: ['督办'],
  summary: { zh: '重大隐患挂牌督办（领导、管理员）；由督办人或领导验收销号', en: 'list a major hazard for supervision (leaders, admins); verified by its supervisor or a leader' },
  usage: USAGE,
  args: hazardArgs,
  roles: ['leader', 'admin'],
  async handle(ctx, a) {
    const no = hazardNo(a.words[0], USAGE);
    const level = a.words[1] ? parseSuperviseLevel(a.words[1]) : undefined;
    if (!level) throw new BotError(`请写明督办级别：市级 或 县级。用法：${USAGE}`, `Give the level: 市级 (city) or 县级 (county). Usage: ${USAGE}`);
    const options = { ...a.options };
    // 督办人:@某人 — the mention's key stands where the value would be.
    takeOption(options, ['督办人', 'supervisor']);
    if (a.mentions.length > 1) throw new BotError('只能指定一名督办人。', 'Name only one supervisor.');
    // `督办人:@某人` reaches us as the word `督办人:` beside the mention.
    const unit = [...a.words.slice(2).filter((w) => !/^(督办人|supervisor)[:：]$/i.test(w)), ...leftovers(options)].join(' ');
    await superviseHazard(ctx, no, { level, unit, superviseOpenId: a.mentions[0]?.openId });
  },
});
