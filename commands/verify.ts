import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { DEADLINE_KEYS, hazardArgs, hazardNo, leftovers, takeOption } from '../src/bot/hazard-args.ts';
import { verifyHazard } from '../src/bot/hazard-flow.ts';
import { VERIFY_ROLES } from '../src/domain/hazard-rules.ts';

const USAGE = '/verify 隐患编号 通过|不通过 [说明…] [期限:…]';
const PASS = new Set(['通过', '合格', 'pass', 'passed', 'ok']);
const FAIL = new Set(['不通过', '未通过', '不合格', 'fail', 'failed']);

export default defineCommand({
  name: 'verify',
  aliases: ['复查'],
  summary: { zh: '复查整改：通过则销号，不通过则退回整改并给新期限', en: 'verify a fix: pass closes the hazard, fail sends it back with a new deadline' },
  usage: USAGE,
  args: hazardArgs,
  roles: VERIFY_ROLES,
  async handle(ctx, a) {
    const no = hazardNo(a.words[0], USAGE);
    const verdict = (a.words[1] ?? '').toLowerCase();
    const pass = PASS.has(verdict) ? true : FAIL.has(verdict) ? false : undefined;
    if (pass === undefined) throw new BotError(`请写明复查结论：通过 或 不通过。用法：${USAGE}`, `Say whether it passed: 通过 (pass) or 不通过 (fail). Usage: ${USAGE}`);
    const options = { ...a.options };
    const deadlineText = takeOption(options, DEADLINE_KEYS);
    if (pass && deadlineText) throw new BotError('复查通过即销号，不需要期限。', 'A passed verification closes the hazard; no deadline is needed.');
    const note = [...a.words.slice(2), ...leftovers(options)].join(' ');
    await verifyHazard(ctx, no, { pass, note: note || undefined, deadlineText }, { kind: 'command' });
  },
});
