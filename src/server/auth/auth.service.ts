import { and, eq, sql } from 'drizzle-orm';
import { checkPassword } from '../../shared/password-policy.ts';
import type { Role } from '../../shared/roles.ts';
import { PLATFORM_ZONE_ID, writeAudit, type AuditActor } from '../audit/audit.ts';
import type { AppServices, Caller } from '../context.ts';
import { decrypt, encrypt } from '../crypto.ts';
import { AppError, fieldError } from '../errors.ts';
import { userRoles, users } from '../modules/users/users.schema.ts';
import { burnVerifyTime, hashPassword, verifyPassword } from './passwords.ts';
import { createSession, revokeSession, revokeUserSessions } from './sessions.ts';
import { getSecuritySettings } from './settings.ts';
import { makeTotp, matchTotp, newTotpSecret } from './totp.ts';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface LoginInput {
  username: string;
  password: string;
  totpCode?: string | undefined;
}

function actorFor(zoneId: string, user: { id: string; displayName: string } | null, roles: string, client: ClientInfo): AuditActor {
  return { zoneId, actorId: user?.id ?? null, actorName: user?.displayName ?? null, actorRole: roles || null, ip: client.ip, requestId: client.requestId };
}

/**
 * Password (and TOTP) sign-in. Unknown user, wrong password, disabled and locked accounts all get the same
 * answer after the same argon2 work; every attempt is audited; failures count towards the zone's lockout.
 * Returns the new session token (a fresh id: any session the client held is not reused).
 */
export async function login(s: AppServices, input: LoginInput, client: ClientInfo): Promise<{ token: string; userId: string }> {
  const now = s.now();
  const [user] = await s.db.select().from(users).where(sql`lower(${users.username}) = lower(${input.username})`);
  if (!user) {
    await burnVerifyTime(input.password);
    await s.db.transaction((tx) =>
      writeAudit(tx, s.keys.auditKey, actorFor(PLATFORM_ZONE_ID, null, '', client), {
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: null,
        result: 'failed',
        after: { username: input.username.slice(0, 64), reason: 'unknown_user' },
      }),
    );
    throw new AppError('invalid_credentials');
  }
  const settings = await getSecuritySettings(s.db, user.zoneId);
  const roleRows = await s.db.select({ role: userRoles.role }).from(userRoles).where(and(eq(userRoles.zoneId, user.zoneId), eq(userRoles.userId, user.id)));
  const roles = roleRows.map((r) => r.role).join(',');
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime();

  const fail = async (reason: string, countsTowardLockout: boolean): Promise<never> => {
    await s.db.transaction(async (tx) => {
      let lockedUntil: Date | null = null;
      if (countsTowardLockout) {
        const [updated] = await tx
          .update(users)
          .set({ failedSignIns: sql`${users.failedSignIns} + 1` })
          .where(and(eq(users.zoneId, user.zoneId), eq(users.id, user.id)))
          .returning({ failed: users.failedSignIns });
        if (updated && updated.failed >= settings.lockoutThreshold) {
          lockedUntil = new Date(now.getTime() + settings.lockoutMinutes * 60_000);
          await tx.update(users).set({ failedSignIns: 0, lockedUntil }).where(and(eq(users.zoneId, user.zoneId), eq(users.id, user.id)));
        }
      }
      await writeAudit(tx, s.keys.auditKey, actorFor(user.zoneId, user, roles, client), {
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user.id,
        result: 'failed',
        after: { username: user.username, reason, ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
      });
    });
    throw new AppError('invalid_credentials');
  };

  if (locked) return fail('locked', false);
  if (user.disabled) return fail('disabled', false);
  if (!passwordOk) return fail('wrong_password', true);
  if (user.totpEnabled && user.totpSecretEnc) {
    if (!input.totpCode) throw new AppError('second_factor_required');
    const step = matchTotp(decrypt(s.keys, user.totpSecretEnc), input.totpCode, now, user.totpLastStep);
    if (step === null) return fail('wrong_totp', true);
    await s.db.update(users).set({ totpLastStep: step }).where(and(eq(users.zoneId, user.zoneId), eq(users.id, user.id)));
  }

  return s.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: now })
      .where(and(eq(users.zoneId, user.zoneId), eq(users.id, user.id)));
    const token = await createSession(tx, {
      zoneId: user.zoneId,
      userId: user.id,
      now,
      absoluteHours: settings.absoluteTimeoutHours,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    await writeAudit(tx, s.keys.auditKey, actorFor(user.zoneId, user, roles, client), {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      after: { username: user.username, secondFactor: user.totpEnabled },
    });
    return { token, userId: user.id };
  });
}

