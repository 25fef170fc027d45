import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { DEMO_USERS } from '../../demo/demo-data.ts';
import { anonymous, createZone, getHarness, signIn, TEST_PASSWORD, type Client, type TestZone } from '../../test/harness.ts';

const NEW_PASSWORD = 'Fresh#Pass2026';

interface AuditRowView {
  actorName: string | null;
  entityId: string | null;
  result: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

async function auditRows(zoneId: string, action: string): Promise<AuditRowView[]> {
  const { services } = await getHarness();
  return queryRows<AuditRowView>(
    services.db,
    sql`select actor_name as "actorName", entity_id as "entityId", result, before, after from audit_log where zone_id = ${zoneId} and action = ${action} order by at, seq`,
  );
}

function newUser(zone: TestZone, name: string, extra: Record<string, unknown> = {}) {
  return { username: `${zone.prefix}${name}`, displayName: '测试新人（测试）', roles: ['unit_staff'], password: NEW_PASSWORD, ...extra };
}

async function userOf(admin: Client, id: string): Promise<{ version: number } & Record<string, unknown>> {
  const res = await admin.get(`/api/users/${id}`);
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('users: create', () => {
  it('creates a user who can sign in and must then choose their own password', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const res = await admin.post('/api/users', newUser(zone, 'new.person', { unitId: zone.units.cuizhai, phone: '13800001234', email: 'new@example.gov.cn', title: '科员' }));
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      username: `${zone.prefix}new.person`,
      unit: { id: zone.units.cuizhai, name: '崔寨街道' },
      phone: '138****1234',
      roles: ['unit_staff'],
      disabled: false,
      locked: false,
      version: 1,
      can: { update: true, disable: true, enable: false, resetPassword: true, reveal: true },
    });
    const [row] = await auditRows(zone.zoneId, 'user.create');
    expect(row).toMatchObject({ entityId: created.id, after: { phone: '138****1234', email: 'n***@example.gov.cn', roles: ['unit_staff'] } });
    expect(JSON.stringify(row)).not.toContain('13800001234');

    const person = await anonymous();
    expect((await person.post('/api/auth/login', { username: `${zone.prefix}NEW.person`, password: NEW_PASSWORD })).statusCode).toBe(200);
    expect((await person.get('/api/auth/me')).json()).toMatchObject({ user: { id: created.id }, mustChangePassword: true });
    expect((await person.post('/api/auth/password', { currentPassword: NEW_PASSWORD, newPassword: 'Mine#Pass2026x' })).statusCode).toBe(200);
    expect((await person.get('/api/users')).statusCode).toBe(200);
  });

