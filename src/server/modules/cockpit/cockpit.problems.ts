import { sql } from 'drizzle-orm';
import { addDays } from '../../../shared/days.ts';
import type { AppServices, Caller } from '../../context.ts';
import { queryRows, type Db } from '../../db/client.ts';
import type { Lang } from '../../i18n.ts';
import { isoWeek, mondayOf, problemMetrics, rankScore } from '../problems/metrics.service.ts';
import { problemScope } from '../problems/problems.policy.ts';
import { countProblems, problemFilterWhere } from '../problems/problems.repository.ts';
import { ratio } from '../projects/metrics.time.ts';

/**
 * The closed loop's counts for the cockpit, two ways that give the same numbers:
 *
 * - **from the summaries** (migration 0010: `problem_day_counts`, `problem_open_counts`, kept by triggers in every
 *   write of `problems`): a few hundred summary rows instead of a scan of the problems — what keeps the overview fast
 *   at a million problems (docs/performance-cockpit.md);
 * - **live**, from `problemMetrics` (problems/metrics.service.ts) and the list's own count: the proof the summaries
 *   are compared with in cockpit.test.ts, and what a database without them answers (the bench's BENCH_SUMMARIES=0).
 *
 * Both follow docs/api-problems.md "Metrics": open and lights as of today (the rule of `lightSql`); raised, closed,
 * on-time closure, returns and the weekly trend for the period; the unit ranking (比业绩) per lead unit with the
 * units below it, scored by `rankScore`, equal scores sharing a rank. The cockpit always looks at the whole zone (a
 * leader) or one HQ, so the scope is the zone and, when given, the HQ.
 */

export interface UnitRank {
  rank: number;
  unit: { id: string; name: string };
  score: string;
  onTimeRate: string | null;
  closedOnTime: number;
  closedWithDeadline: number;
  overdueOpen: number;
  returns: number;
}

export interface ProblemCounts {
  open: number;
  red: number;
  yellow: number;
  green: number;
  none: number;
  raised: number;
  closed: number;
  closedWithDeadline: number;
  closedOnTime: number;
  closedThisWeek: number;
  onTimeRate: string | null;
  ranking: UnitRank[];
  weeks: { week: string; from: string; to: string; raised: number; closed: number }[];
}

export interface CountsInput {
  from: string;
  to: string;
  today: string;
  commandId: string | undefined;
}

const ready = new WeakSet<object>();

/** Whether the database has the summaries (checked until they appear, then remembered). */
export async function summariesReady(db: Db): Promise<boolean> {
  if (ready.has(db)) return true;
  const [r] = await queryRows<{ ok: boolean }>(db, sql`select (to_regclass('problem_day_counts') is not null and to_regclass('problem_open_counts') is not null) as ok`);
  if (r?.ok) ready.add(db);
  return !!r?.ok;
}

export async function problemCounts(s: AppServices, caller: Caller, p: CountsInput, lang: Lang): Promise<ProblemCounts> {
  return (await summariesReady(s.db)) ? fromSummaries(s, caller, p) : live(s, caller, p, lang);
}

/** Monday-to-Sunday weeks of the period, each cut to the period. */
function weeksOf(from: string, to: string): { monday: string; week: string; from: string; to: string }[] {
  const out = [];
  for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) {
    const sunday = addDays(monday, 6);
    out.push({ monday, week: isoWeek(monday), from: monday < from ? from : monday, to: sunday > to ? to : sunday });
  }
  return out;
}

// ---------------------------------------------------------------- live

