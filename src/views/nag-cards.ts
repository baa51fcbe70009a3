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

/** To the admins when a digest run needs more than an hour under Lark's per-minute limit. */
export function nagBacklogText(d: { digests: number; calls: number; minutes: number; perMinute: number; byLevel: Record<number, number>; lastWaveAt: Date; tz: string }): string {
  const n = (level: number) => d.byLevel[level] ?? 0;
  const until = formatDateTime(d.lastWaveAt, d.tz);
  return (
    `本轮逾期催办共 ${d.digests} 份（连同加急共 ${d.calls} 次调用），按飞书每分钟 ${d.perMinute} 条的限制约需 ${d.minutes} 分钟发完，最后一批 ${until} 发出。` +
    `已按督办级别分批：先发三级 ${n(3)} 份，再发二级 ${n(2)} 份，最后一级 ${n(1)} 份；每分钟留出余量给值班和险情消息。\n` +
    `This round of overdue reminders is ${d.digests} digests (${d.calls} API calls with the buzzes); under Lark's ${d.perMinute} messages a minute they need about ${d.minutes} minutes, the last wave at ${until}. ` +
    `They go out by escalation level: level 3 first (${n(3)}), then level 2 (${n(2)}), then level 1 (${n(1)}), leaving room every minute for duty and emergency messages.`
  );
}