export async function logout(s: AppServices, caller: Caller): Promise<void> {
  await s.db.transaction(async (tx) => {
    await revokeSession(tx, caller.sessionId, 'logout', s.now());
    await writeAudit(tx, s.keys.auditKey, actorOfCaller(caller), { action: 'auth.logout', entityType: 'user', entityId: caller.userId });
  });
}

function actorOfCaller(caller: Caller): AuditActor {
  return { zoneId: caller.zoneId, actorId: caller.userId, actorName: caller.displayName, actorRole: caller.roles.join(','), ip: caller.ip, requestId: caller.requestId };
}

/** Validates a new password against the zone's policy, throwing a field error on `path`. */
export async function assertPasswordAllowed(s: AppServices, zoneId: string, password: string, path: string): Promise<void> {
  const settings = await getSecuritySettings(s.db, zoneId);
  const problem = checkPassword(password, { minLength: settings.passwordMinLength, minClasses: settings.passwordMinClasses });
  if (problem) throw fieldError(path, `field.password.${problem.code}`, problem.code === 'too_long' ? { max: problem.max } : { min: problem.min });
}

/** Changing one's password ends every session of the user, then opens a fresh one for this client. */
export async function changePassword(
  s: AppServices,
  caller: Caller,
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<string> {
  const [user] = await s.db.select().from(users).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
  if (!user) throw new AppError('unauthenticated');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw fieldError('currentPassword', 'field.password.wrong');
  if (input.currentPassword === input.newPassword) throw fieldError('newPassword', 'field.password.same_as_old');
  await assertPasswordAllowed(s, caller.zoneId, input.newPassword, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  const settings = await getSecuritySettings(s.db, caller.zoneId);
  const now = s.now();
  return s.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, mustChangePassword: false, version: sql`${users.version} + 1`, updatedAt: now })
      .where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
    const ended = await revokeUserSessions(tx, caller.zoneId, caller.userId, 'password_changed', now);
    const token = await createSession(tx, { zoneId: caller.zoneId, userId: caller.userId, now, absoluteHours: settings.absoluteTimeoutHours, ip: client.ip, userAgent: client.userAgent });
    await writeAudit(tx, s.keys.auditKey, actorOfCaller(caller), {
      action: 'user.change_password',
      entityType: 'user',
      entityId: caller.userId,
      after: { sessionsEnded: ended },
    });
    return token;
  });
}

/** Starts TOTP enrolment: a new secret, stored encrypted but not yet enabled until a code confirms it. */
export async function beginTotpEnrolment(s: AppServices, caller: Caller): Promise<{ secret: string; otpauthUrl: string }> {
  const secret = newTotpSecret();
  await s.db
    .update(users)
    .set({ totpSecretEnc: encrypt(s.keys, secret), totpEnabled: false, totpLastStep: null })
    .where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId), eq(users.totpEnabled, false)));
  const [user] = await s.db.select({ enabled: users.totpEnabled }).from(users).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
  if (user?.enabled) throw new AppError('conflict');
  return { secret, otpauthUrl: makeTotp(secret, caller.username).toString() };
}

export async function confirmTotpEnrolment(s: AppServices, caller: Caller, code: string): Promise<void> {
  const [user] = await s.db.select().from(users).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
  if (!user?.totpSecretEnc || user.totpEnabled) throw new AppError('conflict');
  const step = matchTotp(decrypt(s.keys, user.totpSecretEnc), code, s.now(), null);
  if (step === null) throw fieldError('code', 'field.totp_code');
  await s.db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabled: true, totpLastStep: step }).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
    await writeAudit(tx, s.keys.auditKey, actorOfCaller(caller), { action: 'user.totp_enable', entityType: 'user', entityId: caller.userId });
  });
}

const ADMIN: readonly Role[] = ['sys_admin', 'sec_admin', 'audit_admin'];

/** Turning TOTP off needs a current code; admins outside the demo zone cannot turn it off at all. */
export async function disableTotp(s: AppServices, caller: Caller, code: string, zoneIsDemo: boolean): Promise<void> {
  if (!zoneIsDemo && caller.roles.some((r) => ADMIN.includes(r))) throw new AppError('forbidden');
  const [user] = await s.db.select().from(users).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
  if (!user?.totpSecretEnc || !user.totpEnabled) throw new AppError('conflict');
  if (matchTotp(decrypt(s.keys, user.totpSecretEnc), code, s.now(), user.totpLastStep) === null) throw fieldError('code', 'field.totp_code');
  await s.db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabled: false, totpSecretEnc: null, totpLastStep: null }).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, caller.userId)));
    await writeAudit(tx, s.keys.auditKey, actorOfCaller(caller), { action: 'user.totp_disable', entityType: 'user', entityId: caller.userId });
  });
}
