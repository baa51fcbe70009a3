import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { hazardArgs, hazardNo, leftovers } from '../src/bot/hazard-args.ts';
import '../src/bot/hazard-actions.ts';
import { reassignHazard } from '../src/bot/ledger-flow.ts';
import { personNamed } from '../src/bot/person-named.ts';

const USAGE = '/reassign 隐患编号 @新整改责任人 [理由…]';

export default defineCommand({
  name: 'reassign',
  aliases: ['改派', '调整责任人'],
  summary: { zh: '把整改中的隐患改派给另一名整改责任人（领导、管理员或上报的检查员），期限不变', en: 'give a hazard being rectified to another person (leader, admin, or the reporting inspector); the deadline stays' },
  usage: USAGE,
  args: hazardArgs,
  roles: 'registered',
  async handle(ctx, a) {
    const no = hazardNo(a.words[0], USAGE);
    if (a.mentions.length > 1) throw new BotError(`只能改派给一人。用法：${USAGE}`, `Name one person. Usage: ${USAGE}`);
    let person: { openId: string; name: string } | undefined = a.mentions[0];
    let reasonWords = a.words.slice(1);
    if (!person && a.words[1]) {
      // Without an @, a registered person's exact name will do — but only one.
      person = await personNamed(ctx.db, a.words[1]);
      if (person) reasonWords = a.words.slice(2);
    }
    if (!person) throw new BotError(`请 @ 新的整改责任人。用法：${USAGE}`, `@-mention the new person responsible. Usage: ${USAGE}`);
    const reason = [...reasonWords, ...leftovers({ ...a.options })].join(' ');
    await reassignHazard(ctx, no, { assigneeOpenId: person.openId, assigneeName: person.name, reason });
  },
});
