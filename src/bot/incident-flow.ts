// The bot side of incidents: report (cards to the chats, buzz the people on duty), dispatch
// teams from the card, record each team's steps from the team leader's card, close. Every
// change and every message it causes are collected on the context and committed in one batch.
// Quiet hours never apply here: nothing is sent with notBefore.

import { twoLines, type Bi } from '../bi.ts';
import { boundChat } from '../domain/chats.ts';
import {
  addCardOutbox,
  cardIdsOf,
  closeStatement,
  dutyAt,
  formatDuration,
  insertDispatch,
  insertIncident,
  loadIncident,
  nextIncidentNo,
  nextStep,
  stampStep,
  STEP_LABELS,
  STEP_STATES,
  stepAt,
  subjectOf,
  withStep,
  INCIDENT_CLOSE_ROLES,
  INCIDENT_REPORT_ROLES,
  type DispatchView,
  type IncidentRecord,
  type Step,
} from '../domain/incidents.ts';
import type { IncidentType, Severity } from '../domain/incident-types.ts';
import { peopleInfo } from '../domain/roster.ts';
import { suggestTeams, teamById } from '../domain/teams.ts';
import { formatDateTime } from '../domain/time.ts';
import { dispatchCard, incidentCard, type Names } from '../views/incident-cards.ts';
import { incidentClosedLine, incidentReportedText, stepTakenText, teamsDispatchedText } from '../views/incident-notices.ts';
import type { Card } from '../lark/cards.ts';
import { requireRole } from './access.ts';
import { ladderOnCard, startLadders, type LadderDeps } from './escalation-flow.ts';
import { cleanChain, laddersOf, settleItem, type Escalation } from '../domain/escalations.ts';
import { adminsOf } from '../domain/people.ts';
import { ackLines } from '../views/escalation-cards.ts';
import { insertReport, latestCasualties, nextDeadline, reportsOf, type Casualties, type Report } from '../domain/incident-reports.ts';
import { reportsSection, reportText } from '../views/incident-reports.ts';
import type { BotContext } from './context.ts';
import { BotError, mustLoad } from './errors.ts';


export const noSuchIncident = (no: string) =>
  new BotError(`没有编号为 ${no} 的险情。发送 /incidents 查看处置中的险情。`, `There is no incident ${no}. Send /incidents to list the open ones.`);

export const loadOrRefuse = (ctx: BotContext, no: string) => mustLoad(loadIncident(ctx.db, no), () => noSuchIncident(no));

const nameIn = (names: Names, openId: string | null | undefined) => (openId ? (names.get(openId)?.name ?? openId) : '—');

export async function namesFor(ctx: LadderDeps, rec: IncidentRecord, more: (string | null | undefined)[] = []): Promise<Names> {
  const i = rec.incident;
  return peopleInfo(ctx.db, [i.reporterOpenId, i.closedBy, ...rec.dispatches.flatMap((d) => [d.leaderOpenId, d.dispatchedBy]), ...more]);
}

/**
 * The incident card as everyone should now see it: the teams still on offer while open, and who
 * has acknowledged the buzz (`ladders`, read when not given; `newcomers` are about to be buzzed).
 */
export async function currentCard(ctx: LadderDeps, rec: IncidentRecord, names: Names, o: { ladders?: Escalation[]; newcomers?: string[]; reports?: Report[] } = {}): Promise<Card> {
  const offer = rec.incident.status === 'open' ? await suggestTeams(ctx.db, rec.incident, rec.dispatches.map((d) => d.teamId)) : undefined;
  const item = subjectOf(rec.incident.no);
  const ladders = o.ladders ?? (rec.incident.id ? await laddersOf(ctx.db, item) : []);
  const more = ladders.map((e) => e.personOpenId).concat(o.newcomers ?? []).filter((p) => !names.has(p));
  const all = more.length ? new Map([...names, ...(await peopleInfo(ctx.db, more))]) : names;
  const open = rec.incident.status === 'open';
  const acks = open || ladders.some((e) => e.ackedAt !== null) ? ackLines(item, open ? ladders : ladders.filter((e) => e.ackedAt !== null), all, ctx.settings.tz, open ? o.newcomers : []) : [];
  const reports = o.reports ?? (rec.incident.id ? await reportsOf(ctx.db, rec.incident.id) : []);
  const next = nextDeadline(rec.incident, reports, ctx.settings.reporting);
  // Effects carry the instant being handled; a bare deps object (a job's) shows deadlines without "overdue".
  const now = (ctx as { now?: unknown }).now instanceof Date ? (ctx as unknown as { now: Date }).now.getTime() : 0;
  const section = reportsSection(reports, next, latestCasualties(reports), ctx.settings.tz, now || rec.incident.reportedAt);
  return incidentCard(rec, { tz: ctx.settings.tz, names: all, offer, extra: [...section, ...acks] });
}

