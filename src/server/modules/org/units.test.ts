import { describe, expect, it } from 'vitest';
import { createZone, signIn, signInAs } from '../../test/harness.ts';
import { auditRows, fieldsOf, readSheet } from './org.testkit.ts';

interface UnitBody {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  version: number;
  can: { update: boolean; delete: boolean; createChild: boolean };
}

describe('units', () => {
  it('lists the whole tree flat, with what the caller may do', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const res = await admin.get('/api/units');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as UnitBody[];
    expect(items).toHaveLength(Object.keys(zone.units).length);
    expect(items.find((u) => u.id === zone.units.cuizhai)).toMatchObject({
      name: '崔寨街道',
      kind: 'street',
      parentId: zone.units.committee,
      version: 1,
      can: { update: true, delete: true, createChild: true },
    });
    const leader = await signIn(zone, 'leader');
    const asLeader = (await leader.get('/api/units')).json().items as UnitBody[];
    expect(asLeader[0]?.can).toEqual({ update: false, delete: false, createChild: false });
    expect((await leader.post('/api/units', { parentId: zone.units.cuizhai, kind: 'area', name: 'x' })).statusCode).toBe(403);
  });

  it('keeps the admins of other duties and enterprise contacts out', async () => {
    const zone = await createZone();
    for (const username of ['auditor', 'secadmin', 'ent.hydrogen']) {
      const client = await signIn(zone, username);
      expect((await client.get('/api/units')).statusCode).toBe(403);
      expect((await client.get(`/api/units/${zone.units.cuizhai}`)).statusCode).toBe(403);
      expect((await client.get('/api/units/export.xlsx')).statusCode).toBe(403);
    }
    const denials = await auditRows(zone.zoneId, 'access.denied');
    expect(denials.length).toBeGreaterThanOrEqual(9);
  });

  it('creates a unit under a parent of a fitting kind, audited', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const res = await admin.post('/api/units', { parentId: zone.units.cuizhai, kind: 'area', name: '  崔寨北片区  ', establishedOn: '2023-05-01', sortOrder: 3 });
    expect(res.statusCode).toBe(201);
    const unit = res.json() as UnitBody;
    expect(unit).toMatchObject({ parentId: zone.units.cuizhai, kind: 'area', name: '崔寨北片区', version: 1, establishedOn: '2023-05-01', sortOrder: 3, shortName: null });
    expect((await admin.get(`/api/units/${unit.id}`)).json()).toMatchObject({ name: '崔寨北片区' });
    const [row] = await auditRows(zone.zoneId, 'unit.create');
    expect(row).toMatchObject({ entityType: 'unit', entityId: unit.id, actorName: '郑系统（演示）', after: { name: '崔寨北片区', kind: 'area' } });
  });

  it('enforces the kind rules, roots and unique names, in the caller language', async () => {
    const zone = await createZone();
    const zh = await signIn(zone, 'sysadmin');
    const wrongKind = await zh.post('/api/units', { parentId: zone.units.cluster_cuizhai, kind: 'department', name: '某部门' });
    expect(wrongKind.statusCode).toBe(400);
    expect(fieldsOf(wrongKind)).toEqual({ parentId: '组团下不能设立部门' });
    const en = await signIn(zone, 'sysadmin', 'en');
    const wrongKindEn = await en.post('/api/units', { parentId: zone.units.cluster_cuizhai, kind: 'department', name: '某部门' });
    expect(fieldsOf(wrongKindEn)).toEqual({ parentId: 'A department cannot sit under a cluster' });

    const rootStreet = await zh.post('/api/units', { parentId: null, kind: 'street', name: '无上级街道' });
    expect(fieldsOf(rootStreet)).toEqual({ parentId: '必填' });
    expect((await zh.post('/api/units', { parentId: null, kind: 'external', name: '国家部委' })).statusCode).toBe(201);
    expect((await zh.post('/api/units', { kind: 'committee', name: '另一个委员会' })).statusCode).toBe(201);

    const duplicate = await zh.post('/api/units', { parentId: zone.units.committee, kind: 'street', name: '崔寨街道' });
    expect(duplicate.statusCode).toBe(400);
    expect(fieldsOf(duplicate)).toEqual({ name: '已被使用' });

    const badInput = await zh.post('/api/units', { parentId: zone.units.committee, kind: 'village', name: '', extra: 1 });
    expect(badInput.statusCode).toBe(400);
    expect(Object.keys(fieldsOf(badInput)).sort()).toEqual(['extra', 'kind', 'name']);
  });

  it('treats another zone as if it did not exist', async () => {
    const zone = await createZone();
    const other = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const foreign = other.units.cuizhai!;
    expect((await admin.get(`/api/units/${foreign}`)).statusCode).toBe(404);
    expect((await admin.patch(`/api/units/${foreign}`, { version: 1, name: 'x' })).statusCode).toBe(404);
    expect((await admin.delete(`/api/units/${foreign}?version=1`)).statusCode).toBe(404);
    const underForeign = await admin.post('/api/units', { parentId: foreign, kind: 'area', name: 'x' });
    expect(underForeign.statusCode).toBe(400);
    expect(fieldsOf(underForeign)).toEqual({ parentId: '引用的记录不存在' });
    const moveUnderForeign = await admin.patch(`/api/units/${zone.units.area_cuizhai}`, { version: 1, parentId: foreign });
    expect(fieldsOf(moveUnderForeign)).toEqual({ parentId: '引用的记录不存在' });
    expect((await admin.get('/api/units/not-a-uuid')).statusCode).toBe(400);
  });

  it('updates with a version, names who changed it on a stale one, and bumps the version', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const url = `/api/units/${zone.units.digital}`;
    const first = await admin.patch(url, { version: 1, shortName: '数字部', description: '数字城市建设' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ shortName: '数字部', description: '数字城市建设', version: 2 });
    const stale = await admin.patch(url, { version: 1, shortName: '旧的' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict' });
    expect(stale.json().error.message).toContain('郑系统（演示）');
    const staleDelete = await admin.delete(`${url}?version=1`);
    expect(staleDelete.statusCode).toBe(409);
    const [row] = await auditRows(zone.zoneId, 'unit.update');
    expect(row).toMatchObject({ entityId: zone.units.digital, before: { shortName: null, version: 1 }, after: { shortName: '数字部', version: 2 } });
    const cleared = await admin.patch(url, { version: 2, shortName: null, description: '   ' });
    expect(cleared.json()).toMatchObject({ shortName: null, description: null, version: 3 });
  });

  it('moves a unit, refusing cycles and misfitting kinds', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const moved = await admin.patch(`/api/units/${zone.units.area_cuizhai}`, { version: 1, parentId: zone.units.cuizhai });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ parentId: zone.units.cuizhai, version: 2 });
    const [move] = await auditRows(zone.zoneId, 'unit.move');
    expect(move).toMatchObject({ entityId: zone.units.area_cuizhai, before: { parentId: zone.units.cluster_cuizhai }, after: { parentId: zone.units.cuizhai } });

    const underOwnChild = await admin.patch(`/api/units/${zone.units.cluster_cuizhai}`, { version: 1, parentId: zone.units.area_hydrogen });
    expect(underOwnChild.statusCode).toBe(400);
    expect(fieldsOf(underOwnChild)).toEqual({ parentId: '不能把单位移到它自己的下级' });
    const underItself = await admin.patch(`/api/units/${zone.units.cluster_cuizhai}`, { version: 1, parentId: zone.units.cluster_cuizhai });
    expect(fieldsOf(underItself)).toEqual({ parentId: '不能把单位移到它自己的下级' });
    const deepCycle = await admin.patch(`/api/units/${zone.units.committee}`, { version: 1, parentId: zone.units.area_cuizhai });
    expect(fieldsOf(deepCycle)).toEqual({ parentId: '不能把单位移到它自己的下级' });

    const streetUnderArea = await admin.patch(`/api/units/${zone.units.daqiao}`, { version: 1, parentId: zone.units.area_nev });
    expect(fieldsOf(streetUnderArea)).toEqual({ parentId: '片区下不能设立街道' });
    const toRoot = await admin.patch(`/api/units/${zone.units.daqiao}`, { version: 1, parentId: null });
    expect(fieldsOf(toRoot)).toEqual({ parentId: '必填' });
    // A cluster with areas under it cannot become a department (areas do not sit under departments).
    const kindChange = await admin.patch(`/api/units/${zone.units.cluster_daqiao}`, { version: 1, kind: 'department' });
    expect(fieldsOf(kindChange)).toEqual({ kind: '部门下不能设立片区' });
  });

  it('deletes only units without sub-units that nothing refers to', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin', 'en');
    const withChildren = await admin.delete(`/api/units/${zone.units.cluster_cuizhai}?version=1`);
    expect(withChildren.statusCode).toBe(409);
    expect(fieldsOf(withChildren)).toEqual({ id: 'The unit still has sub-units' });
    // 崔寨街道 has users; 氢能产业片区 has an enterprise and an HQ.
    for (const key of ['cuizhai', 'area_hydrogen']) {
      const inUse = await admin.delete(`/api/units/${zone.units[key]}?version=1`);
      expect(inUse.statusCode).toBe(409);
      expect(fieldsOf(inUse)).toEqual({ id: 'Still referred to elsewhere; cannot delete' });
    }
    expect((await admin.delete(`/api/units/${zone.units.ext_city_eco}`)).statusCode).toBe(400);
    const ok = await admin.delete(`/api/units/${zone.units.ext_city_eco}?version=1`);
    expect(ok.statusCode).toBe(200);
    expect((await admin.get(`/api/units/${zone.units.ext_city_eco}`)).statusCode).toBe(404);
    const [row] = await auditRows(zone.zoneId, 'unit.delete');
    expect(row).toMatchObject({ entityId: zone.units.ext_city_eco, before: { name: '济南市生态环境局' } });
  });

  it('exports the tree with Chinese headers, audited', async () => {
    const zone = await createZone();
    const staff = await signInAs(zone, 'unit_staff');
    const res = await staff.get('/api/units/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toMatch(/filename\*=UTF-8''%E5%8D%95%E4%BD%8D_\d{8}\.xlsx/);
    const rows = await readSheet(res);
    expect(rows[0]).toEqual(['单位名称', '简称', '类型', '上级单位', '说明', '成立日期', '排序', '状态']);
    expect(rows).toContainEqual(['崔寨片区', '', '片区', '崔寨组团', '', '', expect.any(String), '启用']);
    expect(rows).toHaveLength(Object.keys(zone.units).length + 1);
    const [row] = await auditRows(zone.zoneId, 'unit.export');
    expect(row).toMatchObject({ entityType: 'unit', after: { count: Object.keys(zone.units).length } });
  });
});
