import { beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn } from '../../test/harness.ts';
import type { Detail } from './problems.testkit.ts';

interface Item {
  id: string;
  code: string;
  title: string;
  state: string;
  light: string | null;
  pendingRequest: string | null;
  supervisionLevel: number;
  returnCount: number;
}

describe('demo problems', () => {
  beforeAll(async () => {
    await getHarness();
  });

  it('holds the greenhouse wall, closed 7 days after it was raised at 崔寨片区建设指挥部第二次例会, and a realistic open spread', async () => {
    const zone = await createZone({ problems: true });
    const leader = await signIn(zone, 'leader');
    const all = (await leader.get('/api/problems?pageSize=100')).json() as { items: Item[]; total: number };
    const wall = all.items.find((p) => p.title === '凤凰黄河大桥下桥口北侧大棚扇墙拆除')!;
    expect(wall).toMatchObject({ code: 'WT-2023-0001', state: 'closed' });
    const detail = (await leader.get(`/api/problems/${wall.id}`)).json() as Detail & { raisedOn: string; closedOn: string; sourceNote: string; leadUnit: { name: string } };
    expect(detail).toMatchObject({ raisedOn: '2023-05-09', closedOn: '2023-05-16', sourceNote: '崔寨片区建设指挥部第二次例会', leadUnit: { name: '崔寨街道' }, closedOnTime: true });

    const states = new Set(all.items.map((p) => p.state));
    for (const s of ['raised', 'assigned', 'handed_back', 'in_progress', 'suspended', 'submitted', 'closed', 'merged']) expect(states, s).toContain(s);
    const lights = new Set(all.items.map((p) => p.light));
    for (const l of ['green', 'yellow', 'red']) expect(lights, l).toContain(l);
    expect(all.items.some((p) => p.pendingRequest === 'extension')).toBe(true);
    expect(all.items.some((p) => p.supervisionLevel === 2)).toBe(true);
    expect(all.items.some((p) => p.returnCount > 0 && p.state === 'in_progress')).toBe(true);

    // Everyone has something to do.
    for (const user of ['hq.cuizhai', 'hq.fuzhongxin', 'hq.nev', 'staff.planning', 'staff.cuizhai', 'staff.daqiao']) {
      const todo = (await (await signIn(zone, user)).get('/api/problems?todo=true')).json() as { total: number };
      expect(todo.total, user).toBeGreaterThan(0);
    }
  });
});
