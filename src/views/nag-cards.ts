import { button, card, md, type Element } from '../lark/cards.ts';
import type { DigestItem } from '../domain/nags.ts';
import { formatDateTime } from '../domain/time.ts';

/** Cards stay well under Lark's 200-element limit; the rest is summarised. */
const MAX_LISTED = 20;
const MAX_BUTTONS = 10;

/** One card listing every overdue hazard of one recipient, with a button to open each. */
export function nagDigestCard(items: DigestItem[], o: { recipientName?: string; now: Date; tz: string }) {
  const top = Math.max(...items.map((i) => i.level));
  const lines = items.slice(0, MAX_LISTED).map((i) => {
    const major = i.major ? '【重大】' : '';
    return `- **${i.no}** ${major}${i.enterprise}　逾期 ${i.daysOverdue} 天 / ${i.daysOverdue} days overdue　督办${i.level}级 / level ${i.level}`;
  });
  if (items.length > MAX_LISTED) lines.push(`……另有 ${items.length - MAX_LISTED} 条 / and ${items.length - MAX_LISTED} more (/hazards overdue)`);
  const greeting = o.recipientName ? `${o.recipientName}，` : '';
  const elements: Element[] = [
    md(
      `${greeting}以下 ${items.length} 条隐患已超过整改期限，请尽快整改并在隐患卡片上点“整改完成”。`,
      `${items.length} hazard(s) below are past their rectification deadline. Please fix them and press “Rectified” on the hazard card.`,
    ),
    md(lines.join('\n')),
    ...items.slice(0, MAX_BUTTONS).map((i) => button({ zh: `查看 ${i.no}`, en: `Open ${i.no}` }, { action: 'hazard.detail', no: i.no })),
    md(`<font color='grey'>${formatDateTime(o.now, o.tz)} 催办 / reminder</font>`),
  ];
  return card({
    title: { zh: `逾期整改催办（${items.length}条）`, en: `Overdue rectifications (${items.length})` },
    template: top >= 3 ? 'red' : top === 2 ? 'orange' : 'yellow',
    summary: { zh: `逾期整改催办 ${items.length} 条`, en: `${items.length} overdue rectification(s)` },
    elements,
  });
}
