// The items a ladder can be about, each registered with how its buzzed card looks, when nothing
// is left to acknowledge, and what the duty chat calls it.

import { eq } from 'drizzle-orm';
import { handovers, incidents } from '../db/schema.ts';
import { addCardOutbox, cardIdsOf, loadIncident, subjectOf as incidentSubject } from '../domain/incidents.ts';
import { incidentTypeLabel } from '../domain/incident-types.ts';
import { loadHazard, subjectOf as hazardSubject } from '../domain/hazards.ts';
import { personNames as namesOf } from '../domain/people.ts';
import { nameOf, peopleInfo, shiftById, shiftSpanLong } from '../domain/roster.ts';
import { formatDateTime } from '../domain/time.ts';
import { dispatchCard } from '../views/incident-cards.ts';
import { hazardCard } from '../views/hazard-cards.ts';
import { ackLines, ladderCard } from '../views/escalation-cards.ts';
import { currentCard, namesFor } from './incident-flow.ts';
import { registerLadderKind, withFoot } from './escalation-flow.ts';

const noOf = (item: string) => item.slice(item.indexOf(':') + 1);

// 险情: the incident card itself is what the people on duty are buzzed on; every copy shows the stamps.
registerLadderKind('incident', {
  async card(deps, item, _now, ladders, newcomers) {
    const rec = await loadIncident(deps.db, noOf(item));
    if (!rec) return undefined;
    const names = await namesFor(deps, rec, [...ladders.map((e) => e.personOpenId), ...newcomers]);
    return currentCard(deps, rec, names, { ladders, newcomers });
  },
  async settled(db, item) {
    const [i] = await db.select({ status: incidents.status }).from(incidents).where(eq(incidents.no, noOf(item))).limit(1);
    return !i || i.status !== 'open';
  },
  async what(db, item) {
    const [i] = await db.select().from(incidents).where(eq(incidents.no, noOf(item))).limit(1);
    if (!i) return { zh: noOf(item), en: noOf(item) };
    const t = incidentTypeLabel(i.type);
    return { zh: `${i.no} ${t.zh}险情（${i.location}）`, en: `${i.no} ${t.en} (${i.location})` };
  },
  async joined(db, item, outboxId) {
    const [i] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.no, noOf(item))).limit(1);
    return i ? [addCardOutbox(db, i.id, outboxId)] : [];
  },
  async copies(db, item) {
    const [i] = await db.select().from(incidents).where(eq(incidents.no, noOf(item))).limit(1);
    return i ? cardIdsOf(i) : [];
  },
  subject: (item) => item,
});

// 调度令 not acknowledged (接令): the team leader's order carries the ladder; the leader on duty is next.
const dispatchOf = async (db: Parameters<typeof loadIncident>[0], item: string) => {
  const [, no, team] = item.split(':');
  const rec = await loadIncident(db, no);
  const d = rec?.dispatches.find((x) => x.teamId === Number(team));
  return rec && d ? { rec, d } : undefined;
};

registerLadderKind('dispatch', {
  async card(deps, item, _now, ladders, newcomers, recipient) {
    const found = await dispatchOf(deps.db, item);
    if (!found) return undefined;
    const { rec, d } = found;
    const names = await namesFor(deps, rec, [...ladders.map((e) => e.personOpenId), ...newcomers]);
    const tz = deps.settings.tz;
    const acks = ackLines(item, ladders, names, tz, newcomers);
    if (recipient && recipient === d.leaderOpenId) return withFoot(dispatchCard(rec, d, { tz, names }), acks);
    const leader = nameOf(names, d.leaderOpenId);
    const phone = d.leaderOpenId ? names.get(d.leaderOpenId)?.mobile : undefined;
    return ladderCard({
      title: { zh: `${rec.incident.no} 调度令未接令`, en: `${rec.incident.no}: dispatch not acknowledged` },
      template: 'red',
      lines: [{
        zh: `**${d.team.name}**（队长 ${leader}${phone ? ` ${phone}` : ''}）于 ${formatDateTime(new Date(d.dispatchedAt), tz)} 派往 ${rec.incident.location}，至今未接令。请立即电话联系队长，必要时改派其他队伍。`,
        en: `**${d.team.name}** (leader ${leader}${phone ? ` ${phone}` : ''}) was sent to ${rec.incident.location} at ${formatDateTime(new Date(d.dispatchedAt), tz)} and has not acknowledged. Phone the leader now; send another team if need be.`,
      }],
      ladders, newcomers, names, tz, item,
    });
  },
  async settled(db, item) {
    const found = await dispatchOf(db, item);
    return !found || found.d.ackedAt !== null || found.rec.incident.status !== 'open';
  },
  async what(db, item) {
    const found = await dispatchOf(db, item);
    return found ? { zh: `${found.rec.incident.no} ${found.d.team.name}调度令`, en: `${found.rec.incident.no} ${found.d.team.name} dispatch order` } : { zh: item, en: item };
  },
  subject: (item) => incidentSubject(item.split(':')[1]),
});

