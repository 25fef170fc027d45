import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, weekday } from '../../../shared/days.ts';
import type { Caller } from '../../context.ts';
import { queryRows } from '../../db/client.ts';
import { createZone, getHarness, signIn, signInAs, type Client, type TestZone } from '../../test/harness.ts';
import { meetings } from '../meetings/meetings.schema.ts';
import { problems } from '../problems/problems.schema.ts';
import type { CockpitOverviewDto, CountDto } from './cockpit.api.ts';
import { fromSummaries, live, type CountsInput } from './cockpit.problems.ts';
import { cockpitOverview } from './cockpit.service.ts';
import { summariesInstalled } from './cockpit.testkit.ts';
import { must, raiseAssigned } from '../problems/problems.testkit.ts';

/**
 * The cockpit against direct SQL. A zone with the demo ledger, problems and meetings, plus a few rows written
 * straight into the tables around today (red, suspended, closed this week, one problem an HQ commander raised for
 * another HQ, a meeting left planned, a cancelled one). Every figure of the overview is recomputed here by SQL
 * written for this test (not the services' code), for the whole zone, for one HQ, and as an HQ commander; then each
 * count's `link` is opened as the list API the web page would call, and must hold exactly that many rows.
 */

const OPEN = `'raised','assigned','handed_back','in_progress','suspended','submitted'`;

let zone: TestZone;
let leader: Client;
let today: string;

async function rows<T>(query: SQL): Promise<T[]> {
  const { services } = await getHarness();
  return queryRows<T>(services.db, query);
}

async function one<T>(query: SQL): Promise<T> {
  const [row] = await rows<T>(query);
  return row!;
}

const mondayOf = (day: string) => addDays(day, -((weekday(day) + 6) % 7));

/** Months of `year` whose last day is on or before asOf (序时), computed from the calendar here. */
function monthsBy(year: number, asOf: string): number {
  let n = 0;
  for (let m = 1; m <= 12; m++) {
    const last = new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
    if (last <= asOf) n++;
  }
  return n;
}

const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);

function leaderCaller(z: TestZone): Caller {
  return {
    zoneId: z.zoneId,
    userId: z.users.leader!,
    username: z.username('leader'),
    displayName: '王立新（演示）',
    roles: ['zone_leader'],
    unitId: null,
    enterpriseId: null,
    commandIds: [],
    ledCommandIds: [],
    sessionId: 'test',
    ip: null,
    requestId: 'test',
  };
}

/** Extra problems and meetings around today, straight into the tables. */
async function addRows(z: TestZone, day: string): Promise<void> {
  const { services } = await getHarness();
  const base = { zoneId: z.zoneId, source: 'field', category: 'other', raisedByName: '测试', deadlineProvisional: false } as const;
  const specs = [
    // red, 崔寨 HQ
    { code: 'WT-CK-0001', commandId: z.commands.cuizhai!, leadUnitId: z.units.cuizhai!, state: 'in_progress', raisedOn: addDays(day, -30), deadline: addDays(day, -10), warnOn: addDays(day, -12) },
    // suspended before its deadline: lit as on the day the clock stopped
    { code: 'WT-CK-0002', commandId: z.commands.cuizhai!, leadUnitId: z.units.daqiao!, state: 'suspended', raisedOn: addDays(day, -20), deadline: addDays(day, -3), warnOn: addDays(day, -5), suspendedOn: addDays(day, -5) },
    // raised by the 崔寨 commander for the 氢能 HQ, red: in his problem list, not in his HQ's cockpit
    { code: 'WT-CK-0003', commandId: z.commands.hydrogen!, leadUnitId: z.units.economy!, state: 'in_progress', raisedOn: addDays(day, -15), deadline: addDays(day, -2), warnOn: addDays(day, -4), raisedBy: z.users['hq.cuizhai']! },
    // closed today, on time; closed on Monday, late; closed last year
    { code: 'WT-CK-0004', commandId: z.commands.cuizhai!, leadUnitId: z.units.cuizhai!, state: 'closed', raisedOn: addDays(day, -9), deadline: addDays(day, 3), closedOn: day, closedOnTime: true, workdaysToClose: 6 },
    { code: 'WT-CK-0005', commandId: z.commands.cuizhai!, leadUnitId: z.units.daqiao!, state: 'closed', raisedOn: addDays(day, -40), deadline: addDays(mondayOf(day), -1), closedOn: mondayOf(day), closedOnTime: false, workdaysToClose: 25, returnCount: 2 },
    { code: 'WT-CK-0006', commandId: z.commands.cuizhai!, leadUnitId: z.units.cuizhai!, state: 'closed', raisedOn: `${Number(day.slice(0, 4)) - 1}-03-01`, deadline: `${Number(day.slice(0, 4)) - 1}-03-20`, closedOn: `${Number(day.slice(0, 4)) - 1}-03-18`, closedOnTime: true, workdaysToClose: 12 },
    // waiting to be assigned, no light
    { code: 'WT-CK-0007', commandId: z.commands.nev!, leadUnitId: null, state: 'raised', raisedOn: day },
  ];
  for (const p of specs) {
    await services.db.insert(problems).values({
      ...base,
      title: `驾驶舱测试${p.code}`,
      code: p.code,
      commandId: p.commandId,
      leadUnitId: p.leadUnitId,
      state: p.state,
      deadline: p.deadline ?? null,
      warnOn: p.warnOn ?? null,
      suspendedOn: p.suspendedOn ?? null,
      raisedBy: p.raisedBy ?? z.users['hq.cuizhai']!,
      raisedAt: at(p.raisedOn),
      raisedOn: p.raisedOn,
      assignedOn: p.leadUnitId ? p.raisedOn : null,
      closedAt: p.closedOn ? at(p.closedOn, 16) : null,
      closedOn: p.closedOn ?? null,
      closedOnTime: p.closedOnTime ?? null,
      workdaysToClose: p.workdaysToClose ?? null,
      returnCount: p.returnCount ?? 0,
    });
  }
  // A meeting left planned on the first day of the year, and a cancelled one (never counted).
  const jan1 = `${day.slice(0, 4)}-01-01`;
  for (const [n, status] of [
    [901, 'planned'],
    [902, 'cancelled'],
  ] as const) {
    await services.db.insert(meetings).values({
      zoneId: z.zoneId,
      commandId: z.commands.cuizhai!,
      type: 'regular',
      number: n,
      startsAt: at(jan1, 9),
      endsAt: at(jan1, 11),
      heldOn: jan1,
      status,
    });
  }
}

