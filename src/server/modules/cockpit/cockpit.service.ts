import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { addDays, shanghaiDay } from '../../../shared/days.ts';
import { OPEN_STATES } from '../../../shared/problem-flow.ts';
import { PROJECT_LEVELS, PROJECT_PHASES, type ProjectPhase } from '../../../shared/project-phase.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import { notFound } from '../../errors.ts';
import type { Lang } from '../../i18n.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { meetingReadWhere, meetingScope } from '../meetings/meetings.policy.ts';
import { meetingDecisions, meetings } from '../meetings/meetings.schema.ts';
import { indicatorsOverview } from '../indicators/indicators.service.ts';
import { commands, orgGroups } from '../org/org.schema.ts';
import { mondayOf, periodOf, RANK_FORMULA } from '../problems/metrics.service.ts';
import { problemScope } from '../problems/problems.policy.ts';
import { problemFilterWhere, selectProblems } from '../problems/problems.repository.ts';
import { workdaysLeft } from '../problems/problems.read.ts';
import { problems } from '../problems/problems.schema.ts';
import type { RateDto } from '../projects/metrics.api.ts';
import { ledgerMetrics } from '../projects/metrics.service.ts';
import { projectScope } from '../projects/projects.policy.ts';
import { projectFilterWhere } from '../projects/projects.repository.ts';
import { projects } from '../projects/projects.schema.ts';
import type { CockpitMapDto, CockpitOverviewDto, CockpitRateDto, CountDto } from './cockpit.api.ts';
import { problemCounts } from './cockpit.problems.ts';

/**
 * The leaders' cockpit (驾驶舱, issue 6). Nothing here is typed by hand: every figure is read from what units have
 * already entered (the ledger, the closed loop, the meetings, the economic indicators), through the functions the
 * module pages use — `ledgerMetrics` (projects/metrics.service.ts), the closed loop's counts (cockpit.problems.ts:
 * the summaries of migration 0010, or `problemMetrics` live), the problem list's own filter and select for the red
 * list, `indicatorsOverview` — so a figure here and on its list always agree.
 *
 * Scope: a zone leader sees the whole zone, or one HQ (`commandId`). HQ commanders and staff see one of their HQs
 * (`commandId`, default the first of theirs): all of its projects, problems and meetings. An HQ the caller may not
 * pick answers 404. Indicators are the zone's.
 *
 * Period [from, to] (default: 1 January of this year to today): problems raised / closed, the on-time closure rate,
 * the ranking and the weekly trend, meetings held and decisions made. Open problems, lights, "closed this week" and
 * open decisions are as of today. The ledger is measured for the year of asOf = min(to, today), as of asOf (序时进度).
 * Indicators: the month of `to` (the latest month up to it with a figure), else the zone's latest period before.
 *
 * Links: each figure's `link` is the web list (path + query, the list pages' own parameter names) holding exactly
 * what it counts. Some can only point near it, because the lists have no such filter: the four rates and the year's
 * investment (no planned-start / planned-completion filter on /projects: the link opens the year's ledger), and the
 * meeting figures (the meeting calendar shows a month or a week: the link opens it on the period's last month, or its
 * week, with `from`/`to` added for a future range view). The lagging list's `lagging=true` is computed by the list
 * as of today, so it matches when asOf is today or the year is past (the period presets).
 *
 * Briefings (point 4) call `cockpitOverview` for the same numbers.
 */

const RED_LIST = 10;
const LAGGING_LIST = 10;
const RANKING = 5;
const MAP_POINTS = 3000;

export interface CockpitInput {
  from?: string | undefined;
  to?: string | undefined;
  commandId?: string | undefined;
}

// ---------------------------------------------------------------- links

type Params = Record<string, string | readonly string[] | boolean | number | undefined>;

function link(path: string, params: Params): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    if (Array.isArray(v)) for (const one of v) sp.append(k, one);
    else sp.set(k, String(v));
  }
  const q = sp.toString();
  return q ? `${path}?${q}` : path;
}

/** The problem list (src/web/pages/problems: arrays as repeated keys, booleans as 'true'). */
export const problemsLink = (q: Params) => link('/problems', q);
/** The ledger (src/web/pages/projects/ledger.tsx: single values). */
export const projectsLink = (q: Params) => link('/projects', q);