  it('refuses a taken username in any letter case and in any zone, with the field named', async () => {
    const zone = await createZone();
    const other = await createZone();
    const admin = await signIn(zone, 'sysadmin', 'en');
    expect((await admin.post('/api/users', newUser(zone, 'dup.user'))).statusCode).toBe(201);
    const again = await admin.post('/api/users', newUser(zone, 'DUP.User'));
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'username', message: 'Already taken' }] });
    const foreign = await admin.post('/api/users', { ...newUser(zone, 'x'), username: other.username('leader') });
    expect(foreign.json().error.fields).toEqual([{ path: 'username', message: 'Already taken' }]);
    const bad = await admin.post('/api/users', newUser(zone, 'has space'));
    expect(bad.json().error.fields).toEqual([{ path: 'username', message: 'Wrong format' }]);
  });

  it('refuses an admin role combined with another role (三员分立)', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    for (const roles of [['sys_admin', 'unit_staff'], ['sec_admin', 'audit_admin']]) {
      const res = await admin.post('/api/users', newUser(zone, `mixed.${roles[0]}`, { roles }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toEqual([{ path: 'roles', message: '三员分立：管理员角色不能与其他角色兼任' }]);
    }
    expect((await admin.post('/api/users', newUser(zone, 'only.sec', { roles: ['sec_admin'] }))).statusCode).toBe(201);
    const contact = await admin.post('/api/users', newUser(zone, 'contact', { roles: ['enterprise_contact'] }));
    expect(contact.json().error.fields).toEqual([{ path: 'enterpriseId', message: '必填' }]);
  });

  it("enforces the zone's password policy, as the security admin sets it", async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin', 'en');
    const short = await admin.post('/api/users', newUser(zone, 'weak.one', { password: 'Ab1#xyz' }));
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields).toEqual([{ path: 'password', message: 'The password needs at least 10 characters' }]);
    const plain = await admin.post('/api/users', newUser(zone, 'weak.two', { password: 'passwordpassword' }));
    expect(plain.json().error.fields[0]).toMatchObject({ path: 'password', message: expect.stringContaining('at least 3 of') });

    const sec = await signIn(zone, 'secadmin');
    const settings = (await sec.get('/api/security/settings')).json();
    expect((await sec.patch('/api/security/settings', { version: settings.version, passwordMinLength: 16 })).statusCode).toBe(200);
    const now = await admin.post('/api/users', newUser(zone, 'weak.three'));
    expect(now.json().error.fields).toEqual([{ path: 'password', message: 'The password needs at least 16 characters' }]);
  });

  it('answers a username taken by a concurrent request with 400, never 500', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const body = newUser(zone, 'race.user');
    const answers = await Promise.all([admin.post('/api/users', body), admin.post('/api/users', { ...body, username: body.username.toUpperCase() })]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 400]);
    expect(answers.find((r) => r.statusCode === 400)!.json().error.fields).toEqual([{ path: 'username', message: '已被使用' }]);
  });

  it('rejects unknown fields and units of another zone', async () => {
    const zone = await createZone();
    const other = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const extra = await admin.post('/api/users', newUser(zone, 'extra', { isAdmin: true }));
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.fields).toEqual([{ path: 'isAdmin', message: '不允许的字段' }]);
    const foreignUnit = await admin.post('/api/users', newUser(zone, 'foreign.unit', { unitId: other.units.cuizhai }));
    expect(foreignUnit.json().error.fields).toEqual([{ path: 'unitId', message: '引用的记录不存在' }]);
  });
});

