import { defineCommand } from '../src/bot/command.ts';
import { hazardArgs, hazardNo, leftovers } from '../src/bot/hazard-args.ts';
import { rectifyHazard } from '../src/bot/hazard-flow.ts';

const USAGE = '/rectify 隐患编号 [整改说明…]';

export default defineCommand({
  name: 'rectify',
  aliases: ['整改'],
  summary: { zh: '整改责任人或企业联系人提交整改完成', en: 'the assignee or the enterprise contact marks a hazard rectified' },
  usage: USAGE,
  args: hazardArgs,
  // The assignee may be enterprise staff who are not registered; the hazard's own rule decides.
  roles: 'anyone',
  async handle(ctx, a) {
    const no = hazardNo(a.words[0], USAGE);
    const note = [...a.words.slice(1), ...leftovers(a.options)].join(' ');
    await rectifyHazard(ctx, no, { note: note || undefined }, { kind: 'command' });
  },
});
