import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { allows, roleRefusal } from '../src/bot/access.ts';
import type { CardAction, CardActionList } from '../src/bot/card-actions.ts';
import type { BotContext } from '../src/bot/context.ts';
import { enterpriseFor, idFrom, requireSamePerson } from '../src/bot/enterprise-ref.ts';
import { BotError } from '../src/bot/errors.ts';
import { enterpriseById, type Enterprise } from '../src/domain/enterprises.ts';
import { inspectionForHazard, inspectionsToday, recordInspection, unlinkedHazardsToday } from '../src/domain/inspections.ts';
import type { Role } from '../src/domain/roles.ts';
import { doneCard } from '../src/views/enterprise-cards.ts';

const USAGE = '/inspect 企业名称 [暗查]';
/** Who records inspections: the people who visit enterprises. Duty officers stay at the desk. */
const ROLES: readonly Role[] = ['inspector', 'leader', 'admin'];
const COVERT = new Set(['暗查', '暗访', '暗查暗访', 'covert']);

export default defineCommand({
  name: 'inspect',
  aliases: ['检查'],
  summary: { zh: '登记一次企业检查（户次），暗查暗访加"暗查"', en: 'record one inspection visit; add 暗查 for a covert one' },
  usage: USAGE,
  args: z
    .object({ words: z.array(z.string()).min(1), options: z.record(z.string(), z.string()).refine((o) => Object.keys(o).length === 0) })
    .transform((a) => {
      const covert = a.words.length > 1 && COVERT.has(a.words[a.words.length - 1].toLowerCase());
      return { name: (covert ? a.words.slice(0, -1) : a.words).join(' '), covert };
    }),
  roles: ROLES,
  async handle(ctx, { name, covert }) {
    const e = await enterpriseFor(ctx, name, {
      value: (c) => ({ action: 'inspect.pick', enterpriseId: c.id, covert, by: ctx.caller.openId }),
      purpose: { zh: '登记检查', en: 'to record the inspection at' },
    });
    if (!e) return;
    const r = await inspect(ctx, e, covert);
    ctx.reply({ text: `${r.zh}\n${r.en}` });
  },
});

const onInspectPick: CardAction = async (ctx, event) => {
  requireSamePerson(ctx, event.value);
  if (!allows(ROLES, ctx.caller)) throw roleRefusal(ROLES, { zh: '登记检查', en: 'Recording an inspection' });
  const e = await enterpriseById(ctx.db, idFrom(event.value, 'enterpriseId'));
  if (!e) throw new BotError('该企业已不存在。', 'That enterprise no longer exists.');
  const r = await inspect(ctx, e, event.value.covert === true);
  ctx.respond({ type: r.recorded ? 'success' : 'info', zh: r.toast.zh, en: r.toast.en }, doneCard({ zh: '检查', en: 'Inspection' }, r.zh, r.en));
};

/**
 * Records the caller's visit to `e` now. One visit per inspector, enterprise and local day: a repeat
 * (a resent command, a second click) is answered with the visit already on record, not counted twice.
 */
async function inspect(ctx: BotContext, e: Enterprise, covert: boolean) {
  const { db, now } = ctx;
  const tz = ctx.settings.tz;
  const me = ctx.caller.openId;
  const kind = covert ? { zh: '（暗查暗访）', en: ' (covert)' } : { zh: '', en: '' };
  const already = await inspectionForHazard(db, e.id, me, now, tz);
  const today = await inspectionsToday(db, e.id, now, tz);
  if (already !== undefined) {
    return {
      recorded: false,
      zh: `今天您已登记过对"${e.name}"的检查，不重复计数。今天该企业共 ${today} 户次。`,
      en: `You already recorded an inspection at "${e.name}" today; it is not counted twice. ${e.name}: ${today} today.`,
      toast: { zh: '今天已登记过', en: 'Already recorded today' },
    };
  }
  const linked = await unlinkedHazardsToday(db, e.id, me, now, tz);
  ctx.write(...recordInspection(db, { enterpriseId: e.id, inspectorOpenId: me, covert }, now, tz));
  const zh = [`已登记检查：${e.name}${kind.zh}。今天该企业共 ${today + 1} 户次。`];
  const en = [`Inspection recorded at ${e.name}${kind.en}. ${e.name}: ${today + 1} inspection${today ? 's' : ''} today.`];
  if (linked) {
    zh.push(`您今天在该企业上报的 ${linked} 条隐患已关联到本次检查。`);
    en.push(`Your ${linked} hazard report${linked > 1 ? 's' : ''} there today ${linked > 1 ? 'are' : 'is'} linked to it.`);
  }
  if (!e.registered) {
    zh.push('该企业尚未登记，请管理员完善：/enterprise add。');
    en.push('This enterprise is not registered yet; an admin should complete it with /enterprise add.');
  }
  return { recorded: true, zh: zh.join(''), en: en.join(' '), toast: { zh: '已登记检查', en: 'Inspection recorded' } };
}

/** The card actions this module answers (wired in commands/index.ts). */
export const inspectCardActions: CardActionList = [
  ['inspect.pick', onInspectPick],
];
