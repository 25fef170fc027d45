import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { addDays, daysBetween, isValidDay, shanghaiDay, weekday } from '../../../shared/days.ts';
import { OPEN_STATES, type Light } from '../../../shared/problem-flow.ts';
import type { AppServices, Caller } from '../../context.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { fieldError } from '../../errors.ts';
import type { Lang } from '../../i18n.ts';
import { commands } from '../org/org.schema.ts';
import { unitSubtreeIds } from '../org/org.policy.ts';
import { ratio } from '../projects/metrics.time.ts';
import type { FigureDto, GroupRowDto, ListQueryDto, ProblemMetricsDto, ProblemMetricsQueryInput } from './metrics.api.ts';
import { problemReadWhere, problemScope } from './problems.policy.ts';
import { lightSql } from './problems.repository.ts';
import { problems } from './problems.schema.ts';

/**
 * Closed-loop metrics (docs/api-problems.md "Metrics", issue 4 point 10), over the problems the caller may read
 * (problemScope + problemReadWhere, as the list), narrowed by `commandId` / `leadUnitId` (a unit and its sub-units).
 *
 * Two kinds of figure:
 * - **now** (as of today, Asia/Shanghai, by `s.now()`): open (state not closed/merged), and the lights red / yellow
 *   / green (the same rule as `lightOf` in problem-flow.ts, in SQL: `lightSql` of problems.repository.ts);
 * - **in the period** [from, to] (default: 1 January of this year to today): raised (raised_on in the period),
 *   closed (state closed and closed_on in the period), on-time closure rate (closed in the period with
 *   closed_on_time ÷ closed in the period with a deadline), median working days to close (of the problems closed in
 *   the period), returns (退回: Σ return_count of the problems raised in the period).
 *
 * Every figure carries the GET /api/problems query whose list holds exactly the problems counted. Two queries: one
 * scan with GROUPING SETS for the totals and the three breakdowns, one for the weekly trend.
 */

/** 比业绩: score = 100 × on-time closure rate − 5 × overdue open − 2 × returns, per lead unit. */
export const RANK_WEIGHTS = { onTimeRate: 100, overdueOpen: 5, returns: 2 } as const;

export const RANK_FORMULA = {
  zh:
    `得分 = ${RANK_WEIGHTS.onTimeRate} × 按期办结率 − ${RANK_WEIGHTS.overdueOpen} × 超期未办结数 − ${RANK_WEIGHTS.returns} × 退回次数（按牵头单位计，含其下级单位）。` +
    '按期办结率 = 本期销号且有办理时限的问题中按期办结的比例，本期无此类问题时该项计 0 分；超期未办结数 = 当前红灯问题数；' +
    '退回次数 = 本期提报的问题被核验退回重办的次数之和。得分相同名次相同。',
  en:
    `Score = ${RANK_WEIGHTS.onTimeRate} × on-time closure rate − ${RANK_WEIGHTS.overdueOpen} × overdue open − ${RANK_WEIGHTS.returns} × returns (per lead unit, with the units below it). ` +
    'On-time closure rate: of the problems closed in the period with a deadline, the share closed on time (0 points when there are none); ' +
    'overdue open: problems red today; returns: times the problems raised in the period were returned for rework. Equal scores share a rank.',
};

export const DEFINITIONS = {
  zh:
    '未办结、红黄绿灯为今日实时数；提报、销号、按期办结率、办结用时中位数、退回次数为统计期内数。' +
    '提报 = 提报日期在期内（含后来并单的）；销号 = 已销号且销号日期在期内；按期办结率 = 期内销号且有时限的问题中，办结申请不晚于截止日期的比例；' +
    '办结用时 = 从提报日到销号日的工作日数（取中位数）；退回次数 = 期内提报的问题被退回重办次数之和。' +
    '周趋势：按自然周（周一至周日）统计提报数、销号数，以及当前超期未办结问题按截止日期所在周分布。点击任一数字可查看对应的问题清单。',
  en:
    'Open and the lights are as of today; raised, closed, on-time rate, median days to close and returns are for the period. ' +
    'Raised: raised in the period (merged ones included); closed: closed, with the closing day in the period; on-time rate: of those closed in the period with a deadline, ' +
    'the share whose resolution was submitted by the deadline; days to close: working days from the day raised to the day closed (median); ' +
    'returns: times the problems raised in the period were returned for rework. Weekly trend (Monday–Sunday): raised, closed, and ' +
    'the problems overdue today by the week their deadline fell in. Click any figure for the list behind it.',
};

