import { and, sql, type SQL } from 'drizzle-orm';
import { formatYuan, parseYuan } from '../../../shared/money.ts';
import { PROJECT_LEVELS, PROJECT_PHASES, STARTED_OR_LATER } from '../../../shared/project-phase.ts';
import type { AppServices, Caller } from '../../context.ts';
import { queryRows } from '../../db/client.ts';
import type { MetricsDto, MetricsQueryInput, RateDto } from './metrics.api.ts';
import { ratio } from './metrics.time.ts';
import { projectScope } from './projects.policy.ts';
import { projectFilterWhere } from './projects.repository.ts';
import { expectedByNow, monthsElapsed, SCHEDULED_PHASES, shanghaiDate, timeElapsed } from './projects.schedule.ts';

/**
 * Ledger metrics (docs/api-projects.md "Ledger metrics"), over the projects the list would show for the same
 * filters (projectFilterWhere: zone, read scope, filters). Three queries, all aggregation in SQL numeric; the
 * rates are divided here in bigint. Definitions (year Y, day asOf, reports window = months of Y up to asOf):
 *
 *   开工率    start            projects with plannedStartOn in Y that started on or before asOf / projects with plannedStartOn in Y
 *   投资完成率 investment       Σ completed investment reported in the window / Σ Y's planned investment
 *   资金到位率 funds            Σ funds in place reported in the window / Σ Y's planned investment
 *   按期竣工率 onTimeCompletion projects with plannedCompletionOn in Y and ≤ asOf completed on or before it / those projects
 *
 * 序时进度 (projects.schedule.ts): a project lags when completed × 12 < planned × monthsElapsed (signed, started or
 * operating, with a plan > 0); expectedByNow = planned × months / 12 rounded to the fen; gap = expected − completed.
 */
const LAGGING_LIMIT = 200;

const inList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

interface Window {
  zoneId: string;
  year: number;
  asOf: string;
  months: number;
  /** First and last day of the year, and the last day of the reports window (min(asOf, year end)). */
  from: string;
  yearEnd: string;
  to: string;
}

/** Started on or before asOf; a project recorded as started without a date counts by its phase. */
function startedBy(w: Window): SQL {
  return sql`(projects.started_on <= ${w.asOf}::date or (projects.started_on is null and (projects.phase in (${inList(STARTED_OR_LATER)}) or projects.suspended_from in (${inList(STARTED_OR_LATER)}))))`;
}

/** Σ completed investment of a project's reports in the window (correlated on `projects`). */
function completedInWindow(w: Window): SQL {
  return sql`coalesce((select sum(r.completed_investment) from monthly_reports r
    where r.zone_id = projects.zone_id and r.project_id = projects.id and r.month between ${w.from}::date and ${w.to}::date), 0)`;
}

/** The `lagging=true` filter: the same rule as projects.schedule.ts scheduleOf, as a condition on `projects`. */
function laggingWhere(w: Window): SQL {
  return sql`(projects.phase in (${inList(SCHEDULED_PHASES)}) and exists (
    select 1 from project_annual_plans a
    where a.zone_id = projects.zone_id and a.project_id = projects.id and a.year = ${w.year} and a.planned_investment > 0
      and ${completedInWindow(w)} * 12 < a.planned_investment * ${w.months}))`;
}

function rate(numerator: bigint, denominator: bigint, money: boolean, formula: string): RateDto {
  const show = (v: bigint) => (money ? formatYuan(v) : v.toString());
  return { numerator: show(numerator), denominator: show(denominator), rate: ratio(numerator, denominator), formula };
}

function cents(text: string): bigint {
  const v = parseYuan(text);
  if (v === null) throw new Error(`not an amount: ${text}`);
  return v;
}

