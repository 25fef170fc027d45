import { describe, expect, it } from 'vitest';
import { createZone, signIn } from '../../test/harness.ts';
import { auditRows, fieldsOf, put, readSheet } from './org.testkit.ts';

interface GroupBody {
  id: string;
  kind: string;
  name: string;
  version: number;
  command: { id: string; name: string } | null;
  members: { userId: string; displayName: string; memberRole: string; duty: string | null }[];
  can: { update: boolean; delete: boolean; editMembers: boolean };
}

describe('groups (leading group, task forces)', () => {
  it('lists groups by kind with their HQ and members', async () => {
    const zone = await createZone();
    const staff = await signIn(zone, 'staff.daqiao');
    const all = (await staff.get('/api/groups')).json().items as GroupBody[];
    expect(all.map((g) => g.kind)).toEqual(['leading_group', 'task_force', 'task_force']);
    const taskForces = await staff.get('/api/groups?kind=task_force');
    expect(taskForces.statusCode).toBe(200);
    const hydrogen = (taskForces.json().items as GroupBody[]).find((g) => g.id === zone.groups.tf_hydrogen);
    expect(hydrogen).toMatchObject({
      name: '氢能示范应用专班',
      command: { id: zone.commands.hydrogen, name: '氢能产业片区建设指挥部' },
      members: [
        { userId: zone.users['hq.hydrogen'], memberRole: 'head' },
        { userId: zone.users['agent.approval'], memberRole: 'member' },
      ],
      can: { update: false, delete: false, editMembers: false },
    });
    const leading = await staff.get(`/api/groups/${zone.groups.leading}`);
    expect(leading.json()).toMatchObject({ kind: 'leading_group', command: null, members: [{ memberRole: 'head', displayName: '王立新（演示）' }, {}, {}] });
    expect((await staff.get('/api/groups?kind=club')).statusCode).toBe(400);
    expect((await (await signIn(zone, 'auditor')).get('/api/groups')).statusCode).toBe(403);
  });

  it('creates, edits, staffs and deletes groups as the system admin, audited', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const created = await admin.post('/api/groups', { kind: 'task_force', name: '大棚扇墙拆除专班', theme: '凤凰黄河大桥下桥口', commandId: zone.commands.cuizhai, establishedOn: '2023-04-20' });
    expect(created.statusCode).toBe(201);
    const group = created.json() as GroupBody;
    expect(group).toMatchObject({ command: { name: '崔寨片区建设指挥部' }, members: [], version: 1, can: { update: true, delete: true, editMembers: true } });
    const duplicate = await admin.post('/api/groups', { kind: 'task_force', name: '大棚扇墙拆除专班' });
    expect(fieldsOf(duplicate)).toEqual({ name: '已被使用' });

    const edited = await admin.patch(`/api/groups/${group.id}`, { version: 1, theme: '扇墙拆除', commandId: null });
    expect(edited.json()).toMatchObject({ theme: '扇墙拆除', command: null, version: 2 });
    const staffed = await put(admin, `/api/groups/${group.id}/members`, {
      version: 2,
      members: [
        { userId: zone.users['staff.cuizhai'], memberRole: 'member', duty: '现场协调' },
        { userId: zone.users['hq.cuizhai'], memberRole: 'head' },
      ],
    });
    expect(staffed.statusCode).toBe(200);
    expect((staffed.json() as GroupBody).members.map((m) => [m.displayName, m.memberRole, m.duty])).toEqual([
      ['赵振华（演示）', 'head', null],
      ['孙晓燕（演示）', 'member', '现场协调'],
    ]);
    const [members] = await auditRows(zone.zoneId, 'group.members');
    expect(members).toMatchObject({ entityId: group.id, before: { members: [] }, after: { version: 3 } });
    expect((await put(admin, `/api/groups/${group.id}/members`, { version: 2, members: [] })).statusCode).toBe(409);

    // HQs report to the leading group: it stays.
    const inUse = await admin.delete(`/api/groups/${zone.groups.leading}?version=1`);
    expect(inUse.statusCode).toBe(409);
    expect((await admin.delete(`/api/groups/${group.id}?version=3`)).statusCode).toBe(200);
    expect((await admin.get(`/api/groups/${group.id}`)).statusCode).toBe(404);
    expect((await auditRows(zone.zoneId, 'group.delete'))[0]).toMatchObject({ entityId: group.id, before: { name: '大棚扇墙拆除专班', members: expect.any(Array) } });
  });

  it('leaves groups to the system admin and hides other zones', async () => {
    const zone = await createZone();
    const other = await createZone();
    const commander = await signIn(zone, 'hq.hydrogen');
    expect((await commander.post('/api/groups', { kind: 'task_force', name: '新专班' })).statusCode).toBe(403);
    expect((await put(commander, `/api/groups/${zone.groups.tf_hydrogen}/members`, { version: 1, members: [] })).statusCode).toBe(403);
    const admin = await signIn(zone, 'sysadmin');
    expect((await admin.get(`/api/groups/${other.groups.leading}`)).statusCode).toBe(404);
    expect((await put(admin, `/api/groups/${other.groups.leading}/members`, { version: 1, members: [] })).statusCode).toBe(404);
    expect((await admin.patch(`/api/groups/${other.groups.leading}`, { version: 1, name: 'x' })).statusCode).toBe(404);
    expect(fieldsOf(await admin.post('/api/groups', { kind: 'task_force', name: '跨区专班', commandId: other.commands.cuizhai }))).toEqual({ commandId: '引用的记录不存在' });
  });

  it('exports groups of a kind, one row per member, audited with the filter', async () => {
    const zone = await createZone();
    const leader = await signIn(zone, 'leader');
    const res = await leader.get('/api/groups/export.xlsx?kind=task_force');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('专班_'));
    const rows = await readSheet(res);
    expect(rows[0]).toEqual(['类型', '名称', '主题', '所属指挥部', '成立日期', '状态', '成员', '成员角色', '分工']);
    expect(rows.slice(1).every((r) => r[0] === '专班')).toBe(true);
    expect(rows).toHaveLength(5);
    const [row] = await auditRows(zone.zoneId, 'group.export');
    expect(row).toMatchObject({ after: { count: 2, filters: { kind: 'task_force' } } });
  });
});
