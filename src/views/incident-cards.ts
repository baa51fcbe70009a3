// Cards of the incident flow: the incident card (chats, thread, on-duty DMs; kept current by
// patches), the dispatch order a team leader steps through, the open-incident list, the team list.

import type { Bi } from '../bi.ts';
import {
  incidentTypeLabel,
  severityLabel,
  suitedTeamTypes,
  teamTypeLabel,
} from '../domain/incident-types.ts';
import {
  formatDuration,
  lastState,
  nextStep,
  responseTimes,
  STEP_LABELS,
  STEP_STATES,
  STEPS,
  stepAt,
  type DispatchView,
  type IncidentRecord,
} from '../domain/incidents.ts';
import { equipmentOf, equipmentTotal, type Team, type TeamTotals } from '../domain/teams.ts';
import { formatDateTime, formatShort, localParts, pad2 } from '../domain/time.ts';
import { button, card, fields, form, hr, md, multiSelectStatic, submitButton, table, type Card, type Element } from '../lark/cards.ts';

export type Names = Map<string, { name: string; mobile: string | null }>;

const who = (names: Names, openId: string | null | undefined) => (openId ? (names.get(openId)?.name ?? openId) : '—');
const withPhone = (names: Names, openId: string | null | undefined) => {
  if (!openId) return '—';
  const p = names.get(openId);
  return p ? (p.mobile ? `${p.name} ${p.mobile}` : p.name) : openId;
};

/** HH:mm on the incident's own local day, MM-DD HH:mm after it. */
function stamp(at: number | null, reportedAt: number, tz: string): string {
  if (at === null) return '—';
  const a = localParts(new Date(at), tz);
  const r = localParts(new Date(reportedAt), tz);
  return a.year === r.year && a.month === r.month && a.day === r.day ? `${pad2(a.hour)}:${pad2(a.minute)}` : formatShort(new Date(at), tz);
}

function stepsLine(d: DispatchView, reportedAt: number, tz: string): Bi {
  const parts = STEPS.map((s) => ({ label: STEP_LABELS[s], at: stamp(stepAt(d, s), reportedAt, tz) }));
  const sent = stamp(d.dispatchedAt, reportedAt, tz);
  return {
    zh: [`派出 ${sent}`, ...parts.map((p) => `${p.label.zh} ${p.at}`)].join(' → '),
    en: [`dispatched ${sent}`, ...parts.map((p) => `${p.label.en.toLowerCase()} ${p.at}`)].join(' → '),
  };
}

function responseLine(rec: IncidentRecord): Bi {
  const t = responseTimes(rec);
  const ack = t.ackMs === undefined ? undefined : formatDuration(t.ackMs);
  const arrive = t.arriveMs === undefined ? undefined : formatDuration(t.arriveMs);
  return {
    zh: `上报→接令 ${ack?.zh ?? '—'} · 上报→到达 ${arrive?.zh ?? '—'}`,
    en: `report→acknowledged ${ack?.en ?? '—'} · report→on scene ${arrive?.en ?? '—'}`,
  };
}

function title(rec: IncidentRecord): Bi {
  const i = rec.incident;
  const type = incidentTypeLabel(i.type);
  const sev = severityLabel(i.severity);
  const open = i.status === 'open';
  return {
    zh: `${i.no} ${type.zh}险情 · ${sev.zh} · ${open ? '处置中' : '已结束'}`,
    en: `${i.no} ${type.en} · ${sev.en} · ${open ? 'active' : 'closed'}`,
  };
}

export const teamOption = (t: Team) => {
  const type = teamTypeLabel(t.type);
  const eq = equipmentTotal(t);
  return {
    label: {
      zh: `${t.name} · ${type.zh} · ${t.township ?? '市级'} · ${t.members}人 · 设备${eq}台`,
      en: `${t.name} · ${type.en} · ${t.township ?? 'city'} · ${t.members} people · ${eq} equipment`,
    },
    value: String(t.id),
  };
};

/** How many teams the 调度队伍 choice lists; the rest are one /teams away. */
export const OFFER_LIMIT = 40;

export interface IncidentCardOptions {
  tz: string;
  names: Names;
  /** Teams that may still be sent (open incidents only). */
  offer?: { teams: Team[]; township?: string };
  notes?: Bi[];
  /** More sections at the foot (the reports sent upward, who has acknowledged the buzz). */
  extra?: Element[];
}