export async function ledgerMetrics(s: AppServices, caller: Caller, query: MetricsQueryInput): Promise<MetricsDto> {
  const today = shanghaiDate(s.now());
  const year = query.year ?? Number(today.slice(0, 4));
  const yearEnd = `${year}-12-31`;
  // A past year is measured to its end unless asked otherwise.
  const asOf = query.asOf ?? (today < yearEnd ? today : yearEnd);
  const months = monthsElapsed(year, asOf);
  const w: Window = { zoneId: caller.zoneId, year, asOf, months, from: `${year}-01-01`, yearEnd, to: asOf < yearEnd ? asOf : yearEnd };

  const scope = await projectScope(s.db, caller);
  const base = await projectFilterWhere(s.db, caller.zoneId, scope, query);
  const where = query.lagging ? and(base, laggingWhere(w))! : base;

  const phaseCounts = PROJECT_PHASES.map((p) => sql`, count(*) filter (where projects.phase = ${p})::int as ${sql.identifier(`phase_${p}`)}`);
  const levelCounts = PROJECT_LEVELS.map((l) => sql`, count(*) filter (where projects.level = ${l})::int as ${sql.identifier(`level_${l}`)}`);
  const plannedStartInYear = sql`projects.planned_start_on between ${w.from}::date and ${w.yearEnd}::date`;
  const plannedDoneByNow = sql`projects.planned_completion_on between ${w.from}::date and ${w.to}::date`;
  const [counts] = await queryRows<Record<string, number | string>>(
    s.db,
    sql`select count(*)::int as n, round(coalesce(sum(projects.total_investment), 0), 2)::text as total
          ${sql.join(phaseCounts, sql``)} ${sql.join(levelCounts, sql``)},
          count(*) filter (where ${plannedStartInYear})::int as start_den,
          count(*) filter (where ${plannedStartInYear} and ${startedBy(w)})::int as start_num,
          count(*) filter (where ${plannedDoneByNow})::int as done_den,
          count(*) filter (where ${plannedDoneByNow} and projects.completed_on <= projects.planned_completion_on)::int as done_num
        from projects where ${where}`,
  );

  const [money] = await queryRows<{ planned: string; completed: string; funds: string }>(
    s.db,
    sql`select
          (select round(coalesce(sum(a.planned_investment), 0), 2)::text from project_annual_plans a
            where a.zone_id = ${w.zoneId} and a.year = ${w.year} and a.project_id in (select projects.id from projects where ${where})) as planned,
          rep.completed, rep.funds
        from (select round(coalesce(sum(r.completed_investment), 0), 2)::text as completed, round(coalesce(sum(r.funds_in_place), 0), 2)::text as funds
              from monthly_reports r
              where r.zone_id = ${w.zoneId} and r.month between ${w.from}::date and ${w.to}::date
                and r.project_id in (select projects.id from projects where ${where})) rep`,
  );

  const laggingRows = await queryRows<{
    id: string;
    code: string;
    name: string;
    planned: string;
    completed: string;
    leader_id: string | null;
    leader_name: string | null;
    unit_id: string | null;
    unit_name: string | null;
    command_id: string | null;
    command_name: string | null;
    total: number;
  }>(
    s.db,
    sql`select projects.id, projects.code, projects.name, a.planned_investment::text as planned, round(coalesce(f.c, 0), 2)::text as completed,
          lu.id as leader_id, lu.display_name as leader_name, un.id as unit_id, un.name as unit_name, cm.id as command_id, cm.name as command_name,
          count(*) over ()::int as total
        from projects
        join project_annual_plans a on a.zone_id = projects.zone_id and a.project_id = projects.id and a.year = ${w.year}
        left join lateral (select sum(r.completed_investment) as c from monthly_reports r
          where r.zone_id = projects.zone_id and r.project_id = projects.id and r.month between ${w.from}::date and ${w.to}::date) f on true
        left join users lu on lu.zone_id = projects.zone_id and lu.id = projects.leader_user_id
        left join units un on un.zone_id = projects.zone_id and un.id = projects.lead_unit_id
        left join commands cm on cm.zone_id = projects.zone_id and cm.id = projects.command_id
        where ${where} and projects.phase in (${inList(SCHEDULED_PHASES)}) and a.planned_investment > 0
          and coalesce(f.c, 0) * 12 < a.planned_investment * ${w.months}
        order by a.planned_investment * ${w.months} - coalesce(f.c, 0) * 12 desc, projects.code
        limit ${LAGGING_LIMIT}`,
  );

  if (!counts || !money) throw new Error('metrics query returned nothing');
  const n = (key: string) => Number(counts[key] ?? 0);
  const planned = cents(money.planned);
  const completed = cents(money.completed);
  const funds = cents(money.funds);

  return {
    year,
    asOf,
    timeElapsed: timeElapsed(months),
    projectCount: n('n'),
    totalInvestment: String(counts.total),
    byPhase: Object.fromEntries(PROJECT_PHASES.map((p) => [p, n(`phase_${p}`)])),
    byLevel: Object.fromEntries(PROJECT_LEVELS.map((l) => [l, n(`level_${l}`)])),
    rates: {
      start: rate(
        BigInt(n('start_num')),
        BigInt(n('start_den')),
        false,
        `开工率 = ${year}年计划开工的项目中截至${asOf}已开工的项目数 ÷ ${year}年计划开工的项目数 = ${n('start_num')} ÷ ${n('start_den')}`,
      ),
      investment: rate(completed, planned, true, `投资完成率 = ${year}年截至${w.to}各月填报的完成投资之和 ÷ ${year}年计划投资之和 = ${formatYuan(completed)}元 ÷ ${formatYuan(planned)}元`),
      funds: rate(funds, planned, true, `资金到位率 = ${year}年截至${w.to}各月填报的到位资金之和 ÷ ${year}年计划投资之和 = ${formatYuan(funds)}元 ÷ ${formatYuan(planned)}元`),
      onTimeCompletion: rate(
        BigInt(n('done_num')),
        BigInt(n('done_den')),
        false,
        `按期竣工率 = 计划于${year}年内且不晚于${asOf}竣工的项目中按期竣工（竣工日期不晚于计划竣工日期）的项目数 ÷ 这些项目数 = ${n('done_num')} ÷ ${n('done_den')}`,
      ),
    },
    yearPlannedInvestment: formatYuan(planned),
    yearCompletedInvestment: formatYuan(completed),
    yearFundsInPlace: formatYuan(funds),
    lagging: laggingRows.map((r) => {
      const plan = cents(r.planned);
      const done = cents(r.completed);
      const expected = expectedByNow(plan, months);
      return {
        project: { id: r.id, code: r.code, name: r.name },
        leader: r.leader_id && r.leader_name !== null ? { id: r.leader_id, displayName: r.leader_name } : null,
        leadUnit: r.unit_id && r.unit_name !== null ? { id: r.unit_id, name: r.unit_name } : null,
        command: r.command_id && r.command_name !== null ? { id: r.command_id, name: r.command_name } : null,
        yearPlannedInvestment: formatYuan(plan),
        expectedByNow: formatYuan(expected),
        yearCompletedInvestment: formatYuan(done),
        gap: formatYuan(expected - done),
      };
    }),
    laggingCount: laggingRows[0]?.total ?? 0,
  };
}
