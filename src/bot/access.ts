import type { Bi } from '../bi.ts';
import { ROLE_LABELS, type Role } from '../domain/roles.ts';
import type { Caller } from '../domain/people.ts';
import type { Access } from './command.ts';
import { BotError } from './errors.ts';

export const allows = (access: Access, caller: Caller): boolean => {
  if (access === 'anyone') return true;
  if (access === 'registered') return !!caller.person || caller.roles.size > 0;
  return access.some((r) => caller.roles.has(r));
};

export const rolesText = (roles: readonly Role[]) => ({
  zh: roles.map((r) => ROLE_LABELS[r].zh).join('、'),
  en: roles.map((r) => ROLE_LABELS[r].en).join(', '),
});

/** The refusal a person reads when their role does not allow something. */
export function roleRefusal(access: Access, what: Bi): BotError {
  if (access === 'anyone' || access === 'registered') return notRegistered();
  const r = rolesText(access);
  return new BotError(`${what.zh}需要以下角色之一：${r.zh}。`, `${what.en} needs one of these roles: ${r.en}.`);
}

export const notRegistered = () =>
  new BotError('您尚未登记，请联系管理员登记后再使用。', 'You are not registered yet; ask an admin to register you.');

/** A guard for use inside handlers: `requireRole(ctx.caller, ['leader'], what)`. */
export function requireRole(caller: Caller, roles: readonly Role[], what: Bi) {
  if (!roles.some((r) => caller.roles.has(r))) throw roleRefusal(roles, what);
}
