import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lightOf, type ProblemState } from '../../../shared/problem-flow.ts';
import { createZone, getHarness, signIn, type Client, type TestZone } from '../../test/harness.ts';
import type { FigureDto, GroupRowDto, ListQueryDto, ProblemMetricsDto } from './metrics.api.ts';
import { isoWeek, medianOfHistogram, mondayOf, rankScore } from './metrics.service.ts';
import { problemCooperatingUnits, problems } from './problems.schema.ts';

/**
 * The closed-loop metrics against hand-computed figures. Sixteen problems are written straight into the tables
 * with known dates and states (the flow itself is tested in problems.test.ts); "today" is pinned to Wednesday
 * 2026-06-17 in Asia/Shanghai by moving the harness clock, and moved on to see the lights change.
 */

const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

async function pinClock(day: string): Promise<void> {
  const { clock } = await getHarness();
  clock.offsetMs = at(day).getTime() - Date.now();
}

interface Spec {
  key: string;
  unit: 'cuizhai' | 'daqiao' | 'economy' | 'cluster_cuizhai' | 'area_cuizhai' | 'area_hydrogen' | null;
  command: 'cuizhai' | 'hydrogen';
  category: string;
  state: ProblemState;
  raisedOn: string;
  deadline?: string;
  warnOn?: string;
  reminded?: boolean;
  suspendedOn?: string;
  closedOn?: string;
  onTime?: boolean;
  workdays?: number;
  returns?: number;
  raisedBy?: string;
  cooperating?: 'cuizhai';
}

// today = 2026-06-17 (Wed); the default period is 2026-01-01 … 2026-06-17.
const SPECS: Spec[] = [
  { key: 'P1', unit: 'cuizhai', command: 'cuizhai', category: 'land', state: 'in_progress', raisedOn: '2026-05-01', deadline: '2026-06-10', warnOn: '2026-06-08', returns: 1 }, // red
  { key: 'P2', unit: 'cuizhai', command: 'cuizhai', category: 'land', state: 'in_progress', raisedOn: '2026-06-02', deadline: '2026-06-30', warnOn: '2026-06-26', reminded: true }, // yellow (reminded)
  { key: 'P3', unit: 'cuizhai', command: 'hydrogen', category: 'permits', state: 'assigned', raisedOn: '2026-06-16', deadline: '2026-07-15', warnOn: '2026-07-13' }, // green
  { key: 'P4', unit: 'daqiao', command: 'cuizhai', category: 'permits', state: 'suspended', raisedOn: '2025-12-20', deadline: '2026-06-05', warnOn: '2026-06-03', suspendedOn: '2026-06-01' }, // green (clock stopped 06-01)
  { key: 'P5', unit: 'daqiao', command: 'cuizhai', category: 'land', state: 'suspended', raisedOn: '2026-02-03', deadline: '2026-06-08', warnOn: '2026-06-04', suspendedOn: '2026-06-09' }, // red (stopped after the deadline)
  { key: 'P6', unit: 'daqiao', command: 'hydrogen', category: 'land', state: 'submitted', raisedOn: '2026-03-10', deadline: '2026-06-18', warnOn: '2026-06-16', returns: 2 }, // yellow (warn_on)
  { key: 'P7', unit: 'cuizhai', command: 'cuizhai', category: 'land', state: 'closed', raisedOn: '2026-02-10', deadline: '2026-03-10', closedOn: '2026-03-05', onTime: true, workdays: 10 },
  { key: 'P8', unit: 'cuizhai', command: 'cuizhai', category: 'permits', state: 'closed', raisedOn: '2026-03-02', deadline: '2026-04-10', closedOn: '2026-04-20', onTime: false, workdays: 25, returns: 1 },
  { key: 'P9', unit: 'daqiao', command: 'hydrogen', category: 'land', state: 'closed', raisedOn: '2026-04-27', deadline: '2026-05-08', closedOn: '2026-05-06', onTime: true, workdays: 7 },
  { key: 'P10', unit: 'daqiao', command: 'cuizhai', category: 'land', state: 'closed', raisedOn: '2025-12-01', deadline: '2025-12-31', closedOn: '2025-12-30', onTime: true, workdays: 5 }, // before the period
  { key: 'P11', unit: null, command: 'cuizhai', category: 'other', state: 'raised', raisedOn: '2026-06-15', raisedBy: 'staff.daqiao' }, // open, no light
  { key: 'P12', unit: 'cuizhai', command: 'cuizhai', category: 'land', state: 'merged', raisedOn: '2026-06-12' },
  { key: 'P13', unit: 'economy', command: 'hydrogen', category: 'environment', state: 'in_progress', raisedOn: '2026-06-01', deadline: '2026-06-16', warnOn: '2026-06-12', returns: 2 }, // red
  { key: 'P14', unit: 'economy', command: 'hydrogen', category: 'environment', state: 'closed', raisedOn: '2026-05-20', deadline: '2026-06-20', closedOn: '2026-06-17', onTime: true, workdays: 12 },
  { key: 'P15', unit: 'cuizhai', command: 'cuizhai', category: 'land', state: 'closed', raisedOn: '2026-05-25', deadline: '2026-06-05', closedOn: '2026-06-01', onTime: true, workdays: 3 },
  { key: 'P16', unit: 'daqiao', command: 'hydrogen', category: 'other', state: 'in_progress', raisedOn: '2026-06-03', deadline: '2026-07-30', warnOn: '2026-07-28', cooperating: 'cuizhai' }, // green
];

