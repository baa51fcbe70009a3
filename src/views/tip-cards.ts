// 12350 tip cards: the tip as a chat sees it (never the tipster's phone — a group card is seen by
// everyone in it), with the step its status allows: 交办 (pick an inspector and a deadline), 核查
// (属实 / 不属实 with a note), 反馈 (the reply given). The phone is only in `tipDetailText` for
// those allowed to see it, sent to them directly.

import type { Tip } from '../domain/tips.ts';
import { tipStatusLabel } from '../domain/tips.ts';
import { formatDate, formatDateTime } from '../domain/time.ts';
import { button, buttonRow, card, datePicker, form, input, md, selectPerson, submitButton, type Card, type Element, type HeaderColor } from '../lark/cards.ts';

import type { Bi } from '../bi.ts';
import { own } from '../own.ts';
const t = (b: Bi) => b;
const COLOR: Record<string, HeaderColor> = { received: 'orange', assigned: 'blue', verified: 'turquoise', closed: 'green' };

export function tipCard(tip: Tip, o: { tz: string; now: Date; names: Map<string, string>; hazards: string[]; banner?: Bi }): Card {
  const who = (id: string | null) => (id ? (o.names.get(id) ?? `<at id=${id}></at>`) : '—');
  const s = tipStatusLabel(tip.status);
  const overdue = tip.status === 'assigned' && tip.deadline !== null && tip.deadline < o.now.getTime();
  const due = tip.deadline === null ? '—' : formatDate(new Date(tip.deadline), o.tz);
  const elements: Element[] = [];
  if (o.banner) elements.push(md(o.banner.zh, o.banner.en));
  const facts = [
    `**举报内容** ${tip.description}`,
    `**企业** ${tip.enterpriseName ?? '—'} · **乡镇** ${tip.township ?? '—'}`,
    `**受理** ${who(tip.receivedBy)} ${formatDateTime(new Date(tip.receivedAt), o.tz)}`,
    `**承办检查员** ${who(tip.assigneeOpenId)} · **核查期限** ${due}${overdue ? ' **已逾期**' : ''}`,
  ];
  const factsEn = [
    `**Tip** ${tip.description}`,
    `**Enterprise** ${tip.enterpriseName ?? '—'} · **Township** ${tip.township ?? '—'}`,
    `**Received** by ${who(tip.receivedBy)} ${formatDateTime(new Date(tip.receivedAt), o.tz)}`,
    `**Inspector** ${who(tip.assigneeOpenId)} · **Check by** ${due}${overdue ? ' **overdue**' : ''}`,
  ];
  if (tip.substantiated !== null) {
    facts.push(`**核查** ${tip.substantiated ? '属实' : '不属实'}${tip.verifyNote ? `：${tip.verifyNote}` : ''}${o.hazards.length ? ` · 隐患 ${o.hazards.join('、')}` : ''}`);
    factsEn.push(`**Checked** ${tip.substantiated ? 'substantiated' : 'unfounded'}${tip.verifyNote ? `: ${tip.verifyNote}` : ''}${o.hazards.length ? ` · hazards ${o.hazards.join(', ')}` : ''}`);
  }
  if (tip.feedback) {
    facts.push(`**反馈** ${tip.feedback}`);
    factsEn.push(`**Reply** ${tip.feedback}`);
  }
  facts.push('举报人电话仅管理员和承办检查员可见（私聊 /tip 编号 查看）。');
  factsEn.push("The tipster's phone is shown only to admins and the assigned inspector (send /tip NO in a direct chat).");
  elements.push(md(facts.join('\n'), factsEn.join('\n')));
  const value = (action: string, extra: Record<string, unknown> = {}) => ({ action, no: tip.no, expect: tip.status, ...extra });
  if (tip.status === 'received' || tip.status === 'assigned') {
    elements.push(
      form('tip_assign', [
        selectPerson('assignee', t({ zh: '交办给检查员', en: 'Assign to an inspector' }), { required: true }),
        datePicker('deadline', t({ zh: '核查期限（默认 7 天）', en: 'Check by (7 days if empty)' })),
        submitButton('assign', t({ zh: tip.status === 'received' ? '交办' : '改派', en: tip.status === 'received' ? 'Assign' : 'Reassign' }), value('tip.assign')),
      ]),
    );
  }
  if (tip.status === 'assigned') {
    elements.push(
      form('tip_check', [
        input('note', t({ zh: '核查情况（属实时为隐患描述；不属实时写理由）', en: 'Findings (the hazard if substantiated; the reason if not)' }), { required: true, maxLength: 1000 }),
        buttonRowInForm([
          submitButton('substantiated', t({ zh: '属实', en: 'Substantiated' }), value('tip.check', { substantiated: true })),
          submitButton('unfounded', t({ zh: '不属实', en: 'Unfounded' }), value('tip.check', { substantiated: false }), 'danger'),
        ]),
      ]),
    );
  }
  if (tip.status === 'verified') {
    elements.push(
      form('tip_feedback', [
        input('feedback', t({ zh: '反馈举报人的内容', en: 'The reply given to the tipster' }), { required: true, maxLength: 1000 }),
        submitButton('close', t({ zh: '反馈并办结', en: 'Record reply and close' }), value('tip.feedback')),
      ]),
    );
  }
  if (tip.status !== 'closed') elements.push(buttonRow([button(t({ zh: '详情', en: 'Details' }), value('tip.detail'))]));
  return card({
    title: t({ zh: `${tip.no} 群众举报 · ${s.zh}${overdue ? ' · 逾期' : ''}`, en: `${tip.no} public tip · ${s.en}${overdue ? ' · overdue' : ''}` }),
    template: overdue ? 'red' : (own(COLOR, tip.status) ?? 'blue'),
    summary: t({ zh: `${tip.no} ${s.zh}`, en: `${tip.no} ${s.en}` }),
    elements,
  });
}

