// Who is told what when a hazard changes. Pure: the bot layer renders each notice as a card and
// queues it in the same batch as the change. The person who acted is never told about their own act.

import type { HazardRecord } from './hazards.ts';

export type NoticeKind =
  /** The assignee: a hazard to rectify. */
  | 'assigned'
  /** The enterprise's contact: a hazard at their enterprise was dispatched. */
  | 'enterprise_dispatched'
  /** The enterprise's 包保领导: a major hazard was reported, at once (and buzzed). */
  | 'major_reported'
  /** The reporter: the fix is done and awaits verification. */
  | 'rectified'
  /** Everyone involved: the hazard is closed (销号). */
  | 'closed'
  /** The assignee and contact: verification failed, rectify again by the new deadline. */
  | 'reopened'
  /** Admins: the report created an unregistered enterprise to complete. */
  | 'enterprise_unregistered';

export interface Notice {
  to: string;
  kind: NoticeKind;
  /** 加急: push to the phone as well. */
  buzz?: boolean;
}

export type NoticeEvent = 'report' | 'dispatch' | 'rectify' | 'verify_pass' | 'verify_fail';

export function noticesFor(event: NoticeEvent, rec: HazardRecord, actorOpenId: string, extra: { admins?: string[]; involved?: string[] } = {}): Notice[] {
  const h = rec.hazard;
  const e = rec.enterprise;
  const out: Notice[] = [];
  const seen = new Set<string>([actorOpenId]);
  const tell = (to: string | null | undefined, kind: NoticeKind, buzz = false) => {
    if (!to || seen.has(to)) return;
    seen.add(to);
    out.push(buzz ? { to, kind, buzz } : { to, kind });
  };
  switch (event) {
    case 'report':
      if (h.level === 'major') tell(e.supervisorOpenId, 'major_reported', true);
      for (const a of extra.admins ?? []) tell(a, 'enterprise_unregistered');
      break;
    case 'dispatch':
      tell(h.assigneeOpenId, 'assigned', h.level === 'major');
      tell(e.contactOpenId, 'enterprise_dispatched');
      break;
    case 'rectify':
      tell(h.reporterOpenId, 'rectified');
      break;
    case 'verify_pass':
      tell(h.reporterOpenId, 'closed');
      tell(h.assigneeOpenId, 'closed');
      tell(e.contactOpenId, 'closed');
      if (h.level === 'major') tell(e.supervisorOpenId, 'closed');
      for (const p of extra.involved ?? []) tell(p, 'closed');
      break;
    case 'verify_fail':
      tell(h.assigneeOpenId, 'reopened');
      tell(e.contactOpenId, 'reopened');
      break;
  }
  return out;
}
