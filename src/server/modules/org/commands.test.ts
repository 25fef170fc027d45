import { describe, expect, it } from 'vitest';
import { createZone, signIn } from '../../test/harness.ts';
import { auditRows, fieldsOf, put, readSheet } from './org.testkit.ts';

interface MemberBody {
  userId: string;
  displayName: string;
  memberRole: string;
  fromUnit: { id: string; name: string } | null;
  mode: string;
  duty: string | null;
}
interface CommandBody {
  id: string;
  name: string;
  version: number;
  members: MemberBody[];
  can: { update: boolean; delete: boolean; editMembers: boolean };
}

describe('commands (HQs)', () => {
  it('lists the HQs with area, leading group, members and what the caller may do', async () => {
    const zone = await createZone();
    const commander = await signIn(zone, 'hq.cuizhai');
    const res = await commander.get('/api/commands');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as CommandBody[];
    expect(items).toHaveLength(4);
    const cuizhai = items.find((c) => c.id === zone.commands.cuizhai);
    expect(cuizhai).toMatchObject({
      name: '崔寨片区建设指挥部',
      areaUnit: { id: zone.units.area_cuizhai, name: '崔寨片区' },
      leadingGroup: { id: zone.groups.leading, name: '济南起步区城市副中心示范区建设领导小组' },
      establishedOn: '2023-03-20',
      active: true,
      version: 1,
      can: { update: true, delete: false, editMembers: true },
      members: [
        { userId: zone.users['hq.cuizhai'], displayName: '赵振华（演示）', memberRole: 'leader', fromUnit: { id: zone.units.cuizhai, name: '崔寨街道' }, mode: 'on_site', duty: null },
        { userId: zone.users['hqstaff.cuizhai'], memberRole: 'staff', fromUnit: { name: '经济发展部' }, mode: 'on_site' },
      ],
    });
    expect(items.find((c) => c.id === zone.commands.fuzhongxin)?.can).toEqual({ update: false, delete: false, editMembers: false });
    const staff = await signIn(zone, 'staff.daqiao');
    expect((await staff.get(`/api/commands/${zone.commands.cuizhai}`)).json().can).toEqual({ update: false, delete: false, editMembers: false });
    const admin = await signIn(zone, 'sysadmin');
    expect((await admin.get(`/api/commands/${zone.commands.cuizhai}`)).json().can).toEqual({ update: true, delete: true, editMembers: true });
  });

  it("lets an HQ's commander replace its members in one audited change", async () => {
    const zone = await createZone();
    const commander = await signIn(zone, 'hq.cuizhai');
    const members = [
      { userId: zone.users['hq.cuizhai'], memberRole: 'leader', fromUnitId: zone.units.cuizhai, mode: 'on_site' },
      { userId: zone.users['staff.cuizhai'], memberRole: 'staff', fromUnitId: zone.units.cuizhai, mode: 'seconded', duty: '征迁协调' },
      { userId: zone.users['hq.nev'], memberRole: 'deputy', mode: 'seconded' },
    ];
    const res = await put(commander, `/api/commands/${zone.commands.cuizhai}/members`, { version: 1, members });
    expect(res.statusCode).toBe(200);
    const body = res.json() as CommandBody;
    expect(body.version).toBe(2);
    expect(body.members.map((m) => [m.displayName, m.memberRole, m.fromUnit?.name ?? null, m.mode, m.duty])).toEqual([
      ['赵振华（演示）', 'leader', '崔寨街道', 'on_site', null],
      ['蒋国强（演示）', 'deputy', null, 'seconded', null],
      ['孙晓燕（演示）', 'staff', '崔寨街道', 'seconded', '征迁协调'],
    ]);
    const rows = await auditRows(zone.zoneId, 'command.members');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.entityId).toBe(zone.commands.cuizhai);
    expect((row.before as { members: unknown[] }).members).toHaveLength(2);
    expect(row.after).toMatchObject({ version: 2, members: expect.arrayContaining([expect.objectContaining({ userId: zone.users['staff.cuizhai'], duty: '征迁协调' })]) });

    const stale = await put(commander, `/api/commands/${zone.commands.cuizhai}/members`, { version: 1, members: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('赵振华（演示）');
    // The seconded staff member now belongs to the HQ and sees it in /me.
    const staff = await signIn(zone, 'staff.cuizhai');
    expect((await staff.get('/api/auth/me')).json().commands).toEqual([{ id: zone.commands.cuizhai, name: '崔寨片区建设指挥部', leads: false }]);
  });

  it('checks every member: users and units of the zone, each user once', async () => {
    const zone = await createZone();
    const other = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const res = await put(admin, `/api/commands/${zone.commands.cuizhai}/members`, {
      version: 1,
      members: [
        { userId: other.users['staff.cuizhai'], memberRole: 'staff', mode: 'seconded' },
        { userId: zone.users['staff.cuizhai'], memberRole: 'staff', mode: 'seconded', fromUnitId: other.units.cuizhai },
        { userId: zone.users['staff.cuizhai'], memberRole: 'deputy', mode: 'on_site' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual({ 'members.0.userId': '引用的记录不存在', 'members.1.fromUnitId': '引用的记录不存在', 'members.2.userId': '重复填写' });
    const badRole = await put(admin, `/api/commands/${zone.commands.cuizhai}/members`, { version: 1, members: [{ userId: zone.users.leader, memberRole: 'boss', mode: 'seconded' }] });
    expect(fieldsOf(badRole)).toHaveProperty(['members.0.memberRole']);
    expect((await admin.get(`/api/commands/${zone.commands.cuizhai}`)).json().version).toBe(1);
  });

  it("refuses another HQ's commander (403, audited), other zones (404) and roles without the right (403)", async () => {
    const zone = await createZone();
    const other = await createZone();
    const outsider = await signIn(zone, 'hq.fuzhongxin');
    const url = `/api/commands/${zone.commands.cuizhai}`;
    expect((await put(outsider, `${url}/members`, { version: 1, members: [] })).statusCode).toBe(403);
    expect((await outsider.patch(url, { version: 1, responsibility: '接管' })).statusCode).toBe(403);
    const denied = await auditRows(zone.zoneId, 'access.denied');
    expect(denied.map((d) => [d.entityType, d.entityId, d.result])).toEqual([
      ['command', zone.commands.cuizhai, 'denied'],
      ['command', zone.commands.cuizhai, 'denied'],
    ]);
    const commander = await signIn(zone, 'hq.cuizhai');
    expect((await commander.get(`/api/commands/${other.commands.cuizhai}`)).statusCode).toBe(404);
    expect((await put(commander, `/api/commands/${other.commands.cuizhai}/members`, { version: 1, members: [] })).statusCode).toBe(404);
    expect((await commander.patch(`/api/commands/${other.commands.cuizhai}`, { version: 1, name: 'x' })).statusCode).toBe(404);
    expect((await commander.delete(`${url}?version=1`)).statusCode).toBe(403);
    const hqStaff = await signIn(zone, 'hqstaff.cuizhai');
    expect((await put(hqStaff, `${url}/members`, { version: 1, members: [] })).statusCode).toBe(403);
    for (const username of ['auditor', 'secadmin', 'ent.hydrogen']) {
      expect((await (await signIn(zone, username)).get('/api/commands')).statusCode).toBe(403);
    }
  });

  it('lets a commander edit the HQ but leaves its area, leading group and status to the system admin', async () => {
    const zone = await createZone();
    const commander = await signIn(zone, 'hq.cuizhai');
    const url = `/api/commands/${zone.commands.cuizhai}`;
    const ok = await commander.patch(url, { version: 1, responsibility: '崔寨片区征迁和重点项目', shortName: '崔寨指挥部', areaUnitId: zone.units.area_cuizhai });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ responsibility: '崔寨片区征迁和重点项目', shortName: '崔寨指挥部', version: 2 });
    expect((await commander.patch(url, { version: 2, areaUnitId: zone.units.cluster_cuizhai })).statusCode).toBe(403);
    expect((await commander.patch(url, { version: 2, active: false })).statusCode).toBe(403);
    const [row] = await auditRows(zone.zoneId, 'command.update');
    expect(row).toMatchObject({ entityId: zone.commands.cuizhai, before: { responsibility: expect.stringContaining('征迁') }, after: { shortName: '崔寨指挥部', version: 2 } });
  });

  it('creates, edits and deletes HQs as the system admin', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const duplicate = await admin.post('/api/commands', { name: '崔寨片区建设指挥部' });
    expect(duplicate.statusCode).toBe(400);
    expect(fieldsOf(duplicate)).toEqual({ name: '已被使用' });
    const taskForceAsLeading = await admin.post('/api/commands', { name: '太平片区建设指挥部', leadingGroupId: zone.groups.tf_nev });
    expect(fieldsOf(taskForceAsLeading)).toEqual({ leadingGroupId: '引用的记录不存在' });
    const created = await admin.post('/api/commands', {
      name: '太平片区建设指挥部',
      areaUnitId: zone.units.taiping,
      leadingGroupId: zone.groups.leading,
      establishedOn: '2023-06-01',
    });
    expect(created.statusCode).toBe(201);
    const command = created.json() as CommandBody;
    expect(command).toMatchObject({ areaUnit: { name: '太平街道' }, leadingGroup: { id: zone.groups.leading }, members: [], version: 1 });
    const moved = await admin.patch(`/api/commands/${command.id}`, { version: 1, areaUnitId: null, active: false });
    expect(moved.json()).toMatchObject({ areaUnit: null, active: false, version: 2 });
    // A task force belongs to the hydrogen HQ.
    const inUse = await admin.delete(`/api/commands/${zone.commands.hydrogen}?version=1`);
    expect(inUse.statusCode).toBe(409);
    expect(fieldsOf(inUse)).toEqual({ id: '仍被其他数据引用，不能删除' });
    expect((await admin.delete(`/api/commands/${zone.commands.cuizhai}?version=1`)).statusCode).toBe(200);
    expect((await admin.get(`/api/commands/${zone.commands.cuizhai}`)).statusCode).toBe(404);
    const [row] = await auditRows(zone.zoneId, 'command.delete');
    expect(row).toMatchObject({ entityId: zone.commands.cuizhai, before: { name: '崔寨片区建设指挥部', members: expect.any(Array) } });
    expect((await auditRows(zone.zoneId, 'command.create'))[0]).toMatchObject({ entityId: command.id });
  });

  it('exports one row per member, audited', async () => {
    const zone = await createZone();
    const leader = await signIn(zone, 'leader');
    const res = await leader.get('/api/commands/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('指挥部_'));
    const rows = await readSheet(res);
    expect(rows[0]).toEqual(['指挥部', '简称', '责任区域', '所属领导小组', '职责', '成立日期', '状态', '成员', '成员角色', '派出单位', '方式', '分工']);
    const cuizhai = rows.filter((r) => r[0] === '崔寨片区建设指挥部');
    expect(cuizhai.map((r) => [r[7], r[8], r[9], r[10]])).toEqual([
      ['赵振华（演示）', '指挥长', '崔寨街道', '驻场'],
      ['褚明（演示）', '工作人员', '经济发展部', '驻场'],
    ]);
    const [row] = await auditRows(zone.zoneId, 'command.export');
    expect(row).toMatchObject({ entityType: 'command', after: { count: 4 } });
  });
});