export function incidentCard(rec: IncidentRecord, o: IncidentCardOptions): Card {
  const i = rec.incident;
  const type = incidentTypeLabel(i.type);
  const sev = severityLabel(i.severity);
  const reported = formatDateTime(new Date(i.reportedAt), o.tz);
  const elements: Element[] = [
    fields([
      [{ zh: '类型', en: 'Type' }, `${type.zh} ${type.en}`],
      [{ zh: '级别', en: 'Severity' }, `${sev.zh} ${sev.en}`],
    ]),
    fields([
      [{ zh: '地点', en: 'Location' }, i.location],
      [{ zh: '上报', en: 'Reported' }, `${who(o.names, i.reporterOpenId)} ${reported}`],
    ]),
    md(`**险情描述**\n${i.description}`, `**Description**\n${i.description}`),
  ];
  const rt = responseLine(rec);
  elements.push(md(`**响应时间** ${rt.zh}`, `**Response** ${rt.en}`), hr());
  if (rec.dispatches.length) {
    const lines = rec.dispatches.map((d) => {
      const state = STEP_STATES[lastState(d)];
      const steps = stepsLine(d, i.reportedAt, o.tz);
      const leader = withPhone(o.names, d.leaderOpenId);
      return {
        zh: `- **${d.team.name}**（队长 ${leader}，${d.team.members}人）**${state.zh}**\n  ${steps.zh}`,
        en: `- **${d.team.name}** (leader ${leader}, ${d.team.members} people) **${state.en}**\n  ${steps.en}`,
      };
    });
    elements.push(
      md(`**已调度队伍（${rec.dispatches.length}）**\n${lines.map((l) => l.zh).join('\n')}`, `**Teams dispatched (${rec.dispatches.length})**\n${lines.map((l) => l.en).join('\n')}`),
    );
  } else {
    elements.push(md('**已调度队伍**：尚未调度。', '**Teams dispatched**: none yet.'));
  }
  if (i.status === 'open' && o.offer) {
    const offered = o.offer.teams.slice(0, OFFER_LIMIT);
    const types = suitedTeamTypes(i.type).map(teamTypeLabel);
    const where = o.offer.township ? { zh: `${o.offer.township}及市级`, en: `${o.offer.township} and city-level` } : { zh: '全市', en: 'citywide' };
    if (offered.length) {
      const more = o.offer.teams.length - offered.length;
      elements.push(
        md(
          `**调度队伍** ${where.zh} · ${types.map((t) => t.zh).join('、')}，可派 ${o.offer.teams.length} 支${more > 0 ? `（列出前 ${offered.length} 支，/teams 查看全部）` : ''}，可多选`,
          `**Dispatch teams** ${where.en} · ${types.map((t) => t.en).join(', ')}: ${o.offer.teams.length} available${more > 0 ? ` (first ${offered.length} listed; /teams shows all)` : ''}; choose one or more`,
        ),
        form('incident_dispatch', [
          multiSelectStatic('team', { zh: '选择要派出的队伍（可多选）', en: 'Choose one or more teams to send' }, offered.map(teamOption), { required: true }),
          submitButton('dispatch', { zh: '派出', en: 'Dispatch' }, { action: 'incident.dispatch', no: i.no }),
        ]),
      );
    } else {
      elements.push(md('**调度队伍**：没有可派的适用队伍（/teams 查看全部队伍）。', '**Dispatch teams**: no suitable team left to send (/teams lists them all).'));
    }
  }
  if (i.status === 'closed') {
    const at = i.closedAt ? formatDateTime(new Date(i.closedAt), o.tz) : '—';
    const by = who(o.names, i.closedBy);
    elements.push(
      hr(),
      md(
        `**已结束** ${at}（${by}）${i.summary ? `\n**总结** ${i.summary}` : ''}`,
        `**Closed** ${at} (${by})${i.summary ? `\n**Summary** ${i.summary}` : ''}`,
      ),
    );
  }
  if (o.extra?.length) elements.push(hr(), ...o.extra);
  for (const n of o.notes ?? []) elements.push(md(`⚠️ ${n.zh}`, `⚠️ ${n.en}`));
  const t = title(rec);
  const serious = i.severity === 'major' || i.severity === 'especially_major';
  return card({
    title: { zh: t.zh, en: t.en },
    subtitle: { zh: i.location, en: i.location },
    template: i.status === 'closed' ? 'green' : serious ? 'red' : 'orange',
    summary: { zh: `${i.no} ${type.zh}险情：${i.location}`, en: `${i.no} ${type.en}: ${i.location}` },
    elements,
  });
}

