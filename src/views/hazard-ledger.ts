// What a hazard card shows of the ledger (五落实, 来源, 挂牌督办, 延期, 立查立改) and the buttons that
// change it (编辑, 申请延期), the forms those buttons open, and the extension decision card.
// Rules are enforced when a button is pressed (Lark shows one card to everybody in the chat).

import type { HazardRecord } from '../domain/hazards.ts';
import type { Extension } from '../domain/hazard-ledger.ts';
import { superviseLabel } from '../domain/hazard-ledger.ts';
import { sourceLabel, HAZARD_SOURCES, SOURCE_LABELS } from '../domain/hazard-sources.ts';
import { formatWan } from '../domain/money.ts';
import { formatDate } from '../domain/time.ts';
import { button, buttonRow, card, datePicker, form, input, md, selectStatic, submitButton, type Card, type Element } from '../lark/cards.ts';

import type { Bi } from '../bi.ts';
const t = (b: Bi) => b;

/** `挂牌督办 · 县级` for the title of a listed hazard. */
export function superviseBadge(r: HazardRecord): Bi | undefined {
  const l = superviseLabel(r.hazard.superviseLevel);
  return l ? { zh: `挂牌督办 · ${l.zh}`, en: `listed · ${l.en}` } : undefined;
}

/** 五落实 and the ledger's other facts, as card lines. */
export function ledgerElements(r: HazardRecord, names: Map<string, string>, personMd: (id: string | null | undefined, n: Map<string, string>) => string): Element[] {
  const h = r.hazard;
  const src = sourceLabel(h.source);
  const funds = h.fundsFen === null ? '—' : formatWan(h.fundsFen);
  const zh = [
    `**五落实** 整改措施：${h.measures ?? '—'}；整改资金：${funds}；整改责任人：${personMd(h.assigneeOpenId, names)}；应急预案/防范措施：${h.contingency ?? '—'}`,
    `**隐患来源** ${src.zh}${h.onTheSpot ? ' · 立查立改' : ''}${h.extensions ? ` · 已延期 ${h.extensions} 次` : ''}`,
  ];
  const en = [
    `**Five in place** measures: ${h.measures ?? '—'}; funds: ${funds}; assignee: ${personMd(h.assigneeOpenId, names)}; interim measures: ${h.contingency ?? '—'}`,
    `**Source** ${src.en}${h.onTheSpot ? ' · fixed on the spot' : ''}${h.extensions ? ` · extended ${h.extensions}×` : ''}`,
  ];
  const l = superviseLabel(h.superviseLevel);
  if (l) {
    zh.push(`**挂牌督办** ${l.zh} · ${h.superviseUnit ?? '—'}${h.superviseOpenId ? ` · 督办人 ${personMd(h.superviseOpenId, names)}` : ''}（须由督办人或领导验收销号）`);
    en.push(`**Listed** ${l.en} · ${h.superviseUnit ?? '—'}${h.superviseOpenId ? ` · supervisor ${personMd(h.superviseOpenId, names)}` : ''} (verified only by the supervisor or a leader)`);
  }
  return [md(zh.join('\n'), en.join('\n'))];
}

/** 编辑 (五落实) on an open hazard; 申请延期 while it is being rectified. */
export function ledgerButtons(r: HazardRecord, view: string): Element[] {
  const h = r.hazard;
  if (h.status === 'closed') return [];
  const value = (action: string) => ({ action, no: h.no, expect: h.status, view });
  const row = [button(t({ zh: '编辑五落实', en: 'Edit measures' }), value('hazard.edit_open'))];
  if (h.status === 'dispatched') row.push(button(t({ zh: '申请延期', en: 'Ask for more time' }), value('hazard.extend_open')));
  return [buttonRow(row)];
}

/** The 编辑 form: 整改措施, 整改资金, 应急预案 as they stand. */
export function editLedgerCard(r: HazardRecord): Card {
  const h = r.hazard;
  return card({
    title: t({ zh: `${h.no} 五落实`, en: `${h.no} measures` }),
    template: 'blue',
    summary: t({ zh: `编辑 ${h.no} 五落实`, en: `Edit the measures of ${h.no}` }),
    elements: [
      form('hazard_edit', [
        input('measures', t({ zh: '整改措施', en: 'Measures' }), { label: t({ zh: '整改措施', en: 'Measures' }), defaultValue: h.measures ?? undefined, maxLength: 500 }),
        input('funds', t({ zh: '整改资金（万元）', en: 'Funds (10,000 yuan)' }), { label: t({ zh: '整改资金（万元）', en: 'Funds (万元)' }), defaultValue: h.fundsFen === null ? undefined : formatWan(h.fundsFen).replace('万元', ''), maxLength: 20 }),
        input('contingency', t({ zh: '应急预案/防范措施', en: 'Interim safety measures' }), { label: t({ zh: '应急预案/防范措施', en: 'Interim measures' }), defaultValue: h.contingency ?? undefined, maxLength: 500 }),
        submitButton('save', t({ zh: '保存', en: 'Save' }), { action: 'hazard.edit_save', no: h.no, expect: h.status }),
      ]),
    ],
  });
}

