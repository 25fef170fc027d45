import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_ZONE_ID, verifyAudit } from '../../audit/audit.ts';
import { securitySettings } from '../../auth/auth.schema.ts';
import { hashPassword } from '../../auth/passwords.ts';
import type { Db } from '../../db/client.ts';
import { auditLog } from '../../audit/audit.schema.ts';
import { anonymous, createZone, getHarness } from '../../test/harness.ts';
import { units, zones } from '../org/org.schema.ts';
import { userRoles, users } from '../users/users.schema.ts';
import { assertSetupPassword, createZoneWithAdmin, isSetupNeeded } from './setup.service.ts';

class Rollback extends Error {}

/**
 * The shared test database already holds zones. A temporary `zones` table shadows the real one inside a
 * transaction (pg_temp comes first in the search path), so isSetupNeeded sees an instance with only the platform
 * zone; the rollback drops it again.
 */
async function withShadowZones(run: (tx: Db) => Promise<void>): Promise<void> {
  const { services } = await getHarness();
  await services.db
    .transaction(async (tx) => {
      await tx.execute(sql`create temp table zones (like public.zones including defaults) on commit drop`);
      await tx.execute(sql`insert into zones (id, code, name, short_name) values (${PLATFORM_ZONE_ID}, 'platform', '平台', '平台')`);
      await run(tx);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
}

const input = (suffix: string) => ({
  zoneName: `测试开发区${suffix}`,
  zoneShortName: '测试区',
  adminUsername: `setup.${suffix}`,
  adminDisplayName: '初始管理员',
  adminPassword: 'Setup@Pass2026',
});

describe('setup', () => {
  // Run alone, this file would meet an empty database; every assertion below is about an instance with a zone.
  beforeAll(async () => {
    await createZone();
  });

  it('is needed only while no zone exists besides the platform zone', async () => {
    await withShadowZones(async (tx) => {
      expect(await isSetupNeeded(tx)).toBe(true);
      await tx.execute(sql`insert into zones (code, name, short_name) values ('main', '某区', '某区')`);
      expect(await isSetupNeeded(tx)).toBe(false);
    });
    const { services } = await getHarness();
    expect(await isSetupNeeded(services.db)).toBe(false);
  });

  it('answers GET {needed:false} and POST 409 setup_done once zones exist', async () => {
    const client = await anonymous('en');
    const status = await client.get('/api/setup');
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({ needed: false });
    const done = await client.post('/api/setup', input(randomBytes(3).toString('hex')));
    expect(done.statusCode).toBe(409);
    expect(done.json().error).toMatchObject({ code: 'setup_done', message: 'This instance is already set up' });
    const bad = await client.post('/api/setup', { ...input('x'), adminUsername: 'a b', extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['adminUsername', 'extra']);
  });

  it('checks the password against the default policy (10 characters, 3 classes)', () => {
    expect(() => assertSetupPassword('Setup@Pass2026')).not.toThrow();
    const fieldsOf = (pw: string) => {
      try {
        assertSetupPassword(pw);
        return [];
      } catch (err) {
        return (err as { fields: { path: string; key: string }[] }).fields;
      }
    };
    expect(fieldsOf('Short@1')).toEqual([expect.objectContaining({ path: 'adminPassword', key: 'field.password.too_short' })]);
    expect(fieldsOf('alllowercaseletters')).toEqual([expect.objectContaining({ path: 'adminPassword', key: 'field.password.too_few_classes' })]);
  });

  it('creates the zone, its settings, a root unit and a sys_admin who must enrol TOTP; audited', async () => {
    const { services, app } = await getHarness();
    const suffix = randomBytes(4).toString('hex');
    const body = input(suffix);
    const created = await services.db.transaction(async (tx) =>
      createZoneWithAdmin(tx, services, body, { code: `setup-${suffix}`, passwordHash: await hashPassword(body.adminPassword), client: { ip: '127.0.0.1', requestId: 'r-1' } }),
    );
    const { zoneId } = created;
    const [zone] = await services.db.select().from(zones).where(eq(zones.id, zoneId));
    expect(zone).toMatchObject({ code: `setup-${suffix}`, name: body.zoneName, shortName: '测试区', isDemo: false });
    expect(await services.db.select().from(securitySettings).where(eq(securitySettings.zoneId, zoneId))).toEqual([
      expect.objectContaining({ passwordMinLength: 10, passwordMinClasses: 3 }),
    ]);
    expect(await services.db.select({ id: units.id, kind: units.kind, name: units.name, parentId: units.parentId }).from(units).where(eq(units.zoneId, zoneId))).toEqual([
      { id: created.rootUnitId, kind: 'committee', name: body.zoneName, parentId: null },
    ]);
    const [admin] = await services.db.select().from(users).where(eq(users.zoneId, zoneId));
    expect(admin).toMatchObject({ id: created.adminId, username: body.adminUsername, unitId: created.rootUnitId, mustChangePassword: false, totpEnabled: false });
    expect(await services.db.select({ role: userRoles.role }).from(userRoles).where(and(eq(userRoles.zoneId, zoneId), eq(userRoles.userId, created.adminId)))).toEqual([
      { role: 'sys_admin' },
    ]);
    const [setupRow] = await services.db.select().from(auditLog).where(and(eq(auditLog.zoneId, zoneId), eq(auditLog.action, 'zone.setup')));
    expect(setupRow).toMatchObject({ entityId: zoneId, ip: '127.0.0.1', actorRole: 'system' });
    expect(JSON.stringify(setupRow!.after)).not.toContain(body.adminPassword);

    // First sign-in: admins outside the demo zone enrol TOTP before anything else.
    const client = await anonymous();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: body.adminUsername, password: body.adminPassword } });
    expect(login.statusCode).toBe(200);
    client.cookie = `qibu_sid=${login.cookies.find((c) => c.name === 'qibu_sid')!.value}`;
    expect((await client.get('/api/auth/me')).json()).toMatchObject({ roles: ['sys_admin'], zone: { id: zoneId, isDemo: false }, mustEnrollTotp: true });
    expect((await client.get('/api/audit')).json().error.code).toBe('second_factor_setup_required');
    expect((await verifyAudit(services.db, services.keys.auditKey, zoneId)).problems).toEqual([]);
  });
});
