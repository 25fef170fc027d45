import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { sessions } from '../../auth/auth.schema.ts';
import { revokeSession } from '../../auth/sessions.ts';
import { getSecuritySettings } from '../../auth/settings.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../errors.ts';
import { audit } from '../../lib/audited.ts';
import { users } from '../users/users.schema.ts';
import type { SessionDto } from './security.dto.ts';
import { assertSecurityAdmin } from './security.service.ts';

/** Hex digits of the stored session digest shown as its handle: enough to name one, useless as a token. */
export const HANDLE_LENGTH = 16;
const LIST_LIMIT = 2000;

export function handleOf(sessionId: string): string {
  return sessionId.slice(0, HANDLE_LENGTH);
}

/** Live sessions: not revoked, before their absolute expiry, and not idle past the zone's idle timeout. */
async function liveWhere(db: Db, zoneId: string, now: Date) {
  const settings = await getSecuritySettings(db, zoneId);
  const idleSince = new Date(now.getTime() - settings.idleTimeoutMinutes * 60_000);
  return and(eq(sessions.zoneId, zoneId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleSince));
}

export async function listSessions(s: AppServices, caller: Caller): Promise<{ items: SessionDto[] }> {
  assertSecurityAdmin(caller);
  const rows = await s.db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      username: users.username,
      displayName: users.displayName,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .innerJoin(users, and(eq(users.zoneId, sessions.zoneId), eq(users.id, sessions.userId)))
    .where(await liveWhere(s.db, caller.zoneId, s.now()))
    .orderBy(desc(sessions.lastSeenAt))
    .limit(LIST_LIMIT);
  return {
    items: rows.map((r) => ({ ...r, id: handleOf(r.id), createdAt: r.createdAt.toISOString(), lastSeenAt: r.lastSeenAt.toISOString() })),
  };
}

/** Ends a live session of the zone named by its handle; audited. */
export async function revokeSessionByHandle(s: AppServices, caller: Caller, handle: string): Promise<void> {
  assertSecurityAdmin(caller);
  const now = s.now();
  const matches = await s.db
    .select({ id: sessions.id, userId: sessions.userId, username: users.username })
    .from(sessions)
    .innerJoin(users, and(eq(users.zoneId, sessions.zoneId), eq(users.id, sessions.userId)))
    .where(and(await liveWhere(s.db, caller.zoneId, now), sql`${sessions.id} like ${`${handle}%`}`));
  if (matches.length === 0) throw notFound();
  await s.db.transaction(async (tx) => {
    for (const m of matches) {
      await revokeSession(tx, m.id, 'revoked_by_admin', now);
      await audit(tx, s, caller, { action: 'session.revoke', entityType: 'session', entityId: handle, after: { userId: m.userId, username: m.username } });
    }
  });
}
