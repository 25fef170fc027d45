/**
 * Roles (domain.md "Users"). The three admin roles are separated (三员分立): none can do another's job,
 * and none reads business data beyond what its job needs.
 */
export const ROLES = [
  'zone_leader',
  'hq_commander',
  'hq_staff',
  'unit_staff',
  'service_agent',
  'enterprise_contact',
  'sys_admin',
  'sec_admin',
  'audit_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ADMIN_ROLES: readonly Role[] = ['sys_admin', 'sec_admin', 'audit_admin'];
export const BUSINESS_ROLES: readonly Role[] = ROLES.filter((r) => !ADMIN_ROLES.includes(r));

export function isAdminRole(role: Role): boolean {
  return ADMIN_ROLES.includes(role);
}

/** An account may not mix an admin role with any other role (separation of duties). */
export function rolesConflict(roles: readonly Role[]): boolean {
  const admins = roles.filter(isAdminRole);
  return admins.length > 1 || (admins.length === 1 && roles.length > 1);
}

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  zone_leader: { zh: '区领导', en: 'Zone leader' },
  hq_commander: { zh: '指挥部指挥长', en: 'HQ commander' },
  hq_staff: { zh: '指挥部工作人员', en: 'HQ staff' },
  unit_staff: { zh: '单位工作人员', en: 'Unit staff' },
  service_agent: { zh: '帮代办员', en: 'Service agent' },
  enterprise_contact: { zh: '企业联系人', en: 'Enterprise contact' },
  sys_admin: { zh: '系统管理员', en: 'System administrator' },
  sec_admin: { zh: '安全管理员', en: 'Security administrator' },
  audit_admin: { zh: '审计管理员', en: 'Audit administrator' },
};