export function patchCards(ctx: BotContext, ids: string[], card: Card, except?: string) {
  for (const id of ids) if (id !== except) ctx.patch({ outboxId: id }, card);
}

/**
 * Tells the duty desk: the duty chat if bound, else the officer on duty by direct message.
 * Returns false when there is nobody to tell.
 */
export async function tellDuty(ctx: BotContext, text: string, dedupeKey: string | undefined, subject: string): Promise<boolean> {
  const chatId = await boundChat(ctx.db, 'duty');
  if (chatId) {
    ctx.send({ chatId }, { text }, { dedupeKey, subject });
    return true;
  }
  const { officer } = await dutyAt(ctx.db, ctx.now);
  if (!officer) return false;
  ctx.send({ openId: officer }, { text }, { dedupeKey, subject });
  return true;
}

// ── report ─────────────────────────────────────────────────────────────────────────────────

export interface IncidentDraft {
  type: IncidentType;
  location: string;
  description: string;
  severity: Severity;
}

/** Reports the incident; returns its number. */
export async function reportIncident(ctx: BotContext, draft: IncidentDraft): Promise<string> {
  requireRole(ctx.caller, INCIDENT_REPORT_ROLES, { zh: '上报险情', en: 'Reporting an incident' });
  const { tz } = ctx.settings;
  const no = await nextIncidentNo(ctx.db, ctx.now, tz);
  const at = ctx.now.getTime();
  const s = ctx.source;
  const sourceChat = s.kind === 'message' ? s.chatId : undefined;
  const incident = {
    id: 0,
    no,
    type: draft.type,
    location: draft.location,
    description: draft.description,
    severity: draft.severity,
    status: 'open',
    reporterOpenId: ctx.caller.openId,
    sourceChatId: sourceChat ?? null,
    sourceMessageId: s.kind === 'message' ? s.messageId : null,
    cardOutboxIds: '[]',
    reportedAt: at,
    closedAt: null,
    closedBy: null,
    summary: null,
    updatedAt: at,
  };
  const rec: IncidentRecord = { incident, dispatches: [] };
  const duty = await dutyAt(ctx.db, ctx.now);
  const names = await peopleInfo(ctx.db, [ctx.caller.openId, duty.leader, duty.officer, duty.chief]);
  const card = await currentCard(ctx, rec, names, { ladders: [] });
  const subject = subjectOf(no);

  const cardIds: string[] = [ctx.reply({ card }, { subject, urgent: true })];
  // The leaders' chat and the duty chat each get the card once: a command sent in one of them
  // already put the card there (the thread reply above).
  const told: Bi[] = [];
  for (const kind of ['leaders', 'duty'] as const) {
    const chatId = await boundChat(ctx.db, kind);
    if (!chatId) continue;
    if (chatId !== sourceChat) cardIds.push(ctx.send({ chatId }, { card }, { subject, urgent: true }));
    told.push(kind === 'leaders' ? { zh: '领导群', en: "the leaders' chat" } : { zh: '值班群', en: 'the duty chat' });
  }

  // 加急 the leader and officer on duty (and the chief on duty, when there is one), each on a
  // direct message carrying the card; each starts a ladder: SMS, phone, then the admins. The
  // reporter is not buzzed for their own report.
  const buzzed: Bi[] = [];
  let self: Bi | undefined;
  const roles = [
    { openId: duty.leader, zh: '带班领导', en: 'leader on duty' },
    { openId: duty.chief, zh: '值班长', en: 'chief on duty' },
    { openId: duty.officer, zh: '值班员', en: 'duty officer' },
  ];
  const first: string[] = [];
  for (const r of roles) {
    if (!r.openId) continue;
    const name = nameIn(names, r.openId);
    if (r.openId === ctx.caller.openId) {
      self = { zh: `${r.zh} ${name}即上报人，未加急。`, en: `The ${r.en}, ${name}, reported it and was not buzzed.` };
      continue;
    }
    if (!first.includes(r.openId)) first.push(r.openId);
    buzzed.push({ zh: `${r.zh} ${name}`, en: `${r.en} ${name}` });
  }
  const admins = (await adminsOf(ctx.db, ctx.settings.adminOpenIds)).filter((a) => a !== ctx.caller.openId);
  const chain = cleanChain([first, admins]);
  if (first.length) {
    const dmCard = await currentCard(ctx, rec, names, { ladders: [], newcomers: first });
    const sent = await startLadders(ctx, ctx.deps, { item: subject, chain, level: 0, quietHold: false, card: dmCard });
    cardIds.push(...sent.values());
  }

  ctx.write(insertIncident(ctx.db, { ...incident, id: undefined, cardOutboxIds: JSON.stringify(cardIds) }));

  ctx.reply({ text: incidentReportedText({ no, draft, leaderOnDuty: !!duty.leader, officerOnDuty: !!duty.officer, buzzed, self, told }) }, { subject });
  return no;
}