async function insertProblems(zone: TestZone, specs: Spec[] = SPECS): Promise<Record<string, string>> {
  const { services } = await getHarness();
  const ids: Record<string, string> = {};
  for (const [i, p] of specs.entries()) {
    const raisedBy = zone.users[p.raisedBy ?? 'hq.cuizhai']!;
    const [row] = await services.db
      .insert(problems)
      .values({
        zoneId: zone.zoneId,
        code: `WT-MX-${String(i + 1).padStart(4, '0')}`,
        title: `指标测试问题${p.key}`,
        source: 'field',
        commandId: zone.commands[p.command]!,
        category: p.category,
        state: p.state,
        leadUnitId: p.unit ? zone.units[p.unit]! : null,
        deadline: p.deadline ?? null,
        warnOn: p.warnOn ?? null,
        remindedAt: p.reminded ? at('2026-06-15') : null,
        suspendedOn: p.suspendedOn ?? null,
        mergedIntoId: p.state === 'merged' ? ids.P1! : null,
        raisedBy,
        raisedByName: '测试',
        raisedAt: at(p.raisedOn),
        raisedOn: p.raisedOn,
        assignedOn: p.unit ? p.raisedOn : null,
        closedAt: p.closedOn ? at(p.closedOn) : null,
        closedOn: p.closedOn ?? null,
        closedOnTime: p.onTime ?? null,
        workdaysToClose: p.workdays ?? null,
        returnCount: p.returns ?? 0,
      })
      .returning({ id: problems.id });
    ids[p.key] = row!.id;
    if (p.cooperating) await services.db.insert(problemCooperatingUnits).values({ zoneId: zone.zoneId, problemId: row!.id, unitId: zone.units[p.cooperating]! });
  }
  return ids;
}

/** GET /api/problems?… from a figure's query (arrays as repeated keys). */
function listUrl(query: ListQueryDto): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) for (const x of v) sp.append(k, x);
    else if (v !== undefined) sp.append(k, String(v));
  }
  sp.set('pageSize', '500');
  return `/api/problems?${sp.toString()}`;
}

async function listed(client: Client, query: ListQueryDto): Promise<{ total: number; items: { id: string; code: string; returnCount: number; light: string | null }[] }> {
  const res = await client.get(listUrl(query));
  expect(res.statusCode, `${listUrl(query)} ${res.body.slice(0, 300)}`).toBe(200);
  return res.json();
}

const counts = (f: FigureDto) => f.n;
const pick = (m: Pick<GroupRowDto, 'open' | 'red' | 'yellow' | 'green' | 'raised' | 'closed' | 'returns'> & { onTime: GroupRowDto['onTime']; medianWorkdaysToClose: GroupRowDto['medianWorkdaysToClose'] }) => ({
  open: counts(m.open),
  red: counts(m.red),
  yellow: counts(m.yellow),
  green: counts(m.green),
  raised: counts(m.raised),
  closed: counts(m.closed),
  onTime: m.onTime.closedOnTime.n,
  late: m.onTime.closedLate.n,
  withDeadline: m.onTime.closedWithDeadline,
  rate: m.onTime.rate,
  median: m.medianWorkdaysToClose.value,
  returns: counts(m.returns),
});

