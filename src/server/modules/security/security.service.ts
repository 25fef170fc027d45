import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { securitySettings } from '../../auth/auth.schema.ts';
import { getSecuritySettings, type SecuritySettings } from '../../auth/settings.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import { forbidden, notFound } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { users } from '../users/users.schema.ts';
import type { LockedUser, SettingsDto, UpdateSettingsBody } from './security.dto.ts';

/** Only the security admin (三员分立) touches security settings, locks and sessions. */
export function assertSecurityAdmin(caller: Caller): void {
  if (!hasRole(caller, 'sec_admin')) throw forbidden();
}

const SETTING_KEYS = [
  'passwordMinLength',
  'passwordMinClasses',
  'passwordMaxAgeDays',
  'lockoutThreshold',
  'lockoutMinutes',
  'idleTimeoutMinutes',
  'absoluteTimeoutHours',
  'totpRequiredForAll',
] as const;
type SettingKey = (typeof SETTING_KEYS)[number];
type SettingValues = Pick<SecuritySettings, SettingKey>;

function presentSettings(row: SecuritySettings): SettingsDto {
  const out: Partial<SettingValues> = {};
  for (const key of SETTING_KEYS) (out as Record<SettingKey, unknown>)[key] = row[key];
  return { ...(out as SettingValues), version: row.version };
}

export async function readSettings(s: AppServices, caller: Caller): Promise<SettingsDto> {
  assertSecurityAdmin(caller);
  return presentSettings(await getSecuritySettings(s.db, caller.zoneId));
}

function diffSettings(cur: SecuritySettings, input: UpdateSettingsBody) {
  const before: Partial<SettingValues> = {};
  const after: Partial<SettingValues> = {};
  for (const key of SETTING_KEYS) {
    const next = input[key];
    if (next === undefined || next === cur[key]) continue;
    (before as Record<SettingKey, unknown>)[key] = cur[key];
    (after as Record<SettingKey, unknown>)[key] = next;
  }
  return { before, after };
}

/** Saves the settings the request names (version required); they apply from the next request or sign-in. */
export async function updateSettings(s: AppServices, caller: Caller, input: UpdateSettingsBody): Promise<SettingsDto> {
  assertSecurityAdmin(caller);
  const cur = await getSecuritySettings(s.db, caller.zoneId);
  const { before, after } = diffSettings(cur, input);
  if (Object.keys(after).length === 0) {
    if (input.version !== cur.version) throw await versionConflict(s.db, caller.zoneId, 'security_settings', caller.zoneId);
    return presentSettings(cur);
  }
  const saved = await s.db.transaction(async (tx) => {
    const [row] = await tx
      .update(securitySettings)
      .set({ ...after, version: sql`${securitySettings.version} + 1`, updatedAt: s.now() })
      .where(and(eq(securitySettings.zoneId, caller.zoneId), eq(securitySettings.version, input.version)))
      .returning();
    if (!row) throw await versionConflict(tx, caller.zoneId, 'security_settings', caller.zoneId);
    await audit(tx, s, caller, { action: 'security.settings_update', entityType: 'security_settings', entityId: caller.zoneId, before, after });
    return row;
  });
  return presentSettings(saved);
}

/** Accounts of the zone locked now by failed sign-ins. */
export async function listLockedUsers(s: AppServices, caller: Caller): Promise<{ items: LockedUser[] }> {
  assertSecurityAdmin(caller);
  const rows = await s.db
    .select({ id: users.id, username: users.username, displayName: users.displayName, lockedUntil: users.lockedUntil, failedSignIns: users.failedSignIns })
    .from(users)
    .where(and(eq(users.zoneId, caller.zoneId), gt(users.lockedUntil, s.now())))
    .orderBy(asc(users.lockedUntil));
  return { items: rows.map((r) => ({ ...r, lockedUntil: (r.lockedUntil ?? s.now()).toISOString() })) };
}

/** Lifts a lock and forgets the failed sign-ins. Not an edit of the account, so its version stays. */
export async function unlockUser(s: AppServices, caller: Caller, id: string): Promise<void> {
  assertSecurityAdmin(caller);
  const [cur] = await s.db
    .select({ lockedUntil: users.lockedUntil, failedSignIns: users.failedSignIns, username: users.username })
    .from(users)
    .where(and(eq(users.zoneId, caller.zoneId), eq(users.id, id)));
  if (!cur) throw notFound();
  await s.db.transaction(async (tx) => {
    await tx.update(users).set({ lockedUntil: null, failedSignIns: 0 }).where(and(eq(users.zoneId, caller.zoneId), eq(users.id, id)));
    await audit(tx, s, caller, {
      action: 'user.unlock',
      entityType: 'user',
      entityId: id,
      before: { username: cur.username, lockedUntil: cur.lockedUntil?.toISOString() ?? null, failedSignIns: cur.failedSignIns },
      after: { lockedUntil: null, failedSignIns: 0 },
    });
  });
}