/** The 申请延期 form: the new deadline and the reason. */
export function extendFormCard(r: HazardRecord, tz: string): Card {
  const h = r.hazard;
  const due = h.deadline === null ? '—' : formatDate(new Date(h.deadline), tz);
  return card({
    title: t({ zh: `${h.no} 申请延期`, en: `${h.no}: ask for more time` }),
    template: 'orange',
    summary: t({ zh: `${h.no} 申请延期`, en: `${h.no} extension` }),
    elements: [
      md(`当前整改期限：${due}`, `Current deadline: ${due}`),
      form('hazard_extend', [
        datePicker('deadline', t({ zh: '延期至', en: 'New deadline' }), { required: true }),
        input('reason', t({ zh: '延期理由', en: 'Reason' }), { required: true, label: t({ zh: '延期理由', en: 'Reason' }), maxLength: 500 }),
        submitButton('extend', t({ zh: '提交申请', en: 'Send request' }), { action: 'hazard.extend_request', no: h.no, expect: h.status }),
      ]),
    ],
  });
}

/** The card that asks the reporter, the 包保 supervisor or a leader to decide an extension. */
export function extensionCard(r: HazardRecord, ext: Extension, o: { tz: string; names: Map<string, string> }): Card {
  const h = r.hazard;
  const who = o.names.get(ext.requestedBy) ?? ext.requestedBy;
  const span = `${formatDate(new Date(ext.fromDeadline), o.tz)} → ${formatDate(new Date(ext.toDeadline), o.tz)}`;
  const decided = ext.status !== 'pending';
  const state: Bi = ext.status === 'approved' ? { zh: '已同意', en: 'approved' } : ext.status === 'refused' ? { zh: '未同意', en: 'refused' } : { zh: '待审批', en: 'awaiting a decision' };
  const elements: Element[] = [
    md(
      `**${h.no}** ${r.enterprise.name}\n${h.description}\n**申请人** ${who}\n**延期** ${span}\n**理由** ${ext.reason}\n**已延期** ${h.extensions} 次`,
      `**${h.no}** ${r.enterprise.name}\n${h.description}\n**Asked by** ${who}\n**Deadline** ${span}\n**Reason** ${ext.reason}\n**Extended before** ${h.extensions}×`,
    ),
  ];
  if (decided) {
    const by = ext.decidedBy ? (o.names.get(ext.decidedBy) ?? ext.decidedBy) : '—';
    elements.push(md(`**${state.zh}**（${by}）${ext.decisionNote ? `：${ext.decisionNote}` : ''}`, `**${state.en}** (${by})${ext.decisionNote ? `: ${ext.decisionNote}` : ''}`));
  } else {
    const value = (approve: boolean) => ({ action: 'hazard.extend_decide', no: h.no, ext: ext.id, approve });
    elements.push(buttonRow([
      button(t({ zh: '同意延期', en: 'Approve' }), value(true), 'primary_filled'),
      button(t({ zh: '不同意', en: 'Refuse' }), value(false), 'danger'),
    ]));
  }
  return card({
    title: t({ zh: `延期申请 · ${h.no} · ${state.zh}`, en: `Extension · ${h.no} · ${state.en}` }),
    template: decided ? (ext.status === 'approved' ? 'green' : 'grey') : 'orange',
    summary: t({ zh: `${h.no} 延期申请${state.zh}`, en: `${h.no} extension ${state.en}` }),
    elements,
  });
}

/** The report form's ledger fields: 来源, 整改措施, 整改资金, 应急预案. */
export function reportLedgerFields(): Element[] {
  return [
    selectStatic('source', t({ zh: '隐患来源（默认检查发现）', en: 'Source (inspection by default)' }), HAZARD_SOURCES.map((s) => ({ label: t(SOURCE_LABELS[s]), value: s }))),
    input('measures', t({ zh: '整改措施（可选）', en: 'Measures (optional)' }), { label: t({ zh: '整改措施', en: 'Measures' }), maxLength: 500 }),
    input('funds', t({ zh: '整改资金，万元（可选）', en: 'Funds in 万元 (optional)' }), { label: t({ zh: '整改资金（万元）', en: 'Funds (万元)' }), maxLength: 20 }),
    input('contingency', t({ zh: '应急预案/防范措施（可选）', en: 'Interim safety measures (optional)' }), { label: t({ zh: '应急预案/防范措施', en: 'Interim measures' }), maxLength: 500 }),
  ];
}

/** The form's 立查立改 submit: the same fields, recorded as found and fixed on the spot. */
export const onTheSpotSubmit = (o: { src?: string; chat?: string }) =>
  submitButton('spot', t({ zh: '立查立改', en: 'Fixed on the spot' }), { action: 'hazard.report_spot', src: o.src, chat: o.chat }, 'default');
