// The due-soon job's reminder: 24 hours before a rectification deadline, to the assignee.

import { formatDateTime } from '../domain/time.ts';
import { button, card, md, type Card } from '../lark/cards.ts';

export function dueSoonCard(h: { no: string; enterprise: string; description: string; deadline: number }, tz: string): Card {
  const deadline = formatDateTime(new Date(h.deadline), tz);
  return card({
    title: { zh: `整改即将到期：${h.no}`, en: `Rectification due soon: ${h.no}` },
    template: 'yellow',
    elements: [
      md(`**${h.enterprise}**　${h.description}`),
      md(`整改期限 **${deadline}**，请在期限前完成整改并点“整改完成”。`, `Deadline **${deadline}**. Please finish and press “Rectified” before then.`),
      button({ zh: '查看隐患', en: 'Open hazard' }, { action: 'hazard.detail', no: h.no }),
    ],
  });
}