/** The counts computed live from the problems (problemMetrics and the list's count). */
export async function live(s: AppServices, caller: Caller, p: CountsInput, lang: Lang): Promise<ProblemCounts> {
  const m = await problemMetrics(s, caller, { from: p.from, to: p.to, ...(p.commandId ? { commandId: p.commandId } : {}) }, lang);
  const scope = await problemScope(s.db, caller);
  const where = await problemFilterWhere(
    s.db,
    caller.zoneId,
    scope,
    { state: ['closed'], closedFrom: mondayOf(p.today), closedTo: p.today, commandId: p.commandId ? [p.commandId] : undefined },
    p.today,
  );
  const t = m.totals;
  return {
    open: t.open.n,
    red: t.red.n,
    yellow: t.yellow.n,
    green: t.green.n,
    none: m.lights.none,
    raised: t.raised.n,
    closed: t.closed.n,
    closedWithDeadline: t.onTime.closedWithDeadline,
    closedOnTime: t.onTime.closedOnTime.n,
    closedThisWeek: await countProblems(s.db, where),
    onTimeRate: t.onTime.rate,
    ranking: m.ranking.items.map((r) => ({
      rank: r.rank,
      unit: r.unit,
      score: r.score,
      onTimeRate: r.onTime.rate,
      closedOnTime: r.onTime.closedOnTime.n,
      closedWithDeadline: r.onTime.closedWithDeadline,
      overdueOpen: r.overdueOpen.n,
      returns: r.returns.n,
    })),
    weeks: m.weekly.map((w) => ({ week: w.week, from: w.from, to: w.to, raised: w.raised.n, closed: w.closed.n })),
  };
}

// ---------------------------------------------------------------- from the summaries

interface UnitRow {
  open: number;
  red: number;
  raised: number;
  returns: number;
  closed: number;
  cwd: number;
  cot: number;
}

const ZERO: UnitRow = { open: 0, red: 0, raised: 0, returns: 0, closed: 0, cwd: 0, cot: 0 };
const add = (a: UnitRow, b: UnitRow): UnitRow => ({
  open: a.open + b.open,
  red: a.red + b.red,
  raised: a.raised + b.raised,
  returns: a.returns + b.returns,
  closed: a.closed + b.closed,
  cwd: a.cwd + b.cwd,
  cot: a.cot + b.cot,
});

