import { matchEnterprise, type Enterprise } from '../domain/enterprises.ts';
import type { Bi } from '../lark/cards.ts';
import { pickEnterpriseCard } from '../views/enterprise-cards.ts';
import type { BotContext } from './context.ts';
import { BotError } from './errors.ts';

/**
 * The enterprise a command names. Several matches → a pick-one card is queued as the reply and
 * undefined returned (the card's buttons finish the job); none → a BotError pointing at
 * `/enterprise add`. Never a silent guess.
 */
export async function enterpriseFor(
  ctx: BotContext,
  name: string,
  pick: { value: (e: Enterprise) => { action: string } & Record<string, unknown>; purpose: Bi },
): Promise<Enterprise | undefined> {
  const m = await matchEnterprise(ctx.db, name);
  if (m.kind === 'one') return m.enterprise;
  if (m.kind === 'many') {
    ctx.reply({ card: pickEnterpriseCard(name, m.candidates, pick.value, { more: m.more, purpose: pick.purpose }) });
    return undefined;
  }
  throw unknownEnterprise(name);
}

export const unknownEnterprise = (name: string) =>
  new BotError(
    `没有找到企业"${name}"。请核对名称；新企业请管理员先登记：/enterprise add ${name} 行业:… 乡镇:…`,
    `No enterprise matches "${name}". Check the name; an admin can register a new one: /enterprise add ${name} 行业:… 乡镇:…`,
  );

/** A card button may only be used by the person it was shown to. */
export function requireSamePerson(ctx: BotContext, value: Record<string, unknown>) {
  if (typeof value.by === 'string' && value.by !== ctx.caller.openId) {
    throw new BotError('这张选择卡片属于发起命令的人，请自己发送命令。', 'This choice belongs to whoever sent the command; send your own.');
  }
}

/** A positive integer id from a card value, or a BotError. */
export function idFrom(value: Record<string, unknown>, key: string): number {
  const n = Number(value[key]);
  if (!Number.isInteger(n) || n <= 0) throw new BotError('此按钮已失效。', 'This button no longer works.');
  return n;
}
