import type { Role } from '../../../shared/roles.ts';
import { hasRole, type Caller } from '../../context.ts';
import { forbidden } from '../../errors.ts';

/**
 * Who may do what with user accounts (三员分立): the system admin manages accounts and roles; the business roles
 * of the zone read a directory of it; the security and audit admins and enterprise contacts do not see it.
 * The data scope is always the caller's zone (the repository filters on it).
 */
export const DIRECTORY_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent', 'sys_admin'];
export const MANAGE_ROLES: readonly Role[] = ['sys_admin'];
export const REVEAL_ROLES: readonly Role[] = ['sys_admin', 'zone_leader', 'hq_commander'];

export function canManageUsers(caller: Caller): boolean {
  return hasRole(caller, ...MANAGE_ROLES);
}

export function canRevealPhone(caller: Caller): boolean {
  return hasRole(caller, ...REVEAL_ROLES);
}

export function assertCanManageUsers(caller: Caller): void {
  if (!canManageUsers(caller)) throw forbidden();
}

export function assertCanRevealPhone(caller: Caller): void {
  if (!canRevealPhone(caller)) throw forbidden();
}

export interface UserCan {
  update: boolean;
  disable: boolean;
  enable: boolean;
  resetPassword: boolean;
  reveal: boolean;
}

/** What the caller may do next with one account. An admin never disables or resets themselves here. */
export function userCan(caller: Caller, target: { id: string; disabled: boolean; hasPhone: boolean }): UserCan {
  const manage = canManageUsers(caller);
  const self = target.id === caller.userId;
  return {
    update: manage,
    disable: manage && !self && !target.disabled,
    enable: manage && target.disabled,
    resetPassword: manage && !self,
    reveal: canRevealPhone(caller) && target.hasPhone,
  };
}

/** Sign-in activity is shown to the system admin only; the directory shows who people are, not when they work. */
export function seesSignInActivity(caller: Caller): boolean {
  return canManageUsers(caller);
}
