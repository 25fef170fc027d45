import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { createZone, getHarness, signIn, type TestZone } from '../../test/harness.ts';
import { fieldsOf } from '../org/org.testkit.ts';
import { auditOf, insertProject } from './metrics.testkit.ts';
import { monthsElapsed } from './projects.schedule.ts';
import { seedLedger } from './projects.demo.ts';
import { projects } from './projects.schema.ts';
import { searchMatches } from './projects.search.ts';

interface BatchBody {
  id: string;
  kind: 'groundbreaking' | 'signing';
  name: string;
  heldOn: string;
  location: string | null;
  notes: string | null;
  projectCount: number;
  totalInvestment: string;
  version: number;
  can: { update: boolean };
  projects?: { id: string; code: string; name: string; phase: string; totalInvestment: string }[];
}

const GROUNDBREAKING = '起步区城市副中心示范区建设暨重点项目集中开工';

beforeAll(async () => {
  await getHarness();
});

async function batchesOf(zone: TestZone, who: string): Promise<BatchBody[]> {
  const res = await (await signIn(zone, who)).get('/api/batches');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as BatchBody[];
}

describe('batches', () => {
  it('records a batch with derived totals; editors replace only the projects they can see', async () => {
    const zone = await createZone();
    const a = await insertProject(zone, { code: 'B-1', hq: 'cuizhai', total: '0.10' });
    const b = await insertProject(zone, { code: 'B-2', hq: 'cuizhai', total: '0.20' });
    const c = await insertProject(zone, { code: 'B-3', hq: 'fuzhongxin', total: '9999999999999999.99' });
    const leader = await signIn(zone, 'leader');

    const created = await leader.post('/api/batches', { kind: 'signing', name: ' 集中签约（测试） ', heldOn: '2024-06-16', location: '管委会', projectIds: [a, c] });
    expect(created.statusCode, created.body).toBe(201);
    const batch = created.json() as BatchBody;
    // 0.10 + 9999999999999999.99: beyond a float's 15–17 digits, exact in numeric.
    expect(batch).toMatchObject({ kind: 'signing', name: '集中签约（测试）', heldOn: '2024-06-16', location: '管委会', notes: null, projectCount: 2, totalInvestment: '10000000000000000.09', version: 1, can: { update: true } });
    expect(batch.projects!.map((p) => p.code)).toEqual(['B-1', 'B-3']);

    // The 崔寨 commander sees the batch and its whole totals, but only the projects of their HQ.
    const commander = await signIn(zone, 'hq.cuizhai');
    const seen = (await commander.get(`/api/batches/${batch.id}`)).json() as BatchBody;
    expect(seen).toMatchObject({ projectCount: 2, totalInvestment: '10000000000000000.09' });
    expect(seen.projects!.map((p) => p.code)).toEqual(['B-1']);
    // Their edit replaces the projects they see (B-1 → B-2) and leaves B-3, which they cannot see, in the batch.
    const edited = await commander.patch(`/api/batches/${batch.id}`, { version: 1, projectIds: [b], notes: '调整' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ projectCount: 2, totalInvestment: '10000000000000000.19', notes: '调整', version: 2 });
    const after = (await leader.get(`/api/batches/${batch.id}`)).json() as BatchBody;
    expect(after.projects!.map((p) => p.code)).toEqual(['B-2', 'B-3']);
    // A project they cannot see is as unknown as a made-up id; a project twice is refused.
    const hidden = await commander.patch(`/api/batches/${batch.id}`, { version: 2, projectIds: [c] });
    expect(hidden.statusCode).toBe(400);
    expect(fieldsOf(hidden)).toEqual({ 'projectIds.0': '引用的记录不存在' });
    const twice = await leader.post('/api/batches', { kind: 'groundbreaking', name: '重复', heldOn: '2024-01-01', projectIds: [a, a] });
    expect(fieldsOf(twice)).toEqual({ 'projectIds.1': '重复填写' });
    const stale = await leader.patch(`/api/batches/${batch.id}`, { version: 1, name: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('赵振华（演示）');

    const [create] = await auditOf(zone.zoneId, 'batch.create');
    expect(create).toMatchObject({ entityType: 'batch', entityId: batch.id });
    expect((create!.after as { projectIds: string[] }).projectIds.sort()).toEqual([a, c].sort());
    const [update] = await auditOf(zone.zoneId, 'batch.update');
    expect((update!.before as { projectIds: string[] }).projectIds.sort()).toEqual([a, c].sort());
    expect((update!.after as { projectIds: string[] }).projectIds.sort()).toEqual([b, c].sort());

    // An empty batch totals 0.00; the list filters by kind; readers cannot write.
    const empty = await leader.post('/api/batches', { kind: 'groundbreaking', name: '空批次', heldOn: '2025-03-01', projectIds: [] });
    expect(empty.json()).toMatchObject({ projectCount: 0, totalInvestment: '0.00', projects: [] });
    expect((await batchesOf(zone, 'leader')).map((x) => x.name)).toEqual(['空批次', '集中签约（测试）']);
    expect(((await leader.get('/api/batches?kind=signing')).json().items as BatchBody[]).map((x) => x.name)).toEqual(['集中签约（测试）']);
    for (const who of ['hq.cuizhai', 'agent.approval', 'ent.hydrogen', 'staff.cuizhai', 'hqstaff.cuizhai']) expect((await batchesOf(zone, who)).length, who).toBe(2);
    for (const who of ['staff.cuizhai', 'hqstaff.cuizhai', 'agent.approval', 'ent.hydrogen']) {
      const client = await signIn(zone, who);
      expect((await client.post('/api/batches', { kind: 'signing', name: 'x', heldOn: '2024-01-01', projectIds: [] })).statusCode, who).toBe(403);
      expect((await client.patch(`/api/batches/${batch.id}`, { version: 2, name: 'x' })).statusCode, who).toBe(403);
      expect((await client.get(`/api/batches/${batch.id}`)).json().can, who).toEqual({ update: false });
    }
    expect((await (await signIn(zone, 'sysadmin')).get('/api/batches')).statusCode).toBe(403);
    // Another zone's batch does not exist here.
    const other = await createZone();
    expect((await (await signIn(other, 'leader')).get(`/api/batches/${batch.id}`)).statusCode).toBe(404);
    expect((await (await signIn(other, 'leader')).patch(`/api/batches/${batch.id}`, { version: 2, name: 'x' })).statusCode).toBe(404);
    expect((await leader.post('/api/batches', { kind: 'other', name: 'x', heldOn: '2024-01-01', projectIds: [] })).statusCode).toBe(400);
  });
});

describe('demo ledger', () => {
  it('has the article facts: 33 projects and exactly 486.5 亿元 on 2023-04-25, the 150 亿 park, the 360 亿 solar project, the hydrogen base', async () => {
    const zone = await createZone({ ledger: true });
    const leader = await signIn(zone, 'leader');
    const items = await batchesOf(zone, 'leader');
    const groundbreaking = items.find((b) => b.heldOn === '2023-04-25');
    expect(groundbreaking).toMatchObject({ kind: 'groundbreaking', name: GROUNDBREAKING, projectCount: 33, totalInvestment: '48650000000.00' });
    const detail = (await leader.get(`/api/batches/${groundbreaking!.id}`)).json() as BatchBody;
    expect(detail.projects).toHaveLength(33);
    // The sum of the listed projects, in fen with bigint, is the batch total.
    const fen = detail.projects!.reduce((sum, p) => sum + BigInt(p.totalInvestment.replace('.', '')), 0n);
    expect(fen).toBe(4_865_000_000_000n);
    // An HQ commander sees the public totals, and the projects of their HQ only.
    const cuizhai = (await (await signIn(zone, 'hq.cuizhai')).get(`/api/batches/${groundbreaking!.id}`)).json() as BatchBody;
    expect(cuizhai).toMatchObject({ projectCount: 33, totalInvestment: '48650000000.00' });
    expect(cuizhai.projects!.length).toBeGreaterThan(0);
    expect(cuizhai.projects!.length).toBeLessThan(33);

    const signing = items.find((b) => b.kind === 'signing');
    const signed = (await leader.get(`/api/batches/${signing!.id}`)).json() as BatchBody;
    expect(signed.projects).toContainEqual(expect.objectContaining({ name: '太阳能高效电池组件项目', phase: 'signed', totalInvestment: '36000000000.00' }));

    const { services } = await getHarness();
    const [park] = await services.db.select().from(projects).where(and(eq(projects.zoneId, zone.zoneId), eq(projects.name, '新能源汽车及零部件产业园')));
    expect(park).toMatchObject({ totalInvestment: '15000000000.00', phase: 'operating' });
    expect(park!.startedOn!.slice(0, 4)).toBe('2023');
    expect(park!.operatingOn!.slice(0, 4)).toBe('2023');

    // Chinese search on two-character words (the bigram index the core's ?q= uses).
    const find = async (q: string) =>
      (await services.db.select({ name: projects.name }).from(projects).where(and(eq(projects.zoneId, zone.zoneId), searchMatches(projects.searchDoc, q)))).map((r) => r.name);
    expect(await find('氢能')).toContain('国家电投氢能产业基地项目');
    expect(await find('绿动')).toContain('国家电投氢能产业基地项目');
    expect(await find('光伏')).toContain('太阳能高效电池组件项目');
    expect(await find('电池')).toContain('太阳能高效电池组件项目');

    // The hydrogen base: owned by 国家电投济南绿动氢能科技有限公司, with its demonstration-scenario milestone.
    const [base] = await queryRows<{ enterprise: string; milestone: string; actual: string | null }>(
      services.db,
      sql`select e.name as enterprise, m.name as milestone, m.actual_on::text as actual from projects p
          join enterprises e on e.zone_id = p.zone_id and e.id = p.enterprise_id
          join milestones m on m.zone_id = p.zone_id and m.project_id = p.id
          where p.zone_id = ${zone.zoneId} and p.industry = 'hydrogen' and m.name like '氢能示范应用场景%'`,
    );
    expect(base).toMatchObject({ enterprise: '国家电投济南绿动氢能科技有限公司', actual: '2023-10-20' });
    // Its contact sees the company's projects, and the hydrogen base among them.
    const contact = await signIn(zone, 'ent.hydrogen');
    const visible = (await (await contact.get('/api/projects/metrics')).json()) as { projectCount: number };
    expect(visible.projectCount).toBeGreaterThanOrEqual(2);
  });

  it('is consistent: phases match dates and history, reports only for started or signed months, a few projects lag and a few run ahead', async () => {
    const zone = await createZone({ ledger: true });
    const { services } = await getHarness();
    const today = services.now().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    expect(await inconsistencies(zone.zoneId, today)).toEqual([]);

    const leader = await signIn(zone, 'leader');
    const m = (await leader.get('/api/projects/metrics')).json() as {
      projectCount: number;
      byPhase: Record<string, number>;
      lagging: { project: { name: string }; leader: { displayName: string } | null; leadUnit: unknown; command: unknown }[];
      laggingCount: number;
      rates: Record<string, { rate: string | null }>;
    };
    expect(m.projectCount).toBeGreaterThanOrEqual(50);
    for (const phase of ['pipeline', 'signed', 'started', 'operating', 'completed', 'suspended']) expect(m.byPhase[phase], phase).toBeGreaterThan(0);
    // January has no elapsed month and nothing can lag yet; any other month shows a few laggards, each with a leader, a unit and an HQ.
    const month = Number(today.slice(5, 7));
    if (month > 1) {
      expect(m.laggingCount).toBeGreaterThanOrEqual(2);
      expect(m.laggingCount).toBeLessThanOrEqual(15);
      for (const l of m.lagging) expect(l.leader && l.leadUnit && l.command, l.project.name).toBeTruthy();
      expect(m.rates.investment!.rate).not.toBeNull();
      // Ahead of 序时进度 (the same rule, counted in SQL): more projects run ahead than lag.
      const months = monthsElapsed(Number(today.slice(0, 4)), today);
      const [ahead] = await queryRows<{ n: number }>(
        services.db,
        sql`select count(*)::int as n from projects p join project_annual_plans a on a.zone_id = p.zone_id and a.project_id = p.id and a.year = ${Number(today.slice(0, 4))}
            where p.zone_id = ${zone.zoneId} and p.phase in ('signed', 'started', 'operating') and a.planned_investment > 0
              and coalesce((select sum(r.completed_investment) from monthly_reports r where r.zone_id = p.zone_id and r.project_id = p.id
                and r.month between ${`${today.slice(0, 4)}-01-01`}::date and ${today}::date), 0) * 12 > a.planned_investment * ${months}`,
      );
      expect(ahead!.n).toBeGreaterThan(m.laggingCount);
    }
  });

  it('seeds a consistent ledger on any day (events after that day have not happened yet)', async () => {
    const { services } = await getHarness();
    for (const today of ['2024-02-10', '2026-01-10', '2026-03-15', '2027-07-01']) {
      const zone = await createZone();
      await services.db.transaction((tx) => seedLedger(tx, services, zone, today));
      expect(await inconsistencies(zone.zoneId, today), today).toEqual([]);
      const [batch] = await queryRows<{ n: number; total: string }>(
        services.db,
        sql`select count(*)::int as n, sum(p.total_investment)::text as total from batches b join batch_projects bp on bp.zone_id = b.zone_id and bp.batch_id = b.id
            join projects p on p.zone_id = bp.zone_id and p.id = bp.project_id where b.zone_id = ${zone.zoneId} and b.held_on = '2023-04-25'`,
      );
      expect(batch, today).toEqual({ n: 33, total: '48650000000.00' });
    }
  });
});

/** What would make the demo ledger contradict itself as of `today`. */
async function inconsistencies(zoneId: string, today: string): Promise<{ code: string; problem: string }[]> {
  const { services } = await getHarness();
  return queryRows<{ code: string; problem: string }>(
    services.db,
    sql`select code, 'phase without its date' as problem from projects where zone_id = ${zoneId} and (
          (phase = 'signed' and signed_on is null) or (phase = 'started' and started_on is null)
          or (phase = 'operating' and operating_on is null) or (phase = 'completed' and completed_on is null)
          or (phase = 'suspended' and (suspended_on is null or suspended_from is null)))
        union all
        select p.code, 'history does not end in the phase' from projects p
          where p.zone_id = ${zoneId} and p.phase <> coalesce((select c.to_phase from project_phase_changes c
            where c.zone_id = p.zone_id and c.project_id = p.id order by c.on_date desc, c.at desc limit 1), 'pipeline')
        union all
        select p.code, 'report before signing or start' from projects p join monthly_reports r on r.zone_id = p.zone_id and r.project_id = p.id
          where p.zone_id = ${zoneId} and (r.month < date_trunc('month', least(p.signed_on, p.started_on)) or least(p.signed_on, p.started_on) is null)
        union all
        select p.code, 'report of a month not yet over' from projects p join monthly_reports r on r.zone_id = p.zone_id and r.project_id = p.id
          where p.zone_id = ${zoneId} and r.month >= date_trunc('month', ${today}::date)
        union all
        select code, 'date after today' from projects where zone_id = ${zoneId}
          and greatest(signed_on, started_on, operating_on, completed_on, suspended_on) > ${today}::date
        union all
        select m.name, 'milestone done after today' from milestones m where m.zone_id = ${zoneId} and m.actual_on > ${today}::date
        union all
        select b.name, 'batch after today' from batches b where b.zone_id = ${zoneId} and b.held_on > ${today}::date`,
  );
}
