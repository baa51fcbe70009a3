import { defineCommand } from '../src/bot/command.ts';
import { hazardArgs, hazardNo } from '../src/bot/hazard-args.ts';
import { showHazard } from '../src/bot/hazard-flow.ts';

const USAGE = '/hazard 隐患编号';

export default defineCommand({
  name: 'hazard',
  aliases: ['隐患详情'],
  summary: { zh: '查看一条隐患的详情和处理记录', en: 'show one hazard with its timeline' },
  usage: USAGE,
  args: hazardArgs,
  // Registered people, and whoever the hazard involves (an unregistered assignee): checked inside.
  roles: 'anyone',
  async handle(ctx, a) {
    await showHazard(ctx, hazardNo(a.words[0], USAGE), { kind: 'command' });
  },
});
