import { commands } from '../../commands/index.ts';
import { pick } from './rng.ts';
import { own } from '../../src/own.ts';

// Messages for the fuzz run: every command (by name, alias, upper case, full-width letters),
// with its real argument shapes and every slot filled, in turn, with hostile words — the built-in
// property names, full- and half-width forms, emoji, zero-width and control characters, 10 KB
// texts, unbalanced quotes, unknown mentions and SQL-looking text.

export const BUILTINS = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'] as const;

const HOSTILE = [
  ...BUILTINS,
  '🚒🔥', '👍🏽', '\u200b', '红梅\u200d镇', '\ufeff梅河化工有限公司', '\u0000', '\u0007\u001b[31m', '\u202e反转', '\t\r',
  "'; DROP TABLE hazards; --", '1 OR 1=1', "梅河' OR '1'='1", '%', '_', '\\', '$1', '${x}', '<script>', '{"a":1}',
  '"未闭合', '“中文引号', '「', '」', '"', '“', '""', '「」',
  '＠张伟', '@_user_7', '@_user_0', '@all', '１２３', 'ＹＨ－２０２６－０００１', 'YH-2026-0001', 'YH-9999-9999', 'XQ-2026-0001', 'XQ-1',
  '-1', '0', '99999999999999999999', '1e308', 'NaN', 'Infinity', '3.14', '5万', '1.05万元', '0元', '-5万',
  '2026-02-30', '2026-12-05', '12-05', '3天', '0天', '9999天', '2026-03-04..2026-03-11', '本月', '按行业', '今年',
  '重大', '一般', '特别重大', '防汛', '危化', '红梅镇', '通过', '不通过', '结束', '暗查', 'mine', 'open', 'overdue',
  'add', 'leaders', 'duty', 'township:红梅镇', 'https://example.com/a:b',
];

/** Argument shapes each command really takes; `W` is a slot for a hostile word, `T` for free text. */
const SHAPES: Record<string, string[]> = {
  help: ['', 'report', 'W'],
  whoami: ['', 'W'],
  bind: ['', 'leaders', 'township:红梅镇', 'W', 'township:W'],
  enterprise: ['梅河化工有限公司', 'add 新厂N 行业:危化 乡镇:红梅镇', 'add W 行业:W 乡镇:W', 'add 新厂N 行业:危化 乡镇:红梅镇 包保: @_user_2', 'W', 'add W'],
  inspect: ['梅河化工有限公司', '梅河化工有限公司 暗查', 'W', 'W 暗查'],
  enforce: ['梅河化工有限公司 罚款 5万', '梅河化工有限公司 约谈 2人 T', '梅河化工有限公司 W', 'W 查封', '梅河化工有限公司 罚款 W', '梅河化工有限公司 W W W'],
  report: ['', '梅河化工有限公司 消防通道堵塞', '梅河化工有限公司 T 级别:重大 期限:3天', 'W T 级别:W 期限:W', '梅河化工有限公司 T @_user_2', 'W W 行业:W'],
  dispatch: ['YH-2026-0001 @_user_2', 'W @_user_2 期限:W', 'YH-2026-0001 W', 'W'],
  rectify: ['YH-2026-0001 T', 'W', 'W T'],
  verify: ['YH-2026-0001 通过', 'YH-2026-0001 不通过 T 期限:W', 'W W', 'YH-2026-0001 W'],
  hazards: ['', 'mine', 'open', '危化', '红梅镇', 'W', 'W 2', 'W:W'],
  hazard: ['YH-2026-0001', 'W'],
  duty: ['', 'now', 'tomorrow', 'week', '2026-12-05', '@_user_2', 'W'],
  swap: ['2026-12-20 @_user_2', 'W @_user_2 W', 'W'],
  handover: ['T', 'W'],
  keyperiod: ['2026-03-04..2026-03-11 全国两会', 'W W', 'W'],
  incident: ['防汛 红梅镇河堤 管涌险情 级别:较大', 'W W T 级别:W', 'XQ-2026-0001', 'XQ-2026-0001 结束 T', 'W 城区 T', '防汛 W T 级别:W'],
  incidents: ['', 'W'],
  teams: ['', '防汛', '红梅镇', 'W'],
  stats: ['', '本月', '上周 按行业', '2026-11', 'W', 'W W', '本月 W'],
  bulletin: ['', '本月', 'W'],
  export: ['', 'W'],
  status: ['', 'W'],
};
const GENERIC = ['', 'W', 'W W', 'W:W', 'T'];

const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function freeText(random: () => number): string {
  const r = random();
  if (r < 0.05) return '隐患描述'.repeat(2600).slice(0, 10_240); // 10 KB
  if (r < 0.1) return `${pick(random, HOSTILE)}`.repeat(50);
  return `${pick(random, ['消防通道堵塞', '配电箱未接地', '河水漫堤', '交班：一切正常'])}${pick(random, HOSTILE)}`;
}

export interface FuzzMessage {
  text: string;
  /** The caller's role in the city (see city.ts), or a stranger. */
  as: 'admin' | 'leader' | 'inspector' | 'officer' | 'contact' | 'stranger';
  chat: 'p2p' | 'group';
}

/** `n` messages covering every command, every shape, every slot; deterministic for a seed's `random`. */
export function fuzzMessages(n: number, random: () => number): FuzzMessage[] {
  const out: FuzzMessage[] = [];
  const roles: FuzzMessage['as'][] = ['admin', 'admin', 'leader', 'inspector', 'officer', 'contact', 'stranger'];
  let counter = 0;
  // Round-robin over the commands so even a short run reaches each of them.
  for (let i = 0; out.length < n; i++) {
    const c = commands[i % (commands.length + 1)];
    const name = !c ? pick(random, ['hepl', '未知', ...BUILTINS, fullWidth('help')]) : nameVariant(c.name, c.aliases, random);
    const shape = pick(random, (c && own(SHAPES, c.name)) || GENERIC);
    const args = shape
      .split(' ')
      .map((part) => part.replace(/W/g, () => pick(random, HOSTILE)).replace(/\bT\b|^T$/g, () => freeText(random)).replace(/N/g, () => String(++counter)))
      .join(' ');
    // Sometimes an extra option with hostile key or value, sometimes a full-width colon.
    const option = random() < 0.3 ? ` ${pick(random, [...BUILTINS, '级别', '期限', '行业', '乡镇'])}${random() < 0.5 ? ':' : '：'}${pick(random, HOSTILE)}` : '';
    const slash = random() < 0.2 ? '／' : '/';
    out.push({ text: `${slash}${name}${args ? ` ${args}` : ''}${option}`, as: pick(random, roles), chat: random() < 0.5 ? 'p2p' : 'group' });
  }
  return out;
}

function nameVariant(name: string, aliases: readonly string[], random: () => number): string {
  const r = random();
  if (r < 0.5) return name;
  if (r < 0.75 && aliases.length) return pick(random, aliases);
  if (r < 0.9) return name.toUpperCase();
  return fullWidth(name); // ｈｅｌｐ: an unknown command, answered as one
}