/** Every figure of a metrics answer with its query, for the click-through check. */
function everyFigure(m: ProblemMetricsDto): { label: string; n: number; query: ListQueryDto; sumReturns?: boolean }[] {
  const out: { label: string; n: number; query: ListQueryDto; sumReturns?: boolean }[] = [];
  const group = (label: string, g: Omit<GroupRowDto, 'key'>) => {
    for (const k of ['open', 'red', 'yellow', 'green', 'raised', 'closed'] as const) out.push({ label: `${label}.${k}`, ...g[k] });
    out.push({ label: `${label}.onTime`, ...g.onTime.closedOnTime }, { label: `${label}.late`, ...g.onTime.closedLate });
    out.push({ label: `${label}.withDeadline`, n: g.onTime.closedWithDeadline, query: g.onTime.query });
    out.push({ label: `${label}.median`, n: g.medianWorkdaysToClose.count, query: g.medianWorkdaysToClose.query });
    out.push({ label: `${label}.returns`, ...g.returns, sumReturns: true });
  };
  group('totals', m.totals);
  for (const r of m.byUnit) group(`unit ${r.key.name}`, r);
  for (const r of m.byCommand) group(`hq ${r.key.name}`, r);
  for (const r of m.byCategory) group(`category ${r.key.id}`, r);
  for (const l of ['red', 'yellow', 'green'] as const) out.push({ label: `lights.${l}`, ...m.lights[l] });
  for (const w of m.weekly) {
    out.push({ label: `${w.week}.raised`, ...w.raised }, { label: `${w.week}.closed`, ...w.closed }, { label: `${w.week}.overdue`, ...w.overdueOpen });
  }
  for (const r of m.ranking.items) out.push({ label: `rank ${r.unit.name}.overdue`, ...r.overdueOpen }, { label: `rank ${r.unit.name}.returns`, ...r.returns, sumReturns: true });
  return out;
}

async function expectClickThrough(client: Client, m: ProblemMetricsDto): Promise<void> {
  const failures: string[] = [];
  for (const f of everyFigure(m)) {
    const list = await listed(client, f.query);
    const got = f.sumReturns ? list.items.reduce((a, i) => a + i.returnCount, 0) : list.total;
    if (got !== f.n) failures.push(`${f.label}: figure ${f.n}, list ${got} (${listUrl(f.query)})`);
  }
  expect(failures).toEqual([]);
}

