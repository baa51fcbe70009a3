// Hazard cards: the card a report answers with (and every notice about it), its detail view with
// the timeline, the report form, the list with paging. Buttons show what the hazard's status allows;
// roles are enforced when a button is clicked (Lark shows one card to everybody in the chat).

import type { HazardEvent, HazardRecord } from '../domain/hazards.ts';
import type { Bi } from '../bi.ts';
import { actionLabel, levelLabel, statusLabel, verbsFor } from '../domain/hazard-rules.ts';
import type { HazardListRow } from '../domain/hazard-list.ts';
import type { NoticeKind } from '../domain/hazard-notices.ts';
import { SECTOR_CODES, SECTOR_EN, SECTORS, sectorLabel, type Sector } from '../domain/sectors.ts';
import { formatDate, formatDateTime, formatShort } from '../domain/time.ts';
import {
  button,
  buttonRow,
  card,
  datePicker,
  form,
  hr,
  input,
  md,
  selectPerson,
  selectStatic,
  submitButton,
  type Card,
  type Element,
  type HeaderColor,
} from '../lark/cards.ts';
import { own } from '../own.ts';

import { ledgerButtons, ledgerElements, onTheSpotSubmit, reportLedgerFields, superviseBadge } from './hazard-ledger.ts';

export type HazardView = 'card' | 'detail';

export interface HazardCardOptions {
  tz: string;
  now: Date;
  /** Registered people's names; others appear as Lark @-mentions, which Lark renders by name. */
  names: Map<string, string>;
  view?: HazardView;
  /** A line above everything, for notices ("you are assigned …"). */
  banner?: Bi;
  /** Notes below the buttons: things the person should know that did not stop the change. */
  notes?: Bi[];
  timeline?: HazardEvent[];
  photos?: { at: number; uploadedBy: string | null }[];
}

/** A person as a card shows them: their name, or an @-mention Lark fills in. */
export const personMd = (openId: string | null | undefined, names: Map<string, string>) =>
  !openId ? '—' : (names.get(openId) ?? `<at id=${openId}></at>`);

const STATUS_COLOR: Record<string, HeaderColor> = { reported: 'orange', dispatched: 'blue', rectified: 'turquoise', closed: 'green' };

const sectorEn = (code: string) => SECTOR_EN[code as Sector] ?? code;

/** Label–value pairs two to a row, both sides bilingual. */
function pairs(items: [label: Bi, value: Bi][]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'bisect',
    columns: items.map(([label, value]) => ({
      tag: 'column',
      width: 'weighted',
      weight: 1,
      elements: [md(`**${label.zh}**\n${value.zh}`, `**${label.en}**\n${value.en}`)],
    })),
  };
}

const same = (s: string): Bi => ({ zh: s, en: s });

function deadlineText(deadline: number | null, status: string, o: HazardCardOptions): Bi {
  if (deadline === null) return same('—');
  const shown = formatDateTime(new Date(deadline), o.tz);
  if (status === 'dispatched' && deadline < o.now.getTime()) return { zh: `${shown} **已逾期**`, en: `${shown} **overdue**` };
  return same(shown);
}

export const isOverdue = (r: HazardRecord, now: Date) => r.hazard.status === 'dispatched' && r.hazard.deadline !== null && r.hazard.deadline < now.getTime();