describe('users: edit, disable, reset', () => {
  it('edits with a version and refuses a stale one with 409 naming who changed it', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const id = zone.users['staff.daqiao']!;
    const cur = await userOf(admin, id);
    const ok = await admin.patch(`/api/users/${id}`, { version: cur.version, title: '副科长', phone: '13900005678', roles: ['unit_staff', 'service_agent'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ title: '副科长', phone: '139****5678', roles: ['unit_staff', 'service_agent'], version: cur.version + 1 });
    const stale = await admin.patch(`/api/users/${id}`, { version: cur.version, title: '科员' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', message: expect.stringContaining('郑系统（演示）') });
    const [row] = await auditRows(zone.zoneId, 'user.update');
    expect(row).toMatchObject({ entityId: id, before: { phone: '170****0005', roles: ['unit_staff'] }, after: { phone: '139****5678', title: '副科长' } });
  });

  it('does not let a system admin change their own roles or disable themselves', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin', 'en');
    const id = zone.users.sysadmin!;
    const me = await userOf(admin, id);
    expect(me.can).toMatchObject({ disable: false, resetPassword: false });
    const roles = await admin.patch(`/api/users/${id}`, { version: me.version, roles: ['unit_staff'] });
    expect(roles.statusCode).toBe(400);
    expect(roles.json().error.fields).toEqual([{ path: 'roles', message: 'You cannot change your own roles; ask another system administrator' }]);
    expect((await admin.patch(`/api/users/${id}`, { version: me.version, roles: ['sys_admin'], title: '系统管理员（主）' })).statusCode).toBe(200);
    const disable = await admin.post(`/api/users/${id}/disable`, { version: me.version + 1 });
    expect(disable.json().error.fields).toEqual([{ path: 'id', message: 'You cannot disable your own account' }]);
  });

  it("disabling ends the user's sessions and sign-in; enabling restores sign-in", async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const staff = await signIn(zone, 'staff.cuizhai');
    const id = zone.users['staff.cuizhai']!;
    const cur = await userOf(admin, id);
    const res = await admin.post(`/api/users/${id}/disable`, { version: cur.version });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ disabled: true, can: { disable: false, enable: true } });
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
    const login = await (await anonymous()).post('/api/auth/login', { username: zone.username('staff.cuizhai'), password: TEST_PASSWORD });
    expect(login.statusCode).toBe(401);
    expect((await auditRows(zone.zoneId, 'user.disable'))[0]).toMatchObject({ entityId: id, after: { disabled: true, sessionsEnded: 1 } });

    expect((await admin.post(`/api/users/${id}/enable`, { version: cur.version })).statusCode).toBe(409);
    expect((await admin.post(`/api/users/${id}/enable`, { version: cur.version + 1 })).json()).toMatchObject({ disabled: false });
    await signIn(zone, 'staff.cuizhai');
  });

  it('a reset password ends sessions and must be changed before anything else', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const staff = await signIn(zone, 'staff.cuizhai');
    const id = zone.users['staff.cuizhai']!;
    const weak = await admin.post(`/api/users/${id}/reset-password`, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0]).toMatchObject({ path: 'password' });
    expect((await admin.post(`/api/users/${id}/reset-password`, { password: NEW_PASSWORD })).statusCode).toBe(200);
    expect((await staff.get('/api/auth/me')).statusCode).toBe(401);
    expect((await auditRows(zone.zoneId, 'user.reset_password'))[0]).toMatchObject({ entityId: id, after: { sessionsEnded: 1 } });

    const again = await anonymous();
    expect((await again.post('/api/auth/login', { username: zone.username('staff.cuizhai'), password: NEW_PASSWORD })).statusCode).toBe(200);
    expect((await again.get('/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
    const blocked = await again.get('/api/users');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    expect((await again.post('/api/auth/password', { currentPassword: NEW_PASSWORD, newPassword: 'Mine#Pass2026x' })).statusCode).toBe(200);
    expect((await again.get('/api/users')).statusCode).toBe(200);

    expect((await admin.post(`/api/users/${zone.users.sysadmin}/reset-password`, { password: NEW_PASSWORD })).statusCode).toBe(400);
  });
});

