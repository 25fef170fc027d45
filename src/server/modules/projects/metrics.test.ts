import { beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn, type TestZone } from '../../test/harness.ts';
import { ratio } from './metrics.time.ts';
import { insertProject } from './metrics.testkit.ts';

interface RateBody {
  numerator: string;
  denominator: string;
  rate: string | null;
  formula: string;
}
interface MetricsBody {
  year: number;
  asOf: string;
  timeElapsed: string;
  projectCount: number;
  totalInvestment: string;
  byPhase: Record<string, number>;
  byLevel: Record<string, number>;
  rates: Record<'start' | 'investment' | 'funds' | 'onTimeCompletion', RateBody>;
  yearPlannedInvestment: string;
  yearCompletedInvestment: string;
  yearFundsInPlace: string;
  lagging: {
    project: { id: string; code: string; name: string };
    leader: { id: string; displayName: string } | null;
    leadUnit: { id: string; name: string } | null;
    command: { id: string; name: string } | null;
    yearPlannedInvestment: string;
    expectedByNow: string;
    yearCompletedInvestment: string;
    gap: string;
  }[];
  laggingCount: number;
}

/**
 * A hand-built ledger for 2025, measured as of 2025-06-30 (six months have ended: 序时 6/12 = 0.5000).
 *
 *   A  planned start 2025-03-31, started 2025-03-20; plan 12,000,000.00; Jan–Jun reports 6,500,000.00 (funds 5,000,000.00)
 *      expected 12,000,000 × 6/12 = 6,000,000.00 → ahead. Reports of 2024-12 and 2025-07 are outside the window.
 *   B  planned start 2025-05-31, signed only; plan 3,000,000.00; reported 100,000.00 (funds 50,000.00)
 *      expected 1,500,000.00 → lagging, gap 1,400,000.00
 *   C  planned start 2025-02-28, started 2025-07-10 (after asOf); plan 9,000,000.00; reported 300,000.00 (funds 0)
 *      expected 4,500,000.00 → lagging, gap 4,200,000.00
 *   D  started 2024-10-01, planned completion 2025-05-31, completed 2025-05-20 (on time); plan 2,000,000.00;
 *      reported 2,000,000.00 (funds 1,950,000.00); completed projects are not measured against 序时
 *   E  planned completion 2025-06-15, completed 2025-06-20 (late); no plan
 *   F  planned completion 2025-04-30, operating, not completed
 *   G  planned completion 2025-09-30: after asOf, not counted
 *   X  another HQ (城市副中心): outside 崔寨 commander's scope
 *
 *   开工率     planned in 2025: A, B, C; started by 2025-06-30: A                     → 1 / 3 = 0.3333
 *   投资完成率  6,500,000 + 100,000 + 300,000 + 2,000,000 = 8,900,000.00 ÷ 26,000,000.00 = 0.342307… → 0.3423
 *   资金到位率  5,000,000 + 50,000 + 0 + 1,950,000 = 7,000,000.00 ÷ 26,000,000.00 = 0.269230… → 0.2692
 *   按期竣工率  planned completion in 2025-01-01…2025-06-30: D, E, F; on time: D       → 1 / 3 = 0.3333
 *   lagging, largest gap first: C (4,200,000.00), B (1,400,000.00)
 */
