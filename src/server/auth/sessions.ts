import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '../../shared/roles.ts';
import type { Db } from '../db/client.ts';
import { commandMembers } from '../modules/org/org.schema.ts';
import { userRoles, users } from '../modules/users/users.schema.ts';
import { securitySettings, sessions } from './auth.schema.ts';

export const SESSION_COOKIE = 'qibu_sid';

/** A 256-bit random token goes to the browser; only its SM3 digest is stored, so a database leak yields no sessions. */
export function newSessionToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: sessionIdOf(token) };
}

export function sessionIdOf(token: string): string {
  return createHash('sm3').update(token).digest('hex');
}

export async function createSession(
  db: Db,
  opts: { zoneId: string; userId: string; now: Date; absoluteHours: number; ip: string | null; userAgent: string | null },
): Promise<string> {
  const { token, id } = newSessionToken();
  await db.insert(sessions).values({
    id,
    zoneId: opts.zoneId,
    userId: opts.userId,
    createdAt: opts.now,
    lastSeenAt: opts.now,
    expiresAt: new Date(opts.now.getTime() + opts.absoluteHours * 3_600_000),
    ip: opts.ip,
    userAgent: opts.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

export async function revokeSession(db: Db, id: string, reason: string, now: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: now, revokedReason: reason }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** Ends every live session of a user (disabled, password changed, locked by an admin). */
export async function revokeUserSessions(db: Db, zoneId: string, userId: string, reason: string, now: Date): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.zoneId, zoneId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length;
}

export interface ResolvedSession {
  sessionId: string;
  zoneId: string;
  userId: string;
  username: string;
  displayName: string;
  unitId: string | null;
  enterpriseId: string | null;
  roles: Role[];
  commandIds: string[];
  ledCommandIds: string[];
  mustChangePassword: boolean;
  mustEnrollTotp: boolean;
  totpEnabled: boolean;
}

/** Seconds between last-seen updates: enough for a 30-minute idle timeout, far fewer writes than one per request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Looks a cookie token up and applies the zone's idle and absolute timeouts. Returns null for an unknown,
 * revoked, expired or idle session, or for a disabled user.
 */
export async function resolveSession(db: Db, token: string, now: Date): Promise<ResolvedSession | null> {
  const id = sessionIdOf(token);
  const [row] = await db
    .select({
      session: sessions,
      user: {
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        unitId: users.unitId,
        enterpriseId: users.enterpriseId,
        disabled: users.disabled,
        mustChangePassword: users.mustChangePassword,
        passwordChangedAt: users.passwordChangedAt,
        totpEnabled: users.totpEnabled,
      },
      settings: securitySettings,
      isDemo: sql<boolean>`(select z.is_demo from zones z where z.id = ${sessions.zoneId})`,
    })
    .from(sessions)
    .innerJoin(users, and(eq(users.zoneId, sessions.zoneId), eq(users.id, sessions.userId)))
    .leftJoin(securitySettings, eq(securitySettings.zoneId, sessions.zoneId))
    .where(eq(sessions.id, id));
  if (!row || row.session.revokedAt || row.user.disabled) return null;
  const idleMinutes = row.settings?.idleTimeoutMinutes ?? 30;
  if (row.session.expiresAt.getTime() <= now.getTime()) {
    await revokeSession(db, id, 'expired', now);
    return null;
  }
  if (row.session.lastSeenAt.getTime() + idleMinutes * 60_000 <= now.getTime()) {
    await revokeSession(db, id, 'idle', now);
    return null;
  }
  if (now.getTime() - row.session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  const zoneId = row.session.zoneId;
  const roleRows = await db
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(and(eq(userRoles.zoneId, zoneId), eq(userRoles.userId, row.user.id)));
  const memberRows = await db
    .select({ commandId: commandMembers.commandId, memberRole: commandMembers.memberRole })
    .from(commandMembers)
    .where(and(eq(commandMembers.zoneId, zoneId), eq(commandMembers.userId, row.user.id)));
  const roles = roleRows.map((r) => r.role as Role);
  const maxAgeDays = row.settings?.passwordMaxAgeDays ?? 0;
  const passwordExpired = maxAgeDays > 0 && row.user.passwordChangedAt.getTime() + maxAgeDays * 86_400_000 <= now.getTime();
  const needsTotp = !row.isDemo && (roles.some((r) => r === 'sys_admin' || r === 'sec_admin' || r === 'audit_admin') || row.settings?.totpRequiredForAll === true);
  return {
    sessionId: id,
    zoneId,
    userId: row.user.id,
    username: row.user.username,
    displayName: row.user.displayName,
    unitId: row.user.unitId,
    enterpriseId: row.user.enterpriseId,
    roles,
    commandIds: memberRows.map((m) => m.commandId),
    ledCommandIds: memberRows.filter((m) => m.memberRole !== 'staff').map((m) => m.commandId),
    mustChangePassword: row.user.mustChangePassword || passwordExpired,
    mustEnrollTotp: needsTotp && !row.user.totpEnabled,
    totpEnabled: row.user.totpEnabled,
  };
}
