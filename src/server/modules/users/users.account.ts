import { and, eq, sql } from 'drizzle-orm';
import { assertPasswordAllowed } from '../../auth/auth.service.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { revokeUserSessions } from '../../auth/sessions.ts';
import type { AppServices, Caller } from '../../context.ts';
import { decryptOptional } from '../../crypto.ts';
import { fieldError } from '../../errors.ts';
import { audit, auditEvent, versionConflict } from '../../lib/audited.ts';
import type { UserDto } from './users.dto.ts';
import { assertCanManageUsers, assertCanRevealPhone } from './users.policy.ts';
import { presentUser } from './users.presenters.ts';
import { getUser, requireUser } from './users.service.ts';
import { users } from './users.schema.ts';

/**
 * Disables or re-enables an account. Disabling ends every session of the user at once; an admin cannot disable
 * themselves (someone must remain able to manage accounts).
 */
export async function setDisabled(s: AppServices, caller: Caller, id: string, version: number, disabled: boolean): Promise<UserDto> {
  assertCanManageUsers(caller);
  const cur = await requireUser(s.db, caller.zoneId, id);
  if (disabled && id === caller.userId) throw fieldError('id', 'field.disable_self');
  if (cur.disabled === disabled) {
    if (version !== cur.version) throw await versionConflict(s.db, caller.zoneId, 'user', id);
    return presentUser(s, caller, cur, s.now());
  }
  const now = s.now();
  await s.db.transaction(async (tx) => {
    const updated = await tx
      .update(users)
      .set({ disabled, version: sql`${users.version} + 1`, updatedAt: now })
      .where(and(eq(users.zoneId, caller.zoneId), eq(users.id, id), eq(users.version, version)))
      .returning({ id: users.id });
    if (updated.length === 0) throw await versionConflict(tx, caller.zoneId, 'user', id);
    const sessionsEnded = disabled ? await revokeUserSessions(tx, caller.zoneId, id, 'disabled', now) : 0;
    await audit(tx, s, caller, {
      action: disabled ? 'user.disable' : 'user.enable',
      entityType: 'user',
      entityId: id,
      before: { disabled: cur.disabled },
      after: { disabled, ...(disabled ? { sessionsEnded } : {}) },
    });
  });
  return getUser(s, caller, id);
}

/**
 * An admin sets a new password (the zone's policy applies): the user must change it at their next sign-in, and
 * every session they hold ends. Admins change their own password through /api/auth/password, which asks for the
 * current one.
 */
export async function resetPassword(s: AppServices, caller: Caller, id: string, password: string): Promise<UserDto> {
  assertCanManageUsers(caller);
  await requireUser(s.db, caller.zoneId, id);
  if (id === caller.userId) throw fieldError('password', 'field.reset_self');
  await assertPasswordAllowed(s, caller.zoneId, password, 'password');
  const passwordHash = await hashPassword(password);
  const now = s.now();
  await s.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, mustChangePassword: true, version: sql`${users.version} + 1`, updatedAt: now })
      .where(and(eq(users.zoneId, caller.zoneId), eq(users.id, id)));
    const sessionsEnded = await revokeUserSessions(tx, caller.zoneId, id, 'password_reset', now);
    await audit(tx, s, caller, { action: 'user.reset_password', entityType: 'user', entityId: id, after: { mustChangePassword: true, sessionsEnded } });
  });
  return getUser(s, caller, id);
}

/** Shows one personal-data field in clear to a role that needs it; every reveal is audited. */
export async function revealUserField(s: AppServices, caller: Caller, id: string, field: 'phone'): Promise<{ value: string | null }> {
  assertCanRevealPhone(caller);
  const cur = await requireUser(s.db, caller.zoneId, id);
  const value = decryptOptional(s.keys, cur.phoneEnc);
  await auditEvent(s, caller, { action: 'user.reveal', entityType: 'user', entityId: id, after: { field } });
  return { value };
}