async function handLedger(zone: TestZone) {
  const A = await insertProject(zone, {
    code: 'A', level: 'province', total: '50000000.00', phase: 'started', plannedStartOn: '2025-03-31', startedOn: '2025-03-20', plans: { 2025: '12000000.00', 2024: '999.00' },
    reports: { '2024-12': ['777.00', '777.00'], '2025-03': ['1500000.00', '1000000.00'], '2025-04': ['2000000.00', '1500000.00'], '2025-05': ['1500000.00', '1500000.00'], '2025-06': ['1500000.00', '1000000.00'], '2025-07': ['888.00', '888.00'] },
  });
  const B = await insertProject(zone, { code: 'B', total: '30000000.00', phase: 'signed', signedOn: '2025-01-10', plannedStartOn: '2025-05-31', leader: 'hq.cuizhai', plans: { 2025: '3000000.00' }, reports: { '2025-05': ['60000.00', '50000.00'], '2025-06': ['40000.00', '0.00'] } });
  const C = await insertProject(zone, { code: 'C', total: '20000000.00', phase: 'started', plannedStartOn: '2025-02-28', startedOn: '2025-07-10', unit: 'economy', plans: { 2025: '9000000.00' }, reports: { '2025-06': ['300000.00', '0.00'] } });
  const D = await insertProject(zone, {
    code: 'D', level: 'district', total: '4000000.00', phase: 'completed', startedOn: '2024-10-01', plannedStartOn: '2024-10-01', plannedCompletionOn: '2025-05-31', completedOn: '2025-05-20', plans: { 2025: '2000000.00' },
    reports: { '2025-01': ['500000.00', '500000.00'], '2025-02': ['500000.00', '500000.00'], '2025-03': ['1000000.00', '950000.00'] },
  });
  const E = await insertProject(zone, { code: 'E', level: 'district', total: '1000000.00', phase: 'completed', startedOn: '2024-01-01', plannedCompletionOn: '2025-06-15', completedOn: '2025-06-20' });
  const F = await insertProject(zone, { code: 'F', total: '1000000.00', phase: 'operating', startedOn: '2024-01-01', operatingOn: '2025-01-01', plannedCompletionOn: '2025-04-30' });
  const G = await insertProject(zone, { code: 'G', total: '1000000.00', phase: 'pipeline', plannedCompletionOn: '2025-09-30' });
  const X = await insertProject(zone, { code: 'X', hq: 'fuzhongxin', total: '7000000.00', phase: 'signed', plannedStartOn: '2025-01-31', plans: { 2025: '1200000.00' } });
  return { A, B, C, D, E, F, G, X };
}

