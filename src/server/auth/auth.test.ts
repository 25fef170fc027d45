import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.ts';
import { anonymous, createZone, getHarness, signIn, TEST_PASSWORD } from '../test/harness.ts';

describe('sign-in and sessions', () => {
  it('signs in, answers /me, and signs out', async () => {
    const zone = await createZone();
    const client = await signIn(zone, 'hq.cuizhai');
    const me = await client.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ roles: ['hq_commander'], unit: { name: '崔寨街道' }, commands: [{ name: '崔寨片区建设指挥部', leads: true }] });
    const cookie = client.cookie;
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    client.cookie = cookie;
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('sets an HttpOnly SameSite cookie with a new id on every sign-in', async () => {
    const zone = await createZone();
    const client = await anonymous();
    const first = await client.post('/api/auth/login', { username: zone.username('leader'), password: TEST_PASSWORD });
    const header = String(first.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    const firstCookie = client.cookie;
    await client.post('/api/auth/login', { username: zone.username('leader'), password: TEST_PASSWORD });
    expect(client.cookie).not.toBe(firstCookie);
  });

  it('gives unknown users and wrong passwords the same answer, and audits both', async () => {
    const zone = await createZone();
    const client = await anonymous('en');
    const unknown = await client.post('/api/auth/login', { username: `${zone.prefix}nobody`, password: 'x' });
    const wrong = await client.post('/api/auth/login', { username: zone.username('leader'), password: 'wrong' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    const { services } = await getHarness();
    const rows = await queryRows<{ action: string; result: string }>(
      services.db,
      sql`select action, result from audit_log where zone_id = ${zone.zoneId} and action = 'auth.login_failed'`,
    );
    expect(rows).toEqual([{ action: 'auth.login_failed', result: 'failed' }]);
  });

  it('locks the account after 5 failures for 15 minutes, even for the right password', async () => {
    const zone = await createZone();
    const { clock } = await getHarness();
    const client = await anonymous();
    for (let i = 0; i < 5; i++) await client.post('/api/auth/login', { username: zone.username('staff.daqiao'), password: 'wrong' });
    const locked = await client.post('/api/auth/login', { username: zone.username('staff.daqiao'), password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(401);
    clock.offsetMs = 16 * 60_000;
    try {
      const after = await client.post('/api/auth/login', { username: zone.username('staff.daqiao'), password: TEST_PASSWORD });
      expect(after.statusCode).toBe(200);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('ends a session after 30 idle minutes and after 12 hours in any case', async () => {
    const zone = await createZone();
    const { clock } = await getHarness();
    const idle = await signIn(zone, 'leader');
    clock.offsetMs = 31 * 60_000;
    try {
      expect((await idle.get('/api/auth/me')).statusCode).toBe(401);
    } finally {
      clock.offsetMs = 0;
    }
    const busy = await signIn(zone, 'leader');
    try {
      for (let minutes = 25; minutes <= 12 * 60; minutes += 25) {
        clock.offsetMs = minutes * 60_000;
        expect((await busy.get('/api/auth/me')).statusCode).toBe(200);
      }
      clock.offsetMs = (12 * 60 + 1) * 60_000;
      expect((await busy.get('/api/auth/me')).statusCode).toBe(401);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('changing the password ends the other sessions and enforces the policy', async () => {
    const zone = await createZone();
    const a = await signIn(zone, 'staff.cuizhai', 'en');
    const b = await signIn(zone, 'staff.cuizhai');
    const weak = await a.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0]).toMatchObject({ path: 'newPassword' });
    const ok = await a.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Another#Pass2026' });
    expect(ok.statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('answers errors in the language asked for, with field paths', async () => {
    const zh = await anonymous('zh-CN');
    const res = await zh.post('/api/auth/login', { username: 'x', extra: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', fields: expect.arrayContaining([{ path: 'password', message: '必填' }, { path: 'extra', message: '不允许的字段' }]) });
  });

  it('refuses cross-site writes', async () => {
    const zone = await createZone();
    const client = await signIn(zone, 'leader');
    const res = await client.request({ method: 'POST', url: '/api/auth/logout', headers: { origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(403);
  });
});