/** Two submit buttons side by side inside a form. */
const buttonRowInForm = (buttons: Element[]): Element => ({
  tag: 'column_set',
  flex_mode: 'none',
  columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
});

/** The tip as text for someone allowed to see the phone (sent to them directly). */
export function tipDetailText(tip: Tip, o: { tz: string; showPhone: boolean; hazards: string[] }): string {
  const s = tipStatusLabel(tip.status);
  const lines = [
    `${tip.no} 群众举报 · ${s.zh} / public tip · ${s.en}`,
    `举报内容：${tip.description}`,
    `企业：${tip.enterpriseName ?? '—'}　乡镇：${tip.township ?? '—'}`,
    `受理时间：${formatDateTime(new Date(tip.receivedAt), o.tz)}`,
  ];
  if (tip.deadline) lines.push(`核查期限：${formatDate(new Date(tip.deadline), o.tz)}`);
  if (o.showPhone) lines.push(`举报人电话 / tipster's phone：${tip.tipsterPhone ?? '（未留）'}`);
  else lines.push('举报人电话仅管理员和承办检查员可见。/ The phone is shown only to admins and the assigned inspector.');
  if (tip.substantiated !== null) lines.push(`核查：${tip.substantiated ? '属实' : '不属实'}${tip.verifyNote ? `，${tip.verifyNote}` : ''}${o.hazards.length ? `（隐患 ${o.hazards.join('、')}）` : ''}`);
  if (tip.feedback) lines.push(`反馈：${tip.feedback}`);
  return lines.join('\n');
}

/** `/tips`: one line per tip. */
export function tipListText(tips: Tip[], o: { tz: string; now: Date; label: Bi }): string {
  if (!tips.length) return `${o.label.zh}：没有举报。\n${o.label.en}: none.`;
  const lines = tips.map((x) => {
    const overdue = x.status === 'assigned' && x.deadline !== null && x.deadline < o.now.getTime();
    const due = x.deadline ? ` · 期限 ${formatDate(new Date(x.deadline), o.tz)}` : '';
    const desc = x.description.length > 30 ? `${x.description.slice(0, 30)}…` : x.description;
    return `${x.no} ${tipStatusLabel(x.status).zh}${overdue ? '（逾期）' : ''}${due} · ${desc}`;
  });
  return [`${o.label.zh}（${tips.length}）/ ${o.label.en}`, ...lines].join('\n');
}

/** The overdue-nags message about a person's overdue tips. */
export function tipNagText(tips: Tip[], tz: string): string {
  const lines = tips.map((t) => `${t.no} 核查期限 ${t.deadline ? formatDate(new Date(t.deadline), tz) : '—'} · ${t.description.length > 30 ? `${t.description.slice(0, 30)}…` : t.description}`);
  return [`群众举报逾期未核查（${tips.length} 件），请尽快核查并反馈：`, ...lines, `Overdue tips to check (${tips.length}): send /tip NO 属实|不属实 … then /tip NO 反馈 ….`].join('\n');
}
