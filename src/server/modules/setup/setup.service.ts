import { ne, sql } from 'drizzle-orm';
import { checkPassword, type PasswordPolicy } from '../../../shared/password-policy.ts';
import { PLATFORM_ZONE_ID, writeAudit } from '../../audit/audit.ts';
import { securitySettings } from '../../auth/auth.schema.ts';
import { seedDefaultDictionaries } from '../dictionaries/dictionaries.defaults.ts';
import { seedDefaultIndicators } from '../indicators/indicators.defaults.ts';
import { hashPassword } from '../../auth/passwords.ts';
import type { AppServices } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, fieldError, pgErrorCode } from '../../errors.ts';
import { units, zones } from '../org/org.schema.ts';
import { userRoles, users } from '../users/users.schema.ts';
import type { SetupBody } from './setup.dto.ts';

/** The zone code of the instance's first zone (the CLI's `--zone`); the demo zone is `qibuqu`. */
export const SETUP_ZONE_CODE = 'main';

/** Serialises concurrent setup requests (several instances, double clicks): only the first creates a zone. */
const SETUP_LOCK = 7_140_426;

/** The policy a brand-new zone starts with: the column defaults of security_settings (10 characters, 3 classes). */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: Number(securitySettings.passwordMinLength.default ?? 10),
  minClasses: Number(securitySettings.passwordMinClasses.default ?? 3),
};

export interface SetupClient {
  ip: string | null;
  requestId: string | null;
}

/** Setup is needed while no zone exists besides the platform zone (the demo zone counts as a zone). */
export async function isSetupNeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: zones.id }).from(zones).where(ne(zones.id, PLATFORM_ZONE_ID)).limit(1);
  return !row;
}

export function assertSetupPassword(password: string): void {
  const problem = checkPassword(password, DEFAULT_PASSWORD_POLICY);
  if (problem) {
    throw fieldError('adminPassword', `field.password.${problem.code}`, problem.code === 'too_long' ? { max: problem.max } : { min: problem.min });
  }
}

export interface CreatedZone {
  zoneId: string;
  rootUnitId: string;
  adminId: string;
}

/**
 * Writes a real (non-demo) zone in the caller's transaction: the zone, its security settings, a root committee
 * unit named after it, and its first system administrator (who must enrol TOTP at first sign-in, as every admin
 * outside the demo zone). Audited as zone.setup in the new zone.
 */
export async function createZoneWithAdmin(tx: Db, s: AppServices, input: SetupBody, opts: { code: string; passwordHash: string; client: SetupClient }): Promise<CreatedZone> {
  const [zone] = await tx.insert(zones).values({ code: opts.code, name: input.zoneName, shortName: input.zoneShortName, isDemo: false }).returning({ id: zones.id });
  if (!zone) throw new Error('zone insert returned nothing');
  const zoneId = zone.id;
  await tx.insert(securitySettings).values({ zoneId });
  await seedDefaultDictionaries(tx, zoneId);
  await seedDefaultIndicators(tx, zoneId, input.zoneShortName);
  const [root] = await tx
    .insert(units)
    .values({ zoneId, parentId: null, kind: 'committee', name: input.zoneName, shortName: input.zoneShortName })
    .returning({ id: units.id });
  const [admin] = await tx
    .insert(users)
    .values({ zoneId, username: input.adminUsername, displayName: input.adminDisplayName, unitId: root!.id, passwordHash: opts.passwordHash })
    .returning({ id: users.id });
  await tx.insert(userRoles).values({ zoneId, userId: admin!.id, role: 'sys_admin' });
  await writeAudit(
    tx,
    s.keys.auditKey,
    { zoneId, actorId: null, actorName: 'setup', actorRole: 'system', ip: opts.client.ip, requestId: opts.client.requestId },
    {
      action: 'zone.setup',
      entityType: 'zone',
      entityId: zoneId,
      after: {
        zone: { code: opts.code, name: input.zoneName, shortName: input.zoneShortName, isDemo: false },
        rootUnitId: root!.id,
        admin: { id: admin!.id, username: input.adminUsername, displayName: input.adminDisplayName, roles: ['sys_admin'] },
      },
    },
  );
  return { zoneId, rootUnitId: root!.id, adminId: admin!.id };
}

/** POST /api/setup: creates the first zone, once. 409 setup_done when any zone exists already. */
export async function runSetup(s: AppServices, input: SetupBody, client: SetupClient): Promise<{ zoneId: string }> {
  if (!(await isSetupNeeded(s.db))) throw new AppError('setup_done');
  assertSetupPassword(input.adminPassword);
  const passwordHash = await hashPassword(input.adminPassword);
  try {
    return await s.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
      // Checked again under the lock: a concurrent setup may have finished while the password was hashed.
      if (!(await isSetupNeeded(tx))) throw new AppError('setup_done');
      const created = await createZoneWithAdmin(tx, s, input, { code: SETUP_ZONE_CODE, passwordHash, client });
      return { zoneId: created.zoneId };
    });
  } catch (err) {
    // Only a sign-in name can collide here (usernames are unique across the deployment).
    if (pgErrorCode(err) === '23505') throw fieldError('adminUsername', 'field.taken');
    throw err;
  }
}