const MAX_PERIOD_DAYS = 3700;

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** The Monday of a day's ISO week. */
export function mondayOf(day: string): string {
  return addDays(day, -((weekday(day) + 6) % 7));
}

/** ISO week label of a Monday: 2026-W05. */
export function isoWeek(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The period: default 1 January of `to`'s year (this year) to today. */
export function periodOf(today: string, input: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  for (const k of ['from', 'to'] as const) {
    const v = input[k];
    if (v !== undefined && !isValidDay(v)) throw fieldError(k, 'field.format', { format: 'YYYY-MM-DD' });
  }
  const to = input.to ?? (input.from && input.from > today ? input.from : today);
  const from = input.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw fieldError('to', 'field.date_range');
  if (from < '2000-01-01') throw fieldError('from', 'field.minimum', { limit: '2000-01-01' });
  if (daysBetween(from, to) > MAX_PERIOD_DAYS) throw fieldError('from', 'field.period_too_long', { max: 10 });
  return { from, to };
}

interface AggRow {
  g_unit: number;
  g_command: number;
  g_category: number;
  lead_unit_id: string | null;
  command_id: string | null;
  category: string | null;
  open: number;
  red: number;
  yellow: number;
  green: number;
  raised: number;
  returns: number;
  closed: number;
  closed_dl: number;
  closed_ot: number;
  closed_late: number;
  median_n: number;
  median: string | null;
  /** workdays_to_close → problems closed in the period. */
  histogram?: Map<number, number> | undefined;
}

/**
 * The exact median of a histogram (value → count): the middle value, or the mean of the two middle ones, with one
 * decimal ("7.0", "7.5"); null when empty.
 */
export function medianOfHistogram(h: ReadonlyMap<number, number>): string | null {
  const values = [...h.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = values.reduce((a, [, c]) => a + c, 0);
  if (n === 0) return null;
  const at = (pos: number) => {
    let seen = 0;
    for (const [v, c] of values) {
      seen += c;
      if (seen >= pos) return v;
    }
    throw new Error('unreachable');
  };
  const twice = n % 2 === 1 ? 2 * at((n + 1) / 2) : at(n / 2) + at(n / 2 + 1);
  return `${Math.floor(twice / 2)}.${twice % 2 === 1 ? 5 : 0}`;
}

/** The fraction a unit scores (exact): numerator / denominator, denominator > 0. */
export function rankScore(closedOnTime: number, closedWithDeadline: number, overdueOpen: number, returns: number): { num: bigint; den: bigint } {
  const penalty = BigInt(RANK_WEIGHTS.overdueOpen * overdueOpen + RANK_WEIGHTS.returns * returns);
  if (closedWithDeadline === 0) return { num: -penalty, den: 1n };
  const d = BigInt(closedWithDeadline);
  return { num: BigInt(RANK_WEIGHTS.onTimeRate) * BigInt(closedOnTime) - penalty * d, den: d };
}

const cmp = (a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }) => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l === r ? 0 : l < r ? -1 : 1;
};