/** The hazard card: header with number and status, the facts, and the buttons its status allows. */
export function hazardCard(r: HazardRecord, o: HazardCardOptions): Card {
  const h = r.hazard;
  const e = r.enterprise;
  const view = o.view ?? 'card';
  const level = levelLabel(h.level);
  const status = statusLabel(h.status);
  const elements: Element[] = [];
  if (o.banner) elements.push(md(o.banner.zh, o.banner.en));
  elements.push(
    pairs([
      [{ zh: '企业', en: 'Enterprise' }, e.registered ? same(e.name) : { zh: `${e.name}（未登记）`, en: `${e.name} (unregistered)` }],
      [{ zh: '行业', en: 'Sector' }, { zh: sectorLabel(e.sector), en: sectorEn(e.sector) }],
    ]),
    pairs([
      [{ zh: '乡镇/街道', en: 'Township' }, same(e.township ?? h.township ?? '—')],
      [{ zh: '隐患级别', en: 'Level' }, h.level === 'major' ? { zh: `**${level.zh}**`, en: `**${level.en}**` } : level],
    ]),
    pairs([
      [{ zh: '整改期限', en: 'Deadline' }, deadlineText(h.deadline, h.status, o)],
      [{ zh: '整改责任人', en: 'Assignee' }, same(personMd(h.assigneeOpenId, o.names))],
    ]),
    pairs([
      [{ zh: '上报人', en: 'Reporter' }, same(`${personMd(h.reporterOpenId, o.names)} ${formatShort(new Date(h.reportedAt), o.tz)}`)],
      [{ zh: '照片', en: 'Photos' }, { zh: `${r.photos} 张`, en: `${r.photos}` }],
    ]),
    md(`**隐患描述**\n${h.description}`, `**Description**\n${h.description}`),
    ...ledgerElements(r, o.names, personMd),
  );
  if (view === 'detail') elements.push(...detailElements(o));
  elements.push(...buttonsFor(r, view), ...ledgerButtons(r, view));
  if (h.status === 'reported' || h.status === 'dispatched') {
    elements.push(md('回复本卡片发送图片即可附上照片。', 'Reply to this card with an image to attach a photo.'));
  }
  for (const n of o.notes ?? []) elements.push(md(`⚠️ ${n.zh}`, `⚠️ ${n.en}`));
  const overdue = isOverdue(r, o.now);
  const listed = superviseBadge(r);
  return card({
    title: {
      zh: `${h.no} ${level.zh}隐患 · ${status.zh}${overdue ? ' · 逾期' : ''}${listed ? ` · ${listed.zh}` : ''}`,
      en: `${h.no} ${level.en} hazard · ${status.en}${overdue ? ' · overdue' : ''}${listed ? ` · ${listed.en}` : ''}`,
    },
    subtitle: { zh: e.name, en: e.name },
    template: overdue || (h.level === 'major' && h.status === 'reported') ? 'red' : (own(STATUS_COLOR, h.status) ?? 'blue'),
    summary: { zh: `${h.no} ${status.zh}：${e.name}`, en: `${h.no} ${status.en}: ${e.name}` },
    elements,
  });
}

function detailElements(o: HazardCardOptions): Element[] {
  const out: Element[] = [hr()];
  const lines = (o.timeline ?? []).map((ev) => {
    const when = formatShort(new Date(ev.at), o.tz);
    const who = personMd(ev.actorOpenId, o.names);
    const act = actionLabel(ev.action);
    const to = ev.toStatus ? statusLabel(ev.toStatus) : undefined;
    const note = ev.action === 'photo' ? '' : ev.note ? ` · ${ev.note}` : '';
    return {
      zh: `- ${when} ${who} ${act.zh}${to ? ` → ${to.zh}` : ''}${note}`,
      en: `- ${when} ${who} ${act.en}${to ? ` → ${to.en}` : ''}${note}`,
    };
  });
  out.push(md(`**处理记录**\n${lines.map((l) => l.zh).join('\n') || '—'}`, `**Timeline**\n${lines.map((l) => l.en).join('\n') || '—'}`));
  if (o.photos?.length) {
    const ph = o.photos.map((p) => `- ${formatShort(new Date(p.at), o.tz)} ${personMd(p.uploadedBy, o.names)}`).join('\n');
    out.push(md(`**照片（${o.photos.length}）**\n${ph}\n照片见本隐患的消息话题。`, `**Photos (${o.photos.length})**\n${ph}\nThe photos are in this hazard's thread.`));
  }
  return out;
}

