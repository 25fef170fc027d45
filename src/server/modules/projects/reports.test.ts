import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { createZone, getHarness, signIn, type Client, type TestZone } from '../../test/harness.ts';
import { fieldsOf } from '../org/org.testkit.ts';
import { auditOf, insertProject, monthFromNow } from './metrics.testkit.ts';
import { addMonths } from './metrics.time.ts';
import { monthsElapsed } from './projects.schedule.ts';

interface ReportBody {
  id: string;
  month: string;
  completedInvestment: string;
  fundsInPlace: string;
  cumulativeInvestment: string;
  cumulativeFundsInPlace: string;
  progress: string;
  unit: { id: string; name: string } | null;
  reportedBy: { id: string; displayName: string } | null;
  createdAt: string;
  version: number;
  can: { update: boolean };
}

// The shared app and database start once (slowly on PGlite), under the hook timeout.
beforeAll(async () => {
  await getHarness();
});

describe('monthly progress reports', () => {
  it('reports a month, sums running totals exactly, one report a month, never a future month', async () => {
    const zone = await createZone();
    const id = await insertProject(zone, { code: 'R-001', hq: 'cuizhai', unit: 'cuizhai', startedOn: '2024-03-01' });
    const staff = await signIn(zone, 'staff.cuizhai');

    const first = await staff.post(`/api/projects/${id}/reports`, { month: '2024-03', completedInvestment: '0.10', fundsInPlace: '0.1', progress: '  桩基施工  ' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      month: '2024-03',
      completedInvestment: '0.10',
      fundsInPlace: '0.10',
      cumulativeInvestment: '0.10',
      cumulativeFundsInPlace: '0.10',
      progress: '桩基施工',
      unit: { id: zone.units.cuizhai, name: '崔寨街道' },
      reportedBy: { id: zone.users['staff.cuizhai'], displayName: '孙晓燕（演示）' },
      version: 1,
      can: { update: true },
    });
    // 0.1 + 0.2 is 0.30 here (in floats it is 0.30000000000000004); large amounts stay exact too.
    expect((await staff.post(`/api/projects/${id}/reports`, { month: '2024-04', completedInvestment: '0.20', fundsInPlace: '9999999999999999.99', progress: '主体施工' })).statusCode).toBe(201);
    // Reported out of order: the running totals follow the months, not the order of entry.
    expect((await staff.post(`/api/projects/${id}/reports`, { month: '2024-02', completedInvestment: '1250000', fundsInPlace: '0', progress: '前期' })).statusCode).toBe(201);

    const list = await staff.get(`/api/projects/${id}/reports`);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as ReportBody[];
    expect(items.map((r) => [r.month, r.completedInvestment, r.cumulativeInvestment, r.cumulativeFundsInPlace])).toEqual([
      ['2024-04', '0.20', '1250000.30', '10000000000000000.09'],
      ['2024-03', '0.10', '1250000.10', '0.10'],
      ['2024-02', '1250000.00', '1250000.00', '0.00'],
    ]);

    const again = await staff.post(`/api/projects/${id}/reports`, { month: '2024-03', completedInvestment: '1.00', fundsInPlace: '1.00', progress: '重复' });
    expect(again.statusCode).toBe(400);
    expect(fieldsOf(again)).toEqual({ month: '已被使用' });

    const future = await staff.post(`/api/projects/${id}/reports`, { month: await monthFromNow(1), completedInvestment: '1.00', fundsInPlace: '1.00', progress: '未来' });
    expect(future.statusCode).toBe(400);
    expect(fieldsOf(future)).toEqual({ month: '不能填报未来月份' });
    // This month may be reported while it runs.
    expect((await staff.post(`/api/projects/${id}/reports`, { month: await monthFromNow(0), completedInvestment: '1.00', fundsInPlace: '1.00', progress: '本月' })).statusCode).toBe(201);

    for (const bad of [
      { month: '2024-13', completedInvestment: '1', fundsInPlace: '1', progress: 'x' },
      { month: '2024-05', completedInvestment: '-1', fundsInPlace: '1', progress: 'x' },
      { month: '2024-05', completedInvestment: '1.001', fundsInPlace: '1', progress: 'x' },
      { month: '2024-05', completedInvestment: '1', fundsInPlace: '1', progress: '' },
      { month: '2024-05', completedInvestment: '1', fundsInPlace: '1', progress: 'x', cumulativeInvestment: '9' },
    ]) {
      expect((await staff.post(`/api/projects/${id}/reports`, bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    const blank = await staff.post(`/api/projects/${id}/reports`, { month: '2024-05', completedInvestment: '1', fundsInPlace: '1', progress: '   ' });
    expect(fieldsOf(blank)).toEqual({ progress: '必填' });

    const audits = await auditOf(zone.zoneId, 'monthly_report.create');
    expect(audits).toHaveLength(4);
    expect(audits[0]).toMatchObject({ entityType: 'monthly_report', entityId: first.json().id, actorId: zone.users['staff.cuizhai'] });
    expect(audits[0]!.after).toMatchObject({ projectId: id, month: '2024-03', completedInvestment: '0.10', fundsInPlace: '0.10', progress: '桩基施工' });
  });

  it('corrects a report with its version; later running totals follow; a stale version answers 409', async () => {
    const zone = await createZone();
    const id = await insertProject(zone, { code: 'R-002', hq: 'cuizhai', reports: { '2024-01': ['100.00', '50.00'], '2024-02': ['200.00', '60.00'] } });
    const commander = await signIn(zone, 'hq.cuizhai');
    const [feb, jan] = (await commander.get(`/api/projects/${id}/reports`)).json().items as ReportBody[];
    expect(feb!.cumulativeInvestment).toBe('300.00');

    const patched = await commander.patch(`/api/projects/${id}/reports/${jan!.id}`, { version: 1, completedInvestment: '150.5', progress: '更正' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ month: '2024-01', completedInvestment: '150.50', fundsInPlace: '50.00', cumulativeInvestment: '150.50', progress: '更正', version: 2 });
    const items = (await commander.get(`/api/projects/${id}/reports`)).json().items as ReportBody[];
    expect(items[0]).toMatchObject({ month: '2024-02', cumulativeInvestment: '350.50', cumulativeFundsInPlace: '110.00' });

    const stale = await commander.patch(`/api/projects/${id}/reports/${jan!.id}`, { version: 1, fundsInPlace: '1.00' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('赵振华（演示）');
    // The month is not editable, and a report of another project is not found under this one.
    expect((await commander.patch(`/api/projects/${id}/reports/${jan!.id}`, { version: 2, month: '2024-03' })).statusCode).toBe(400);
    const other = await insertProject(zone, { code: 'R-003', hq: 'cuizhai' });
    expect((await commander.patch(`/api/projects/${other}/reports/${jan!.id}`, { version: 2, progress: 'x' })).statusCode).toBe(404);

    const [update] = await auditOf(zone.zoneId, 'monthly_report.update');
    expect(update).toMatchObject({ entityType: 'monthly_report', entityId: jan!.id });
    expect(update!.before).toMatchObject({ projectId: id, completedInvestment: '100.00', version: 1 });
    expect(update!.after).toMatchObject({ projectId: id, completedInvestment: '150.50', progress: '更正', version: 2 });
  });

  it('lets writers of the project report and readers read; others see nothing', async () => {
    const zone = await createZone();
    const cuizhai = await insertProject(zone, { code: 'R-010', hq: 'cuizhai', unit: 'cuizhai', enterprise: 'hydrogen', reports: { '2024-01': ['10.00', '0.00'] } });
    const body = { month: '2024-02', completedInvestment: '1.00', fundsInPlace: '1.00', progress: '进展' };

    // Readers: the zone leader, the service agent, the owner's contact. None of them reports.
    for (const reader of ['leader', 'agent.approval', 'ent.hydrogen']) {
      const client = await signIn(zone, reader);
      const res = await client.get(`/api/projects/${cuizhai}/reports`);
      expect(res.statusCode, reader).toBe(200);
      expect((res.json().items as ReportBody[])[0]!.can.update, reader).toBe(false);
      expect((await client.post(`/api/projects/${cuizhai}/reports`, body)).statusCode, reader).toBe(403);
    }
    // Another HQ and another street: as if the project did not exist.
    for (const outsider of ['hq.fuzhongxin', 'staff.daqiao']) {
      const client = await signIn(zone, outsider);
      expect((await client.get(`/api/projects/${cuizhai}/reports`)).statusCode, outsider).toBe(404);
      expect((await client.post(`/api/projects/${cuizhai}/reports`, body)).statusCode, outsider).toBe(404);
    }
    // The admins have no business here.
    expect((await (await signIn(zone, 'sysadmin')).get(`/api/projects/${cuizhai}/reports`)).statusCode).toBe(403);
    // HQ staff of the project's HQ report.
    const hqStaff = await signIn(zone, 'hqstaff.cuizhai');
    expect((await hqStaff.post(`/api/projects/${cuizhai}/reports`, body)).statusCode).toBe(201);
    // Another zone's project is unknown.
    const otherZone = await createZone();
    const foreign = await insertProject(otherZone, { code: 'R-010', hq: 'cuizhai' });
    expect((await hqStaff.get(`/api/projects/${foreign}/reports`)).statusCode).toBe(404);
  });

  it('lists missing reports by lead unit: projects that should have reported and did not', async () => {
    const zone = await createZone();
    const month = '2024-05';
    await insertProject(zone, { code: 'M-001', name: '已报项目', hq: 'cuizhai', unit: 'cuizhai', startedOn: '2024-01-10', reports: { '2024-05': ['1.00', '1.00'] } });
    const late = await insertProject(zone, { code: 'M-002', name: '未报开工项目', hq: 'cuizhai', unit: 'cuizhai', startedOn: '2024-01-10', reports: { '2024-04': ['1.00', '1.00'] } });
    const signed = await insertProject(zone, { code: 'M-003', name: '未报签约项目', hq: 'cuizhai', unit: 'economy', phase: 'signed', signedOn: '2024-05-31' });
    await insertProject(zone, { code: 'M-004', name: '六月才签约', hq: 'cuizhai', unit: 'economy', phase: 'signed', signedOn: '2024-06-01' });
    await insertProject(zone, { code: 'M-005', name: '储备项目', hq: 'cuizhai', unit: 'cuizhai', phase: 'pipeline' });
    await insertProject(zone, { code: 'M-006', name: '已竣工', hq: 'cuizhai', unit: 'cuizhai', phase: 'completed', startedOn: '2023-01-01', completedOn: '2024-03-01' });
    await insertProject(zone, { code: 'M-007', name: '停缓建', hq: 'cuizhai', unit: 'cuizhai', phase: 'suspended', suspendedFrom: 'started', startedOn: '2023-01-01', suspendedOn: '2024-02-01' });
    const operating = await insertProject(zone, { code: 'M-008', name: '投产项目', hq: 'cuizhai', unit: 'cuizhai', phase: 'operating', startedOn: '2023-01-01', operatingOn: '2024-01-01' });
    const elsewhere = await insertProject(zone, { code: 'M-009', name: '副中心项目', hq: 'fuzhongxin', unit: 'daqiao', startedOn: '2024-01-10' });

    const commander = await signIn(zone, 'hq.cuizhai');
    const res = await commander.get(`/api/projects/reports/missing?month=${month}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      month,
      items: [
        { unit: { id: zone.units.economy, name: '经济发展部' }, projects: [{ id: signed, code: 'M-003', name: '未报签约项目' }] },
        {
          unit: { id: zone.units.cuizhai, name: '崔寨街道' },
          projects: [
            { id: late, code: 'M-002', name: '未报开工项目' },
            { id: operating, code: 'M-008', name: '投产项目' },
          ],
        },
      ],
    });
    const leader = await signIn(zone, 'leader');
    const all = (await leader.get(`/api/projects/reports/missing?month=${month}`)).json() as { items: { unit: { name: string }; projects: { id: string }[] }[] };
    expect(all.items.flatMap((i) => i.projects.map((p) => p.id)).sort()).toEqual([late, signed, operating, elsewhere].sort());
    expect((await leader.get('/api/projects/reports/missing?month=2024-5')).statusCode).toBe(400);
    // Without a month: last month.
    const lastMonth = await leader.get('/api/projects/reports/missing');
    expect(lastMonth.json().month).toBe(await monthFromNow(-1));
    expect((await (await signIn(zone, 'secadmin')).get('/api/projects/reports/missing')).statusCode).toBe(403);
  });

  it('keeps project_report_totals equal to the reports summed afresh: creates, corrections, moves, deletes, seeding, stray inserts', async () => {
    // A demo ledger (seeded in bulk) plus three projects reported on over three years in scrambled order.
    const zone = await createZone({ ledger: true });
    const staff = await signIn(zone, 'staff.cuizhai');
    const leader = await signIn(zone, 'leader');
    const thisMonth = await monthFromNow(0);
    const year = Number(thisMonth.slice(0, 4));
    const plans = { [year]: '1200000.00', [year - 1]: '900000.55', [year - 2]: '10.00' };
    const ids = [
      await insertProject(zone, { code: 'T-1', hq: 'cuizhai', unit: 'cuizhai', startedOn: `${year - 3}-01-05`, plans }),
      await insertProject(zone, { code: 'T-2', hq: 'cuizhai', unit: 'cuizhai', phase: 'signed', signedOn: `${year - 3}-02-01`, plans }),
      await insertProject(zone, { code: 'T-3', hq: 'cuizhai', unit: 'cuizhai', phase: 'operating', startedOn: `${year - 3}-01-05`, operatingOn: `${year - 3}-06-01` }),
    ];
    let seed = 20_260_101;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const amount = () => `${rnd(50_000_000)}.${String(rnd(100)).padStart(2, '0')}`;
    const reports: { id: string; projectId: string; version: number }[] = [];
    for (let i = 0; i < 36; i++) {
      const projectId = ids[rnd(ids.length)]!;
      const res = await staff.post(`/api/projects/${projectId}/reports`, { month: addMonths(thisMonth, -rnd(30)), completedInvestment: amount(), fundsInPlace: amount(), progress: `第${i}次` });
      if (res.statusCode === 201) reports.push({ id: res.json().id, projectId, version: 1 });
      else expect(fieldsOf(res), res.body).toEqual({ month: '已被使用' });
    }
    expect(reports.length).toBeGreaterThan(20);
    await expectTotalsExact(zone);

    // Corrections through the API: amounts, one of them only, the progress text alone.
    for (let i = 0; i < 15; i++) {
      const r = reports[rnd(reports.length)]!;
      const body = [{ completedInvestment: amount(), fundsInPlace: amount() }, { fundsInPlace: amount() }, { progress: `更正${i}` }][i % 3]!;
      const res = await staff.patch(`/api/projects/${r.projectId}/reports/${r.id}`, { version: r.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      r.version++;
    }
    await expectTotalsExact(zone, leader, ids);

    // Writes no API makes, straight in SQL: a report moved to another project and year, one deleted, several
    // changed in one statement, a batch inserted; then a project deleted (its totals go with it).
    const { services } = await getHarness();
    const [moved, gone] = [reports[0]!, reports[1]!];
    await services.db.execute(sql`update monthly_reports set project_id = ${ids[2]!}::uuid, month = ${`${year - 4}-07-01`}::date where zone_id = ${zone.zoneId}::uuid and id = ${moved.id}::uuid`);
    await services.db.execute(sql`delete from monthly_reports where zone_id = ${zone.zoneId}::uuid and id = ${gone.id}::uuid`);
    await services.db.execute(sql`update monthly_reports set completed_investment = completed_investment + 0.01 where zone_id = ${zone.zoneId}::uuid and project_id = ${ids[0]!}::uuid`);
    await services.db.execute(sql`
      insert into monthly_reports (zone_id, project_id, month, completed_investment, funds_in_place, progress)
      select ${zone.zoneId}::uuid, ${ids[1]!}::uuid, make_date(${year - 4}, m, 1), m * 1000.25, m, '补录' from generate_series(1, 12) m`);
    await expectTotalsExact(zone);
    // Only the reports make totals (a restore loads the backup's copy after the reports: it is dropped).
    await services.db.execute(sql`
      insert into project_report_totals (zone_id, project_id, year, completed_investment, funds_in_place, report_count, last_month)
      values (${zone.zoneId}::uuid, ${ids[0]!}::uuid, ${year - 9}, 1, 1, 1, ${`${year - 9}-01-01`}::date)`);
    await services.db.execute(sql`delete from projects where zone_id = ${zone.zoneId}::uuid and id = ${ids[1]!}::uuid`);
    await expectTotalsExact(zone, leader, [ids[0]!, ids[2]!]);
  }, 90_000);
});

/**
 * The totals rows equal a fresh GROUP BY of the reports; with a client, every figure the API shows (projects'
 * year and cumulative figures, the metrics' sums and lagging counts, the list's lagging filter) equals the reports
 * summed in SQL.
 */
async function expectTotalsExact(zone: TestZone, leader?: Client, projectIds: string[] = []): Promise<void> {
  const { services } = await getHarness();
  const z = zone.zoneId;
  const kept = await queryRows<Record<string, string | number>>(
    services.db,
    sql`select project_id, year, completed_investment::text as c, funds_in_place::text as f, report_count as n, last_month::text as m
          from project_report_totals where zone_id = ${z}::uuid order by project_id, year`,
  );
  const fresh = await queryRows<Record<string, string | number>>(
    services.db,
    sql`select project_id, extract(year from month)::int as year, sum(completed_investment)::text as c, sum(funds_in_place)::text as f,
               count(*)::int as n, max(month)::text as m
          from monthly_reports where zone_id = ${z}::uuid group by 1, 2 order by 1, 2`,
  );
  expect(kept.length).toBeGreaterThan(0);
  expect(kept).toEqual(fresh);
  if (!leader) return;

  const years = [...new Set(fresh.map((r) => Number(r.year)))];
  const sums = async (projectId: string | null, from: string, to: string) => {
    const [row] = await queryRows<{ c: string; f: string }>(
      services.db,
      sql`select round(coalesce(sum(completed_investment), 0), 2)::text as c, round(coalesce(sum(funds_in_place), 0), 2)::text as f
            from monthly_reports where zone_id = ${z}::uuid and (${projectId}::uuid is null or project_id = ${projectId}::uuid)
              and month between ${from}::date and ${to}::date`,
    );
    return row!;
  };
  const today = services.now().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  for (const id of projectIds) {
    const all = await sums(id, '1900-01-01', '2999-12-31');
    const [last] = await queryRows<{ m: string | null }>(services.db, sql`select to_char(max(month), 'YYYY-MM') as m from monthly_reports where zone_id = ${z}::uuid and project_id = ${id}::uuid`);
    for (const y of years) {
      const to = `${y}-12-31` < today ? `${y}-12-31` : today;
      const inYear = await sums(id, `${y}-01-01`, to);
      const p = (await leader.get(`/api/projects/${id}?year=${y}`)).json();
      expect(
        [p.yearCompletedInvestment, p.yearFundsInPlace, p.cumulativeInvestment, p.cumulativeFundsInPlace, p.lastReportMonth],
        `${id} ${y}`,
      ).toEqual([inYear.c, inYear.f, all.c, all.f, last!.m]);
    }
  }
  // Zone-wide metrics: as of today / a past year's end (the totals alone), and as of mid-year (reports summed).
  for (const y of years) {
    for (const asOf of [undefined, `${y}-06-30`]) {
      const to = asOf ?? (`${y}-12-31` < today ? `${y}-12-31` : today);
      const m = (await leader.get(`/api/projects/metrics?year=${y}${asOf ? `&asOf=${asOf}` : ''}`)).json();
      const expected = await sums(null, `${y}-01-01`, to);
      expect([m.yearCompletedInvestment, m.yearFundsInPlace], `${y} ${asOf}`).toEqual([expected.c, expected.f]);
      // The lagging projects, counted straight from the reports with the rule of projects.schedule.ts.
      const months = monthsElapsed(y, to);
      const [lagging] = await queryRows<{ n: number }>(
        services.db,
        sql`select count(*)::int as n from projects p join project_annual_plans a on a.zone_id = p.zone_id and a.project_id = p.id and a.year = ${y}
            where p.zone_id = ${z}::uuid and p.phase in ('signed', 'started', 'operating') and a.planned_investment > 0
              and coalesce((select sum(r.completed_investment) from monthly_reports r where r.zone_id = p.zone_id and r.project_id = p.id
                and r.month between ${`${y}-01-01`}::date and ${to}::date), 0) * 12 < a.planned_investment * ${months}`,
      );
      expect(m.laggingCount, `${y} ${asOf} lagging`).toBe(lagging!.n);
      if (!asOf) expect((await leader.get(`/api/projects?year=${y}&lagging=true&pageSize=1`)).json().total, `${y} list lagging`).toBe(lagging!.n);
    }
  }
}

