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
 * filters (projectFilterWhere: zone, read scope, filters). One statement, all aggregation in SQL numeric; the
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
 * the past) the window's reports of just those projects are summed once, set-based, as `late` (a materialized
 * CTE, left-joined on project_id; empty, from one index range, in the usual case). Exact either way: equal to
 * Σ monthly_reports of the months between from and to.
 */

/** Whether some project's reports of year Y run past the window (one index range: usually none). */
async function runsPastWindow(s: AppServices, w: Window): Promise<boolean> {
  const [row] = await queryRows<{ late: boolean }>(
    s.db,
    sql`select exists (select 1 from project_report_totals where zone_id = ${w.zoneId} and year = ${w.year} and last_month > ${w.to}::date) as late`,
  );
  return Boolean(row?.late);
}

/**
 * The WITH clause of `late`: window sums of the projects whose reports of year Y run past the window. Computed
 * once per query (MATERIALIZED) when there are such projects; otherwise inlined, so the query keeps its parallel
 * plan (a materialized CTE would run it on one core) and `late` is an empty index range for each worker. The same
 * sums either way.
 */
function lateCte(w: Window, materialized: boolean): SQL {
  return sql`with late as ${materialized ? sql`materialized` : sql`not materialized`} (
      select r.project_id, sum(r.completed_investment) as completed, sum(r.funds_in_place) as funds
      from project_report_totals lt
      join monthly_reports r on r.zone_id = lt.zone_id and r.project_id = lt.project_id and r.month between ${w.from}::date and ${w.to}::date
      where lt.zone_id = ${w.zoneId} and lt.year = ${w.year} and lt.last_month > ${w.to}::date
      group by r.project_id)`;
}

/** A project's window sum of a column, given `t` (its totals row of the year, or nulls) and `late`. */
function windowSql(w: Window, column: 'completed' | 'funds'): SQL {
  const c = sql.raw(column === 'completed' ? 'completed_investment' : 'funds_in_place');
  return sql`(case when t.last_month is null then 0 when t.last_month <= ${w.to}::date then t.${c} else coalesce(late.${sql.raw(column)}, 0) end)`;
}

/**
 * Every metrics query reads `projects` with its plan of the year `a`, its totals row of the year `t` and `late`,
 * left-joined, one hash join each: the figures of a project are then columns of its row.
 */
function figureJoins(w: Window): SQL {
  return sql`left join project_annual_plans a on a.zone_id = projects.zone_id and a.project_id = projects.id and a.year = ${w.year}
        left join project_report_totals t on t.zone_id = projects.zone_id and t.project_id = projects.id and t.year = ${w.year}
        left join late on late.project_id = projects.id`;
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
  const materialize = await runsPastWindow(s, w);
  const lagging = laggingCondition(w);
  const where = query.lagging ? and(base, lagging)! : base;

  const phaseCounts = PROJECT_PHASES.map((p) => sql`, count(*) filter (where m.phase = ${p})::int as ${sql.identifier(`phase_${p}`)}`);
  const levelCounts = PROJECT_LEVELS.map((l) => sql`, count(*) filter (where m.level = ${l})::int as ${sql.identifier(`level_${l}`)}`);
  const plannedStartInYear = sql`projects.planned_start_on between ${w.from}::date and ${w.yearEnd}::date`;
  const plannedDoneByNow = sql`projects.planned_completion_on between ${w.from}::date and ${w.to}::date`;
  // One statement, one pass over the projects: each project's figures (the year's plan, the window's report sums
  // from project_report_totals — one row per project and year, not 1.2 M report rows — and whether it lags) are
  // worked out once in `measured`; the counts and sums, and the lagging list (largest gap first, with names), are
  // read from it.
  const [counts] = await queryRows<Record<string, unknown>>(
    s.db,
    sql`${lateCte(w, materialize)},
        measured as materialized (
          select projects.id, projects.code, projects.name, projects.phase, projects.level, projects.total_investment,
            projects.leader_user_id, projects.lead_unit_id, projects.command_id,
            ${plannedStartInYear} as start_planned,
            (${plannedStartInYear} and ${startedBy(w)}) as started,
            ${plannedDoneByNow} as done_planned,
            (${plannedDoneByNow} and projects.completed_on <= projects.planned_completion_on) as done_on_time,
            a.planned_investment as planned,
            ${windowSql(w, 'completed')} as completed,
            ${windowSql(w, 'funds')} as funds,
            coalesce(${lagging}, false) as lagging
          from projects
          ${figureJoins(w)}
          where ${where})
        select count(*)::int as n, round(coalesce(sum(m.total_investment), 0), 2)::text as total
          ${sql.join(phaseCounts, sql``)} ${sql.join(levelCounts, sql``)},
          count(*) filter (where m.start_planned)::int as start_den,
          count(*) filter (where m.started)::int as start_num,
          count(*) filter (where m.done_planned)::int as done_den,
          count(*) filter (where m.done_on_time)::int as done_num,
          round(coalesce(sum(m.planned), 0), 2)::text as planned,
          round(coalesce(sum(m.completed), 0), 2)::text as completed,
          round(coalesce(sum(m.funds), 0), 2)::text as funds,
          count(*) filter (where m.lagging)::int as lagging,
          (select coalesce(json_agg(x order by x.gap desc, x.code), '[]'::json) from (
            select l.id, l.code, l.name, l.planned::text as planned, round(l.completed, 2)::text as completed,
              lu.id as leader_id, lu.display_name as leader_name, un.id as unit_id, un.name as unit_name, cm.id as command_id, cm.name as command_name,
              l.planned * ${w.months} - l.completed * 12 as gap
            from measured l
            left join users lu on lu.zone_id = ${w.zoneId} and lu.id = l.leader_user_id
            left join units un on un.zone_id = ${w.zoneId} and un.id = l.lead_unit_id
            left join commands cm on cm.zone_id = ${w.zoneId} and cm.id = l.command_id
            where l.lagging
            order by gap desc, l.code
            limit ${LAGGING_LIMIT}) x) as lagging_rows
        from measured m`,
  );

  if (!counts) throw new Error('metrics query returned nothing');
  type LaggingRow = {
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
  };
  const laggingRows = (typeof counts.lagging_rows === 'string' ? JSON.parse(counts.lagging_rows) : counts.lagging_rows) as LaggingRow[];
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
