// What the hazard flow says besides the hazard card itself: answers to a verb, notes beside them,
// the "already handled" toast, the notice to admins about an unregistered enterprise, and the
// pick-one card when a report names several enterprises.

import type { Bi } from '../bi.ts';
import type { Enterprise } from '../domain/enterprises.ts';
import { actionLabel, statusLabel } from '../domain/hazard-rules.ts';
import type { HazardRecord } from '../domain/hazards.ts';
import { sectorLabel } from '../domain/sectors.ts';
import { button, type Card, type Element } from '../lark/cards.ts';
import { pickEnterpriseCard } from './enterprise-cards.ts';

/** The answer to each verb, as the reply (command) or toast (click). */
export const hazardAnswers = {
  dispatched: (no: string, who: string, due: string): Bi => ({ zh: `${no} 已派单给 ${who}，整改期限 ${due}。`, en: `${no} dispatched to ${who}; deadline ${due}.` }),
  rectified: (no: string): Bi => ({ zh: `${no} 已提交整改，等待复查。`, en: `${no} marked rectified; awaiting verification.` }),
  verified: (no: string): Bi => ({ zh: `${no} 复查通过，已销号。`, en: `${no} verified and closed.` }),
  rejected: (no: string, due: string): Bi => ({ zh: `${no} 复查不通过，已退回整改，新期限 ${due}。`, en: `${no} failed verification and is back for rectification; new deadline ${due}.` }),
  detailSent: (no: string): Bi => ({ zh: `已在话题中发送 ${no} 详情`, en: `Sent the details of ${no} in the thread` }),
  alreadyReported: (no: string): Bi => ({ zh: `已上报为 ${no}`, en: `Already reported as ${no}` }),
  reported: (no: string): Bi => ({ zh: `已上报 ${no}`, en: `Reported ${no}` }),
  chooseEnterprise: { zh: '请选择企业', en: 'Choose the enterprise' } as Bi,
};

/** Notes shown beside an answer: things that did not stop the change. */
export const hazardNotes = {
  assigneeUnregistered: (who: string): Bi => ({
    zh: `${who} 尚未登记，仍可通过卡片或 /rectify 提交整改；如需登记请联系管理员。`,
    en: `${who} is not registered; they can still mark it rectified from the card or with /rectify. Ask an admin to register them.`,
  }),
  enterpriseUnregistered: (name: string): Bi => ({
    zh: `企业「${name}」尚未登记，已按未登记企业建档并通知管理员补全。`,
    en: `"${name}" is not registered; it was recorded as unregistered and the admins were asked to complete it.`,
  }),
  reportAssigneeUnregistered: { zh: '整改责任人尚未登记，仍可通过卡片提交整改。', en: 'The assignee is not registered; they can still mark it rectified from the card.' } as Bi,
};

/** A reply listing the answer, then each note (⚠️) in both languages. */
export const answerText = (answer: Bi, notes: Bi[]) => [answer.zh, answer.en, ...notes.flatMap((n) => [`⚠️ ${n.zh}`, n.en])].join('\n');

/** The toast for a click on a card that no longer shows the hazard's status. */
export function alreadyHandled(o: { who: string; when: string; action?: string; status: string }): Bi {
  const act = o.action ? actionLabel(o.action) : { zh: '处理', en: 'handled' };
  const now = statusLabel(o.status);
  return { zh: `已由 ${o.who} 于 ${o.when} 处理（${act.zh}，当前：${now.zh}）`, en: `Already handled by ${o.who} at ${o.when} (${act.en}; now ${now.en})` };
}

/** To each admin: a report named an enterprise nobody has registered. */
export function unregisteredEnterpriseText(rec: HazardRecord, reporter: string): string {
  const name = rec.enterprise.name;
  return [
    `企业「${name}」尚未登记：${reporter} 上报隐患 ${rec.hazard.no} 时首次提到它（新生企业无人监管）。请补全登记：/enterprise add ${name} 行业:… 乡镇:… 包保:@… 联系人:@…`,
    `Enterprise "${name}" is not registered: ${reporter} named it reporting hazard ${rec.hazard.no}. Please complete it: /enterprise add ${name} 行业:… 乡镇:… 包保:@… 联系人:@…`,
  ].join('\n');
}

/** Several enterprises match a report: one button per candidate, and one to file it as a new enterprise. */
export function pickReportEnterpriseCard(o: {
  text: string;
  candidates: Enterprise[];
  more: boolean;
  sector?: string;
  /** The button values: the draft report carried along, with the choice. */
  pick: (choice: { enterpriseId: number } | { newName: string }) => { action: string } & Record<string, unknown>;
}): Card {
  const c = pickEnterpriseCard(o.text, o.candidates, (e) => o.pick({ enterpriseId: e.id }), { more: o.more, purpose: { zh: '上报隐患', en: 'for this hazard report' } });
  const sector = o.sector ? `，行业 ${sectorLabel(o.sector)}` : '';
  const short = o.text.length > 30 ? `${o.text.slice(0, 30)}…` : o.text;
  const extra: Element = button(
    { zh: `都不是：作为新企业「${short}」上报${sector}`, en: `None of these: report "${short}" as a new enterprise` },
    o.pick({ newName: o.text }),
  );
  (c.body as { elements: Element[] }).elements.push(extra);
  return c;
}
