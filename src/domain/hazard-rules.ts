// The hazard's life and who may move it: the transition table and the who-may-do-what rules.
// Pure: no database, no clock. The verbs in hazards.ts consult these before planning a change.

import type { Bi } from '../bi.ts';
import type { Caller } from './people.ts';
import { ROLE_LABELS, type Role } from './roles.ts';
import type { HazardStatus } from './hazard-terms.ts';

export { HAZARD_LEVELS, HAZARD_STATUSES, LEVEL_LABELS, STATUS_LABELS, levelLabel, statusLabel, parseHazardLevel as parseLevel } from './hazard-terms.ts';
export type { HazardLevel, HazardStatus } from './hazard-terms.ts';


/** The things people do to a hazard after reporting it. */
export type HazardVerb = 'dispatch' | 'rectify' | 'verify_pass' | 'verify_fail';

export const VERB_LABELS: Record<HazardVerb | 'report' | 'photo' | 'import' | 'edit' | 'extend_request' | 'extend_approve' | 'extend_refuse' | 'supervise' | 'reassign', Bi> = {
  edit: { zh: '修改五落实', en: 'edited the measures' },
  extend_request: { zh: '申请延期', en: 'asked for an extension' },
  extend_approve: { zh: '同意延期', en: 'approved an extension' },
  extend_refuse: { zh: '不同意延期', en: 'refused an extension' },
  supervise: { zh: '挂牌督办', en: 'listed for supervision' },
  reassign: { zh: '改派', en: 'reassigned' },
  report: { zh: '上报', en: 'reported' },
  import: { zh: '导入', en: 'imported' },
  dispatch: { zh: '派单', en: 'dispatched' },
  rectify: { zh: '整改完成', en: 'marked rectified' },
  verify_pass: { zh: '复查通过', en: 'verified' },
  verify_fail: { zh: '复查不通过', en: 'rejected the fix' },
  photo: { zh: '附照片', en: 'attached a photo' },
};

/** A timeline action as people read it (unknown actions, e.g. from a later feature, show as written). */
export const actionLabel = (a: string): Bi => VERB_LABELS[a as keyof typeof VERB_LABELS] ?? { zh: a, en: a };

/** From which status each verb may start, and where it leads. Anything else is illegal. */
export const TRANSITIONS: Record<HazardVerb, { from: HazardStatus; to: HazardStatus }> = {
  dispatch: { from: 'reported', to: 'dispatched' },
  rectify: { from: 'dispatched', to: 'rectified' },
  verify_pass: { from: 'rectified', to: 'closed' },
  verify_fail: { from: 'rectified', to: 'dispatched' },
};

/** The verbs that make sense in a status: the buttons a hazard card shows. */
export function verbsFor(status: string): HazardVerb[] {
  return (Object.keys(TRANSITIONS) as HazardVerb[]).filter((v) => TRANSITIONS[v].from === status);
}

export const canTransition = (verb: HazardVerb, status: string) => TRANSITIONS[verb].from === status;

/** The part of a hazard the who-may rules look at. */
export interface HazardParties {
  reporterOpenId: string | null;
  assigneeOpenId: string | null;
  /** The enterprise's 联系人. */
  contactOpenId: string | null;
  /** 挂牌督办: a listed hazard is verified (验收销号) only by its 督办人 or a leader. */
  superviseLevel?: string | null;
  superviseOpenId?: string | null;
}

/** Who may report: the command's roles. */
export const HAZARD_REPORT_ROLES: readonly Role[] = ['inspector', 'officer', 'leader', 'admin'];
/** Who may verify (复查), besides never being the assignee. */
export const VERIFY_ROLES: readonly Role[] = ['inspector', 'leader'];

const roleNames = (roles: readonly Role[]) => ({
  zh: roles.map((r) => ROLE_LABELS[r].zh).join('、'),
  en: roles.map((r) => ROLE_LABELS[r].en).join(', '),
});

/**
 * Undefined when the caller may do `verb` to this hazard; otherwise why not, naming the role
 * needed. Dispatch: leader, admin, or the inspector who reported it. Rectify: the assignee or
 * the enterprise's contact. Verify: inspector or leader, never the assignee.
 */
export function refusalFor(verb: HazardVerb, caller: Caller, h: HazardParties): Bi | undefined {
  const has = (r: Role) => caller.roles.has(r);
  switch (verb) {
    case 'dispatch':
      if (has('leader') || has('admin') || (has('inspector') && h.reporterOpenId === caller.openId)) return undefined;
      return {
        zh: '派单需要以下角色之一：领导、管理员，或上报该隐患的检查员。',
        en: 'Dispatching needs one of: leader, admin, or the inspector who reported this hazard.',
      };
    case 'rectify':
      if (caller.openId === h.assigneeOpenId || (!!h.contactOpenId && caller.openId === h.contactOpenId)) return undefined;
      return {
        zh: '提交整改需要以下身份之一：该隐患的整改责任人、该企业的企业联系人。',
        en: "Marking it rectified needs one of: this hazard's assignee, the enterprise's contact.",
      };
    case 'verify_pass':
    case 'verify_fail': {
      if (caller.openId === h.assigneeOpenId) {
        return { zh: '整改责任人不能复查自己整改的隐患；复查需要检查员或领导。', en: 'The assignee cannot verify their own fix; verification needs an inspector or leader.' };
      }
      if (h.superviseLevel) {
        if (has('leader') || (!!h.superviseOpenId && caller.openId === h.superviseOpenId)) return undefined;
        return {
          zh: '该隐患已挂牌督办，须由督办人或领导验收销号。',
          en: 'This hazard is under listed supervision: only its supervisor (督办人) or a leader may verify and close it.',
        };
      }
      if (VERIFY_ROLES.some(has)) return undefined;
      const r = roleNames(VERIFY_ROLES);
      return { zh: `复查需要以下角色之一：${r.zh}。`, en: `Verification needs one of these roles: ${r.en}.` };
    }
  }
}

/** Whether the caller may dispatch this hazard (used to decide if a report with @assignee dispatches at once). */
export const mayDispatch = (caller: Caller, h: HazardParties) => refusalFor('dispatch', caller, h) === undefined;