/** What a hazard button carries: `expect` is the status the card showed, so a stale click is caught. */
export const hazardValue = (action: string, r: HazardRecord, view: HazardView) => ({ action, no: r.hazard.no, expect: r.hazard.status, view });

function buttonsFor(r: HazardRecord, view: HazardView): Element[] {
  const out: Element[] = [];
  const row: Element[] = [];
  for (const verb of verbsFor(r.hazard.status)) {
    if (verb === 'dispatch') {
      out.push(
        form('hazard_dispatch', [
          selectPerson('assignee', { zh: '选择整改责任人', en: 'Choose who rectifies it' }, { required: true }),
          datePicker('deadline', { zh: '整改期限（不选则按默认期限）', en: 'Deadline (default if empty)' }),
          submitButton('dispatch', { zh: '派单', en: 'Dispatch' }, hazardValue('hazard.dispatch', r, view)),
        ]),
      );
    } else if (verb === 'rectify') {
      row.push(button({ zh: '整改完成', en: 'Rectified' }, hazardValue('hazard.rectify', r, view), 'primary_filled'));
    } else if (verb === 'verify_pass') {
      row.push(button({ zh: '复查通过', en: 'Verified' }, hazardValue('hazard.verify_pass', r, view), 'primary_filled'));
    } else if (verb === 'verify_fail') {
      row.push(button({ zh: '复查不通过', en: 'Not fixed' }, hazardValue('hazard.verify_fail', r, view), 'danger'));
    }
  }
  if (view === 'card') row.push(button({ zh: '详情', en: 'Details' }, hazardValue('hazard.detail', r, view)));
  if (row.length) out.push(buttonRow(row));
  return out;
}

/** The banner a notice card carries, by why the person is told. */
export function noticeBanner(kind: Exclude<NoticeKind, 'enterprise_unregistered'>, r: HazardRecord, tz: string): Bi {
  const due = r.hazard.deadline === null ? '—' : formatDateTime(new Date(r.hazard.deadline), tz);
  switch (kind) {
    case 'assigned':
      return {
        zh: `**您被指派整改此隐患**，请于 ${due} 前完成，完成后点「整改完成」。`,
        en: `**You are assigned to rectify this hazard** by ${due}; press 整改完成 (Rectified) when done.`,
      };
    case 'enterprise_dispatched':
      return { zh: `**贵单位有一条隐患已派单整改**，整改期限 ${due}。`, en: `**A hazard at your enterprise was dispatched**; deadline ${due}.` };
    case 'major_reported':
      return { zh: '**您包保的企业发现重大隐患，请立即关注。**', en: '**A major hazard was found at an enterprise you supervise. Please act now.**' };
    case 'rectified':
      return { zh: '**您上报的隐患已整改完成，待复查。**', en: '**The hazard you reported was rectified and awaits verification.**' };
    case 'closed':
      return { zh: '**隐患已复查通过，已销号。**', en: '**The hazard passed verification and is closed.**' };
    case 'reopened':
      return { zh: `**复查未通过，请于 ${due} 前重新整改。**`, en: `**The fix failed verification; rectify again by ${due}.**` };
  }
}

/** The report form, answering `/report` with no arguments. */
export interface ReportPrefill {
  enterprise?: string;
  level?: 'general' | 'major';
  description?: string;
  /** YYYY-MM-DD */
  deadline?: string;
  assignee?: string;
}

/**
 * The report form. A plain message's 修改 opens it pre-filled with what was understood, and its
 * submit goes back to that pending report (so its photos still attach).
 */