async function metrics(zone: TestZone, who: string, query: string): Promise<MetricsBody> {
  const client = await signIn(zone, who);
  const res = await client.get(`/api/projects/metrics?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as MetricsBody;
}

// The shared app and database start once (slowly on PGlite), under the hook timeout.
beforeAll(async () => {
  await getHarness();
});

describe('ledger metrics', () => {
  it('computes the four rates, totals and the lagging list exactly (hand-computed)', async () => {
    const zone = await createZone();
    const ids = await handLedger(zone);
    const m = await metrics(zone, 'hq.cuizhai', 'year=2025&asOf=2025-06-30');

    expect(m).toMatchObject({ year: 2025, asOf: '2025-06-30', timeElapsed: '0.5000', projectCount: 7 });
    // 50,000,000 + 30,000,000 + 20,000,000 + 4,000,000 + 1,000,000 × 3
    expect(m.totalInvestment).toBe('107000000.00');
    expect(m.byPhase).toEqual({ pipeline: 1, signed: 1, started: 2, operating: 1, completed: 2, suspended: 0 });
    expect(m.byLevel).toEqual({ province: 1, city: 4, district: 2 });
    expect(m.rates.start).toMatchObject({ numerator: '1', denominator: '3', rate: '0.3333' });
    expect(m.rates.investment).toMatchObject({ numerator: '8900000.00', denominator: '26000000.00', rate: '0.3423' });
    expect(m.rates.funds).toMatchObject({ numerator: '7000000.00', denominator: '26000000.00', rate: '0.2692' });
    expect(m.rates.onTimeCompletion).toMatchObject({ numerator: '1', denominator: '3', rate: '0.3333' });
    expect(m.rates.start.formula).toContain('开工率');
    expect(m.rates.investment.formula).toContain('8900000.00元 ÷ 26000000.00元');
    expect(m).toMatchObject({ yearPlannedInvestment: '26000000.00', yearCompletedInvestment: '8900000.00', yearFundsInPlace: '7000000.00' });

    expect(m.laggingCount).toBe(2);
    expect(m.lagging).toEqual([
      {
        project: { id: ids.C, code: 'C', name: '测试项目C' },
        leader: null,
        leadUnit: { id: zone.units.economy, name: '经济发展部' },
        command: { id: zone.commands.cuizhai, name: '崔寨片区建设指挥部' },
        yearPlannedInvestment: '9000000.00',
        expectedByNow: '4500000.00',
        yearCompletedInvestment: '300000.00',
        gap: '4200000.00',
      },
      {
        project: { id: ids.B, code: 'B', name: '测试项目B' },
        leader: { id: zone.users['hq.cuizhai'], displayName: '赵振华（演示）' },
        leadUnit: { id: zone.units.cuizhai, name: '崔寨街道' },
        command: { id: zone.commands.cuizhai, name: '崔寨片区建设指挥部' },
        yearPlannedInvestment: '3000000.00',
        expectedByNow: '1500000.00',
        yearCompletedInvestment: '100000.00',
        gap: '1400000.00',
      },
    ]);

    // The zone leader also sees X (another HQ): one more planned start, not started (1 / 4), and its plan.
    const all = await metrics(zone, 'leader', 'year=2025&asOf=2025-06-30');
    expect(all.projectCount).toBe(8);
    expect(all.rates.start).toMatchObject({ numerator: '1', denominator: '4', rate: '0.2500' });
    // 8,900,000 / 27,200,000 = 0.327205… → 0.3272
    expect(all.rates.investment).toMatchObject({ numerator: '8900000.00', denominator: '27200000.00', rate: '0.3272' });
    // X has a plan and reported nothing: expected 600,000.00, all of it behind.
    expect(all.lagging.map((l) => [l.project.code, l.gap])).toEqual([
      ['C', '4200000.00'],
      ['B', '1400000.00'],
      ['X', '600000.00'],
    ]);
  });

  it('applies the list filters and the lagging filter to every figure', async () => {
    const zone = await createZone();
    await handLedger(zone);
    const onlyLagging = await metrics(zone, 'hq.cuizhai', 'year=2025&asOf=2025-06-30&lagging=true');
    // B and C: plans 12,000,000.00; reported 400,000.00 → 400,000 / 12,000,000 = 0.0333…; funds 50,000 → 0.004166… → 0.0042
    expect(onlyLagging).toMatchObject({ projectCount: 2, totalInvestment: '50000000.00', laggingCount: 2 });
    expect(onlyLagging.rates.investment).toMatchObject({ numerator: '400000.00', denominator: '12000000.00', rate: '0.0333' });
    expect(onlyLagging.rates.funds).toMatchObject({ numerator: '50000.00', denominator: '12000000.00', rate: '0.0042' });
    expect(onlyLagging.rates.start).toMatchObject({ numerator: '0', denominator: '2', rate: '0.0000' });

    const started = await metrics(zone, 'hq.cuizhai', 'year=2025&asOf=2025-06-30&phase=started&phase=operating');
    expect(started.projectCount).toBe(3);
    const districtOrProvince = await metrics(zone, 'hq.cuizhai', 'year=2025&asOf=2025-06-30&level=district&level=province');
    expect(districtOrProvince.projectCount).toBe(3);
    const economy = await metrics(zone, 'leader', `year=2025&asOf=2025-06-30&leadUnitId=${zone.units.economy}`);
    expect(economy.projectCount).toBe(1);
    const big = await metrics(zone, 'leader', 'year=2025&asOf=2025-06-30&minInvestment=20000000&maxInvestment=30000000.00');
    expect(big.projectCount).toBe(2);
    const byHq = await metrics(zone, 'leader', `year=2025&asOf=2025-06-30&commandId=${zone.commands.fuzhongxin}`);
    expect(byHq).toMatchObject({ projectCount: 1, totalInvestment: '7000000.00' });

    // Nothing matches: counts 0, money 0.00, every rate null (denominator 0), never a division error.
    const none = await metrics(zone, 'leader', 'year=2025&asOf=2025-06-30&industry=nothing');
    expect(none).toMatchObject({ projectCount: 0, totalInvestment: '0.00', yearPlannedInvestment: '0.00', lagging: [], laggingCount: 0 });
    for (const r of Object.values(none.rates)) expect(r).toMatchObject({ numerator: expect.stringMatching(/^0(\.00)?$/), rate: null });
  });

  it('measures a year as of any day: before it starts nothing is due, a past year to its end', async () => {
    const zone = await createZone();
    await handLedger(zone);
    // 2025-01-15: no month has ended, nothing is expected yet, so nobody lags; Jan reports count (D: 500,000).
    const january = await metrics(zone, 'hq.cuizhai', 'year=2025&asOf=2025-01-15');
    expect(january).toMatchObject({ timeElapsed: '0.0000', lagging: [], laggingCount: 0, yearCompletedInvestment: '500000.00' });
    // 2025-05-31, the last day of May: five months have ended (5/12 = 0.4167); B expected 1,250,000.00, reported 60,000.00.
    const may = await metrics(zone, 'hq.cuizhai', 'year=2025&asOf=2025-05-31');
    expect(may.timeElapsed).toBe('0.4167');
    expect(may.lagging.find((l) => l.project.code === 'B')).toMatchObject({ expectedByNow: '1250000.00', yearCompletedInvestment: '60000.00', gap: '1190000.00' });
    // A past year without asOf is measured to 2025-12-31: twelve months, every report of the year (A's July too).
    const whole = await metrics(zone, 'hq.cuizhai', 'year=2025');
    expect(whole).toMatchObject({ asOf: '2025-12-31', timeElapsed: '1.0000', yearCompletedInvestment: '8900888.00' });
    // A year that has not begun.
    const future = await metrics(zone, 'hq.cuizhai', 'year=2099');
    expect(future).toMatchObject({ timeElapsed: '0.0000', projectCount: 7, yearPlannedInvestment: '0.00' });
    expect(future.rates.investment.rate).toBeNull();
  });

  it('is for project readers only, each within their scope', async () => {
    const zone = await createZone();
    await handLedger(zone);
    expect((await metrics(zone, 'ent.hydrogen', 'year=2025')).projectCount).toBe(0);
    // 崔寨街道 leads all but C (经济发展部) and X (大桥街道).
    expect((await metrics(zone, 'staff.cuizhai', 'year=2025')).projectCount).toBe(6);
    expect((await metrics(zone, 'agent.approval', 'year=2025')).projectCount).toBe(8);
    for (const admin of ['sysadmin', 'secadmin', 'auditor']) {
      expect((await (await signIn(zone, admin)).get('/api/projects/metrics')).statusCode, admin).toBe(403);
    }
    const leader = await signIn(zone, 'leader');
    expect((await leader.get('/api/projects/metrics?asOf=2025-02-30')).statusCode).toBe(400);
    expect((await leader.get('/api/projects/metrics?unknown=1')).statusCode).toBe(400);
    const today = await leader.get('/api/projects/metrics');
    expect(today.statusCode).toBe(200);
    expect(today.json().year).toBe(Number(today.json().asOf.slice(0, 4)));
  });

  it('divides exactly, rounding half up at the fourth decimal', () => {
    expect(ratio(1n, 3n)).toBe('0.3333');
    expect(ratio(2n, 3n)).toBe('0.6667');
    expect(ratio(13n, 16n)).toBe('0.8125');
    expect(ratio(1n, 20000n)).toBe('0.0001'); // 0.00005 rounds up
    expect(ratio(1n, 20001n)).toBe('0.0000');
    expect(ratio(0n, 5n)).toBe('0.0000');
    expect(ratio(5n, 0n)).toBeNull();
    expect(ratio(3n, 2n)).toBe('1.5000');
    // 486.5 亿 of 360 亿 in fen: exact where a float would not be.
    expect(ratio(4_865_000_000_000n, 3_600_000_000_000n)).toBe('1.3514');
    expect(ratio(999_999_999_999_999_999n, 1_000_000_000_000_000_000n)).toBe('1.0000');
  });
});