/** Every figure of the overview, by SQL written here. `command` null: the whole zone. */
async function expected(command: string | null, from: string, to: string) {
  const z = zone.zoneId;
  const asOf = to < today ? to : today;
  const year = Number(asOf.slice(0, 4));
  const months = monthsBy(year, asOf);
  const yFrom = `${year}-01-01`;
  const yEnd = `${year}-12-31`;
  const pc = command ? sql`and p.command_id = ${command}` : sql``;
  const prc = command ? sql`and pr.command_id = ${command}` : sql``;
  const mc = command ? sql`and m.command_id = ${command}` : sql``;

  const proj = await one<Record<string, string | number>>(sql`
    select count(*)::int as n, coalesce(sum(total_investment), 0)::numeric(20,2)::text as total,
      count(*) filter (where phase = 'pipeline')::int as pipeline, count(*) filter (where phase = 'signed')::int as signed,
      count(*) filter (where phase = 'started')::int as started, count(*) filter (where phase = 'operating')::int as operating,
      count(*) filter (where phase = 'completed')::int as completed, count(*) filter (where phase = 'suspended')::int as suspended,
      count(*) filter (where level = 'province')::int as province, count(*) filter (where level = 'city')::int as city,
      count(*) filter (where level = 'district')::int as district,
      count(*) filter (where planned_start_on between ${yFrom}::date and ${yEnd}::date)::int as start_den,
      count(*) filter (where planned_start_on between ${yFrom}::date and ${yEnd}::date and (started_on <= ${asOf}::date
        or (started_on is null and (phase in ('started','operating','completed') or suspended_from in ('started','operating','completed')))))::int as start_num,
      count(*) filter (where planned_completion_on between ${yFrom}::date and ${asOf}::date)::int as done_den,
      count(*) filter (where planned_completion_on between ${yFrom}::date and ${asOf}::date and completed_on <= planned_completion_on)::int as done_num
    from projects p where p.zone_id = ${z} ${pc}`);
  const money = await one<{ planned: string; completed: string; funds: string }>(sql`
    select
      (select coalesce(sum(a.planned_investment), 0)::numeric(20,2)::text from project_annual_plans a join projects p on p.zone_id = a.zone_id and p.id = a.project_id
        where a.zone_id = ${z} and a.year = ${year} ${pc}) as planned,
      (select coalesce(sum(r.completed_investment), 0)::numeric(20,2)::text from monthly_reports r join projects p on p.zone_id = r.zone_id and p.id = r.project_id
        where r.zone_id = ${z} and r.month between ${yFrom}::date and ${asOf}::date ${pc}) as completed,
      (select coalesce(sum(r.funds_in_place), 0)::numeric(20,2)::text from monthly_reports r join projects p on p.zone_id = r.zone_id and p.id = r.project_id
        where r.zone_id = ${z} and r.month between ${yFrom}::date and ${asOf}::date ${pc}) as funds`);
  const lagging = await rows<{ id: string }>(sql`
    select p.id from projects p
      join project_annual_plans a on a.zone_id = p.zone_id and a.project_id = p.id and a.year = ${year}
      left join lateral (select coalesce(sum(r.completed_investment), 0) as done from monthly_reports r
        where r.zone_id = p.zone_id and r.project_id = p.id and r.month between ${yFrom}::date and ${asOf}::date) w on true
    where p.zone_id = ${z} ${pc} and p.phase in ('signed','started','operating') and a.planned_investment > 0
      and w.done * 12 < a.planned_investment * ${months}
    order by a.planned_investment * ${months} - w.done * 12 desc, p.code`);

  const light = sql`(case when pr.state not in (${sql.raw(OPEN)}) or pr.deadline is null then null
      when (case when pr.state = 'suspended' and pr.suspended_on is not null then pr.suspended_on else ${today}::date end) > pr.deadline then 'red'
      when pr.reminded_at is not null or (case when pr.state = 'suspended' and pr.suspended_on is not null then pr.suspended_on else ${today}::date end) >= pr.warn_on then 'yellow'
      else 'green' end)`;
  const monday = mondayOf(today);
  const prob = await one<Record<string, number>>(sql`
    select count(*) filter (where pr.state in (${sql.raw(OPEN)}))::int as open,
      count(*) filter (where ${light} = 'red')::int as red, count(*) filter (where ${light} = 'yellow')::int as yellow,
      count(*) filter (where ${light} = 'green')::int as green,
      count(*) filter (where pr.state in (${sql.raw(OPEN)}) and ${light} is null)::int as none,
      count(*) filter (where pr.raised_on between ${from}::date and ${to}::date)::int as raised,
      count(*) filter (where pr.state = 'closed' and pr.closed_on between ${from}::date and ${to}::date)::int as closed,
      count(*) filter (where pr.state = 'closed' and pr.closed_on between ${monday}::date and ${today}::date)::int as week,
      count(*) filter (where pr.state = 'closed' and pr.closed_on between ${from}::date and ${to}::date and pr.deadline is not null)::int as dl,
      count(*) filter (where pr.state = 'closed' and pr.closed_on between ${from}::date and ${to}::date and pr.deadline is not null and pr.closed_on_time)::int as ot
    from problems pr where pr.zone_id = ${z} ${prc}`);
  const red = await rows<{ id: string }>(sql`
    select pr.id from problems pr where pr.zone_id = ${z} ${prc} and ${light} = 'red' order by pr.deadline, pr.raised_at limit 10`);
  const weeks = await rows<{ monday: string; raised: number; closed: number }>(sql`
    select to_char(w, 'YYYY-MM-DD') as monday,
      (select count(*) from problems pr where pr.zone_id = ${z} ${prc} and pr.raised_on between greatest(w::date, ${from}::date) and least(w::date + 6, ${to}::date))::int as raised,
      (select count(*) from problems pr where pr.zone_id = ${z} ${prc} and pr.state = 'closed' and pr.closed_on between greatest(w::date, ${from}::date) and least(w::date + 6, ${to}::date))::int as closed
    from generate_series(date_trunc('week', ${from}::date), ${to}::date, interval '7 days') w order by w`);
  // 比业绩 per lead unit with the units below it: 100 × on-time rate − 5 × red − 2 × returns.
  const units = await rows<{ id: string; name: string; dl: number; ot: number; red: number; returns: number }>(sql`
    with recursive below(top, id) as (
      select u.id, u.id from units u where u.zone_id = ${z}
      union all select b.top, c.id from below b join units c on c.zone_id = ${z} and c.parent_id = b.id)
    select t.id, t.name,
      count(*) filter (where pr.state = 'closed' and pr.closed_on between ${from}::date and ${to}::date and pr.deadline is not null)::int as dl,
      count(*) filter (where pr.state = 'closed' and pr.closed_on between ${from}::date and ${to}::date and pr.deadline is not null and pr.closed_on_time)::int as ot,
      count(*) filter (where ${light} = 'red')::int as red,
      coalesce(sum(pr.return_count) filter (where pr.raised_on between ${from}::date and ${to}::date), 0)::int as returns
    from units t join below b on b.top = t.id join problems pr on pr.zone_id = ${z} and pr.lead_unit_id = b.id ${prc}
      and (pr.state in (${sql.raw(OPEN)}) or pr.raised_on between ${from}::date and ${to}::date or (pr.state = 'closed' and pr.closed_on between ${from}::date and ${to}::date))
    where t.zone_id = ${z} and exists (select 1 from problems q where q.zone_id = ${z} and q.lead_unit_id = t.id ${command ? sql`and q.command_id = ${command}` : sql``}
      and (q.state in (${sql.raw(OPEN)}) or q.raised_on between ${from}::date and ${to}::date or (q.state = 'closed' and q.closed_on between ${from}::date and ${to}::date)))
    group by t.id, t.name`);
  const score = (u: { dl: number; ot: number; red: number; returns: number }) => (u.dl ? (100 * u.ot) / u.dl : 0) - 5 * u.red - 2 * u.returns;

  const meet = await one<Record<string, number>>(sql`
    select
      (select count(*) from meetings m where m.zone_id = ${z} ${mc} and m.status in ('held','minutes_issued') and m.held_on between ${from}::date and ${to}::date)::int as held,
      (select count(*) from meetings m where m.zone_id = ${z} ${mc} and m.status = 'planned' and m.held_on between ${from}::date and ${to}::date)::int as planned,
      (select count(*) from meeting_decisions d join meetings m on m.zone_id = d.zone_id and m.id = d.meeting_id
        where d.zone_id = ${z} ${mc} and m.status in ('held','minutes_issued') and m.held_on between ${from}::date and ${to}::date)::int as made,
      (select count(*) from meeting_decisions d join meetings m on m.zone_id = d.zone_id and m.id = d.meeting_id
        left join problems pr on pr.zone_id = d.zone_id and pr.id = d.problem_id
        where d.zone_id = ${z} ${mc} and m.status <> 'cancelled' and (d.task_status = 'open' or pr.state in (${sql.raw(OPEN)})))::int as open`);

  return { year, asOf, months, proj, money, lagging, prob, red, weeks, units, score, meet };
}

