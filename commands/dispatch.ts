import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { DEADLINE_KEYS, hazardArgs, hazardNo, takeOption } from '../src/bot/hazard-args.ts';
import { dispatchHazard } from '../src/bot/hazard-flow.ts';
import { takeLedger } from '../src/bot/ledger-args.ts';
import { nobodyNamed, personNamed } from '../src/bot/person-named.ts';

const USAGE = '/dispatch 隐患编号 @整改责任人 [期限:3天|2026-12-05|12-05] [措施:…] [资金:万元] [预案:…]';

export default defineCommand({
  name: 'dispatch',
  aliases: ['派单'],
  summary: { zh: '把隐患派给整改责任人（领导、管理员或上报的检查员）', en: 'assign a hazard to whoever must fix it (leader, admin, or the reporting inspector)' },
  usage: USAGE,
  args: hazardArgs,
  roles: 'registered',
  async handle(ctx, a) {
    const no = hazardNo(a.words[0], USAGE);
    const options = { ...a.options };
    const deadlineText = takeOption(options, DEADLINE_KEYS);
    const ledger = takeLedger(options);
    if (Object.keys(options).length || a.mentions.length > 1 || a.words.length > 2) {
      throw new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);
    }
    let person: { openId: string; name: string } | undefined = a.mentions[0];
    if (!person && a.words[1]) {
      // Without an @, a registered person's exact name (or open_id) will do — but only one.
      person = await personNamed(ctx.db, a.words[1]);
      if (!person) throw nobodyNamed(a.words[1]);
    }
    await dispatchHazard(ctx, no, { assigneeOpenId: person?.openId, assigneeName: person?.name, deadlineText, ledger }, { kind: 'command' });
  },
});