/** The order a team leader steps through: only the next step's button is shown. */
export function dispatchCard(rec: IncidentRecord, d: DispatchView, o: { tz: string; names: Names; banner?: Bi }): Card {
  const i = rec.incident;
  const type = incidentTypeLabel(i.type);
  const sev = severityLabel(i.severity);
  const next = nextStep(d);
  const steps = stepsLine(d, i.reportedAt, o.tz);
  const elements: Element[] = [];
  if (o.banner) elements.push(md(`**${o.banner.zh}**`, `**${o.banner.en}**`));
  elements.push(
    fields([
      [{ zh: '险情', en: 'Incident' }, `${type.zh}·${sev.zh} ${type.en}, ${sev.en}`],
      [{ zh: '地点', en: 'Location' }, i.location],
    ]),
    md(`**险情描述**\n${i.description}`, `**Description**\n${i.description}`),
    md(
      `**派出** ${d.team.name}（${d.team.members}人），调度员 ${withPhone(o.names, d.dispatchedBy)}，上报于 ${formatDateTime(new Date(i.reportedAt), o.tz)}`,
      `**Sent** ${d.team.name} (${d.team.members} people), by ${withPhone(o.names, d.dispatchedBy)}; reported ${formatDateTime(new Date(i.reportedAt), o.tz)}`,
    ),
    md(`**进度** ${steps.zh}`, `**Progress** ${steps.en}`),
  );
  if (i.status === 'closed') elements.push(md('险情已结束。', 'The incident is closed.'));
  if (next) {
    elements.push(
      button({ zh: STEP_LABELS[next].zh, en: STEP_LABELS[next].en }, { action: 'incident.step', no: i.no, team: d.teamId, step: next }, next === 'ack' ? 'danger_filled' : 'primary_filled'),
      md('请依次点 接令 → 出发 → 到达 → 处置完毕，每一步都会通报值班室。', 'Press 接令 → 出发 → 到达 → 处置完毕 in turn; the duty desk is told at each step.'),
    );
  } else {
    elements.push(md('✅ 已处置完毕。', '✅ Done.'));
  }
  return card({
    title: { zh: `调度令 ${i.no} · ${type.zh}险情`, en: `Dispatch order ${i.no} · ${type.en}` },
    subtitle: { zh: d.team.name, en: d.team.name },
    template: !next ? 'green' : next === 'ack' ? 'red' : 'orange',
    summary: { zh: `调度令 ${i.no}：${STEP_STATES[lastState(d)].zh}`, en: `Dispatch ${i.no}: ${STEP_STATES[lastState(d)].en}` },
    elements,
  });
}

/** One line per team: `红梅镇防汛抢险队 已接令`. */
export function dispatchSummary(rec: IncidentRecord): Bi {
  if (!rec.dispatches.length) return { zh: '未调度队伍', en: 'no team sent' };
  return {
    zh: rec.dispatches.map((d) => `${d.team.name} ${STEP_STATES[lastState(d)].zh}`).join('；'),
    en: rec.dispatches.map((d) => `${d.team.name} ${STEP_STATES[lastState(d)].en}`).join('; '),
  };
}

/** One line of the daily brief: number, type, place, report time, teams, response times. */
export function incidentBriefLine(rec: IncidentRecord, tz: string): Bi {
  const i = rec.incident;
  const type = incidentTypeLabel(i.type);
  const sev = severityLabel(i.severity);
  const at = formatShort(new Date(i.reportedAt), tz);
  const ds = dispatchSummary(rec);
  const rt = responseLine(rec);
  return {
    zh: `- ${i.no} ${type.zh}·${sev.zh} · ${i.location} · 上报 ${at} · ${ds.zh} · ${rt.zh}`,
    en: `- ${i.no} ${type.en}, ${sev.en} · ${i.location} · reported ${at} · ${ds.en} · ${rt.en}`,
  };
}