/** The overview's figures equal the SQL's. */
async function checkFigures(o: CockpitOverviewDto, command: string | null) {
  const e = await expected(command, o.from, o.to);
  const p = o.projects;
  expect(p.year).toBe(e.year);
  expect(p.asOf).toBe(e.asOf);
  expect(Number(p.timeElapsed)).toBeCloseTo(e.months / 12, 4);
  expect(p.count.n).toBe(e.proj.n);
  expect(p.totalInvestment.value).toBe(e.proj.total);
  for (const x of p.byPhase) expect(x.n, x.phase).toBe(e.proj[x.phase]);
  for (const x of p.byLevel) expect(x.n, x.level).toBe(e.proj[x.level]);
  expect(p.byPhase.reduce((a, x) => a + x.n, 0)).toBe(e.proj.n);
  expect(p.yearPlannedInvestment.value).toBe(e.money.planned);
  expect(p.yearCompletedInvestment.value).toBe(e.money.completed);
  expect(p.yearFundsInPlace.value).toBe(e.money.funds);
  expect([p.rates.start.numerator, p.rates.start.denominator]).toEqual([String(e.proj.start_num), String(e.proj.start_den)]);
  expect([p.rates.onTimeCompletion.numerator, p.rates.onTimeCompletion.denominator]).toEqual([String(e.proj.done_num), String(e.proj.done_den)]);
  expect([p.rates.investment.numerator, p.rates.investment.denominator]).toEqual([e.money.completed, e.money.planned]);
  expect([p.rates.funds.numerator, p.rates.funds.denominator]).toEqual([e.money.funds, e.money.planned]);
  const rate4 = (num: number, den: number) => (den === 0 ? null : (Math.round((num / den) * 10000) / 10000).toFixed(4));
  expect(p.rates.start.rate).toBe(rate4(Number(e.proj.start_num), Number(e.proj.start_den)));
  expect(p.rates.investment.rate).toBe(rate4(Number(e.money.completed), Number(e.money.planned)));
  expect(p.laggingCount.n).toBe(e.lagging.length);
  expect(p.lagging.map((l) => l.project.id)).toEqual(e.lagging.slice(0, 10).map((l) => l.id));
  for (const l of p.lagging) expect(l.leadUnit === null || l.leader === null || (l.leadUnit.name.length > 0 && l.leader.displayName.length > 0)).toBe(true);

  const q = o.problems;
  expect(q.open.n).toBe(e.prob.open);
  expect(q.overdue.n).toBe(e.prob.red);
  expect([q.lights.red.n, q.lights.yellow.n, q.lights.green.n, q.lights.none]).toEqual([e.prob.red, e.prob.yellow, e.prob.green, e.prob.none]);
  expect(q.raised.n).toBe(e.prob.raised);
  expect(q.closed.n).toBe(e.prob.closed);
  expect(q.closedThisWeek.n).toBe(e.prob.week);
  expect([q.onTime.closedOnTime.n, q.onTime.closedWithDeadline.n]).toEqual([e.prob.ot, e.prob.dl]);
  expect(q.onTime.rate).toBe(rate4(e.prob.ot!, e.prob.dl!));
  expect(q.redList.map((r) => r.id)).toEqual(e.red.map((r) => r.id));
  expect(q.weekly.map((w) => [w.from <= w.to, w.raised.n, w.closed.n])).toEqual(e.weeks.map((w) => [true, w.raised, w.closed]));
  expect(q.weekly.reduce((a, w) => a + w.raised.n, 0)).toBe(e.prob.raised);
  // The ranking: each listed unit's figures and score, and nobody left out scores better than the last listed.
  const byUnit = new Map(e.units.map((u) => [u.id, u]));
  expect(q.ranking.items.length).toBe(Math.min(5, e.units.length));
  for (const r of q.ranking.items) {
    const u = byUnit.get(r.unit.id)!;
    expect(u, r.unit.name).toBeDefined();
    expect([r.closedOnTime.n, r.closedWithDeadline, r.overdueOpen.n, r.returns.n]).toEqual([u.ot, u.dl, u.red, u.returns]);
    expect(Number(r.score)).toBeCloseTo(e.score(u), 2);
  }
  const scores = q.ranking.items.map((r) => Number(r.score));
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  const listed = new Set(q.ranking.items.map((r) => r.unit.id));
  const last = scores.at(-1) ?? Infinity;
  for (const u of e.units) if (!listed.has(u.id)) expect(e.score(u), u.name).toBeLessThanOrEqual(last + 0.005);

  const m = o.meetings;
  expect([m.held.n, m.planned.n, m.decisionsMade.n, m.decisionsOpen.n]).toEqual([e.meet.held, e.meet.planned, e.meet.made, e.meet.open]);
  expect(m.byBody.reduce((a, b) => a + b.held.n, 0)).toBe(e.meet.held);
  await checkIndicators(o);
  return e;
}