export async function problemMetrics(s: AppServices, caller: Caller, input: ProblemMetricsQueryInput, lang: Lang = 'zh-CN'): Promise<ProblemMetricsDto> {
  const today = shanghaiDay(s.now());
  const period = periodOf(today, input);
  // One snapshot for every figure; no JIT (compiling the aggregate costs seconds and saves nothing at this size), and
  // room for the median's sort in memory.
  return s.db.transaction(
    async (tx) => {
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local work_mem = '64MB'`);
      return computeMetrics(tx, caller, input, lang, today, period);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

async function computeMetrics(
  db: Db,
  caller: Caller,
  input: ProblemMetricsQueryInput,
  lang: Lang,
  today: string,
  { from, to }: { from: string; to: string },
): Promise<ProblemMetricsDto> {
  const zoneId = caller.zoneId;

  const scope = await problemScope(db, caller);
  // The metrics read every problem open or dated in the period: the scope as a row filter on that pass is cheaper
  // than probing the scope's id sets (street staff at 1 M problems: 3.0 s → 1.0 s, docs/performance-problems.md).
  const parts: (SQL | undefined)[] = [eq(problems.zoneId, zoneId), problemReadWhere(scope, 'rows')];
  if (input.commandId) {
    const [c] = await db.select({ id: commands.id }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, input.commandId)));
    if (!c) throw fieldError('commandId', 'field.not_found');
    parts.push(eq(problems.commandId, input.commandId));
  }
  if (input.leadUnitId) {
    const ids = await unitSubtreeIds(db, zoneId, [input.leadUnitId]);
    if (ids.length === 0) throw fieldError('leadUnitId', 'field.not_found');
    parts.push(inArray(problems.leadUnitId, ids));
  }
  const where = and(...parts)!;

  const raisedIn = sql`${problems.raisedOn} between ${from}::date and ${to}::date`;
  const closedIn = sql`(${problems.state} = 'closed' and ${problems.closedOn} between ${from}::date and ${to}::date)`;
  const isOpen = sql`${problems.state} in (${list(OPEN_STATES)})`;

  // One pass over the problems that count for anything (open now, raised or closed in the period) gives every
  // figure: the counts for the totals, the three breakdowns and the three weekly series, and for the medians the
  // histogram of workdays_to_close of the problems closed in the period (exact medians are read off it here).
  // Plain aggregates only, so the grouping sets are hashed in the same pass (no sort). Weeks are numbered from
  // Monday 1970-01-05 (week n starts on that day + 7n).
  const week = (col: SQL) => sql`((${col} - date '1970-01-05') / 7)`;
  type Counted = AggRow & { g_rw: number; g_cw: number; g_dw: number; g_wd: number; rw: number | null; cw: number | null; dw: number | null; wd: number | null };
  const counted = await queryRows<Counted>(
    db,
    sql`with p as (
          select lead_unit_id, command_id, category, is_open, raised_in, closed_in, has_deadline, on_time, return_count, light,
                 case when raised_in then ${week(sql`raised_on`)} end as rw,
                 case when closed_in then ${week(sql`closed_on`)} end as cw,
                 case when light = 'red' and deadline between ${from}::date and ${to}::date then ${week(sql`deadline`)} end as dw,
                 case when closed_in then workdays_to_close end as wd
          from (
            select ${problems.leadUnitId} as lead_unit_id, ${problems.commandId} as command_id, ${problems.category} as category,
                   ${isOpen} as is_open, ${raisedIn} as raised_in, ${closedIn} as closed_in,
                   ${problems.deadline} is not null as has_deadline, ${problems.closedOnTime} as on_time,
                   ${problems.returnCount} as return_count, ${lightSql(today)} as light, ${problems.workdaysToClose} as workdays_to_close,
                   ${problems.raisedOn} as raised_on, ${problems.closedOn} as closed_on, ${problems.deadline} as deadline
            from ${problems}
            where ${where} and (${isOpen} or ${raisedIn} or ${closedIn})
          ) x
        )
        select grouping(lead_unit_id)::int as g_unit, grouping(command_id)::int as g_command, grouping(category)::int as g_category,
               grouping(rw)::int as g_rw, grouping(cw)::int as g_cw, grouping(dw)::int as g_dw, grouping(wd)::int as g_wd,
               lead_unit_id, command_id, category, rw, cw, dw, wd,
               count(*) filter (where is_open)::int as open,
               count(*) filter (where light = 'red')::int as red,
               count(*) filter (where light = 'yellow')::int as yellow,
               count(*) filter (where light = 'green')::int as green,
               count(*) filter (where raised_in)::int as raised,
               coalesce(sum(return_count) filter (where raised_in), 0)::int as returns,
               count(*) filter (where closed_in)::int as closed,
               count(*) filter (where closed_in and has_deadline)::int as closed_dl,
               count(*) filter (where closed_in and has_deadline and on_time)::int as closed_ot,
               count(*) filter (where closed_in and on_time = false)::int as closed_late
        from p
        group by grouping sets ((), (lead_unit_id), (command_id), (category), (rw), (cw), (dw), (wd), (lead_unit_id, wd), (command_id, wd), (category, wd))`,
  );
  // Histograms of workdays_to_close (closed in the period): total, by unit, HQ and category.
  const groupKey = (r: Counted) => (r.g_unit === 0 ? `u:${r.lead_unit_id}` : r.g_command === 0 ? `c:${r.command_id}` : r.g_category === 0 ? `k:${r.category}` : 'total');
  const histograms = new Map<string, Map<number, number>>();
  for (const r of counted) {
    if (r.g_wd !== 0 || r.wd === null || r.g_rw === 0 || r.g_cw === 0 || r.g_dw === 0) continue;
    const key = groupKey(r);
    const h = histograms.get(key) ?? new Map<number, number>();
    h.set(Number(r.wd), (h.get(Number(r.wd)) ?? 0) + Number(r.closed));
    histograms.set(key, h);
  }
  const isWeekRow = (r: Counted) => r.g_rw === 0 || r.g_cw === 0 || r.g_dw === 0 || r.g_wd === 0;
  const rows: AggRow[] = counted
    .filter((r) => !isWeekRow(r))
    .map((r) => {
      const h = histograms.get(groupKey(r));
      return { ...r, median: h ? medianOfHistogram(h) : null, median_n: h ? [...h.values()].reduce((a, b) => a + b, 0) : 0, histogram: h };
    });
  const weekRows: { k: 'raised' | 'closed' | 'red'; wk: string; n: number }[] = [];
  const mondayOfWeek = (n: number) => addDays('1970-01-05', 7 * Number(n));
  for (const r of counted) {
    if (r.g_rw === 0 && r.rw !== null) weekRows.push({ k: 'raised', wk: mondayOfWeek(r.rw), n: r.raised });
    if (r.g_cw === 0 && r.cw !== null) weekRows.push({ k: 'closed', wk: mondayOfWeek(r.cw), n: r.closed });
    if (r.g_dw === 0 && r.dw !== null) weekRows.push({ k: 'red', wk: mondayOfWeek(r.dw), n: r.red });
  }

  // Names of the units, HQs and categories that appear.
  const unitIds = [...new Set(rows.filter((r) => r.g_unit === 0 && r.lead_unit_id).map((r) => r.lead_unit_id!))];
  const commandIds = [...new Set(rows.filter((r) => r.g_command === 0).map((r) => r.command_id!))];
  // The zone's unit tree (small): names, order, and which lead units sit below another one.
  const unitTree = unitIds.length
    ? await queryRows<{ id: string; parent_id: string | null; name: string; sort_order: number }>(
        db,
        sql`select id, parent_id, name, sort_order from units where zone_id = ${zoneId}`,
      )
    : [];
  const commandNames = commandIds.length
    ? await queryRows<{ id: string; name: string; sort_order: number }>(
        db,
        sql`select id, name, sort_order from commands where zone_id = ${zoneId} and id in (${sql.join(
          commandIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      )
    : [];
  const categoryNames = await queryRows<{ code: string; label: string; label_en: string | null; sort_order: number }>(
    db,
    sql`select code, label, label_en, sort_order from dictionary_entries where zone_id = ${zoneId} and dictionary = 'problem_category'`,
  );

  // ---- presenting: every figure with its list query ----
  const base: ListQueryDto = {};
  if (input.commandId) base.commandId = [input.commandId];
  if (input.leadUnitId) base.leadUnitId = [input.leadUnitId];
  const q = (extra: ListQueryDto, scopeOf: ListQueryDto = base): ListQueryDto => ({ ...scopeOf, ...extra });
  const fig = (n: number, query: ListQueryDto): FigureDto => ({ n, query });
  const raisedQ: ListQueryDto = { raisedFrom: from, raisedTo: to };
  const closedQ: ListQueryDto = { state: ['closed'], closedFrom: from, closedTo: to };

  const figuresOf = (r: AggRow | undefined, scopeOf: ListQueryDto) => {
    const v = (k: keyof AggRow) => Number(r?.[k] ?? 0);
    return {
      open: fig(v('open'), q({ state: [...OPEN_STATES] }, scopeOf)),
      red: fig(v('red'), q({ light: ['red'] }, scopeOf)),
      yellow: fig(v('yellow'), q({ light: ['yellow'] }, scopeOf)),
      green: fig(v('green'), q({ light: ['green'] }, scopeOf)),
      raised: fig(v('raised'), q(raisedQ, scopeOf)),
      closed: fig(v('closed'), q(closedQ, scopeOf)),
      onTime: {
        closedOnTime: fig(v('closed_ot'), q({ ...closedQ, late: false }, scopeOf)),
        closedLate: fig(v('closed_late'), q({ ...closedQ, late: true }, scopeOf)),
        closedWithDeadline: v('closed_dl'),
        rate: ratio(BigInt(v('closed_ot')), BigInt(v('closed_dl'))),
        query: q(closedQ, scopeOf),
      },
      medianWorkdaysToClose: { value: r?.median ?? null, count: v('median_n'), query: q(closedQ, scopeOf) },
      returns: fig(v('returns'), q({ ...raisedQ, returned: true }, scopeOf)),
    };
  };

  const total = rows.find((r) => r.g_unit === 1 && r.g_command === 1 && r.g_category === 1);
  const totals = figuresOf(total, base);

  // By lead unit, as the list's leadUnitId filter means it: the unit and the units below it. A unit that has lead
  // units below it gets their counts added (and its median recomputed over them), so its figures are still exactly
  // its list; without nesting (the usual case) every problem is in one row.
  const unitInfo = new Map(unitTree.map((u) => [u.id, u]));
  const exact = new Map(rows.filter((r) => r.g_unit === 0 && r.lead_unit_id).map((r) => [r.lead_unit_id!, r]));
  const above = (id: string): string[] => {
    const out: string[] = [];
    for (let p = unitInfo.get(id)?.parent_id; p; p = unitInfo.get(p)?.parent_id) out.push(p);
    return out;
  };
  const below = new Map<string, string[]>();
  for (const id of exact.keys()) for (const a of above(id)) if (exact.has(a)) below.set(a, [...(below.get(a) ?? []), id]);
  const ADDITIVE = ['open', 'red', 'yellow', 'green', 'raised', 'returns', 'closed', 'closed_dl', 'closed_ot', 'closed_late', 'median_n'] as const;
  const rolled = new Map<string, AggRow>();
  for (const [id, subs] of below) {
    const r: AggRow = { ...exact.get(id)! };
    for (const sub of subs) for (const k of ADDITIVE) r[k] = Number(r[k]) + Number(exact.get(sub)![k]);
    const h = new Map<number, number>();
    for (const u of [id, ...subs]) for (const [v, c] of exact.get(u)!.histogram ?? []) h.set(v, (h.get(v) ?? 0) + c);
    r.histogram = h;
    r.median = medianOfHistogram(h);
    rolled.set(id, r);
  }
  const byUnit: GroupRowDto[] = [...exact.keys()]
    .sort((a, b) => (unitInfo.get(a)?.sort_order ?? 0) - (unitInfo.get(b)?.sort_order ?? 0) || a.localeCompare(b))
    .map((id) => ({ key: { id, name: unitInfo.get(id)?.name ?? id }, ...figuresOf(rolled.get(id) ?? exact.get(id), { ...base, leadUnitId: [id] }) }));

  const commandInfo = new Map(commandNames.map((c) => [c.id, c]));
  const byCommand: GroupRowDto[] = rows
    .filter((r) => r.g_command === 0)
    .sort((a, b) => (commandInfo.get(a.command_id!)?.sort_order ?? 0) - (commandInfo.get(b.command_id!)?.sort_order ?? 0))
    .map((r) => ({ key: { id: r.command_id!, name: commandInfo.get(r.command_id!)?.name ?? r.command_id! }, ...figuresOf(r, { ...base, commandId: [r.command_id!] }) }));

  const categoryInfo = new Map(categoryNames.map((c) => [c.code, c]));
  const byCategory: GroupRowDto[] = rows
    .filter((r) => r.g_category === 0)
    .sort((a, b) => (categoryInfo.get(a.category!)?.sort_order ?? 1e9) - (categoryInfo.get(b.category!)?.sort_order ?? 1e9) || a.category!.localeCompare(b.category!))
    .map((r) => {
      const c = categoryInfo.get(r.category!);
      const name = c ? (lang === 'en' && c.label_en ? c.label_en : c.label) : r.category!;
      return { key: { id: r.category!, name }, ...figuresOf(r, { ...base, category: [r.category!] }) };
    });

  // ---- 比业绩 ----
  const scored = byUnit
    .map((u, i) => ({ u, i, score: rankScore(u.onTime.closedOnTime.n, u.onTime.closedWithDeadline, u.red.n, u.returns.n) }))
    .sort((a, b) => cmp(b.score, a.score) || a.i - b.i);
  const items = scored.map((x, i) => {
    let rank = i + 1;
    for (let j = i - 1; j >= 0 && cmp(scored[j]!.score, x.score) === 0; j--) rank = j + 1;
    return { rank, unit: x.u.key, score: ratio(x.score.num, x.score.den, 2)!, onTime: x.u.onTime, overdueOpen: x.u.red, returns: x.u.returns };
  });

  // ---- weekly ----
  const byWeek = new Map(weekRows.map((w) => [`${w.k}:${w.wk}`, Number(w.n)]));
  const weekly = [];
  for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) {
    const wFrom = monday < from ? from : monday;
    const sunday = addDays(monday, 6);
    const wTo = sunday > to ? to : sunday;
    weekly.push({
      week: isoWeek(monday),
      from: wFrom,
      to: wTo,
      raised: fig(byWeek.get(`raised:${monday}`) ?? 0, q({ raisedFrom: wFrom, raisedTo: wTo })),
      closed: fig(byWeek.get(`closed:${monday}`) ?? 0, q({ state: ['closed'], closedFrom: wFrom, closedTo: wTo })),
      overdueOpen: fig(byWeek.get(`red:${monday}`) ?? 0, q({ light: ['red'], deadlineFrom: wFrom, deadlineTo: wTo })),
    });
  }

  const lit = (l: Light) => totals[l];
  return {
    from,
    to,
    today,
    commandId: input.commandId ?? null,
    leadUnitId: input.leadUnitId ?? null,
    totals,
    lights: { red: lit('red'), yellow: lit('yellow'), green: lit('green'), none: totals.open.n - totals.red.n - totals.yellow.n - totals.green.n },
    byUnit,
    byCommand,
    byCategory,
    ranking: { formula: RANK_FORMULA, weights: { ...RANK_WEIGHTS }, items },
    weekly,
    definitions: DEFINITIONS,
  };
}