/** The counts read from the summaries (migration 0010). */
export async function fromSummaries(s: AppServices, caller: Caller, p: CountsInput): Promise<ProblemCounts> {
  const zoneId = caller.zoneId;
  const hq = p.commandId ? sql`and command_id = ${p.commandId}::uuid` : sql``;
  const monday = mondayOf(p.today);
  // One snapshot for every figure.
  const { days, open, week, tree } = await s.db.transaction(
    async (tx) => {
      const days = await queryRows<{ g_unit: number; g_day: number; lead_unit_id: string | null; day: string | null; raised: number; returns: number; closed: number; cwd: number; cot: number }>(
        tx,
        sql`select grouping(lead_unit_id)::int as g_unit, grouping(day)::int as g_day, lead_unit_id, day::text as day,
              sum(raised)::int as raised, sum(returns)::int as returns, sum(closed)::int as closed,
              sum(closed_with_deadline)::int as cwd, sum(closed_on_time)::int as cot
            from problem_day_counts
            where zone_id = ${zoneId} and day between ${p.from}::date and ${p.to}::date ${hq}
            group by grouping sets ((), (lead_unit_id), (day))`,
      );
      // The light of every key, by the rule of lightSql (problems.repository.ts) for today.
      const open = await queryRows<{ lead_unit_id: string | null; light: 'red' | 'yellow' | 'green' | null; n: number }>(
        tx,
        sql`select lead_unit_id, light, sum(n)::int as n from (
              select lead_unit_id, n, case
                when deadline is null then null
                when coalesce(stopped_on, ${p.today}::date) > deadline then 'red'
                when reminded or coalesce(stopped_on, ${p.today}::date) >= warn_on then 'yellow'
                else 'green' end as light
              from problem_open_counts where zone_id = ${zoneId} and n <> 0 ${hq}) x
            group by lead_unit_id, light`,
      );
      const [week] = await queryRows<{ closed: number }>(
        tx,
        sql`select coalesce(sum(closed), 0)::int as closed from problem_day_counts where zone_id = ${zoneId} and day between ${monday}::date and ${p.today}::date ${hq}`,
      );
      const tree = await queryRows<{ id: string; parent_id: string | null; name: string; sort_order: number }>(
        tx,
        sql`select id, parent_id, name, sort_order from units where zone_id = ${zoneId}`,
      );
      return { days, open, week, tree };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );

  // Per lead unit (exact), and the totals.
  const exact = new Map<string, UnitRow>();
  const of = (id: string) => exact.get(id) ?? { ...ZERO };
  let total = { ...ZERO };
  const lights = { red: 0, yellow: 0, green: 0, none: 0 };
  for (const r of open) {
    const n = Number(r.n);
    const row = { ...ZERO, open: n, red: r.light === 'red' ? n : 0 };
    total = add(total, row);
    lights[r.light ?? 'none'] += n;
    if (r.lead_unit_id) exact.set(r.lead_unit_id, add(of(r.lead_unit_id), row));
  }
  const periodRow = (r: (typeof days)[number]): UnitRow => ({ ...ZERO, raised: Number(r.raised), returns: Number(r.returns), closed: Number(r.closed), cwd: Number(r.cwd), cot: Number(r.cot) });
  const byDay = new Map<string, UnitRow>();
  for (const r of days) {
    if (r.g_unit === 1 && r.g_day === 1) total = add(total, periodRow(r));
    else if (r.g_day === 1 && r.lead_unit_id) exact.set(r.lead_unit_id, add(of(r.lead_unit_id), periodRow(r)));
    else if (r.g_unit === 1 && r.day) byDay.set(r.day, periodRow(r));
  }
  // A unit counts when it leads anything open now, raised or closed in the period (as problemMetrics' rows).
  for (const [id, r] of exact) if (r.open === 0 && r.raised === 0 && r.closed === 0) exact.delete(id);

  // 比业绩, as problemMetrics ranks: each lead unit with the lead units below it, in the units' order.
  const info = new Map(tree.map((u) => [u.id, u]));
  const above = (id: string): string[] => {
    const out: string[] = [];
    for (let q = info.get(id)?.parent_id; q; q = info.get(q)?.parent_id) out.push(q);
    return out;
  };
  const rolled = new Map([...exact].map(([id, r]) => [id, { ...r }]));
  for (const [id, r] of exact) for (const a of above(id)) if (exact.has(a)) rolled.set(a, add(rolled.get(a)!, r));
  const units = [...rolled.keys()].sort((a, b) => (info.get(a)?.sort_order ?? 0) - (info.get(b)?.sort_order ?? 0) || a.localeCompare(b));
  const scored = units
    .map((id, i) => {
      const r = rolled.get(id)!;
      return { id, i, r, score: rankScore(r.cot, r.cwd, r.red, r.returns) };
    })
    .sort((a, b) => cmp(b.score, a.score) || a.i - b.i);
  const ranking = scored.map((x, i) => {
    let rank = i + 1;
    for (let j = i - 1; j >= 0 && cmp(scored[j]!.score, x.score) === 0; j--) rank = j + 1;
    return {
      rank,
      unit: { id: x.id, name: info.get(x.id)?.name ?? x.id },
      score: ratio(x.score.num, x.score.den, 2)!,
      onTimeRate: ratio(BigInt(x.r.cot), BigInt(x.r.cwd)),
      closedOnTime: x.r.cot,
      closedWithDeadline: x.r.cwd,
      overdueOpen: x.r.red,
      returns: x.r.returns,
    };
  });

  const weeks = weeksOf(p.from, p.to).map((w) => {
    let raised = 0;
    let closed = 0;
    for (let d = w.from; d <= w.to; d = addDays(d, 1)) {
      const r = byDay.get(d);
      if (r) {
        raised += r.raised;
        closed += r.closed;
      }
    }
    return { week: w.week, from: w.from, to: w.to, raised, closed };
  });

  return {
    open: total.open,
    red: lights.red,
    yellow: lights.yellow,
    green: lights.green,
    none: lights.none,
    raised: total.raised,
    closed: total.closed,
    closedWithDeadline: total.cwd,
    closedOnTime: total.cot,
    closedThisWeek: Number(week?.closed ?? 0),
    onTimeRate: ratio(BigInt(total.cot), BigInt(total.cwd)),
    ranking,
    weeks,
  };
}

function cmp(a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l === r ? 0 : l < r ? -1 : 1;
}