/**
 * 主要经济指标: each indicator's value and growth are the zone's own figures of the latest month up to the period's
 * end (or of the zone's latest period before it), its rank counts the districts (not the city) that grew faster.
 */
async function checkIndicators(o: CockpitOverviewDto) {
  const z = zone.zoneId;
  const [latest] = await rows<{ year: number; month: number }>(sql`
    select v.year, v.month from indicator_values v join indicator_districts d on d.zone_id = v.zone_id and d.id = v.district_id and d.kind = 'self'
     where v.zone_id = ${z} and (v.year, v.month) <= (${Number(o.to.slice(0, 4))}, ${Number(o.to.slice(5, 7))}) order by v.year desc, v.month desc limit 1`);
  const ind = o.indicators;
  if (!latest) {
    expect(ind.available).toBe(false);
    return;
  }
  expect(ind.available).toBe(true);
  const sameYear = latest.year === Number(o.to.slice(0, 4));
  const month = sameYear ? Number(o.to.slice(5, 7)) : latest.month;
  expect(ind.link).toBe(`/indicators?year=${latest.year}&month=${month}`);
  const active = await rows<{ code: string }>(sql`select code from indicators where zone_id = ${z} and active order by sort_order, code`);
  expect(ind.items.map((i) => i.key)).toEqual(active.map((a) => a.code));
  let checked = 0;
  for (const item of ind.items) {
    const [own] = await rows<{ value: string | null; growth: string | null; month: number }>(sql`
      select v.value::text as value, v.growth::text as growth, v.month from indicator_values v
        join indicators i on i.zone_id = v.zone_id and i.id = v.indicator_id and i.code = ${item.key}
        join indicator_districts d on d.zone_id = v.zone_id and d.id = v.district_id and d.kind = 'self'
       where v.zone_id = ${z} and v.year = ${latest.year} and v.month <= ${month} order by v.month desc limit 1`);
    if (!own) continue;
    expect(item.value === null ? null : Number(item.value), item.key).toBe(own.value === null ? null : Number(own.value));
    expect(item.yoy === null ? null : Number(item.yoy), item.key).toBe(own.growth === null ? null : Number(own.growth));
    if (own.growth !== null) {
      const [r] = await rows<{ faster: number; ranked: number }>(sql`
        select count(*) filter (where v.growth > ${own.growth}::numeric)::int as faster, count(v.growth)::int as ranked from indicator_values v
          join indicators i on i.zone_id = v.zone_id and i.id = v.indicator_id and i.code = ${item.key}
          join indicator_districts d on d.zone_id = v.zone_id and d.id = v.district_id and d.kind <> 'city' and d.active
         where v.zone_id = ${z} and v.year = ${latest.year} and v.month = ${own.month}`);
      expect([item.rank, item.of], item.key).toEqual([r!.faster + 1, r!.ranked]);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(0);
}

/** Every count that names a list: the list, asked through the API as the web page asks it, holds exactly n rows. */
async function checkLinks(client: Client, o: CockpitOverviewDto) {
  const counts: [string, CountDto][] = [
    ['projects.count', o.projects.count],
    ['projects.laggingCount', o.projects.laggingCount],
    ...o.projects.byPhase.map((x) => [`phase ${x.phase}`, x] as [string, CountDto]),
    ...o.projects.byLevel.map((x) => [`level ${x.level}`, x] as [string, CountDto]),
    ['problems.open', o.problems.open],
    ['problems.overdue', o.problems.overdue],
    ['problems.red', o.problems.lights.red],
    ['problems.yellow', o.problems.lights.yellow],
    ['problems.green', o.problems.lights.green],
    ['problems.raised', o.problems.raised],
    ['problems.closed', o.problems.closed],
    ['problems.closedThisWeek', o.problems.closedThisWeek],
    ['problems.closedOnTime', o.problems.onTime.closedOnTime],
    ...o.problems.ranking.items.flatMap((r) => [
      [`rank ${r.unit.name} overdue`, r.overdueOpen],
      [`rank ${r.unit.name} on time`, r.closedOnTime],
    ] as [string, CountDto][]),
    ...o.problems.weekly.flatMap((w) => [
      [`week ${w.week} raised`, w.raised],
      [`week ${w.week} closed`, w.closed],
    ] as [string, CountDto][]),
  ];
  const PROJECT_KEYS = new Set(['q', 'phase', 'level', 'commandId', 'clusterUnitId', 'areaUnitId', 'industry', 'kind', 'leaderUserId', 'leadUnitId', 'enterpriseId', 'batchId', 'minInvestment', 'maxInvestment', 'lagging', 'year']);
  const PROBLEM_KEYS = new Set(['state', 'light', 'commandId', 'leadUnitId', 'category', 'priority', 'source', 'escalation', 'cooperatingUnitId', 'sourceId', 'projectId', 'q', 'raisedFrom', 'raisedTo', 'closedFrom', 'closedTo', 'deadlineFrom', 'deadlineTo', 'overdue', 'open', 'todo', 'supervised', 'late', 'returned']);
  for (const [label, c] of counts) {
    const url = new URL(c.link, 'http://x');
    const keys = url.pathname === '/projects' ? PROJECT_KEYS : url.pathname === '/problems' ? PROBLEM_KEYS : undefined;
    expect(keys, `${label}: ${c.link}`).toBeDefined();
    for (const k of url.searchParams.keys()) expect(keys!.has(k), `${label}: ${k} in ${c.link}`).toBe(true);
    if (o.commandId) expect(url.searchParams.get('commandId'), `${label}: ${c.link}`).toBe(o.commandId);
    url.searchParams.set('pageSize', '1');
    const res = await client.get(`/api${url.pathname}?${url.searchParams.toString()}`);
    expect(res.statusCode, `${label}: ${c.link} ${res.body.slice(0, 200)}`).toBe(200);
    expect(res.json().total, `${label}: ${c.link}`).toBe(c.n);
  }
  // Lists of single records link to their pages; the meeting figures to the calendar.
  for (const l of o.projects.lagging) expect(l.link).toBe(`/projects/${l.project.id}`);
  for (const r of o.problems.redList) expect(r.link).toBe(`/problems/${r.id}`);
  for (const c of [o.meetings.held, o.meetings.planned, o.meetings.decisionsMade, o.meetings.decisionsOpen, ...o.meetings.byBody.map((b) => b.held)]) {
    const url = new URL(c.link, 'http://x');
    expect(url.pathname).toBe('/meetings');
    expect(url.searchParams.get('date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    if (o.commandId) expect(url.searchParams.get('body')).toBe(`c:${o.commandId}`);
  }
}

describe('cockpit overview', () => {
  beforeAll(async () => {
    zone = await createZone({ problems: true });
    leader = await signIn(zone, 'leader');
    today = (await leader.get('/api/cockpit/overview')).json().today;
    await addRows(zone, today);
  }, 300_000);

  it('equals direct SQL for the whole zone, and every count opens its list', async () => {
    const res = await leader.get('/api/cockpit/overview');
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as CockpitOverviewDto;
    expect(o.commandId).toBeNull();
    expect(o.from).toBe(`${today.slice(0, 4)}-01-01`);
    expect(o.commands.map((c) => c.id).sort()).toEqual(Object.values(zone.commands).sort());
    const e = await checkFigures(o, null);
    // The data set exercises what it should.
    expect(e.prob.red).toBeGreaterThan(1);
    expect(e.prob.week).toBeGreaterThan(0);
    expect(e.lagging.length).toBeGreaterThan(0);
    expect(e.meet.open).toBeGreaterThan(0);
    await checkLinks(leader, o);
  });

  it('keeps its summaries equal to the live figures through every kind of change', async () => {
    const { services } = await getHarness();
    // Migration 0010 made them; the counts below are read both ways and compared.
    expect(await summariesInstalled(services.db)).toBe(true);
    const caller = leaderCaller(zone);
    const inputs = (): CountsInput[] => [
      { from: `${today.slice(0, 4)}-01-01`, to: today, today, commandId: undefined },
      { from: addDays(today, -45), to: today, today, commandId: zone.commands.cuizhai },
      { from: `${Number(today.slice(0, 4)) - 1}-01-01`, to: today, today, commandId: undefined },
      { from: '2023-04-01', to: '2023-06-30', today, commandId: zone.commands.cuizhai },
    ];
    const same = async (step: string) => {
      for (const p of inputs()) expect(await fromSummaries(services, caller, p), `${step} ${JSON.stringify(p)}`).toEqual(await live(services, caller, p, 'zh-CN'));
      // The tables themselves equal a rebuild from the problems, row for row (no empty rows left behind: a backup
      // restored rebuilds them from the problems and must come out the same).
      const z = zone.zoneId;
      const kept = await rows<{ k: string }>(sql`
        select concat_ws('|', command_id, lead_unit_id, day, raised, returns, closed, closed_with_deadline, closed_on_time) as k from problem_day_counts
         where zone_id = ${z} order by 1`);
      const rebuilt = await rows<{ k: string }>(sql`
        select concat_ws('|', command_id, lead_unit_id, day, sum(raised), sum(returns), sum(closed), sum(cwd), sum(cot)) as k from (
          select command_id, lead_unit_id, raised_on as day, 1 as raised, return_count as returns, 0 as closed, 0 as cwd, 0 as cot from problems where zone_id = ${z}
          union all
          select command_id, lead_unit_id, closed_on, 0, 0, 1, (deadline is not null)::int, (deadline is not null and coalesce(closed_on_time, false))::int
            from problems where zone_id = ${z} and state = 'closed') d
        group by command_id, lead_unit_id, day order by 1`);
      expect(kept.map((r) => r.k), step).toEqual(rebuilt.map((r) => r.k));
      const open = await rows<{ k: string }>(sql`
        select concat_ws('|', command_id, lead_unit_id, deadline, warn_on, reminded, stopped_on, n) as k from problem_open_counts where zone_id = ${z} order by 1`);
      const reopen = await rows<{ k: string }>(sql`
        select concat_ws('|', command_id, lead_unit_id, deadline, warn_on, reminded_at is not null, case when state = 'suspended' then suspended_on end, count(*)) as k
          from problems where zone_id = ${z} and state in (${sql.raw(OPEN)})
         group by command_id, lead_unit_id, deadline, warn_on, reminded_at is not null, case when state = 'suspended' then suspended_on end`);
      expect(open.map((r) => r.k).sort(), step).toEqual(reopen.map((r) => r.k).sort());
    };
    await same('installed');

    // The loop through the API: raise and assign, remind, accept, suspend and resume, submit, return, close.
    const hq = await signIn(zone, 'hq.cuizhai');
    const street = await signIn(zone, 'staff.cuizhai');
    let p = await raiseAssigned(hq, zone, 3, { title: '驾驶舱汇总测试问题' });
    await same('raised and assigned');
    p = await must(hq, p, 'remind', { text: '请加快' });
    p = await must(street, p, 'accept');
    await same('reminded, accepted');
    p = await must(street, p, 'request_suspension', { reason: '等待规划调整' });
    p = await must(hq, p, 'approve_request');
    await same('suspended');
    p = await must(hq, p, 'resume');
    p = await must(street, p, 'submit', { text: '已完成' });
    p = await must(hq, p, 'return', { reason: '现场仍有问题' });
    await same('returned');
    p = await must(street, p, 'submit', { text: '已整改' });
    p = await must(hq, p, 'close', { text: '同意销号' });
    expect(p.state).toBe('closed');
    await same('closed');

    // Writes outside the API: another lead unit and HQ, several rows in one statement, a deletion.
    await rows(sql`update problems set lead_unit_id = ${zone.units.taiping} where zone_id = ${zone.zoneId} and code = 'WT-CK-0001'`);
    await rows(sql`update problems set command_id = ${zone.commands.nev}, deadline = deadline + 3 where zone_id = ${zone.zoneId} and code = 'WT-CK-0002'`);
    await rows(sql`update problems set reminded_at = now(), return_count = return_count + 1 where zone_id = ${zone.zoneId} and state = 'in_progress'`);
    await rows(sql`delete from problems where zone_id = ${zone.zoneId} and code = 'WT-CK-0007'`);
    await same('written directly');
    // An update that changes nothing counted writes no summary row.
    await rows(sql`update problems set title = title || '。' where zone_id = ${zone.zoneId}`);
    await same('retitled');

    // And the overview read from them still equals direct SQL, links included.
    const o = (await leader.get('/api/cockpit/overview')).json() as CockpitOverviewDto;
    await checkFigures(o, null);
    await checkLinks(leader, o);
  }, 120_000);

  it('equals direct SQL for one HQ and a custom period', async () => {
    const from = addDays(today, -60);
    const res = await leader.get(`/api/cockpit/overview?commandId=${zone.commands.cuizhai}&from=${from}&to=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as CockpitOverviewDto;
    expect([o.from, o.to, o.commandId]).toEqual([from, today, zone.commands.cuizhai]);
    await checkFigures(o, zone.commands.cuizhai!);
    await checkLinks(leader, o);
    // A past period: the ledger is measured as of its last day.
    const lastYear = Number(today.slice(0, 4)) - 1;
    const past = (await leader.get(`/api/cockpit/overview?from=${lastYear}-01-01&to=${lastYear}-06-30`)).json() as CockpitOverviewDto;
    expect([past.projects.year, past.projects.asOf, past.projects.timeElapsed]).toEqual([lastYear, `${lastYear}-06-30`, '0.5000']);
    await checkFigures(past, null);
  });

  it('shows an HQ commander his HQ alone, and refuses other HQs', async () => {
    const hq = await signIn(zone, 'hq.cuizhai');
    const mine = (await hq.get('/api/cockpit/overview')).json() as CockpitOverviewDto;
    expect(mine.commandId).toBe(zone.commands.cuizhai);
    expect(mine.commands).toEqual([{ id: zone.commands.cuizhai, name: '崔寨片区建设指挥部' }]);
    await checkFigures(mine, zone.commands.cuizhai!);
    await checkLinks(hq, mine);
    // The same figures a leader sees for that HQ.
    const asLeader = (await leader.get(`/api/cockpit/overview?commandId=${zone.commands.cuizhai}`)).json() as CockpitOverviewDto;
    expect({ ...mine, commands: [] }).toEqual({ ...asLeader, commands: [] });
    // The problem he raised for the 氢能 HQ is in his list but not in his HQ's cockpit.
    const list = (await hq.get('/api/problems?overdue=true&pageSize=500')).json() as { items: { code: string }[] };
    expect(list.items.map((i) => i.code)).toContain('WT-CK-0003');
    expect(mine.problems.redList.map((r) => r.code)).not.toContain('WT-CK-0003');

    expect((await hq.get(`/api/cockpit/overview?commandId=${zone.commands.hydrogen}`)).statusCode).toBe(404);
    expect((await hq.get(`/api/cockpit/map?commandId=${zone.commands.hydrogen}`)).statusCode).toBe(404);
    const staff = await signIn(zone, 'hqstaff.fuzhongxin');
    const theirs = (await staff.get('/api/cockpit/overview')).json() as CockpitOverviewDto;
    expect(theirs.commandId).toBe(zone.commands.fuzhongxin);
    await checkFigures(theirs, zone.commands.fuzhongxin!);
    // Another zone's HQ is as unknown as a made-up one.
    const other = await createZone();
    expect((await leader.get(`/api/cockpit/overview?commandId=${other.commands.cuizhai}`)).statusCode).toBe(404);
  });

  it('is for leaders and HQ people only, and checks its period', async () => {
    for (const role of ['unit_staff', 'service_agent', 'enterprise_contact', 'sys_admin', 'audit_admin'] as const) {
      expect((await (await signInAs(zone, role)).get('/api/cockpit/overview')).statusCode, role).toBe(403);
    }
    expect((await leader.get('/api/cockpit/overview?from=2026-05-01&to=2026-04-01')).statusCode).toBe(400);
    expect((await leader.get('/api/cockpit/overview?from=2026-02-30')).statusCode).toBe(400);
    expect((await leader.get('/api/cockpit/overview?commandId=nope')).statusCode).toBe(400);
  });

  it('gives a briefing the same numbers through the plain function', async () => {
    const { services } = await getHarness();
    const direct = await cockpitOverview(services, leaderCaller(zone), { from: addDays(today, -30), to: today });
    const viaHttp = (await leader.get(`/api/cockpit/overview?from=${addDays(today, -30)}&to=${today}`)).json();
    expect(JSON.parse(JSON.stringify(direct))).toEqual(viaHttp);
  });

  it('maps the projects in scope with coordinates', async () => {
    const all = (await leader.get('/api/cockpit/map')).json() as { total: number; tileUrl: string | null; boundary: string; points: { longitude: number; latitude: number; phase: string }[] };
    const [n] = await rows<{ n: number }>(sql`select count(*)::int as n from projects where zone_id = ${zone.zoneId} and longitude is not null and latitude is not null`);
    expect(all.total).toBe(n!.n);
    expect(all.points.length).toBe(Math.min(3000, n!.n));
    expect(all.boundary).toBe('/geo/qibu-zone.geojson');
    expect(all.tileUrl).toBeNull();
    for (const p of all.points) {
      expect(p.longitude).toBeGreaterThan(116.85);
      expect(p.longitude).toBeLessThan(117.35);
      expect(p.latitude).toBeGreaterThan(36.7);
      expect(p.latitude).toBeLessThan(36.98);
    }
    const hq = (await (await signIn(zone, 'hq.cuizhai')).get('/api/cockpit/map')).json() as { total: number };
    const [m] = await rows<{ n: number }>(
      sql`select count(*)::int as n from projects where zone_id = ${zone.zoneId} and command_id = ${zone.commands.cuizhai} and longitude is not null and latitude is not null`,
    );
    expect(hq.total).toBe(m!.n);
  });
});
