// What the bot answers a plain message with: the confirmation cards (nothing is written before
// their button is pressed), the card a settled confirmation turns into, and the line for a
// message it did not understand. Field lines are exactly `企业：…`, `隐患描述：…` and so on.

import { button, buttonRow, card, md, type Card, type Element } from '../lark/cards.ts';
import { levelLabel } from '../domain/hazard-rules.ts';
import { incidentTypeLabel, severityLabel } from '../domain/incident-types.ts';
import { statusLabel } from '../domain/hazard-rules.ts';
import { missingCalendarLines } from './holiday-calendar.ts';

export interface HazardConfirmView {
  id: string;
  by: string;
  enterprise: { name: string; registered: boolean };
  description: string;
  level: 'general' | 'major';
  /** YYYY-MM-DD */
  deadline: string;
  /** The deadline was not said: the level's default. */
  defaultDeadline: boolean;
  assignee?: string;
  photos: number;
  /** Years a working-day deadline reaches with no holiday calendar loaded (said under the fields). */
  uncalendared?: readonly number[];
}

const NOTE = md(
  '以上内容由您的消息识别而来，点「登记」后才会登记；有误请点「修改」。此前或之后 10 分钟内您在本会话发送的照片会一并附上。',
  'Read from your message; nothing is recorded until you press 登记 (Record). Wrong? Press 修改 (Edit). Photos you send in this chat within 10 minutes attach too.',
);

export function hazardConfirmCard(v: HazardConfirmView): Card {
  const level = levelLabel(v.level);
  const enterprise = v.enterprise.registered
    ? { zh: v.enterprise.name, en: v.enterprise.name }
    : { zh: `${v.enterprise.name}（未登记：将按新企业建档，并通知管理员补全）`, en: `${v.enterprise.name} (not registered: recorded as a new enterprise; the admins are asked to complete it)` };
  const due = v.defaultDeadline ? { zh: `${v.deadline}（未写期限，按${level.zh}隐患默认）`, en: `${v.deadline} (none given: the ${level.en} default)` } : { zh: v.deadline, en: v.deadline };
  const lines = [
    { zh: `企业：${enterprise.zh}`, en: `Enterprise: ${enterprise.en}` },
    { zh: `隐患描述：${v.description}`, en: `Description: ${v.description}` },
    { zh: `级别：${level.zh}`, en: `Level: ${level.en}` },
    { zh: `整改期限：${due.zh}`, en: `Deadline: ${due.en}` },
    { zh: `整改责任人：${v.assignee ?? '—'}`, en: `Assignee: ${v.assignee ?? '—'}` },
    { zh: `照片：${v.photos} 张`, en: `Photos: ${v.photos}` },
  ];
  const value = { id: v.id, by: v.by };
  return card({
    title: { zh: '请确认：登记隐患', en: 'Confirm: record this hazard' },
    template: v.level === 'major' ? 'red' : 'orange',
    summary: { zh: `请确认隐患：${v.enterprise.name}`, en: `Confirm the hazard at ${v.enterprise.name}` },
    elements: [
      md(lines.map((l) => l.zh).join('\n'), lines.map((l) => l.en).join('\n')),
      ...missingCalendarLines(v.uncalendared ?? []),
      buttonRow([
        button({ zh: '登记', en: 'Record' }, { action: 'intent.confirm', ...value }, 'primary_filled'),
        button({ zh: '修改', en: 'Edit' }, { action: 'intent.edit', ...value }),
        button({ zh: '取消', en: 'Cancel' }, { action: 'intent.cancel', ...value }),
      ]),
      NOTE,
    ],
  });
}

export interface IncidentConfirmView {
  id: string;
  by: string;
  type: string;
  location: string;
  severity: string;
  description: string;
}

