// Cards about enterprises: the enterprise with its open hazards, and the pick-one card shown when
// a name matches several enterprises (never a silent guess).

import type { Bi } from '../bi.ts';
import type { Enterprise, Hazard } from '../domain/enterprises.ts';
import { levelLabel, statusLabel } from '../domain/hazard-terms.ts';
import type { Person } from '../domain/people.ts';
import { SECTOR_EN, sectorLabel, type Sector } from '../domain/sectors.ts';
import { formatDate, formatDateTime } from '../domain/time.ts';
import { button, card, fields, hr, md, table, type Card, type Element } from '../lark/cards.ts';

const personText = (p: Person | undefined, openId: string | null) =>
  p ? [p.name, p.mobile].filter(Boolean).join(' ') : openId ? `${openId}（未登记 unregistered）` : '—';

export function enterpriseCard(
  e: Enterprise,
  o: { supervisor?: Person; contact?: Person; hazards: Hazard[]; totalOpen: number; now: Date; tz: string },
): Card {
  const sector = sectorLabel(e.sector);
  const sectorEn = SECTOR_EN[e.sector as Sector] ?? e.sector;
  const elements: Element[] = [
    fields([
      [{ zh: '行业', en: 'Sector' }, sector],
      [{ zh: '乡镇/街道', en: 'Township' }, e.township ?? '—'],
    ]),
    fields([
      [{ zh: '地址', en: 'Address' }, e.address ?? '—'],
      [{ zh: '登记', en: 'Registration' }, e.registered ? '已登记 registered' : '未登记 unregistered'],
    ]),
    fields([
      [{ zh: '包保领导', en: 'Supervisor' }, personText(o.supervisor, e.supervisorOpenId)],
      [{ zh: '企业联系人', en: 'Contact' }, personText(o.contact, e.contactOpenId)],
    ]),
  ];
  if (!e.registered) {
    elements.push(
      md(
        `该企业由隐患上报自动创建，尚未登记。管理员可发送 /enterprise add ${e.name} 行业:… 乡镇:… 完善信息。`,
        `Created by a hazard report and not registered yet. An admin can complete it: /enterprise add ${e.name} 行业:… 乡镇:…`,
      ),
    );
  }
  elements.push(hr());
  elements.push(md(`**未销号隐患（${o.totalOpen}条）**`, `**Open hazards (${o.totalOpen})**`));
  if (o.hazards.length === 0) {
    elements.push(md('暂无未销号隐患。', 'No open hazards.'));
  } else {
    elements.push(
      table(
        [
          { name: 'no', label: { zh: '编号', en: 'No.' } },
          { name: 'level', label: { zh: '等级', en: 'Level' } },
          { name: 'status', label: { zh: '状态', en: 'Status' } },
          { name: 'deadline', label: { zh: '整改期限', en: 'Deadline' } },
        ],
        o.hazards.map((h) => ({
          no: h.no,
          level: levelLabel(h.level).zh,
          status: statusLabel(h.status).zh,
          deadline: h.deadline === null ? '—' : deadlineText(h.deadline, o.now, o.tz),
        })),
      ),
    );
    if (o.totalOpen > o.hazards.length) {
      elements.push(md(`仅列出前 ${o.hazards.length} 条。`, `Showing the first ${o.hazards.length}.`));
    }
  }
  return card({
    title: { zh: e.name, en: e.name },
    subtitle: { zh: `${sector} · ${e.township ?? '乡镇未填'}`, en: `${sectorEn} · ${e.township ?? 'township not set'}` },
    template: e.registered ? 'blue' : 'orange',
    summary: { zh: `企业 ${e.name}`, en: `Enterprise ${e.name}` },
    elements,
  });
}

function deadlineText(deadline: number, now: Date, tz: string) {
  const d = new Date(deadline);
  const p = formatDateTime(d, tz);
  // Deadlines given as dates are stored as 23:59; show those as the date alone.
  const text = p.endsWith(' 23:59') ? formatDate(d, tz) : p;
  return deadline < now.getTime() ? `${text} 逾期` : text;
}

/** A card listing the candidates as buttons; each button's value is `value(candidate)`. */
export function pickEnterpriseCard(
  query: string,
  candidates: Enterprise[],
  value: (e: Enterprise) => { action: string } & Record<string, unknown>,
  o: { more?: boolean; purpose?: Bi } = {},
): Card {
  const purpose = o.purpose ?? { zh: '查看', en: 'to show' };
  const elements: Element[] = [
    md(`"${query}" 匹配到多家企业，请选择要${purpose.zh}的一家：`, `"${query}" matches several enterprises; choose the one ${purpose.en}:`),
    ...candidates.map((e) => button({ zh: candidateLabel(e), en: candidateLabel(e) }, value(e))),
  ];
  if (o.more) elements.push(md('还有更多匹配的企业，请输入更完整的名称。', 'More enterprises match; type more of the name.'));
  return card({ title: { zh: '请选择企业', en: 'Choose an enterprise' }, template: 'wathet', elements, summary: { zh: '请选择企业', en: 'Choose an enterprise' } });
}

const candidateLabel = (e: Enterprise) =>
  `${e.name}（${[sectorLabel(e.sector), e.township, e.registered ? undefined : '未登记'].filter(Boolean).join(' · ')}）`;

/** A plain card replacing a pick card once its choice is made (so it cannot be clicked again). */
export function doneCard(title: Bi, zh: string, en: string): Card {
  return card({ title, template: 'green', elements: [md(zh, en)] });
}