/** The meeting calendar (src/web/pages/meetings/MeetingCalendarPage.tsx: view, date, body=c:<HQ>). */
function meetingsLink(from: string, to: string, body?: string): string {
  const sameWeek = mondayOf(from) === mondayOf(to);
  return link('/meetings', { view: sameWeek ? 'week' : undefined, date: to, body, from, to });
}

// ---------------------------------------------------------------- scope

/** The HQs the caller may narrow the cockpit to: every HQ of the zone for a leader, else their own. */
export async function cockpitCommands(s: AppServices, caller: Caller): Promise<{ id: string; name: string }[]> {
  const leader = hasRole(caller, 'zone_leader');
  const mine = hasRole(caller, 'hq_commander', 'hq_staff') ? caller.commandIds : [];
  if (!leader && mine.length === 0) return [];
  return s.db
    .select({ id: commands.id, name: commands.name })
    .from(commands)
    .where(and(eq(commands.zoneId, caller.zoneId), leader ? undefined : inArray(commands.id, mine)))
    .orderBy(asc(commands.sortOrder), asc(commands.name));
}

/**
 * The HQ the cockpit shows (undefined: the whole zone, leaders only) and the HQs the caller may pick. HQ people
 * always look at one of their HQs — the first when none is asked for — so their figures are their HQ's alone
 * (not also problems they raised elsewhere, which their lists show) and every link can name it.
 */
export async function cockpitCommand(s: AppServices, caller: Caller, commandId: string | undefined) {
  const list = await cockpitCommands(s, caller);
  if (commandId && !list.some((c) => c.id === commandId)) throw notFound();
  if (hasRole(caller, 'zone_leader')) return { commandId, list };
  const first = list[0];
  if (!first) throw notFound();
  return { commandId: commandId ?? first.id, list };
}

// ---------------------------------------------------------------- the overview

const count = (n: number | string, href: string): CountDto => ({ n: Number(n), link: href });

/**
 * The cockpit's figures for a period and optionally one HQ, scoped to the caller. A plain service function: the
 * route and the briefings call it alike.
 */
export async function cockpitOverview(s: AppServices, caller: Caller, input: CockpitInput, lang: Lang = 'zh-CN'): Promise<CockpitOverviewDto> {
  const today = shanghaiDay(s.now());
  const { from, to } = periodOf(today, input);
  const { commandId, list: commandList } = await cockpitCommand(s, caller, input.commandId);

  // The four sections read different tables: on PostgreSQL side by side (one pool connection each), on PGlite (one
  // connection) one after the other.
  const sections = [
    () => projectFigures(s, caller, { to, today, commandId }),
    () => problemFigures(s, caller, { from, to, today, commandId }, lang),
    () => meetingFigures(s, caller, { from, to, today, commandId }),
    () => indicatorFigures(s, caller, to, lang),
  ] as const;
  const concurrent = s.database.kind === 'postgres';
  const run = async <T>(f: () => Promise<T>, prior: Promise<unknown>): Promise<T> => (concurrent ? f() : prior.then(f));
  const p1 = run(sections[0], Promise.resolve());
  const p2 = run(sections[1], p1);
  const p3 = run(sections[2], p2);
  const p4 = run(sections[3], p3);
  const [projectsSection, problemsSection, meetingsSection, indicatorsSection] = await Promise.all([p1, p2, p3, p4]);

  return {
    from,
    to,
    today,
    commandId: commandId ?? null,
    commands: commandList,
    projects: projectsSection,
    problems: problemsSection,
    meetings: meetingsSection,
    indicators: indicatorsSection,
  };
}

// ---------------------------------------------------------------- projects