describe('problem metrics', () => {
  let zone: TestZone;
  let ids: Record<string, string>;

  beforeAll(async () => {
    zone = await createZone();
    ids = await insertProblems(zone);
  });

  afterEach(async () => {
    (await getHarness()).clock.offsetMs = 0;
  });

  async function metricsAs(user: string, query = ''): Promise<{ client: Client; m: ProblemMetricsDto }> {
    const client = await signIn(zone, user);
    const res = await client.get(`/api/problems/metrics${query}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return { client, m: res.json() };
  }

  it('counts every figure as computed by hand (zone leader, default period)', async () => {
    await pinClock('2026-06-17');
    const { m } = await metricsAs('leader');
    expect([m.from, m.to, m.today]).toEqual(['2026-01-01', '2026-06-17', '2026-06-17']);
    expect(pick(m.totals)).toEqual({ open: 9, red: 3, yellow: 2, green: 3, raised: 14, closed: 5, onTime: 4, late: 1, withDeadline: 5, rate: '0.8000', median: '10.0', returns: 6 });
    expect(m.lights.none).toBe(1);

    const unit = (k: string) => pick(m.byUnit.find((r) => r.key.id === zone.units[k])!);
    expect(m.byUnit.map((r) => r.key.id).sort()).toEqual([zone.units.cuizhai, zone.units.daqiao, zone.units.economy].sort());
    expect(unit('cuizhai')).toEqual({ open: 3, red: 1, yellow: 1, green: 1, raised: 7, closed: 3, onTime: 2, late: 1, withDeadline: 3, rate: '0.6667', median: '10.0', returns: 2 });
    expect(unit('daqiao')).toEqual({ open: 4, red: 1, yellow: 1, green: 2, raised: 4, closed: 1, onTime: 1, late: 0, withDeadline: 1, rate: '1.0000', median: '7.0', returns: 2 });
    expect(unit('economy')).toEqual({ open: 1, red: 1, yellow: 0, green: 0, raised: 2, closed: 1, onTime: 1, late: 0, withDeadline: 1, rate: '1.0000', median: '12.0', returns: 2 });

    const hq = (k: string) => pick(m.byCommand.find((r) => r.key.id === zone.commands[k])!);
    expect(m.byCommand).toHaveLength(2);
    expect(hq('cuizhai')).toEqual({ open: 5, red: 2, yellow: 1, green: 1, raised: 8, closed: 3, onTime: 2, late: 1, withDeadline: 3, rate: '0.6667', median: '10.0', returns: 2 });
    // an even count: the mean of the two middle values (7 and 12)
    expect(hq('hydrogen')).toEqual({ open: 4, red: 1, yellow: 1, green: 2, raised: 6, closed: 2, onTime: 2, late: 0, withDeadline: 2, rate: '1.0000', median: '9.5', returns: 4 });

    const cat = (k: string) => pick(m.byCategory.find((r) => r.key.id === k)!);
    expect(m.byCategory.map((r) => r.key.id)).toEqual(['land', 'permits', 'environment', 'other']);
    expect(m.byCategory.map((r) => r.key.name)).toEqual(['土地要素', '审批手续', '环保生态', '其他']);
    expect(cat('land')).toEqual({ open: 4, red: 2, yellow: 2, green: 0, raised: 8, closed: 3, onTime: 3, late: 0, withDeadline: 3, rate: '1.0000', median: '7.0', returns: 3 });
    expect(cat('permits')).toEqual({ open: 2, red: 0, yellow: 0, green: 2, raised: 2, closed: 1, onTime: 0, late: 1, withDeadline: 1, rate: '0.0000', median: '25.0', returns: 1 });
    expect(cat('environment')).toEqual({ open: 1, red: 1, yellow: 0, green: 0, raised: 2, closed: 1, onTime: 1, late: 0, withDeadline: 1, rate: '1.0000', median: '12.0', returns: 2 });
    expect(cat('other')).toEqual({ open: 2, red: 0, yellow: 0, green: 1, raised: 2, closed: 0, onTime: 0, late: 0, withDeadline: 0, rate: null, median: null, returns: 0 });
  });

  it('ranks the units by the formula shown, equal scores sharing a rank', async () => {
    await pinClock('2026-06-17');
    const { m } = await metricsAs('leader');
    expect(m.ranking.weights).toEqual({ onTimeRate: 100, overdueOpen: 5, returns: 2 });
    expect(m.ranking.formula.zh).toContain('100 × 按期办结率 − 5 × 超期未办结数 − 2 × 退回次数');
    expect(m.ranking.formula.en).toContain('100 × on-time closure rate − 5 × overdue open − 2 × returns');
    // economy 100×1 − 5×1 − 2×2 = 91; daqiao 100×1 − 5×1 − 2×2 = 91; cuizhai 100×2/3 − 5×1 − 2×2 = 57.666…
    expect(m.ranking.items.map((r) => [r.rank, r.unit.id, r.score])).toEqual([
      [1, zone.units.economy, '91.00'],
      [1, zone.units.daqiao, '91.00'],
      [3, zone.units.cuizhai, '57.67'],
    ]);
    expect(rankScore(0, 0, 2, 1)).toEqual({ num: -12n, den: 1n });
    expect([medianOfHistogram(new Map([[7, 1], [12, 1]])), medianOfHistogram(new Map([[3, 2], [10, 1], [25, 1]])), medianOfHistogram(new Map([[4, 3]])), medianOfHistogram(new Map())]).toEqual(['9.5', '6.5', '4.0', null]);
  });

  it('trends by ISO week, Monday to Sunday, clipped to the period', async () => {
    await pinClock('2026-06-17');
    const { m } = await metricsAs('leader');
    expect(m.weekly).toHaveLength(25);
    expect(m.weekly[0]).toMatchObject({ week: '2026-W01', from: '2026-01-01', to: '2026-01-04' });
    expect(m.weekly.at(-1)).toMatchObject({ week: '2026-W25', from: '2026-06-15', to: '2026-06-17' });
    const w = (week: string) => {
      const x = m.weekly.find((y) => y.week === week)!;
      return [x.raised.n, x.closed.n, x.overdueOpen.n];
    };
    expect(w('2026-W18')).toEqual([2, 0, 0]); // P9 (Mon 04-27), P1 (Fri 05-01)
    expect(w('2026-W23')).toEqual([3, 1, 0]); // P13, P2, P16 raised; P15 closed
    expect(w('2026-W24')).toEqual([1, 0, 2]); // P12 raised; P1 and P5 fell due this week and are red
    expect(w('2026-W25')).toEqual([2, 1, 1]); // P11, P3; P14 closed today; P13 due 06-16
    expect(m.weekly.reduce((a, x) => a + x.raised.n, 0)).toBe(14);
    expect(m.weekly.reduce((a, x) => a + x.closed.n, 0)).toBe(5);
    expect([isoWeek(mondayOf('2026-01-01')), isoWeek(mondayOf('2027-01-03')), isoWeek(mondayOf('2026-12-31'))]).toEqual(['2026-W01', '2026-W53', '2026-W53']);
  });

  it('lights as lightOf() says, also when the clock moves on', async () => {
    const { services } = await getHarness();
    const mine = await services.db.select().from(problems).where(eq(problems.zoneId, zone.zoneId));
    for (const day of ['2026-06-17', '2026-06-19', '2026-07-14']) {
      await pinClock(day);
      const expected = { red: 0, yellow: 0, green: 0 };
      for (const r of mine) {
        const l = lightOf({ state: r.state as ProblemState, deadline: r.deadline, warnOn: r.warnOn, reminded: r.remindedAt !== null, suspendedOn: r.suspendedOn }, day);
        if (l) expected[l]++;
      }
      const { client, m } = await metricsAs('leader', '?from=2026-01-01&to=2026-06-17');
      expect({ red: m.lights.red.n, yellow: m.lights.yellow.n, green: m.lights.green.n }, day).toEqual(expected);
      for (const l of ['red', 'yellow', 'green'] as const) {
        const list = await listed(client, m.lights[l].query);
        expect(list.items.every((i) => i.light === l)).toBe(true);
      }
    }
    // by hand: 06-19 P6 (deadline 06-18) turns red; 07-14 P2 red too and P3 (warn_on 07-13) yellow; P4 stays green (suspended before its deadline)
    await pinClock('2026-06-19');
    expect((await metricsAs('leader')).m.lights).toMatchObject({ red: { n: 4 }, yellow: { n: 1 }, green: { n: 3 } });
    await pinClock('2026-07-14');
    const later = (await metricsAs('leader')).m;
    expect(later.lights).toMatchObject({ red: { n: 5 }, yellow: { n: 1 }, green: { n: 2 } });
    expect(later.to).toBe('2026-07-14');
  });

  it('each figure clicks through to exactly the problems it counts (leader, HQ commander, street staff)', async () => {
    await pinClock('2026-06-17');
    for (const user of ['leader', 'hq.hydrogen', 'staff.cuizhai']) {
      const { client, m } = await metricsAs(user);
      await expectClickThrough(client, m);
    }
    const { client, m } = await metricsAs('leader', `?from=2026-03-01&to=2026-05-31&leadUnitId=${zone.units.daqiao}`);
    await expectClickThrough(client, m);
  }, 120_000);

  it('is scoped like the list: a street sees its own and cooperating problems, an HQ its own', async () => {
    await pinClock('2026-06-17');
    const street = (await metricsAs('staff.cuizhai')).m;
    // lead cuizhai: P1 P2 P3 P7 P8 P12 P15; cooperating: P16
    expect(pick(street.totals)).toEqual({ open: 4, red: 1, yellow: 1, green: 2, raised: 8, closed: 3, onTime: 2, late: 1, withDeadline: 3, rate: '0.6667', median: '10.0', returns: 2 });
    // in the units' order (大桥街道 before 崔寨街道); 大桥 only for P16, where 崔寨 cooperates
    expect(street.byUnit.map((r) => [r.key.id, r.open.n])).toEqual([
      [zone.units.daqiao, 1],
      [zone.units.cuizhai, 3],
    ]);

    const hq = (await metricsAs('hq.hydrogen')).m;
    expect(pick(hq.totals)).toMatchObject({ open: 4, raised: 6, closed: 2, median: '9.5', returns: 4 });
    expect(hq.byCommand.map((r) => r.key.id)).toEqual([zone.commands.hydrogen]);

    // the raiser sees what they raised (P11, unassigned)
    const raiser = (await metricsAs('staff.daqiao')).m;
    expect(raiser.totals.open.n).toBe(5); // P4 P5 P6 P16 (lead daqiao) + P11 (raised by them)
  });

  it('narrows to an HQ or a unit, takes a period, and refuses bad input', async () => {
    await pinClock('2026-06-17');
    const { m: all } = await metricsAs('leader');
    const { m: byHq } = await metricsAs('leader', `?commandId=${zone.commands.hydrogen}`);
    expect(pick(byHq.totals)).toEqual(pick(all.byCommand.find((r) => r.key.id === zone.commands.hydrogen)!));
    expect(byHq.totals.open.query).toEqual({ commandId: [zone.commands.hydrogen], state: ['raised', 'assigned', 'handed_back', 'in_progress', 'suspended', 'submitted'] });
    const { m: byUnit } = await metricsAs('leader', `?leadUnitId=${zone.units.cuizhai}`);
    expect(pick(byUnit.totals)).toEqual(pick(all.byUnit.find((r) => r.key.id === zone.units.cuizhai)!));
    // a unit above: its sub-units' problems (committee → all that have a lead unit)
    const { m: above } = await metricsAs('leader', `?leadUnitId=${zone.units.committee}`);
    expect(above.totals.open.n).toBe(8);

    // 2025: P10 closed 12-30 and P4 raised 12-20 (plus the snapshot figures, which are of today)
    const { m: last } = await metricsAs('leader', '?from=2025-12-01&to=2025-12-31');
    expect(pick(last.totals)).toMatchObject({ raised: 2, closed: 1, onTime: 1, rate: '1.0000', median: '5.0', open: 9 });
    expect(last.weekly.map((w) => w.week)).toEqual(['2025-W49', '2025-W50', '2025-W51', '2025-W52', '2026-W01']);

    const leader = await signIn(zone, 'leader', 'en');
    expect((await leader.get('/api/problems/metrics?from=2026-06-01&to=2026-05-01')).statusCode).toBe(400);
    expect((await leader.get('/api/problems/metrics?from=2000-01-01&to=2026-05-01')).statusCode).toBe(400);
    expect((await leader.get('/api/problems/metrics?commandId=6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).statusCode).toBe(400);
    expect((await leader.get('/api/problems/metrics?extra=1')).statusCode).toBe(400);
    const en = (await leader.get('/api/problems/metrics')).json() as ProblemMetricsDto;
    expect(en.byCategory.map((r) => r.key.name)).toContain('Land');
    for (const role of ['sysadmin', 'ent.hydrogen', 'auditor']) expect((await (await signIn(zone, role)).get('/api/problems/metrics')).statusCode).toBe(403);
    expect(ids.P1).toBeDefined();
  });

  it('counts a unit with lead units below it as the list does (with them), keeping click-through exact', async () => {
    await pinClock('2026-06-17');
    const nested = await createZone();
    await insertProblems(nested, [
      { key: 'N1', unit: 'cluster_cuizhai', command: 'cuizhai', category: 'land', state: 'closed', raisedOn: '2026-03-02', deadline: '2026-03-20', closedOn: '2026-03-10', onTime: true, workdays: 4 },
      { key: 'N2', unit: 'area_cuizhai', command: 'cuizhai', category: 'land', state: 'closed', raisedOn: '2026-03-02', deadline: '2026-03-20', closedOn: '2026-03-30', onTime: false, workdays: 9, returns: 1 },
      { key: 'N3', unit: 'area_cuizhai', command: 'cuizhai', category: 'land', state: 'in_progress', raisedOn: '2026-04-01', deadline: '2026-05-01', warnOn: '2026-04-28' },
      { key: 'N4', unit: 'area_hydrogen', command: 'hydrogen', category: 'land', state: 'closed', raisedOn: '2026-04-01', deadline: '2026-05-01', closedOn: '2026-04-20', onTime: true, workdays: 14 },
    ]);
    const client = await signIn(nested, 'leader');
    const m = (await client.get('/api/problems/metrics')).json() as ProblemMetricsDto;
    const row = (k: string) => pick(m.byUnit.find((r) => r.key.id === nested.units[k])!);
    // 崔寨组团 with 崔寨片区 and 氢能产业片区 below it: N1 + N2 + N3 + N4; medians of 4, 9, 14 and of 9
    expect(row('cluster_cuizhai')).toEqual({ open: 1, red: 1, yellow: 0, green: 0, raised: 4, closed: 3, onTime: 2, late: 1, withDeadline: 3, rate: '0.6667', median: '9.0', returns: 1 });
    expect(row('area_cuizhai')).toEqual({ open: 1, red: 1, yellow: 0, green: 0, raised: 2, closed: 1, onTime: 0, late: 1, withDeadline: 1, rate: '0.0000', median: '9.0', returns: 1 });
    expect(row('area_hydrogen')).toMatchObject({ open: 0, closed: 1, median: '14.0' });
    expect(m.totals.closed.n).toBe(3);
    await expectClickThrough(client, m);
  }, 120_000);
});