/** `/incident NO`: the card again, as a reply that is kept current like the others. */
export async function showIncident(ctx: BotContext, no: string) {
  const rec = await loadOrRefuse(ctx, no);
  const names = await namesFor(ctx, rec);
  const id = ctx.reply({ card: await currentCard(ctx, rec, names) }, { subject: subjectOf(no) });
  ctx.write(addCardOutbox(ctx.db, rec.incident.id, id));
}

// ── dispatch ───────────────────────────────────────────────────────────────────────────────

/** 调度队伍: each chosen team's leader gets the dispatch order (buzzed); the cards follow. */
export async function dispatchTeams(ctx: BotContext, no: string, teamIds: number[]) {
  requireRole(ctx.caller, INCIDENT_REPORT_ROLES, { zh: '调度队伍', en: 'Dispatching teams' });
  const rec = await loadOrRefuse(ctx, no);
  const i = rec.incident;
  if (i.status !== 'open') throw new BotError(`${no} 已结束，不能再调度队伍。`, `${no} is closed; no more teams can be sent.`);
  if (!teamIds.length) throw new BotError('请先选择要派出的队伍。', 'Choose at least one team to send first.');
  const at = ctx.now.getTime();
  const fresh: DispatchView[] = [];
  const skipped: string[] = [];
  for (const teamId of [...new Set(teamIds)]) {
    const team = await teamById(ctx.db, teamId);
    if (!team) throw new BotError('所选队伍不存在，请刷新卡片后重试。', 'That team no longer exists; refresh the card and retry.');
    if (rec.dispatches.some((d) => d.teamId === teamId)) {
      skipped.push(team.name);
      continue;
    }
    if (!team.leaderOpenId) throw new BotError(`${team.name} 没有登记队长，无法派出。`, `${team.name} has no leader on record and cannot be sent.`);
    fresh.push({
      id: 0,
      incidentId: i.id,
      teamId,
      leaderOpenId: team.leaderOpenId,
      dispatchedBy: ctx.caller.openId,
      dispatchedAt: at,
      ackedAt: null,
      departedAt: null,
      arrivedAt: null,
      doneAt: null,
      cardOutboxId: null,
      team,
    });
  }
  if (!fresh.length) {
    ctx.respond({ type: 'warning', zh: `${skipped.join('、')} 已派出，无需重复`, en: `${skipped.join(', ')} already sent` });
    return;
  }
  const after: IncidentRecord = { incident: i, dispatches: [...rec.dispatches, ...fresh] };
  const names = await namesFor(ctx, after, [ctx.caller.openId]);
  const subject = subjectOf(no);
  const dutyLeader = (await dutyAt(ctx.db, ctx.now)).leader;
  for (const d of fresh) {
    // Keyed per (incident, team): a double submit racing past the check sends one order only.
    const key = `incident-dispatch:${i.id}:${d.teamId}`;
    const id = ctx.send({ openId: d.leaderOpenId! }, { card: dispatchCard(after, d, { tz: ctx.settings.tz, names }) }, { subject, dedupeKey: key, urgent: true });
    ctx.buzz(id, [d.leaderOpenId!], { dedupeKey: `${key}:buzz` });
    // Not 接令 in time: SMS, phone, then the leader on duty (dispatch-followup also chases at 5 minutes).
    ladderOnCard(ctx, ctx.deps, { item: `dispatch:${no}:${d.teamId}`, chain: cleanChain([[d.leaderOpenId], [dutyLeader]]), personOpenId: d.leaderOpenId!, cardOutboxId: id, quietHold: false });
    d.cardOutboxId = id;
    const { id: _, team: __, ...row } = d;
    ctx.write(insertDispatch(ctx.db, row));
  }
  await tellDuty(
    ctx,
    teamsDispatchedText(no, fresh.map((d) => ({ team: d.team, leader: nameIn(names, d.leaderOpenId) })), nameIn(names, ctx.caller.openId)),
    `incident-dispatch:${i.id}:${fresh.map((d) => d.teamId).sort((a, b) => a - b).join(',')}:duty`,
    subject,
  );
  const card = await currentCard(ctx, after, names);
  const clicked = await ctx.clickedOutboxId();
  patchCards(ctx, cardIdsOf(i), card, clicked);
  const names1 = fresh.map((d) => d.team.name);
  const note = skipped.length ? { zh: `（${skipped.join('、')} 已派出过）`, en: ` (${skipped.join(', ')} already sent)` } : { zh: '', en: '' };
  if (ctx.source.kind === 'card') {
    ctx.respond({ type: 'success', zh: `已派出 ${names1.join('、')}${note.zh}`, en: `Sent ${names1.join(', ')}${note.en}` }, card);
  } else {
    ctx.reply({ text: `已派出 ${names1.join('、')}${note.zh}\nSent ${names1.join(', ')}${note.en}` }, { subject });
  }
}

