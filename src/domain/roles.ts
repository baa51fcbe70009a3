import type { Bi } from '../bi.ts';
// The roles a person can hold. Stored in `people.roles` as a `|`-joined subset in this order.

export const ROLES = ['admin', 'leader', 'inspector', 'officer', 'contact'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, Bi> = {
  admin: { zh: '管理员', en: 'admin' },
  leader: { zh: '领导', en: 'leader' },
  inspector: { zh: '检查员', en: 'inspector' },
  officer: { zh: '值班员', en: 'duty officer' },
  contact: { zh: '企业联系人', en: 'enterprise contact' },
};

/** An English role name (any case) or its Chinese label → the role; anything else → undefined. */
export function parseRole(text: string): Role | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  for (const role of ROLES) {
    if (lower === role || t === ROLE_LABELS[role].zh) return role;
  }
  return undefined;
}

/** Roles in canonical order without duplicates, `|`-joined: the stored form. */
export function formatRoles(roles: Iterable<Role>): string {
  const set = new Set(roles);
  return ROLES.filter((r) => set.has(r)).join('|');
}

/** The stored form → roles; unknown names are dropped. */
export function splitRoles(stored: string | null | undefined): Role[] {
  const set = new Set((stored ?? '').split('|').map((s) => parseRole(s)).filter((r): r is Role => r !== undefined));
  return ROLES.filter((r) => set.has(r));
}