async function projectFigures(s: AppServices, caller: Caller, p: { to: string; today: string; commandId: string | undefined }) {
  const asOf = p.to < p.today ? p.to : p.today;
  const year = Number(asOf.slice(0, 4));
  const m = await ledgerMetrics(s, caller, { year, asOf, ...(p.commandId ? { commandId: p.commandId } : {}) });
  const cmd = p.commandId;
  const yearLink = projectsLink({ commandId: cmd, year: String(year) });
  const rate = (r: RateDto, href: string): CockpitRateDto => ({ ...r, link: href });
  return {
    year,
    asOf,
    timeElapsed: m.timeElapsed,
    count: count(m.projectCount, projectsLink({ commandId: cmd })),
    byPhase: PROJECT_PHASES.map((phase) => ({ phase, n: Number(m.byPhase[phase] ?? 0), link: projectsLink({ phase, commandId: cmd }) })),
    byLevel: PROJECT_LEVELS.map((level) => ({ level, n: Number(m.byLevel[level] ?? 0), link: projectsLink({ level, commandId: cmd }) })),
    totalInvestment: { value: m.totalInvestment, link: projectsLink({ commandId: cmd }) },
    yearPlannedInvestment: { value: m.yearPlannedInvestment, link: yearLink },
    yearCompletedInvestment: { value: m.yearCompletedInvestment, link: yearLink },
    yearFundsInPlace: { value: m.yearFundsInPlace, link: yearLink },
    rates: {
      start: rate(m.rates.start, yearLink),
      investment: rate(m.rates.investment, yearLink),
      funds: rate(m.rates.funds, yearLink),
      onTimeCompletion: rate(m.rates.onTimeCompletion, yearLink),
    },
    laggingCount: count(m.laggingCount, projectsLink({ lagging: 'true', year: String(year), commandId: cmd })),
    lagging: m.lagging.slice(0, LAGGING_LIST).map((l) => ({ ...l, link: `/projects/${l.project.id}` })),
  };
}

// ---------------------------------------------------------------- problems

async function problemFigures(s: AppServices, caller: Caller, p: { from: string; to: string; today: string; commandId: string | undefined }, lang: Lang) {
  const c = await problemCounts(s, caller, p, lang);

  // The red list through the list's own filter and select (problemFilterWhere, selectProblems): the first rows of the
  // overdue list. Red implies open with a deadline before today (a suspended problem's clock stopped earlier still):
  // said explicitly, so the open-deadline index serves it; the set is the same.
  const cmd = p.commandId ? [p.commandId] : undefined;
  const scope = await problemScope(s.db, caller);
  const redQuery = { overdue: true, commandId: cmd, sort: 'deadline' as const, order: 'asc' as const };
  const redWhere = await problemFilterWhere(s.db, caller.zoneId, scope, { ...redQuery, open: true, deadlineTo: addDays(p.today, -1) }, p.today);
  const redRows = await selectProblems(s.db, redWhere, redQuery, p.today, RED_LIST, 0);
  const cal = await loadCalendar(s.db, caller.zoneId);

  // Links: the problem list's own parameters (src/web/pages/problems), the HQ last.
  const base = p.commandId ? { commandId: [p.commandId] } : {};
  const pl = (q: Params) => problemsLink({ ...q, ...base });
  const period = { raisedFrom: p.from, raisedTo: p.to };
  const closedIn = { state: ['closed'], closedFrom: p.from, closedTo: p.to };
  const monday = mondayOf(p.today);
  const onTimeFormula = `按期办结率 = ${p.from}至${p.to}销号且有办理时限的问题中按期办结的数量 ÷ 这些问题的数量 = ${c.closedOnTime} ÷ ${c.closedWithDeadline}`;
  return {
    open: count(c.open, pl({ open: true })),
    overdue: count(c.red, pl({ overdue: true })),
    lights: { red: count(c.red, pl({ light: ['red'] })), yellow: count(c.yellow, pl({ light: ['yellow'] })), green: count(c.green, pl({ light: ['green'] })), none: c.none },
    raised: count(c.raised, pl(period)),
    closed: count(c.closed, pl(closedIn)),
    closedThisWeek: { ...count(c.closedThisWeek, pl({ state: ['closed'], closedFrom: monday, closedTo: p.today })), from: monday, to: p.today },
    onTime: {
      rate: c.onTimeRate,
      closedOnTime: count(c.closedOnTime, pl({ ...closedIn, late: false })),
      closedWithDeadline: count(c.closedWithDeadline, pl(closedIn)),
      formula: onTimeFormula,
    },
    ranking: {
      formula: RANK_FORMULA,
      items: c.ranking.slice(0, RANKING).map((r) => {
        const unit = { leadUnitId: [r.unit.id] };
        return {
          rank: r.rank,
          unit: r.unit,
          score: r.score,
          onTimeRate: r.onTimeRate,
          closedOnTime: count(r.closedOnTime, pl({ ...unit, ...closedIn, late: false })),
          closedWithDeadline: r.closedWithDeadline,
          overdueOpen: count(r.overdueOpen, pl({ ...unit, overdue: true })),
          returns: count(r.returns, pl({ ...unit, ...period, returned: true })),
          link: pl(unit),
        };
      }),
    },
    redList: redRows.map((r) => ({
      id: r.row.id,
      code: r.row.code,
      title: r.row.title,
      command: { id: r.row.commandId, name: r.commandName },
      leadUnit: r.row.leadUnitId ? { id: r.row.leadUnitId, name: r.leadUnitName ?? '' } : null,
      deadline: r.row.deadline,
      workdaysLeft: workdaysLeft(cal, r.row, p.today),
      supervisionLevel: r.row.supervisionLevel,
      link: `/problems/${r.row.id}`,
    })),
    weekly: c.weeks.map((w) => ({
      week: w.week,
      from: w.from,
      to: w.to,
      raised: count(w.raised, pl({ raisedFrom: w.from, raisedTo: w.to })),
      closed: count(w.closed, pl({ state: ['closed'], closedFrom: w.from, closedTo: w.to })),
    })),
  };
}

