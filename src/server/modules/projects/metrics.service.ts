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
 * filters (projectFilterWhere: zone, read scope, filters). Two queries, all aggregation in SQL numeric; the
 * rates are divided here in bigint. Report sums come from project_report_totals (per project and year, kept by
 * the database in every report write: see projects.schema.ts), not from scanning monthly_reports.
 * Definitions (year Y, day asOf, reports window = months of Y up to asOf):
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

/*
 * Report sums of the window, per project, from project_report_totals `t` (the project's row of year Y, left-joined):
 * its sums are the window's when the window reaches the year's latest report (t.last_month ≤ to: always so for
 * the default asOf = today, since no report is for a future month, and for a past year). Otherwise (an asOf in
 * the past) the window's reports are summed, set-based, for just those projects: `late` (a derived table joined
 * on project_id). Exact either way: equal to Σ monthly_reports of the months between from and to.
 */

/** Window sums of the projects whose year runs past the window (joined as `late`). */
function lateSums(w: Window): SQL {
  return sql`(select r.project_id, sum(r.completed_investment) as completed, sum(r.funds_in_place) as funds
      from project_report_totals lt
      join monthly_reports r on r.zone_id = lt.zone_id and r.project_id = lt.project_id and r.month between ${w.from}::date and ${w.to}::date
      where lt.zone_id = ${w.zoneId} and lt.year = ${w.year} and lt.last_month > ${w.to}::date
      group by r.project_id)`;
}

/** A project's window sum of a column, given `t` (its totals row of the year, or nulls) and `late`. */
function windowSql(w: Window, column: 'completed' | 'funds'): SQL {
  const c = sql.raw(column === 'completed' ? 'completed_investment' : 'funds_in_place');
  const l = sql.raw(column);
  return sql`(case when t.last_month is null then 0 when t.last_month <= ${w.to}::date then t.${c} else coalesce(late.${l}, 0) end)`;
}

/**
 * Every metrics query reads `projects` with its plan of the year `a`, its totals row of the year `t` and `late`
 * (all left-joined, one hash join each): the figures of a project are then columns of its row.
 */
function figureJoins(w: Window): SQL {
  return sql`left join project_annual_plans a on a.zone_id = projects.zone_id and a.project_id = projects.id and a.year = ${w.year}
        left join project_report_totals t on t.zone_id = projects.zone_id and t.project_id = projects.id and t.year = ${w.year}
        left join ${lateSums(w)} late on late.project_id = projects.id`;
}

/** 序时进度 lagging (the `lagging=true` filter and the lagging list): the rule of projects.schedule.ts scheduleOf. */
function laggingCondition(w: Window): SQL {
  return sql`(projects.phase in (${inList(SCHEDULED_PHASES)}) and a.planned_investment > 0
    and ${windowSql(w, 'completed')} * 12 < a.planned_investment * ${w.months})`;
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
  const lagging = laggingCondition(w);
  const where = query.lagging ? and(base, lagging)! : base;

  const phaseCounts = PROJECT_PHASES.map((p) => sql`, count(*) filter (where projects.phase = ${p})::int as ${sql.identifier(`phase_${p}`)}`);
  const levelCounts = PROJECT_LEVELS.map((l) => sql`, count(*) filter (where projects.level = ${l})::int as ${sql.identifier(`level_${l}`)}`);
  const plannedStartInYear = sql`projects.planned_start_on between ${w.from}::date and ${w.yearEnd}::date`;
  const plannedDoneByNow = sql`projects.planned_completion_on between ${w.from}::date and ${w.to}::date`;
  // One pass over the projects: counts, the year's plan and the report sums of the window (from
  // project_report_totals: one row per project and year, not 1.2 M report rows), and how many lag.
  const [counts] = await queryRows<Record<string, number | string>>(
    s.db,
    sql`select count(*)::int as n, round(coalesce(sum(projects.total_investment), 0), 2)::text as total
          ${sql.join(phaseCounts, sql``)} ${sql.join(levelCounts, sql``)},
          count(*) filter (where ${plannedStartInYear})::int as start_den,
          count(*) filter (where ${plannedStartInYear} and ${startedBy(w)})::int as start_num,
          count(*) filter (where ${plannedDoneByNow})::int as done_den,
          count(*) filter (where ${plannedDoneByNow} and projects.completed_on <= projects.planned_completion_on)::int as done_num,
          round(coalesce(sum(a.planned_investment), 0), 2)::text as planned,
          round(coalesce(sum(${windowSql(w, 'completed')}), 0), 2)::text as completed,
          round(coalesce(sum(${windowSql(w, 'funds')}), 0), 2)::text as funds,
          count(*) filter (where ${lagging})::int as lagging
        from projects
        ${figureJoins(w)}
        where ${where}`,
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
  }>(
    s.db,
    sql`select projects.id, projects.code, projects.name, a.planned_investment::text as planned, round(${windowSql(w, 'completed')}, 2)::text as completed,
          lu.id as leader_id, lu.display_name as leader_name, un.id as unit_id, un.name as unit_name, cm.id as command_id, cm.name as command_name
        from projects
        ${figureJoins(w)}
        left join users lu on lu.zone_id = projects.zone_id and lu.id = projects.leader_user_id
        left join units un on un.zone_id = projects.zone_id and un.id = projects.lead_unit_id
        left join commands cm on cm.zone_id = projects.zone_id and cm.id = projects.command_id
        where ${where} and ${lagging}
        order by a.planned_investment * ${w.months} - ${windowSql(w, 'completed')} * 12 desc, projects.code
        limit ${LAGGING_LIMIT}`,
  );

  if (!counts) throw new Error('metrics query returned nothing');
  const n = (key: string) => Number(counts[key] ?? 0);
  const planned = cents(String(counts.planned));
  const completed = cents(String(counts.completed));
  const funds = cents(String(counts.funds));

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
    laggingCount: n('lagging'),
  };
}
