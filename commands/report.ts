import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { DEADLINE_KEYS, hazardArgs, leftovers, LEVEL_KEYS, SECTOR_KEYS, takeOption } from '../src/bot/hazard-args.ts';
import { submitReport } from '../src/bot/hazard-flow.ts';
import { ON_THE_SPOT_WORDS, takeLedger, takeSource } from '../src/bot/ledger-args.ts';
import { parseDeadline } from '../src/domain/hazards.ts';
import { parseLevel, HAZARD_REPORT_ROLES } from '../src/domain/hazard-rules.ts';
import { parseSector } from '../src/domain/sectors.ts';
import { reportFormCard } from '../src/views/hazard-cards.ts';

const USAGE = '/report 企业名称 隐患描述… [级别:重大] [期限:3天|2026-12-05|12-05] [@整改责任人] [措施:…] [资金:万元] [预案:…] [来源:专家|自查|暗查|举报|其他] [已整改]';

export default defineCommand({
  name: 'report',
  aliases: ['上报'],
  summary: { zh: '上报隐患；不带参数时给出上报表单', en: 'report a hazard; with no arguments, a form to fill in' },
  usage: USAGE,
  args: hazardArgs,
  roles: HAZARD_REPORT_ROLES,
  async handle(ctx, a) {
    const s = ctx.source;
    const src = s.kind === 'message' ? { src: s.messageId, chat: s.chatId } : {};
    const { generalDays, majorDays } = ctx.settings.hazardDefaults;
    if (a.words.length === 0 && Object.keys(a.options).length === 0 && a.mentions.length === 0) {
      ctx.reply({ card: reportFormCard({ ...src, generalDays, majorDays }) });
      return;
    }
    const options = { ...a.options };
    const levelText = takeOption(options, LEVEL_KEYS);
    const level = levelText === undefined ? 'general' : parseLevel(levelText);
    if (!level) throw new BotError(`无法识别级别「${levelText}」：请写 一般 或 重大。`, `Unknown level "${levelText}": write 一般 (general) or 重大 (major).`);
    const deadlineText = takeOption(options, DEADLINE_KEYS);
    const deadline = deadlineText ? parseDeadline(deadlineText, ctx.now, ctx.settings.tz) : undefined;
    const sectorText = takeOption(options, SECTOR_KEYS);
    const sector = sectorText ? parseSector(sectorText) : undefined;
    if (sectorText && !sector) throw new BotError(`无法识别行业「${sectorText}」。`, `Unknown sector "${sectorText}".`);
    const ledger = takeLedger(options);
    const origin = takeSource(options);
    // 立查立改: `已整改` (or 立查立改) as the last word records a hazard found and fixed on the spot.
    const words = [...a.words];
    const onTheSpot = words.length > 2 && ON_THE_SPOT_WORDS.includes(words[words.length - 1]);
    if (onTheSpot) words.pop();
    const [enterprise, ...rest] = words;
    const description = [...rest, ...leftovers(options)].join(' ');
    if (!enterprise || !description) {
      throw new BotError(`请写明企业和隐患描述。用法：${USAGE}`, `Name the enterprise and describe the hazard. Usage: ${USAGE}`);
    }
    if (a.mentions.length > 1) throw new BotError('只能指定一名整改责任人。', 'Name only one assignee.');
    const assignee = a.mentions[0];
    await submitReport(
      ctx,
      { enterpriseText: enterprise, sector, level, description, deadline: deadline?.getTime(), assignee: assignee?.openId, ledger, origin, onTheSpot, ...src },
      { kind: 'command' },
      new Map(assignee ? [[assignee.openId, assignee.name]] : []),
    );
  },
});
