import { describe, expect, it } from 'vitest';
import { completeCreditCode } from '../../../shared/credit-code.ts';
import { createZone, signIn, type TestZone } from '../../test/harness.ts';
import { auditRows, fieldsOf, readSheet } from './org.testkit.ts';

interface EnterpriseBody {
  id: string;
  name: string;
  creditCode: string;
  legalRepIdNumber: string | null;
  contactPhone: string | null;
  unit: { id: string; name: string } | null;
  version: number;
  can: { update: boolean; delete: boolean; reveal: boolean };
}

const HYDROGEN_CODE = completeCreditCode('91370100MA7DEM001');
const NEW_CODE = completeCreditCode('91370100MA7DEM0X5');

async function visibleNames(zone: TestZone, username: string): Promise<string[]> {
  const client = await signIn(zone, username);
  const res = await client.get('/api/enterprises');
  expect(res.statusCode).toBe(200);
  return (res.json().items as EnterpriseBody[]).map((e) => e.name);
}

describe('enterprises', () => {
  it('lists the zone paged and masked, with filters', async () => {
    const zone = await createZone();
    const agent = await signIn(zone, 'agent.approval');
    const res = await agent.get('/api/enterprises');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: EnterpriseBody[]; total: number; page: number; pageSize: number };
    expect(body).toMatchObject({ total: 4, page: 1, pageSize: 50 });
    expect(body.items.find((e) => e.id === zone.enterprises.hydrogen)).toMatchObject({
      name: '国家电投济南绿动氢能科技有限公司',
      creditCode: HYDROGEN_CODE,
      contactPhone: '170****0011',
      legalRepIdNumber: null,
      unit: { id: zone.units.area_hydrogen, name: '氢能产业片区' },
      version: 1,
      can: { update: true, delete: true, reveal: true },
    });
    expect(res.body).not.toContain('17000000011');

    const names = async (query: string) => ((await agent.get(`/api/enterprises?${query}`)).json().items as EnterpriseBody[]).map((e) => e.name);
    expect(await names(`q=${encodeURIComponent('氢能')}`)).toEqual(['国家电投济南绿动氢能科技有限公司']);
    expect(await names(`q=${HYDROGEN_CODE.slice(-5).toLowerCase()}`)).toEqual(['国家电投济南绿动氢能科技有限公司']);
    expect(await names(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect((await names(`unitId=${zone.units.cluster_cuizhai}`)).sort()).toEqual(['国家电投济南绿动氢能科技有限公司', '山东光合高效电池组件有限公司（演示）'].sort());
    expect(await names(`industry=${encodeURIComponent('光伏')}`)).toEqual(['山东光合高效电池组件有限公司（演示）']);
    const page2 = (await agent.get('/api/enterprises?page=2&pageSize=3')).json();
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.items).toHaveLength(1);
    expect((await agent.get('/api/enterprises?pageSize=501')).statusCode).toBe(400);

    const leader = await signIn(zone, 'leader');
    expect((await leader.get(`/api/enterprises/${zone.enterprises.nev}`)).json().can).toEqual({ update: false, delete: false, reveal: true });
  });

  it('scopes enterprises to the caller: HQ area, own unit, own company', async () => {
    const zone = await createZone();
    expect(await visibleNames(zone, 'hq.cuizhai')).toEqual(['山东光合高效电池组件有限公司（演示）']);
    expect(await visibleNames(zone, 'hqstaff.cuizhai')).toEqual(['山东光合高效电池组件有限公司（演示）']);
    // Enterprises sit in areas under clusters, none under 崔寨街道 itself.
    expect(await visibleNames(zone, 'staff.cuizhai')).toEqual([]);
    expect(await visibleNames(zone, 'ent.hydrogen')).toEqual(['国家电投济南绿动氢能科技有限公司']);
    expect(await visibleNames(zone, 'sysadmin')).toHaveLength(4);

    const commander = await signIn(zone, 'hq.cuizhai');
    expect((await commander.get(`/api/enterprises/${zone.enterprises.solar}`)).statusCode).toBe(200);
    expect((await commander.get(`/api/enterprises/${zone.enterprises.hydrogen}`)).statusCode).toBe(404);
    expect((await commander.post(`/api/enterprises/${zone.enterprises.hydrogen}/reveal`, { field: 'contactPhone' })).statusCode).toBe(404);
    const contact = await signIn(zone, 'ent.hydrogen');
    expect((await contact.get(`/api/enterprises/${zone.enterprises.nev}`)).statusCode).toBe(404);
    const rows = await readSheet(await commander.get('/api/enterprises/export.xlsx'));
    expect(rows.slice(1).map((r) => r[0])).toEqual(['山东光合高效电池组件有限公司（演示）']);

    // An enterprise placed under 崔寨街道 comes into its staff's view.
    const agent = await signIn(zone, 'agent.approval');
    const moved = await agent.patch(`/api/enterprises/${zone.enterprises.urban}`, { version: 1, unitId: zone.units.cuizhai });
    expect(moved.statusCode).toBe(200);
    expect(await visibleNames(zone, 'staff.cuizhai')).toEqual(['济南起步区城市建设发展集团有限公司（演示）']);

    for (const username of ['auditor', 'secadmin']) {
      const admin = await signIn(zone, username);
      expect((await admin.get('/api/enterprises')).statusCode).toBe(403);
      expect((await admin.get(`/api/enterprises/${zone.enterprises.hydrogen}`)).statusCode).toBe(403);
    }
  });

  it('checks the unified social credit code and refuses a duplicate with a field error', async () => {
    const zone = await createZone();
    const agent = await signIn(zone, 'agent.approval');
    const post = (creditCode: string) => agent.post('/api/enterprises', { name: '济南示例科技有限公司（演示）', creditCode });
    expect(fieldsOf(await post('91370100MA7DEM00'))).toEqual({ creditCode: '统一社会信用代码应为18位' });
    expect(fieldsOf(await post('91370100MA7DEMOO1'.padEnd(18, 'I')))).toEqual({ creditCode: '统一社会信用代码含有无效字符' });
    const wrongCheck = NEW_CODE.slice(0, 17) + (NEW_CODE.endsWith('0') ? '1' : '0');
    expect(fieldsOf(await post(wrongCheck))).toEqual({ creditCode: '统一社会信用代码校验位不正确' });
    const duplicate = await post(HYDROGEN_CODE);
    expect(duplicate.statusCode).toBe(400);
    expect(fieldsOf(duplicate)).toEqual({ creditCode: '已被使用' });
    const en = await signIn(zone, 'agent.approval', 'en');
    expect(fieldsOf(await en.post('/api/enterprises', { name: 'x', creditCode: 'short' }))).toEqual({ creditCode: 'A unified social credit code has 18 characters' });

    const created = await post(` ${NEW_CODE.toLowerCase()} `);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ creditCode: NEW_CODE, version: 1, unit: null });
    const patch = await agent.patch(`/api/enterprises/${created.json().id}`, { version: 1, creditCode: HYDROGEN_CODE });
    expect(fieldsOf(patch)).toEqual({ creditCode: '已被使用' });
  });

  it('stores personal data encrypted, shows it masked and audits it masked', async () => {
    const zone = await createZone();
    const agent = await signIn(zone, 'agent.approval');
    const bad = await agent.post('/api/enterprises', { name: 'x', creditCode: NEW_CODE, contactPhone: '12345', legalRepIdNumber: '3701' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(fieldsOf(bad)).sort()).toEqual(['contactPhone', 'legalRepIdNumber']);
    const res = await agent.post('/api/enterprises', {
      name: '济南示例氢能装备有限公司（演示）',
      creditCode: NEW_CODE,
      legalRepresentative: '示例人（演示）',
      legalRepIdNumber: '37010219900101123X',
      contactName: '联系人（演示）',
      contactPhone: '17000000099',
      industry: '氢能',
      address: '=HYPERLINK("http://x")',
      unitId: zone.units.area_hydrogen,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ legalRepIdNumber: '3701**********123X', contactPhone: '170****0099', unit: { name: '氢能产业片区' } });
    expect(res.body).not.toContain('17000000099');
    const [row] = await auditRows(zone.zoneId, 'enterprise.create');
    expect(row?.after).toMatchObject({ contactPhone: '170****0099', legalRepIdNumber: '3701**********123X' });
    expect(JSON.stringify(row)).not.toContain('17000000099');

    const sheet = await agent.get(`/api/enterprises/export.xlsx?industry=${encodeURIComponent('氢能')}`);
    expect(sheet.statusCode).toBe(200);
    expect(String(sheet.headers['content-disposition'])).toContain(encodeURIComponent('企业_'));
    const rows = await readSheet(sheet);
    expect(rows[0]).toEqual(['企业名称', '统一社会信用代码', '法定代表人', '法定代表人身份证号', '联系人', '联系电话', '行业', '地址', '所在单位']);
    const added = rows.find((r) => r[1] === NEW_CODE);
    expect(added).toEqual(['济南示例氢能装备有限公司（演示）', NEW_CODE, '示例人（演示）', '3701**********123X', '联系人（演示）', '170****0099', '氢能', '=HYPERLINK("http://x")', '氢能产业片区']);
    expect(rows.find((r) => r[1] === HYDROGEN_CODE)?.[5]).toBe('170****0011');
    expect(rows.flat().join('|')).not.toMatch(/17000000\d{3}/);
    const [exported] = await auditRows(zone.zoneId, 'enterprise.export');
    expect(exported).toMatchObject({ entityType: 'enterprise', after: { count: 2, filters: { industry: '氢能' } } });
  });

  it('reveals a full value only to the roles that need it, in scope, audited', async () => {
    const zone = await createZone();
    const url = `/api/enterprises/${zone.enterprises.solar}/reveal`;
    const agent = await signIn(zone, 'agent.approval');
    const revealed = await agent.post(url, { field: 'contactPhone' });
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json()).toEqual({ value: '17000000013' });
    expect((await agent.post(url, { field: 'legalRepIdNumber' })).json()).toEqual({ value: null });
    const commander = await signIn(zone, 'hq.cuizhai');
    expect((await commander.post(url, { field: 'contactPhone' })).json()).toEqual({ value: '17000000013' });
    const rows = await auditRows(zone.zoneId, 'enterprise.reveal');
    expect(rows.map((r) => [r.actorName, r.entityId, r.after])).toEqual([
      ['吴静怡（演示）', zone.enterprises.solar, { field: 'contactPhone' }],
      ['吴静怡（演示）', zone.enterprises.solar, { field: 'legalRepIdNumber' }],
      ['赵振华（演示）', zone.enterprises.solar, { field: 'contactPhone' }],
    ]);

    for (const username of ['staff.cuizhai', 'hqstaff.cuizhai', 'sysadmin', 'ent.hydrogen']) {
      const client = await signIn(zone, username);
      expect((await client.post(`/api/enterprises/${zone.enterprises.hydrogen}/reveal`, { field: 'contactPhone' })).statusCode).toBe(403);
    }
    expect((await agent.post(url, { field: 'address' })).statusCode).toBe(400);
    const other = await createZone();
    expect((await agent.post(`/api/enterprises/${other.enterprises.solar}/reveal`, { field: 'contactPhone' })).statusCode).toBe(404);
  });

  it('edits and deletes with versions, within scope and roles', async () => {
    const zone = await createZone();
    const other = await createZone();
    const agent = await signIn(zone, 'agent.approval');
    const url = `/api/enterprises/${zone.enterprises.solar}`;
    const edited = await agent.patch(url, { version: 1, address: '崔寨街道高新产业集聚区1号', contactPhone: null });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ address: '崔寨街道高新产业集聚区1号', contactPhone: null, version: 2 });
    const stale = await agent.patch(url, { version: 1, address: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('吴静怡（演示）');
    const [row] = await auditRows(zone.zoneId, 'enterprise.update');
    expect(row).toMatchObject({ before: { contactPhone: '170****0013', version: 1 }, after: { contactPhone: null, version: 2 } });

    expect((await agent.patch(url, { version: 2, unitId: other.units.cuizhai })).statusCode).toBe(400);
    expect((await agent.patch(`/api/enterprises/${other.enterprises.solar}`, { version: 1, address: 'x' })).statusCode).toBe(404);
    expect((await agent.delete(`/api/enterprises/${other.enterprises.solar}?version=1`)).statusCode).toBe(404);
    const commander = await signIn(zone, 'hq.cuizhai');
    expect((await commander.patch(url, { version: 2, address: 'x' })).statusCode).toBe(403);
    expect((await commander.delete(`${url}?version=2`)).statusCode).toBe(403);

    // The hydrogen company has a contact person's account.
    const inUse = await agent.delete(`/api/enterprises/${zone.enterprises.hydrogen}?version=1`);
    expect(inUse.statusCode).toBe(409);
    expect(fieldsOf(inUse)).toEqual({ id: '仍被其他数据引用，不能删除' });
    expect((await agent.delete(`${url}?version=1`)).statusCode).toBe(409);
    expect((await agent.delete(`${url}?version=2`)).statusCode).toBe(200);
    expect((await agent.get(url)).statusCode).toBe(404);
    expect((await auditRows(zone.zoneId, 'enterprise.delete'))[0]).toMatchObject({ entityId: zone.enterprises.solar, before: { name: '山东光合高效电池组件有限公司（演示）' } });
  });
});