export function reportFormCard(o: { src?: string; chat?: string; generalDays: number; majorDays: number; prefill?: ReportPrefill; submit?: { action: string } & Record<string, unknown> }): Card {
  const f = o.prefill ?? {};
  return card({
    title: { zh: '上报隐患', en: 'Report a hazard' },
    template: 'orange',
    summary: { zh: '上报隐患', en: 'Report a hazard' },
    elements: [
      form('hazard_report', [
        input('enterprise', { zh: '企业名称', en: 'Enterprise name' }, { required: true, label: { zh: '企业', en: 'Enterprise' }, maxLength: 100, defaultValue: f.enterprise }),
        selectStatic(
          'sector',
          { zh: '行业（新企业时填写）', en: 'Sector (for a new enterprise)' },
          SECTOR_CODES.map((c) => ({ label: { zh: SECTORS[c], en: SECTOR_EN[c] }, value: c })),
        ),
        selectStatic(
          'level',
          { zh: '隐患级别', en: 'Level' },
          [
            { label: { zh: '一般', en: 'General' }, value: 'general' },
            { label: { zh: '重大', en: 'Major' }, value: 'major' },
          ],
          { initial: f.level ?? 'general', required: true },
        ),
        input('description', { zh: '隐患描述', en: 'What is wrong' }, { required: true, label: { zh: '隐患描述', en: 'Description' }, maxLength: 1000, defaultValue: f.description }),
        datePicker('deadline', { zh: `整改期限（默认一般 ${o.generalDays} 天、重大 ${o.majorDays} 天）`, en: `Deadline (default ${o.generalDays} days general, ${o.majorDays} major)` }, { initial: f.deadline }),
        selectPerson('assignee', { zh: '整改责任人（可选，选了即派单）', en: 'Assignee (optional; dispatches at once)' }, { initial: f.assignee }),
        ...reportLedgerFields(),
        submitButton('report', { zh: '上报', en: 'Report' }, o.submit ?? { action: 'hazard.report_form', src: o.src, chat: o.chat }),
        onTheSpotSubmit(o),
      ]),
    ],
  });
}

/** One page of the hazard list, with 上一页 / 下一页. */
export function hazardListCard(o: {
  label: Bi;
  filter: string;
  rows: HazardListRow[];
  total: number;
  page: number;
  pageSize: number;
  now: Date;
  tz: string;
}): Card {
  const pages = Math.max(1, Math.ceil(o.total / o.pageSize));
  const elements: Element[] = [];
  if (o.rows.length === 0) elements.push(md('没有符合条件的隐患。', 'No hazards match.'));
  for (const r of o.rows) {
    const level = levelLabel(r.level);
    const status = statusLabel(r.status);
    const overdue = r.status === 'dispatched' && r.deadline !== null && r.deadline < o.now.getTime();
    const due = r.deadline === null ? '—' : formatDate(new Date(r.deadline), o.tz);
    const desc = r.description.length > 40 ? `${r.description.slice(0, 40)}…` : r.description;
    const mark = r.level === 'major' ? '🔴' : '';
    elements.push(
      md(
        `${mark}**${r.no}** ${level.zh} · ${status.zh}${overdue ? ' · **逾期**' : ''} · ${r.enterpriseName ?? '—'}\n${desc} · 期限 ${due}`,
        `${mark}**${r.no}** ${level.en} · ${status.en}${overdue ? ' · **overdue**' : ''} · ${r.enterpriseName ?? '—'}\n${desc} · due ${due}`,
      ),
    );
  }
  elements.push(hr(), md(`第 ${o.page + 1}/${pages} 页，共 ${o.total} 条。发送 /hazard 编号 查看详情。`, `Page ${o.page + 1} of ${pages}, ${o.total} in all. Send /hazard NO for details.`));
  const nav: Element[] = [];
  if (o.page > 0) nav.push(button({ zh: '上一页', en: 'Previous' }, { action: 'hazard.page', filter: o.filter, page: o.page - 1 }));
  if (o.page + 1 < pages) nav.push(button({ zh: '下一页', en: 'Next' }, { action: 'hazard.page', filter: o.filter, page: o.page + 1 }));
  if (nav.length) elements.push(buttonRow(nav));
  return card({
    title: { zh: `隐患列表 · ${o.label.zh}`, en: `Hazards · ${o.label.en}` },
    template: 'blue',
    summary: { zh: `隐患列表 ${o.total} 条`, en: `${o.total} hazards` },
    elements,
  });
}
