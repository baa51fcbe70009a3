import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { hazardArgs, hazardNo, leftovers } from '../src/bot/hazard-args.ts';
import '../src/bot/hazard-actions.ts';
import '../src/bot/ledger-actions.ts';
import { decideExtension, requestExtension } from '../src/bot/ledger-flow.ts';

const USAGE = '/extend 隐患编号 YYYY-MM-DD 理由…   |   /extend 隐患编号 同意|不同意 [说明…]';

export default defineCommand({
  name: 'extend',
  aliases: ['延期'],
  summary: {
    zh: '申请延期（整改责任人或企业联系人）；上报人、包保领导或领导审批（同意/不同意）',
    en: 'ask for a later deadline (assignee or contact); the reporter, 包保 supervisor or a leader decides',
  },
  usage: USAGE,
  args: hazardArgs,
  roles: 'registered',
  async handle(ctx, a) {
    const no = hazardNo(a.words[0], USAGE);
    const [, second, ...rest] = a.words;
    const text = [...rest, ...leftovers({ ...a.options })].join(' ');
    if (second === '同意' || second === '批准' || second === 'approve') return decideExtension(ctx, no, { approve: true, note: text }, { kind: 'command' });
    if (second === '不同意' || second === '驳回' || second === 'refuse') return decideExtension(ctx, no, { approve: false, note: text }, { kind: 'command' });
    if (!second || !text) throw new BotError(`请写明新期限和理由。用法：${USAGE}`, `Give the new deadline and the reason. Usage: ${USAGE}`);
    await requestExtension(ctx, no, { deadlineText: second, reason: text }, { kind: 'command' });
  },
});
