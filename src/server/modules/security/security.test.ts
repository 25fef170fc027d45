import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { anonymous, createZone, getHarness, signIn, TEST_PASSWORD, type Client } from '../../test/harness.ts';

async function auditRows(zoneId: string, action: string) {
  const { services } = await getHarness();
  return queryRows<{ actorName: string | null; entityId: string | null; before: unknown; after: unknown }>(
    services.db,
    sql`select actor_name as "actorName", entity_id as "entityId", before, after from audit_log where zone_id = ${zoneId} and action = ${action} order by at, seq`,
  );
}

async function patchSettings(sec: Client, changes: Record<string, unknown>) {
  const { version } = (await sec.get('/api/security/settings')).json();
  const res = await sec.patch('/api/security/settings', { version, ...changes });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function withClock<T>(offsetMs: number, run: () => Promise<T>): Promise<T> {
  const { clock } = await getHarness();
  clock.offsetMs = offsetMs;
  try {
    return await run();
  } finally {
    clock.offsetMs = 0;
  }
}

describe('security settings', () => {
  it('belong to the security admin alone (三员分立)', async () => {
    const zone = await createZone();
    for (const who of ['sysadmin', 'auditor', 'leader']) {
      const client = await signIn(zone, who);
      expect((await client.get('/api/security/settings')).statusCode).toBe(403);
      expect((await client.patch('/api/security/settings', { version: 1, lockoutThreshold: 10 })).statusCode).toBe(403);
      expect((await client.get('/api/security/sessions')).statusCode).toBe(403);
      expect((await client.get('/api/security/locked-users')).statusCode).toBe(403);
    }
    const sec = await signIn(zone, 'secadmin');
    expect((await sec.get('/api/security/settings')).json()).toEqual({
      passwordMinLength: 10,
      passwordMinClasses: 3,
      passwordMaxAgeDays: 0,
      lockoutThreshold: 5,
      lockoutMinutes: 15,
      idleTimeoutMinutes: 30,
      absoluteTimeoutHours: 12,
      totpRequiredForAll: false,
      version: 1,
    });
  });

  it('validates bounds, needs the current version, and audits before and after', async () => {
    const zone = await createZone();
    const sec = await signIn(zone, 'secadmin', 'en');
    const low = await sec.patch('/api/security/settings', { version: 1, lockoutThreshold: 2, passwordMinLength: 65 });
    expect(low.statusCode).toBe(400);
    expect(low.json().error.fields).toEqual(
      expect.arrayContaining([
        { path: 'lockoutThreshold', message: 'Must be at least 3' },
        { path: 'passwordMinLength', message: 'Must be at most 64' },
      ]),
    );
    expect((await sec.patch('/api/security/settings', { lockoutThreshold: 4 })).json().error.fields).toEqual([{ path: 'version', message: 'Required' }]);
    expect((await sec.patch('/api/security/settings', { version: 1, sessionSecret: 'x' })).statusCode).toBe(400);
    const ok = await sec.patch('/api/security/settings', { version: 1, passwordMinClasses: 0, passwordMaxAgeDays: 90, lockoutThreshold: 5 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ passwordMinClasses: 0, passwordMaxAgeDays: 90, version: 2 });
    const stale = await sec.patch('/api/security/settings', { version: 1, lockoutMinutes: 30 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    expect(await auditRows(zone.zoneId, 'security.settings_update')).toEqual([
      expect.objectContaining({ entityId: zone.zoneId, before: { passwordMinClasses: 3, passwordMaxAgeDays: 0 }, after: { passwordMinClasses: 0, passwordMaxAgeDays: 90 } }),
    ]);
  });

  it('takes effect: a lower lockout threshold locks on the third failure; a short idle timeout ends sessions', async () => {
    const zone = await createZone();
    const sec = await signIn(zone, 'secadmin');
    await patchSettings(sec, { lockoutThreshold: 3, idleTimeoutMinutes: 5 });
    const client = await anonymous();
    const username = zone.username('staff.daqiao');
    for (let i = 0; i < 3; i++) expect((await client.post('/api/auth/login', { username, password: 'wrong' })).statusCode).toBe(401);
    expect((await client.post('/api/auth/login', { username, password: TEST_PASSWORD })).statusCode).toBe(401);

    const leader = await signIn(zone, 'leader');
    await withClock(6 * 60_000, async () => expect((await leader.get('/api/auth/me')).statusCode).toBe(401));
  });

  it('password rotation, when configured, sends the user to change it', async () => {
    const zone = await createZone();
    const sec = await signIn(zone, 'secadmin');
    await patchSettings(sec, { passwordMaxAgeDays: 30 });
    await withClock(31 * 86_400_000, async () => {
      const staff = await signIn(zone, 'staff.cuizhai');
      expect((await staff.get('/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
      expect((await staff.get('/api/users')).json().error.code).toBe('password_change_required');
    });
  });
});

describe('locked accounts', () => {
  it('lists locked accounts and unlocks one, audited', async () => {
    const zone = await createZone();
    const other = await createZone();
    const sec = await signIn(zone, 'secadmin');
    const client = await anonymous();
    const username = zone.username('staff.cuizhai');
    const id = zone.users['staff.cuizhai']!;
    for (let i = 0; i < 5; i++) await client.post('/api/auth/login', { username, password: 'wrong' });
    const locked = (await sec.get('/api/security/locked-users')).json();
    expect(locked.items).toEqual([{ id, username, displayName: '孙晓燕（演示）', lockedUntil: expect.any(String), failedSignIns: 0 }]);
    const admin = await signIn(zone, 'sysadmin');
    expect((await admin.get(`/api/users/${id}`)).json().locked).toBe(true);

    expect((await sec.post(`/api/security/users/${other.users['staff.cuizhai']}/unlock`)).statusCode).toBe(404);
    expect((await admin.post(`/api/security/users/${id}/unlock`)).statusCode).toBe(403);
    const res = await sec.post(`/api/security/users/${id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect((await sec.get('/api/security/locked-users')).json().items).toEqual([]);
    expect((await client.post('/api/auth/login', { username, password: TEST_PASSWORD })).statusCode).toBe(200);
    expect(await auditRows(zone.zoneId, 'user.unlock')).toEqual([expect.objectContaining({ actorName: '冯安全（演示）', entityId: id, after: { lockedUntil: null, failedSignIns: 0 } })]);
  });
});

describe('live sessions', () => {
  it('lists the zone’s live sessions by handle and revokes one, audited', async () => {
    const zone = await createZone();
    const other = await createZone();
    const sec = await signIn(zone, 'secadmin');
    const staff = await signIn(zone, 'staff.cuizhai');
    const userId = zone.users['staff.cuizhai']!;
    const list = await sec.get('/api/security/sessions');
    expect(list.statusCode).toBe(200);
    const items: { id: string; userId: string }[] = list.json().items;
    expect(items.map((i) => i.userId).sort()).toEqual([zone.users.secadmin, userId].sort());
    const mine = items.find((i) => i.userId === userId)!;
    expect(mine).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), username: zone.username('staff.cuizhai'), displayName: '孙晓燕（演示）', createdAt: expect.any(String) });
    expect(staff.cookie).not.toContain(mine.id);

    const otherSec = await signIn(other, 'secadmin');
    expect((await otherSec.post(`/api/security/sessions/${mine.id}/revoke`)).statusCode).toBe(404);
    expect((await sec.post('/api/security/sessions/not-a-handle/revoke')).statusCode).toBe(400);

    expect((await sec.post(`/api/security/sessions/${mine.id}/revoke`)).json()).toEqual({ ok: true });
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
    expect((await sec.get('/api/security/sessions')).json().items.map((i: { userId: string }) => i.userId)).toEqual([zone.users.secadmin]);
    expect((await sec.post(`/api/security/sessions/${mine.id}/revoke`)).statusCode).toBe(404);
    expect(await auditRows(zone.zoneId, 'session.revoke')).toEqual([expect.objectContaining({ entityId: mine.id, after: { userId, username: zone.username('staff.cuizhai') } })]);
  });
});