// ---------------------------------------------------------------- meetings

const OPEN_LIST = sql.raw(OPEN_STATES.map((x) => `'${x}'`).join(','));

async function meetingFigures(s: AppServices, caller: Caller, p: { from: string; to: string; today: string; commandId: string | undefined }) {
  const scope = await meetingScope(s.db, caller);
  const where = and(eq(meetings.zoneId, caller.zoneId), meetingReadWhere(scope), p.commandId ? eq(meetings.commandId, p.commandId) : undefined)!;
  return meetingSection(s, caller, p, where);
}

async function meetingSection(s: AppServices, caller: Caller, p: { from: string; to: string; commandId: string | undefined }, where: SQL) {
  const inPeriod = sql`${meetings.heldOn} between ${p.from}::date and ${p.to}::date`;
  const held = sql`${meetings.status} in ('held', 'minutes_issued')`;
  const rows = await s.db
    .select({
      commandId: meetings.commandId,
      groupId: meetings.groupId,
      held: sql<number>`count(distinct ${meetings.id}) filter (where ${held} and ${inPeriod})::int`,
      planned: sql<number>`count(distinct ${meetings.id}) filter (where ${meetings.status} = 'planned' and ${inPeriod})::int`,
      made: sql<number>`count(${meetingDecisions.id}) filter (where ${held} and ${inPeriod})::int`,
      open: sql<number>`count(${meetingDecisions.id}) filter (where ${meetingDecisions.taskStatus} = 'open' or ${problems.state} in (${OPEN_LIST}))::int`,
    })
    .from(meetings)
    .leftJoin(meetingDecisions, and(eq(meetingDecisions.zoneId, meetings.zoneId), eq(meetingDecisions.meetingId, meetings.id)))
    .leftJoin(problems, and(eq(problems.zoneId, meetingDecisions.zoneId), eq(problems.id, meetingDecisions.problemId)))
    .where(and(where, sql`${meetings.status} <> 'cancelled'`))
    .groupBy(meetings.commandId, meetings.groupId);

  const commandIds = rows.flatMap((r) => (r.commandId ? [r.commandId] : []));
  const groupIds = rows.flatMap((r) => (r.groupId ? [r.groupId] : []));
  const commandNames = new Map(
    commandIds.length
      ? (await s.db.select({ id: commands.id, name: commands.name, sort: commands.sortOrder }).from(commands).where(and(eq(commands.zoneId, caller.zoneId), inArray(commands.id, commandIds)))).map((c) => [c.id, c])
      : [],
  );
  const groupNames = new Map(
    groupIds.length
      ? (await s.db.select({ id: orgGroups.id, name: orgGroups.name }).from(orgGroups).where(and(eq(orgGroups.zoneId, caller.zoneId), inArray(orgGroups.id, groupIds)))).map((g) => [g.id, g])
      : [],
  );
  const body = p.commandId ? `c:${p.commandId}` : undefined;
  const sum = (k: 'held' | 'planned' | 'made' | 'open') => rows.reduce((a, r) => a + Number(r[k]), 0);
  const all = meetingsLink(p.from, p.to, body);
  const byBody = rows
    .map((r) => {
      const id = r.commandId ?? r.groupId!;
      const name = r.commandId ? (commandNames.get(id)?.name ?? '') : (groupNames.get(id)?.name ?? '');
      // Leading group first, then HQs in their order.
      const order = r.commandId ? (commandNames.get(id)?.sort ?? 0) + 1 : 0;
      return { order, body: { id, name }, held: count(r.held, meetingsLink(p.from, p.to, `${r.commandId ? 'c' : 'g'}:${id}`)), decisionsOpen: Number(r.open) };
    })
    .sort((a, b) => a.order - b.order || a.body.name.localeCompare(b.body.name, 'zh-CN'))
    .map(({ order: _o, ...rest }) => rest);
  return {
    held: count(sum('held'), all),
    planned: count(sum('planned'), all),
    decisionsMade: count(sum('made'), all),
    decisionsOpen: count(sum('open'), all),
    byBody,
  };
}

