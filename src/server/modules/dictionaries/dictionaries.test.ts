import { beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn } from '../../test/harness.ts';
import { auditRows, fieldsOf } from '../org/org.testkit.ts';

interface Entry {
  id: string;
  code: string;
  label: string;
  labelEn: string | null;
  sortOrder: number;
  active: boolean;
  version: number;
  can: { update: boolean };
}

beforeAll(async () => {
  await getHarness();
});

describe('dictionaries', () => {
  it('lists a zone’s value lists to business roles and the system admin', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const res = await hq.get('/api/dictionaries/industry');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Entry[];
    expect(items.slice(0, 3).map((e) => [e.code, e.label, e.labelEn])).toEqual([
      ['nev', '新能源汽车', 'New-energy vehicles'],
      ['pv', '光伏', 'Photovoltaics'],
      ['hydrogen', '氢能', 'Hydrogen'],
    ]);
    expect(items[0]).toMatchObject({ active: true, version: 1, can: { update: false } });
    const kinds = (await hq.get('/api/dictionaries/project_kind')).json().items as Entry[];
    expect(kinds.map((e) => e.code)).toContain('infrastructure');
    expect((await (await signIn(zone, 'ent.hydrogen')).get('/api/dictionaries/industry')).statusCode).toBe(200);
    expect((await (await signIn(zone, 'sysadmin')).get('/api/dictionaries/industry')).json().items[0].can).toEqual({ update: true });
    expect((await (await signIn(zone, 'secadmin')).get('/api/dictionaries/industry')).statusCode).toBe(403);
    expect((await (await signIn(zone, 'auditor')).get('/api/dictionaries/industry')).statusCode).toBe(403);
    expect((await hq.get('/api/dictionaries/colours')).statusCode).toBe(400);
  });

  it('lets the system admin add, rename, reorder and retire values; retired values cannot be chosen', async () => {
    const zone = await createZone();
    const admin = await signIn(zone, 'sysadmin');
    const created = await admin.post('/api/dictionaries/industry', { code: 'low_altitude', label: '低空经济', labelEn: 'Low-altitude economy', sortOrder: 20 });
    expect(created.statusCode, created.body).toBe(201);
    const entry = created.json() as Entry;
    expect(entry).toMatchObject({ code: 'low_altitude', label: '低空经济', sortOrder: 20, active: true, version: 1 });
    const dup = await admin.post('/api/dictionaries/industry', { code: 'low_altitude', label: '光伏' });
    expect(dup.statusCode).toBe(400);
    expect(fieldsOf(dup)).toEqual({ code: '已被使用', label: '已被使用' });
    // The same code in another list is fine.
    expect((await admin.post('/api/dictionaries/project_kind', { code: 'low_altitude', label: '低空项目' })).statusCode).toBe(201);
    expect((await admin.post('/api/dictionaries/industry', { code: 'has space', label: '空格' })).statusCode).toBe(400);

    const hq = await signIn(zone, 'hq.cuizhai');
    expect((await hq.post('/api/dictionaries/industry', { code: 'x', label: '某行业' })).statusCode).toBe(403);
    const project = {
      code: 'DK-001',
      name: '低空经济产业园',
      industry: 'low_altitude',
      level: 'district',
      commandId: zone.commands.cuizhai,
      totalInvestment: '100000000',
    };
    const p = await hq.post('/api/projects', project);
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().industry).toEqual({ code: 'low_altitude', label: '低空经济' });

    const renamed = await admin.patch(`/api/dictionaries/industry/${entry.id}`, { version: 1, label: '低空经济产业', sortOrder: 2, active: false });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ label: '低空经济产业', sortOrder: 2, active: false, version: 2 });
    const stale = await admin.patch(`/api/dictionaries/industry/${entry.id}`, { version: 1, label: '再改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('郑系统（演示）');
    expect(fieldsOf(await admin.patch(`/api/dictionaries/industry/${entry.id}`, { version: 2, label: '光伏' }))).toEqual({ label: '已被使用' });
    // The entry id belongs to the industry list, not another one.
    expect((await admin.patch(`/api/dictionaries/project_kind/${entry.id}`, { version: 2, label: '别的' })).statusCode).toBe(404);

    // Old projects keep the (new) label; new ones cannot pick the retired value.
    expect((await hq.get(`/api/projects/${p.json().id}`)).json().industry).toEqual({ code: 'low_altitude', label: '低空经济产业' });
    const refused = await hq.post('/api/projects', { ...project, code: 'DK-002' });
    expect(fieldsOf(refused)).toEqual({ industry: '该选项已停用' });
    expect(await auditRows(zone.zoneId, 'dictionary.create')).toHaveLength(2);
    expect(await auditRows(zone.zoneId, 'dictionary.update')).toHaveLength(1);

    // Another zone's entry is unknown.
    const other = await createZone();
    expect((await (await signIn(other, 'sysadmin')).patch(`/api/dictionaries/industry/${entry.id}`, { version: 2, label: '越界' })).statusCode).toBe(404);
  });
});
