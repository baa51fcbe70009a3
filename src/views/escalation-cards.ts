// What people read of the acknowledge-or-escalate ladder: the 收到 button and its stamps, the
// card behind a buzz about a handover, a dispatch or a major hazard, and the notices the duty
// chat and the admins get.

import type { Escalation } from '../domain/escalations.ts';
import type { BuzzUsage } from '../domain/escalations.ts';
import { nameOf, type PersonInfo } from '../domain/roster.ts';
import { formatShort } from '../domain/time.ts';
import { button, card, md, type Bi, type Card, type Element, type HeaderColor } from '../lark/cards.ts';

type People = Map<string, PersonInfo>;

/** "张伟 12-02 03:14 已收到" — one stamp per acknowledged ladder; pending people listed after. */
export function ackLines(item: string, ladders: Escalation[], names: People, tz: string, newcomers: string[] = []): Element[] {
  const acked = ladders.filter((e) => e.ackedAt !== null);
  const waiting = [...ladders.filter((e) => e.ackedAt === null && e.nextRung !== 'done').map((e) => e.personOpenId), ...newcomers.filter((p) => !ladders.some((e) => e.personOpenId === p))];
  const zh: string[] = acked.map((e) => `✅ ${nameOf(names, e.personOpenId)} ${formatShort(new Date(e.ackedAt!), tz)} 已收到`);
  const en: string[] = acked.map((e) => `✅ ${nameOf(names, e.personOpenId)} ${formatShort(new Date(e.ackedAt!), tz)} acknowledged`);
  if (waiting.length) {
    zh.push(`⏳ 待确认：${waiting.map((p) => nameOf(names, p)).join('、')}`);
    en.push(`⏳ Not yet acknowledged: ${waiting.map((p) => nameOf(names, p)).join(', ')}`);
  }
  const out: Element[] = [];
  if (zh.length) out.push(md(`**加急确认**\n${zh.join('\n')}`, `**Buzz acknowledgements**\n${en.join('\n')}`));
  if (waiting.length) out.push(ackButton(item));
  return out;
}

export const ackButton = (item: string): Element => button({ zh: '收到', en: 'Acknowledge' }, { action: 'escalation.ack', item }, 'primary_filled');

/** The card behind a buzz that has no card of its own (a handover, a dispatch, a major hazard). */
export function ladderCard(o: { title: Bi; template: HeaderColor; lines: Bi[]; ladders: Escalation[]; newcomers: string[]; names: People; tz: string; item: string }): Card {
  const elements: Element[] = o.lines.map(({ zh, en }) => md(zh, en));
  elements.push(...ackLines(o.item, o.ladders, o.names, o.tz, o.newcomers));
  return card({ title: o.title, template: o.template, elements });
}

/** To the duty chat: who did not answer, and who has the card now. */
export function notAnsweredText(o: { what: Bi; missed: string; minutes: number; next: string[] }): string {
  const zh = o.next.length
    ? `${o.what.zh}：${o.missed} ${o.minutes} 分钟未确认收到（已应用内、短信、电话加急），已转 ${o.next.join('、')}。`
    : `${o.what.zh}：${o.missed} ${o.minutes} 分钟未确认收到（已应用内、短信、电话加急），已无下一级可转，请电话联系。`;
  const en = o.next.length
    ? `${o.what.en}: ${o.missed} has not acknowledged for ${o.minutes} minutes (buzzed in-app, by SMS and by phone); passed on to ${o.next.join(', ')}.`
    : `${o.what.en}: ${o.missed} has not acknowledged for ${o.minutes} minutes (buzzed in-app, by SMS and by phone) and there is nobody further in the chain: phone them.`;
  return `${zh}\n${en}`;
}

/** To the admins, once a day: paid buzzes went out in-app instead. */
export function budgetNoticeText(o: { usage: BuzzUsage; limits: { sms: number; phone: number }; refused: number; overLimit: boolean }): string {
  const u = o.usage;
  const why: string[] = [];
  const whyEn: string[] = [];
  if (o.overLimit) {
    why.push(`本月短信加急 ${u.sms}/${o.limits.sms}、电话加急 ${u.phone}/${o.limits.phone} 已达上限`);
    whyEn.push(`this month's SMS buzzes ${u.sms}/${o.limits.sms} and phone buzzes ${u.phone}/${o.limits.phone} reached the limit`);
  }
  if (o.refused) {
    why.push(`飞书拒绝了 ${o.refused} 次短信/电话加急（额度超限或未读加急过多）`);
    whyEn.push(`Lark refused ${o.refused} SMS/phone buzzes (quota reached or too many unread buzzes)`);
  }
  return [
    `⚠️ 加急降级：${why.join('；')}，已改为应用内加急。请在管理后台 > 费用中心 查看加急额度，或调整 BUZZ_SMS_MONTHLY_LIMIT / BUZZ_PHONE_MONTHLY_LIMIT。`,
    `⚠️ Buzzes downgraded: ${whyEn.join('; ')}; they went out as in-app buzzes. Check the tenant's buzz quota in the admin console, or BUZZ_SMS_MONTHLY_LIMIT / BUZZ_PHONE_MONTHLY_LIMIT.`,
  ].join('\n');
}

/** "短信加急 12/300，电话加急 3/100" for the daily brief and /status. */
export function usageLine(u: BuzzUsage, limits: { sms: number; phone: number }): Bi {
  const fb = u.fallbacks ? `，降级为应用内 ${u.fallbacks} 次` : '';
  const fbEn = u.fallbacks ? `; ${u.fallbacks} sent in-app instead` : '';
  return { zh: `**本月加急** 短信 ${u.sms}/${limits.sms}，电话 ${u.phone}/${limits.phone}${fb}`, en: `**Buzzes this month** SMS ${u.sms}/${limits.sms}, phone ${u.phone}/${limits.phone}${fbEn}` };
}

/** A card with more elements at its foot (the stamps and the 收到 button). */
export function withFoot(card: Card, foot: Element[]): Card {
  const body = (card.body ?? {}) as { elements?: Element[] };
  return { ...card, body: { ...body, elements: [...(body.elements ?? []), ...foot] } };
}

/** The daily brief's line on this month's paid buzzes. */
export function buzzUsageLines(u: BuzzUsage, settings: { escalation: { smsMonthlyLimit: number; phoneMonthlyLimit: number } }): Element[] {
  const { zh, en } = usageLine(u, { sms: settings.escalation.smsMonthlyLimit, phone: settings.escalation.phoneMonthlyLimit });
  return [md(zh, en)];
}