export function incidentConfirmCard(v: IncidentConfirmView): Card {
  const type = incidentTypeLabel(v.type);
  const severity = severityLabel(v.severity);
  const value = { id: v.id, by: v.by };
  return card({
    title: { zh: '请确认：上报险情', en: 'Confirm: report this incident' },
    template: 'red',
    summary: { zh: `请确认险情：${v.location}`, en: `Confirm the incident at ${v.location}` },
    elements: [
      md(
        [`类型：${type.zh}`, `地点：${v.location}`, `级别：${severity.zh}`, `描述：${v.description}`].join('\n'),
        [`Type: ${type.en}`, `Location: ${v.location}`, `Severity: ${severity.en}`, `Description: ${v.description}`].join('\n'),
      ),
      buttonRow([
        button({ zh: '上报险情', en: 'Report incident' }, { action: 'intent.confirm', ...value }, 'danger_filled'),
        button({ zh: '取消', en: 'Cancel' }, { action: 'intent.cancel', ...value }),
      ]),
      md(
        '上报后将加急带班领导和值班员，并把险情卡片发到领导群和值班群（与 /incident 相同）。类型或地点不对请取消后用 /incident 类型 地点 描述 上报。',
        'Reporting buzzes the leader and officer on duty and posts the card to the leaders and duty chats (as /incident does). Wrong type or place? Cancel and use /incident TYPE PLACE DESCRIPTION.',
      ),
    ],
  });
}

export interface RectifyConfirmView {
  id: string;
  by: string;
  no: string;
  enterprise: string;
  description: string;
  level: string;
  status: string;
  note?: string;
  photos: number;
}

export function rectifyConfirmCard(v: RectifyConfirmView): Card {
  const status = statusLabel(v.status);
  const level = levelLabel(v.level);
  const value = { id: v.id, by: v.by };
  const zh = [`隐患：${v.no}`, `企业：${v.enterprise}`, `隐患描述：${v.description}`, `级别：${level.zh}`, `当前状态：${status.zh}`, `整改说明：${v.note ?? '—'}`, `照片：${v.photos} 张`];
  const en = [`Hazard: ${v.no}`, `Enterprise: ${v.enterprise}`, `Description: ${v.description}`, `Level: ${level.en}`, `Status: ${status.en}`, `Note: ${v.note ?? '—'}`, `Photos: ${v.photos}`];
  const elements: Element[] = [
    md(zh.join('\n'), en.join('\n')),
    buttonRow([
      button({ zh: '确认整改完成', en: 'Confirm rectified' }, { action: 'intent.confirm', ...value }, 'primary_filled'),
      button({ zh: '取消', en: 'Cancel' }, { action: 'intent.cancel', ...value }),
    ]),
  ];
  if (v.level === 'major') {
    elements.push(md('重大隐患提交整改需附整改照片：10 分钟内在本会话发送的照片会一并附上。', 'A major hazard needs a photo of the fix: photos you send in this chat within 10 minutes attach too.'));
  }
  return card({ title: { zh: `请确认：${v.no} 整改完成`, en: `Confirm: ${v.no} rectified` }, template: 'turquoise', summary: { zh: `请确认 ${v.no} 整改完成`, en: `Confirm ${v.no} rectified` }, elements });
}

/** A settled confirmation, so its buttons cannot be pressed again. */
export function settledCard(outcome: 'done' | 'cancelled', what: { zh: string; en: string }): Card {
  return card({
    title: outcome === 'done' ? { zh: '已办理', en: 'Done' } : { zh: '已取消', en: 'Cancelled' },
    template: outcome === 'done' ? 'green' : 'grey',
    elements: [md(what.zh, what.en)],
  });
}

/** The answer to a plain message the bot did not understand, with the likeliest commands. */
export function notUnderstoodText(commands: { name: string; summary: { zh: string; en: string } }[]): string {
  const zh = commands.map((c) => `/${c.name}（${c.summary.zh.split(/[；;，,：:]/)[0]}）`).join('、');
  const en = commands.map((c) => `/${c.name} (${c.summary.en.split(/[;,:]/)[0]})`).join(', ');
  return [
    '没看懂这条消息。您可以说：“XX公司 仓库消防通道堵塞 三天内整改”，或发送 /help。',
    `可能用到：${zh}`,
    'I did not understand this message. You can write: “XX公司 仓库消防通道堵塞 三天内整改”, or send /help.',
    `Perhaps: ${en}`,
  ].join('\n');
}
