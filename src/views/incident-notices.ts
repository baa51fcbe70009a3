// What the incident flow says in text: the reporter's answer, and the duty desk's running log
// of dispatches, steps and the close.

import type { Bi } from '../bi.ts';
import { incidentTypeLabel, severityLabel, type IncidentType, type Severity } from '../domain/incident-types.ts';
import { STEP_STATES, type Step } from '../domain/incidents.ts';
import { equipmentTotal, type Team } from '../domain/teams.ts';

/** The reporter's answer: recorded, who was buzzed (or why not), where the card went. */
export function incidentReportedText(o: {
  no: string;
  draft: { type: IncidentType; severity: Severity; location: string };
  leaderOnDuty: boolean;
  officerOnDuty: boolean;
  buzzed: Bi[];
  /** Set when the reporter is themselves on duty (and so not buzzed). */
  self?: Bi;
  /** The chats the card went to. */
  told: Bi[];
}): string {
  const type = incidentTypeLabel(o.draft.type);
  const sev = severityLabel(o.draft.severity);
  const zh = [`已登记险情 ${o.no}（${type.zh}·${sev.zh}，${o.draft.location}）。`];
  const en = [`Incident ${o.no} recorded (${type.en}, ${sev.en}, ${o.draft.location}).`];
  if (!o.leaderOnDuty && !o.officerOnDuty) {
    zh.push('⚠️ 当前值班表上没有人在班（未排班），未加急任何人，请立即电话通知带班领导和值班员。');
    en.push('⚠️ Nobody is on the duty roster right now, so nobody was buzzed: phone the leader and officer on duty now.');
  } else {
    if (o.buzzed.length) {
      zh.push(`已加急：${o.buzzed.map((b) => b.zh).join('、')}。`);
      en.push(`Buzzed: ${o.buzzed.map((b) => b.en).join(', ')}.`);
    }
    if (o.self) {
      zh.push(o.self.zh);
      en.push(o.self.en);
    }
    if (!o.leaderOnDuty) {
      zh.push('⚠️ 当前没有带班领导在班，未加急领导。');
      en.push('⚠️ No leader is on duty now; no leader was o.buzzed.');
    }
    if (!o.officerOnDuty) {
      zh.push('⚠️ 当前没有值班员在班，未加急值班员。');
      en.push('⚠️ No duty officer is on duty now; no officer was o.buzzed.');
    }
  }
  if (o.told.length) {
    zh.push(`险情卡片已发至${o.told.map((t) => t.zh).join('、')}。`);
    en.push(`The card went to ${o.told.map((t) => t.en).join(' and ')}.`);
  } else {
    zh.push('尚未绑定领导群和值班群（/bind leaders、/bind duty）。');
    en.push('No leaders or duty chat is bound yet (/bind leaders, /bind duty).');
  }
  zh.push('在卡片上「调度队伍」派出队伍。');
  en.push('Use 调度队伍 on the card to send teams.');
  return [zh.join(''), en.join(' ')].join('\n');
}

/** To the duty desk: which teams went, with their leaders, and who sent them. */
export function teamsDispatchedText(no: string, sent: { team: Team; leader: string }[], by: string): string {
  const list = sent.map(({ team, leader }) => `${team.name}（队长 ${leader}，${team.members}人，设备${equipmentTotal(team)}台）`);
  const listEn = sent.map(({ team, leader }) => `${team.name} (leader ${leader}, ${team.members} people, ${equipmentTotal(team)} equipment)`);
  return `${no} 已调度：${list.join('；')}。调度员 ${by}。\n${no} dispatched: ${listEn.join('; ')}; by ${by}.`;
}

/** To the duty desk: a team's step (接令, 出发, 到达, 处置完毕) and how long after the report. */
export function stepTakenText(o: { no: string; team: string; leader: string; step: Step; time: string; since: Bi }): string {
  const { no, team, leader, step, time, since } = o;
  return `${no} ${team}（队长 ${leader}）${STEP_STATES[step].zh}，${time}（距上报 ${since.zh}）。\n${no} ${team} (leader ${leader}) ${STEP_STATES[step].en} at ${time} (${since.en} after the report).`;
}

/** The close, as the reply and the duty desk read it. */
export function incidentClosedLine(o: { no: string; by: string; at: string; summary?: string }): Bi {
  const { no, by, at, summary } = o;
  return {
    zh: `${no} 已结束（${by}，${at}）。${summary ? `总结：${summary}` : ''}`,
    en: `${no} is closed (${by}, ${at}).${summary ? ` Summary: ${summary}` : ''}`,
  };
}
