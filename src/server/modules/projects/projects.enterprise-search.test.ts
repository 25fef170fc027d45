import { beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn, type Client } from '../../test/harness.ts';

// The shared app and database start once (slowly on PGlite), under the hook timeout.
beforeAll(async () => {
  await getHarness();
});

const codes = async (client: Client, q: string) =>
  ((await client.get(`/api/projects?q=${encodeURIComponent(q)}`)).json().items as { code: string }[]).map((p) => p.code).sort();

describe('project search after an enterprise is renamed', () => {
  it('finds the enterprise’s projects by its new name (not the old one), in the rename’s transaction; nothing else changes', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const project = (code: string, name: string, enterpriseId: string | undefined) => ({
      code,
      name,
      level: 'city',
      totalInvestment: '100000000.00',
      commandId: zone.commands.cuizhai,
      address: '崔寨街道高新产业集聚区',
      ...(enterpriseId ? { enterpriseId } : {}),
    });
    for (const body of [project('E-1', '高效电池组件项目', zone.enterprises.solar), project('E-2', '电池组件二期', zone.enterprises.solar), project('E-3', '氢能基地', zone.enterprises.hydrogen)]) {
      const res = await hq.post('/api/projects', body);
      expect(res.statusCode, res.body).toBe(201);
    }
    const before = (await hq.get('/api/projects')).json();
    expect(before.items).toHaveLength(3);
    const leader = await signIn(zone, 'leader');
    expect(await codes(leader, '光合')).toEqual(['E-1', 'E-2']);

    const agent = await signIn(zone, 'agent.approval');
    const enterprise = (await agent.get(`/api/enterprises/${zone.enterprises.solar}`)).json() as { version: number };
    // Changing something else than the name leaves the projects alone.
    expect((await agent.patch(`/api/enterprises/${zone.enterprises.solar}`, { version: enterprise.version, address: '崔寨街道1号' })).statusCode).toBe(200);
    const renamed = await agent.patch(`/api/enterprises/${zone.enterprises.solar}`, { version: enterprise.version + 1, name: '山东晶澳光伏科技有限公司（演示）' });
    expect(renamed.statusCode, renamed.body).toBe(200);

    expect(await codes(leader, '晶澳')).toEqual(['E-1', 'E-2']);
    expect(await codes(leader, '光合')).toEqual([]);
    // The projects' own words and the other enterprise's project are still found.
    expect(await codes(leader, '电池组件')).toEqual(['E-1', 'E-2']);
    expect(await codes(leader, '氢能')).toEqual(['E-3']);
    expect(await codes(leader, '高新')).toEqual(['E-1', 'E-2', 'E-3']);
    // Derived data only: versions and everything else as they were, but the enterprise's name.
    const after = (await hq.get('/api/projects')).json();
    const strip = (page: { items: Record<string, unknown>[] }) => page.items.map(({ enterprise: _e, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(before));
    expect(after.items.map((p: { enterprise: { name: string } | null }) => p.enterprise?.name)).toContain('山东晶澳光伏科技有限公司（演示）');

    // A rename that loses its version race changes nothing.
    expect((await agent.patch(`/api/enterprises/${zone.enterprises.solar}`, { version: enterprise.version, name: '别的名字' })).statusCode).toBe(409);
    expect(await codes(leader, '名字')).toEqual([]);
  });
});