// ── the team leader's steps ─────────────────────────────────────────────────────────────────

export async function recordStep(ctx: BotContext, no: string, teamId: number, step: Step) {
  const rec = await loadOrRefuse(ctx, no);
  const d = rec.dispatches.find((x) => x.teamId === teamId);
  if (!d) throw new BotError('此调度令已失效。', 'This dispatch order no longer exists.');
  const names = await namesFor(ctx, rec, [ctx.caller.openId]);
  if (ctx.caller.openId !== d.leaderOpenId && !ctx.caller.roles.has('admin')) {
    throw new BotError(`只有 ${d.team.name} 的队长 ${nameIn(names, d.leaderOpenId)} 可以操作此调度令。`, `Only ${d.team.name}'s leader ${nameIn(names, d.leaderOpenId)} can press this.`);
  }
  const { tz } = ctx.settings;
  const expected = nextStep(d);
  if (step !== expected) {
    // A repeated or out-of-order click: refuse with a toast, change nothing, show the true state.
    const done = stepAt(d, step);
    const toast =
      done !== null
        ? { zh: `已于 ${formatDateTime(new Date(done), tz)} ${STEP_LABELS[step].zh}，无需重复`, en: `Already ${STEP_STATES[step].en} (${formatDateTime(new Date(done), tz)})` }
        : expected
          ? { zh: `请先点「${STEP_LABELS[expected].zh}」`, en: `Press ${STEP_LABELS[expected].zh} (${STEP_LABELS[expected].en}) first` }
          : { zh: '已处置完毕', en: 'Already done' };
    ctx.respond({ type: 'warning', ...toast }, dispatchCard(rec, d, { tz, names }));
    return;
  }
  const at = ctx.now.getTime();
  ctx.write(stampStep(ctx.db, d.id, step, at));
  if (step === 'ack') ctx.write(settleItem(ctx.db, `dispatch:${no}:${teamId}`));
  const updated = withStep(d, step, at);
  const after: IncidentRecord = { incident: rec.incident, dispatches: rec.dispatches.map((x) => (x.id === d.id ? updated : x)) };
  const mine = dispatchCard(after, updated, { tz, names });
  ctx.respond({ type: 'success', zh: `已${STEP_LABELS[step].zh}`, en: `${STEP_STATES[step].en[0].toUpperCase()}${STEP_STATES[step].en.slice(1)}` }, mine);
  const clicked = await ctx.clickedOutboxId();
  if (d.cardOutboxId && d.cardOutboxId !== clicked) ctx.patch({ outboxId: d.cardOutboxId }, mine);
  patchCards(ctx, cardIdsOf(rec.incident), await currentCard(ctx, after, names), clicked);
  const since = formatDuration(at - rec.incident.reportedAt);
  const leader = nameIn(names, d.leaderOpenId);
  const time = formatDateTime(new Date(at), tz);
  await tellDuty(
    ctx,
    stepTakenText({ no, team: d.team.name, leader, step, time, since }),
    `incident-step:${d.id}:${step}`,
    subjectOf(no),
  );
}