/** The response to `/incidents`: open incidents with their dispatch status. */
export function incidentListCard(recs: IncidentRecord[], o: { tz: string }): Card {
  const elements: Element[] = [];
  if (!recs.length) elements.push(md('当前没有处置中的险情。', 'No incident is open.'));
  for (const rec of recs) {
    const i = rec.incident;
    const type = incidentTypeLabel(i.type);
    const sev = severityLabel(i.severity);
    const rt = responseLine(rec);
    const ds = dispatchSummary(rec);
    const at = formatShort(new Date(i.reportedAt), o.tz);
    elements.push(
      md(
        `**${i.no}** ${type.zh}·${sev.zh} · ${i.location} · 上报 ${at}\n队伍：${ds.zh}\n${rt.zh}`,
        `**${i.no}** ${type.en}, ${sev.en} · ${i.location} · reported ${at}\nTeams: ${ds.en}\n${rt.en}`,
      ),
    );
  }
  if (recs.length) elements.push(hr(), md('发送 /incident 编号 查看险情卡片，/incident 编号 结束 总结… 结束险情。', 'Send /incident NO for its card; /incident NO 结束 SUMMARY… closes it.'));
  return card({
    title: { zh: `处置中的险情（${recs.length}）`, en: `Open incidents (${recs.length})` },
    template: recs.length ? 'red' : 'green',
    summary: { zh: `处置中的险情 ${recs.length} 起`, en: `${recs.length} open incidents` },
    elements,
  });
}

/** How many rows the team table shows; a filter narrows a longer list. */
export const TEAM_ROWS = 100;

export function teamsCard(list: Team[], totals: TeamTotals, o: { label: Bi; names: Names }): Card {
  const elements: Element[] = [
    md(
      `共 **${totals.teams}** 支队伍 **${totals.members}** 人，抢险设备 **${totals.equipment}** 台。`,
      `**${totals.teams}** teams, **${totals.members}** people, **${totals.equipment}** pieces of equipment.`,
    ),
  ];
  if (totals.byEquipment.length) {
    const shown = totals.byEquipment.slice(0, 20).map((e) => `${e.name} ${e.count}`).join(' · ');
    const more = totals.byEquipment.length > 20 ? ` …` : '';
    elements.push(md(`**设备** ${shown}${more}`, `**Equipment** ${shown}${more}`));
  }
  if (list.length) {
    const rows = list.slice(0, TEAM_ROWS).map((t) => {
      const eq = equipmentOf(t);
      return {
        name: t.name,
        type: teamTypeLabel(t.type).zh,
        township: t.township ?? '市级',
        leader: withPhone(o.names, t.leaderOpenId),
        members: t.members,
        equipment: eq.length ? `${equipmentTotal(t)}（${eq.map((e) => `${e.name}${e.count}`).join('、')}）` : '0',
      };
    });
    elements.push(
      table(
        [
          { name: 'name', label: { zh: '队伍', en: 'Team' } },
          { name: 'type', label: { zh: '类型', en: 'Type' } },
          { name: 'township', label: { zh: '乡镇', en: 'Township' } },
          { name: 'leader', label: { zh: '队长', en: 'Leader' } },
          { name: 'members', label: { zh: '人数', en: 'People' }, type: 'number' },
          { name: 'equipment', label: { zh: '设备(台)', en: 'Equipment' } },
        ],
        rows,
      ),
    );
    if (list.length > TEAM_ROWS) {
      elements.push(md(`仅列出前 ${TEAM_ROWS} 支；按类型或乡镇筛选：/teams 防汛、/teams 红梅镇。`, `First ${TEAM_ROWS} listed; filter by type or township: /teams flood, /teams 红梅镇.`));
    }
  } else {
    elements.push(md('没有符合条件的队伍。导入队伍：npm run import -- teams FILE.csv', 'No team matches. Import teams with npm run import -- teams FILE.csv'));
  }
  return card({
    title: { zh: `应急队伍 · ${o.label.zh}`, en: `Rescue teams · ${o.label.en}` },
    template: 'blue',
    summary: { zh: `应急队伍 ${totals.teams} 支`, en: `${totals.teams} rescue teams` },
    elements,
  });
}

