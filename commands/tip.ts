import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { DEADLINE_KEYS, hazardArgs, leftovers, takeOption } from '../src/bot/hazard-args.ts';
import '../src/bot/hazard-actions.ts';
import '../src/bot/tip-actions.ts';
import { assignTip, checkTip, feedbackTip, recordTip, showTip } from '../src/bot/tip-flow.ts';
import { parseDeadline } from '../src/domain/hazards.ts';
import { parseTipNo } from '../src/domain/tips.ts';

const USAGE =
  '/tip 举报内容… [企业:…] [乡镇:…] [举报人电话:…]   |   /tip 编号 [交办 @检查员 [期限:…] | 属实 [企业:…] 隐患描述；… | 不属实 理由… | 反馈 内容…]';

export default defineCommand({
  name: 'tip',
  aliases: ['举报'],
  summary: {
    zh: '12350 群众举报：受理（值班员、检查员、管理员），交办（管理员、领导），核查属实/不属实，反馈办结',
    en: '12350 public tips: record (officers, inspectors, admins), assign (admins, leaders), check, reply and close',
  },
  usage: USAGE,
  args: hazardArgs,
  roles: 'registered',
  async handle(ctx, a) {
    const options = { ...a.options };
    const no = parseTipNo(a.words[0] ?? '');
    if (!no) {
      const enterpriseName = takeOption(options, ['企业', 'enterprise']);
      const township = takeOption(options, ['乡镇', '街道', 'township']);
      const phone = takeOption(options, ['举报人电话', '电话', 'phone']);
      const description = [...a.words, ...leftovers(options)].join(' ');
      if (!description) throw new BotError(`请写明举报内容。用法：${USAGE}`, `Describe the tip. Usage: ${USAGE}`);
      return recordTip(ctx, { description, enterpriseName, township, phone });
    }
    const [, verb, ...rest] = a.words;
    const via = { kind: 'command' } as const;
    switch (verb) {
      case undefined:
        return showTip(ctx, no, via);
      case '交办':
      case 'assign': {
        const d = takeOption(options, DEADLINE_KEYS);
        if (a.mentions.length > 1) throw new BotError('只能交办给一名检查员。', 'Assign it to one inspector.');
        return assignTip(ctx, no, { assigneeOpenId: a.mentions[0]?.openId, deadline: d ? parseDeadline(d, ctx.now, ctx.settings.tz) : undefined }, via);
      }
      case '属实':
      case '不属实': {
        const enterpriseName = takeOption(options, ['企业', 'enterprise']);
        return checkTip(ctx, no, { substantiated: verb === '属实', note: [...rest, ...leftovers(options)].join(' '), enterpriseName }, via);
      }
      case '反馈':
      case 'feedback':
        return feedbackTip(ctx, no, [...rest, ...leftovers(options)].join(' '), via);
      default:
        throw new BotError(`无法识别「${verb}」。用法：${USAGE}`, `Unknown step "${verb}". Usage: ${USAGE}`);
    }
  },
});