// ── close ──────────────────────────────────────────────────────────────────────────────────

export async function closeIncident(ctx: BotContext, no: string, summary: string | undefined, figures: Casualties = {}) {
  requireRole(ctx.caller, INCIDENT_CLOSE_ROLES, { zh: '结束险情', en: 'Closing an incident' });
  const rec = await loadOrRefuse(ctx, no);
  const i = rec.incident;
  if (i.status !== 'open') {
    throw new BotError(`${no} 已于 ${i.closedAt ? formatDateTime(new Date(i.closedAt), ctx.settings.tz) : '—'} 结束。`, `${no} is already closed.`);
  }
  const at = ctx.now.getTime();
  ctx.write(closeStatement(ctx.db, i.id, ctx.caller.openId, summary ?? null, at), settleItem(ctx.db, subjectOf(no)));
  // 终报 goes with the closing: recorded now, so it is on time by definition.
  const final: Report = {
    id: 0, incidentId: i.id, kind: 'final', seq: 0, at, dueAt: at, byOpenId: ctx.caller.openId, note: summary ?? null,
    deaths: figures.deaths ?? null, injured: figures.injured ?? null, missing: figures.missing ?? null, relocated: figures.relocated ?? null,
  };
  const { id: _finalId, ...finalValues } = final;
  ctx.write(insertReport(ctx.db, finalValues));
  const reports = [...(await reportsOf(ctx.db, i.id)), final];
  const after: IncidentRecord = { ...rec, incident: { ...i, status: 'closed', closedAt: at, closedBy: ctx.caller.openId, summary: summary ?? null, updatedAt: at } };
  const names = await namesFor(ctx, after, [ctx.caller.openId]);
  patchCards(ctx, cardIdsOf(i), await currentCard(ctx, after, names, { reports }));
  for (const d of after.dispatches) if (d.cardOutboxId) ctx.patch({ outboxId: d.cardOutboxId }, dispatchCard(after, d, { tz: ctx.settings.tz, names }));
  const subject = subjectOf(no);
  const by = nameIn(names, ctx.caller.openId);
  const line = incidentClosedLine({ no, by, at: formatDateTime(new Date(at), ctx.settings.tz), summary });
  const dutyChat = await boundChat(ctx.db, 'duty');
  const inDutyChat = ctx.source.kind === 'message' && ctx.source.chatId === dutyChat;
  if (!inDutyChat) await tellDuty(ctx, twoLines(line), `incident-close:${i.id}`, subject);
  const me = names.get(ctx.caller.openId);
  const text = reportText({ rec: after, kind: 'final', seq: 0, at, casualties: latestCasualties(reports), note: summary, nextSteps: summary ? `处置结束：${summary}` : undefined, reporter: { name: me?.name ?? ctx.caller.openId, mobile: me?.mobile }, tz: ctx.settings.tz });
  ctx.reply({ text: `${twoLines(line)}\n\n终报如下，可直接复制上报 / The final report, ready to paste upward:\n${text}` }, { subject });
}