// ---------------------------------------------------------------- indicators

/**
 * 主要经济指标 from the indicators module (`indicatorsOverview`): for the month of `to` (the figures of the latest
 * month up to it, 1—N月 cumulative), or, when the zone has no figure that year yet, its latest period before.
 * Growth (同比) in percent and the zone's rank by growth among the city's districts.
 */
async function indicatorFigures(s: AppServices, caller: Caller, to: string, lang: Lang) {
  const year = Number(to.slice(0, 4));
  const month = Number(to.slice(5, 7));
  let o = await indicatorsOverview(s.db, caller.zoneId, { year, month }, s.now());
  const empty = !o.items.some((i) => i.value !== null || i.growth !== null);
  if (empty && o.latest && (o.latest.year < year || (o.latest.year === year && o.latest.month <= month))) {
    o = await indicatorsOverview(s.db, caller.zoneId, { year: o.latest.year, month: o.latest.month }, s.now());
  }
  const has = o.items.some((i) => i.value !== null || i.growth !== null);
  const href = link('/indicators', { year: o.year, month: o.month });
  return {
    available: has,
    note: has ? (lang === 'en' ? o.periodEn : o.period) : '主要经济指标暂无本期数据。',
    period: has ? o.period : null,
    link: href,
    items: o.items.map((i) => ({
      key: i.indicator.code,
      name: lang === 'en' && i.indicator.nameEn ? i.indicator.nameEn : i.indicator.name,
      value: i.value,
      unit: i.indicator.unit,
      yoy: i.growth,
      rank: i.growthRank.rank,
      of: i.growthRank.of,
      period: i.period,
      link: href,
    })),
  };
}

// ---------------------------------------------------------------- the map (big screen)

/** Project locations for the big screen's map: in scope, with coordinates, the largest investments first. */
export async function cockpitMap(s: AppServices, caller: Caller, input: { commandId?: string | undefined }): Promise<CockpitMapDto> {
  const { commandId } = await cockpitCommand(s, caller, input.commandId);
  const scope = await projectScope(s.db, caller);
  const base = await projectFilterWhere(s.db, caller.zoneId, scope, commandId ? { commandId } : {});
  const where = and(base, isNotNull(projects.longitude), isNotNull(projects.latitude))!;
  const rows = await s.db
    .select({
      id: projects.id,
      code: projects.code,
      name: projects.name,
      phase: projects.phase,
      longitude: projects.longitude,
      latitude: projects.latitude,
      totalInvestment: projects.totalInvestment,
    })
    .from(projects)
    .where(where)
    .orderBy(desc(projects.totalInvestment), asc(projects.code))
    .limit(MAP_POINTS);
  const [total] = await s.db.select({ n: sql<number>`count(*)::int` }).from(projects).where(where);
  return {
    boundary: '/geo/qibu-zone.geojson',
    tileUrl: s.config.mapTileUrl ?? null,
    total: Number(total?.n ?? 0),
    points: rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      phase: r.phase as ProjectPhase,
      longitude: Number(r.longitude),
      latitude: Number(r.latitude),
      totalInvestment: r.totalInvestment,
    })),
  };
}