describe('users: directory, masking, reveal, export', () => {
  it('lists the zone with phones masked, finds by exact phone, and gives readers no actions', async () => {
    const zone = await createZone();
    const staff = await signIn(zone, 'staff.daqiao');
    const list = await staff.get('/api/users?pageSize=100');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body).toMatchObject({ total: DEMO_USERS.length, page: 1, pageSize: 100 });
    expect(list.body).not.toContain('17000000004');
    const cuizhai = body.items.find((u: { username: string }) => u.username === zone.username('staff.cuizhai'));
    expect(cuizhai).toMatchObject({ phone: '170****0004', lastSignInAt: null, can: { update: false, disable: false, enable: false, resetPassword: false, reveal: false } });

    const byPhone = (await staff.get('/api/users?q=17000000004')).json();
    expect(byPhone.items.map((u: { username: string }) => u.username)).toEqual([zone.username('staff.cuizhai')]);
    const byUnit = (await staff.get(`/api/users?unitId=${zone.units.cuizhai}`)).json();
    expect(byUnit.items.map((u: { username: string }) => u.username).sort()).toEqual([zone.username('hq.cuizhai'), zone.username('staff.cuizhai')]);
    const byRole = (await staff.get('/api/users?role=hq_commander&pageSize=2&page=2')).json();
    expect(byRole).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(byRole.items).toHaveLength(2);
    const like = (await staff.get('/api/users?q=%25')).json();
    expect(like.total).toBe(0);
  });

  it('reveals a phone to the roles that need it, audited; others get 403, other zones 404', async () => {
    const zone = await createZone();
    const other = await createZone();
    const leader = await signIn(zone, 'leader');
    const id = zone.users['staff.cuizhai']!;
    const res = await leader.post(`/api/users/${id}/reveal`, { field: 'phone' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ value: '17000000004' });
    expect(await auditRows(zone.zoneId, 'user.reveal')).toEqual([expect.objectContaining({ actorName: '王立新（演示）', entityId: id, after: { field: 'phone' } })]);
    expect((await leader.get(`/api/users/${id}`)).json().can.reveal).toBe(true);

    const staff = await signIn(zone, 'staff.daqiao');
    expect((await staff.post(`/api/users/${id}/reveal`, { field: 'phone' })).statusCode).toBe(403);
    expect((await leader.post(`/api/users/${other.users['staff.cuizhai']}/reveal`, { field: 'phone' })).statusCode).toBe(404);
    expect((await leader.post(`/api/users/${id}/reveal`, { field: 'password' })).statusCode).toBe(400);
  });

  it('exports the filtered list as xlsx with Chinese headers, role labels and masked phones, audited', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const res = await admin.get('/api/users/export.xlsx?role=unit_staff&page=1&pageSize=50');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('attachment');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = sheet.getRow(1).values as unknown[];
    expect(header).toEqual(expect.arrayContaining(['用户名', '姓名', '手机号码', '角色', '状态']));
    const phoneCol = header.indexOf('手机号码');
    const roleCol = header.indexOf('角色');
    const rows = sheet.getRows(2, sheet.rowCount - 1) ?? [];
    expect(rows.map((r) => r.getCell(1).value).sort()).toEqual(['staff.cuizhai', 'staff.daqiao', 'staff.ecology', 'staff.planning'].map(zone.username));
    for (const r of rows) {
      expect(String(r.getCell(phoneCol).value)).toMatch(/^170\*{4}\d{4}$/);
      expect(r.getCell(roleCol).value).toBe('单位工作人员');
    }
    expect(await auditRows(zone.zoneId, 'user.export')).toEqual([expect.objectContaining({ after: { filter: { role: 'unit_staff' }, rows: 4 } })]);
  });
});

describe('users: who may reach it', () => {
  it('keeps other zones out with 404', async () => {
    const zone = await createZone();
    const other = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const foreign = other.users['staff.cuizhai']!;
    expect((await admin.get(`/api/users/${foreign}`)).statusCode).toBe(404);
    expect((await admin.patch(`/api/users/${foreign}`, { version: 1, title: 'x' })).statusCode).toBe(404);
    expect((await admin.post(`/api/users/${foreign}/disable`, { version: 1 })).statusCode).toBe(404);
    expect((await admin.post(`/api/users/${foreign}/reset-password`, { password: NEW_PASSWORD })).statusCode).toBe(404);
    const list = (await admin.get(`/api/users?q=${encodeURIComponent(other.prefix)}`)).json();
    expect(list.total).toBe(0);
  });

  it('refuses the directory to the security and audit admins and to enterprise contacts, and writes to readers', async () => {
    const zone = await createZone();
    for (const who of ['secadmin', 'auditor', 'ent.hydrogen']) {
      const client = await signIn(zone, who);
      expect((await client.get('/api/users')).statusCode).toBe(403);
      expect((await client.get('/api/users/export.xlsx')).statusCode).toBe(403);
    }
    const leader = await signIn(zone, 'leader');
    expect((await leader.post('/api/users', newUser(zone, 'by.leader'))).statusCode).toBe(403);
    expect((await leader.post(`/api/users/${zone.users['staff.daqiao']}/disable`, { version: 1 })).statusCode).toBe(403);
    expect((await (await anonymous()).get('/api/users')).statusCode).toBe(401);
  });
});