// 交接班 unsigned 30 minutes into the shift: the incoming officer's notice carries the ladder; the leader on duty is next.
registerLadderKind('handover', {
  async card(deps, item, _now, ladders, newcomers) {
    const [h] = await deps.db.select().from(handovers).where(eq(handovers.id, Number(item.split(':')[1]))).limit(1);
    if (!h) return undefined;
    const to = h.toShiftId ? await shiftById(deps.db, h.toShiftId) : undefined;
    const names = await peopleInfo(deps.db, [h.fromOpenId, h.toOpenId, ...ladders.map((e) => e.personOpenId), ...newcomers]);
    const tz = deps.settings.tz;
    const span = to ? shiftSpanLong(to, tz) : '—';
    return ladderCard({
      title: { zh: '交接班尚未签收', en: 'Handover not signed' },
      template: 'red',
      lines: [{
        zh: `值班员 ${nameOf(names, h.toOpenId)}（班次 ${span}）仍未签收 ${nameOf(names, h.fromOpenId)} 的交班记录。请查看并签收，或电话联系。`,
        en: `Duty officer ${nameOf(names, h.toOpenId)} (shift ${span}) has still not signed ${nameOf(names, h.fromOpenId)}'s handover. Read and sign it, or phone them.`,
      }],
      ladders, newcomers, names, tz, item,
    });
  },
  async settled(db, item) {
    const [h] = await db.select({ signedAt: handovers.signedAt }).from(handovers).where(eq(handovers.id, Number(item.split(':')[1]))).limit(1);
    return !h || h.signedAt !== null;
  },
  async what(db, item) {
    const [h] = await db.select().from(handovers).where(eq(handovers.id, Number(item.split(':')[1]))).limit(1);
    const names = await peopleInfo(db, [h?.fromOpenId, h?.toOpenId]);
    return h ? { zh: `${nameOf(names, h.fromOpenId)} → ${nameOf(names, h.toOpenId)} 的交接班`, en: `the handover ${nameOf(names, h.fromOpenId)} → ${nameOf(names, h.toOpenId)}` } : { zh: item, en: item };
  },
});

// A new major hazard: the assignee's notice carries the ladder; then the enterprise's contact, then the 包保 supervisor.
registerLadderKind('hazard', {
  async card(deps, item, now, ladders, newcomers, recipient) {
    const rec = await loadHazard(deps.db, noOf(item));
    if (!rec) return undefined;
    const h = rec.hazard;
    const tz = deps.settings.tz;
    const people = await peopleInfo(deps.db, [h.assigneeOpenId, rec.enterprise.contactOpenId, rec.enterprise.supervisorOpenId, ...ladders.map((e) => e.personOpenId), ...newcomers]);
    const acks = ackLines(item, ladders, people, tz, newcomers);
    if (recipient && recipient === h.assigneeOpenId) {
      const names = await namesOf(deps.db, [h.reporterOpenId, h.assigneeOpenId, rec.enterprise.contactOpenId]);
      return withFoot(hazardCard(rec, { tz, now, names }), acks);
    }
    const deadline = h.deadline ? formatDateTime(new Date(h.deadline), tz) : '—';
    return ladderCard({
      title: { zh: `重大隐患 ${h.no} 待确认`, en: `Major hazard ${h.no}: not acknowledged` },
      template: 'red',
      lines: [{
        zh: `**${rec.enterprise.name}**：${h.description}\n已派 ${nameOf(people, h.assigneeOpenId)} 整改，期限 ${deadline}，责任人尚未确认收到。请督促整改并点「收到」。`,
        en: `**${rec.enterprise.name}**: ${h.description}\nAssigned to ${nameOf(people, h.assigneeOpenId)}, due ${deadline}; the assignee has not acknowledged. Please follow it up and press 收到.`,
      }],
      ladders, newcomers, names: people, tz, item,
    });
  },
  async settled(db, item) {
    const rec = await loadHazard(db, noOf(item));
    return !rec || rec.hazard.status !== 'dispatched';
  },
  async what(db, item) {
    const rec = await loadHazard(db, noOf(item));
    return rec ? { zh: `重大隐患 ${rec.hazard.no}（${rec.enterprise.name}）`, en: `major hazard ${rec.hazard.no} (${rec.enterprise.name})` } : { zh: item, en: item };
  },
  subject: (item) => hazardSubject(noOf(item)),
});
