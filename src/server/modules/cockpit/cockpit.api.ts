import { Type, type Static } from 'typebox';
import { PROJECT_LEVELS, PROJECT_PHASES } from '../../../shared/project-phase.ts';
import { DateString, Id, Nullable, Strict } from '../../../shared/schema.ts';

/**
 * The leaders' cockpit (驾驶舱, issue 6): one overview of the ledger, the closed loop and the meetings, for a period
 * and optionally one HQ, scoped to what the caller may see. Every figure is exact (counts as integers, money as yuan
 * decimal strings, rates as 4-decimal strings) and carries `link`: the web path and query of the list that holds
 * exactly what it counts (cockpit.service.ts names the few that can only point near it).
 */
export const CockpitQuery = Strict({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  commandId: Type.Optional(Id),
});
export type CockpitQueryInput = Static<typeof CockpitQuery>;

const Link = Type.String({ description: 'web path + query of the list behind the figure, e.g. /problems?overdue=true&commandId=…' });
const Money = Type.String({ description: 'yuan, decimal string with two decimals' });
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const Count = Type.Object({ n: Type.Integer(), link: Link });
export type CountDto = Static<typeof Count>;
export const Amount = Type.Object({ value: Money, link: Link });
export type AmountDto = Static<typeof Amount>;

export const CockpitRate = Type.Object({
  numerator: Type.String({ description: 'a count, or yuan' }),
  denominator: Type.String({ description: 'a count, or yuan' }),
  rate: Nullable(Type.String({ description: '4 decimals ("0.8125"); null when the denominator is 0' })),
  formula: Type.String({ description: 'zh-CN' }),
  link: Link,
});
export type CockpitRateDto = Static<typeof CockpitRate>;

const ProjectsSection = Type.Object({
  year: Type.Integer({ description: 'the year of asOf' }),
  asOf: Type.String({ description: 'min(to, today): the ledger is measured as of this day (序时)' }),
  timeElapsed: Type.String({ description: 'months of the year elapsed by asOf ÷ 12, 4 decimals (序时进度)' }),
  count: Count,
  byPhase: Type.Array(Type.Object({ phase: Type.Enum(PROJECT_PHASES), n: Type.Integer(), link: Link })),
  byLevel: Type.Array(Type.Object({ level: Type.Enum(PROJECT_LEVELS), n: Type.Integer(), link: Link })),
  totalInvestment: Amount,
  yearPlannedInvestment: Amount,
  yearCompletedInvestment: Amount,
  yearFundsInPlace: Amount,
  rates: Type.Object({ start: CockpitRate, investment: CockpitRate, funds: CockpitRate, onTimeCompletion: CockpitRate }),
  laggingCount: Count,
  lagging: Type.Array(
    Type.Object({
      project: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
      leader: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
      leadUnit: Nullable(Ref),
      command: Nullable(Ref),
      yearPlannedInvestment: Money,
      expectedByNow: Money,
      yearCompletedInvestment: Money,
      gap: Money,
      link: Link,
    }),
    { description: 'the 10 largest gaps against the time-proportional plan' },
  ),
});

const Week = Type.Object({ week: Type.String({ description: 'ISO week, 2026-W05' }), from: Type.String(), to: Type.String(), raised: Count, closed: Count });

const ProblemsSection = Type.Object({
  open: Count,
  overdue: Type.Object(Count.properties, { description: 'open and red today (超期)' }),
  lights: Type.Object({ red: Count, yellow: Count, green: Count, none: Type.Integer({ description: 'open without a deadline yet' }) }),
  raised: Type.Object(Count.properties, { description: 'raised in the period' }),
  closed: Type.Object(Count.properties, { description: 'closed (销号) in the period' }),
  closedThisWeek: Type.Object({ ...Count.properties, from: Type.String(), to: Type.String() }, { description: 'closed from this Monday to today' }),
  onTime: Type.Object({
    rate: Nullable(Type.String({ description: 'closedOnTime ÷ closedWithDeadline, 4 decimals; null when none' })),
    closedOnTime: Count,
    closedWithDeadline: Count,
    formula: Type.String(),
  }),
  ranking: Type.Object({
    formula: Type.Object({ zh: Type.String(), en: Type.String() }),
    items: Type.Array(
      Type.Object({
        rank: Type.Integer(),
        unit: Ref,
        score: Type.String({ description: 'two decimals' }),
        onTimeRate: Nullable(Type.String()),
        closedOnTime: Count,
        closedWithDeadline: Type.Integer(),
        overdueOpen: Count,
        returns: Count,
        link: Link,
      }),
      { description: 'the 5 best lead units (比业绩)' },
    ),
  }),
  redList: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      title: Type.String(),
      command: Ref,
      leadUnit: Nullable(Ref),
      deadline: Nullable(Type.String()),
      workdaysLeft: Nullable(Type.Integer({ description: 'negative: working days overdue' })),
      supervisionLevel: Type.Integer(),
      link: Link,
    }),
    { description: 'the 10 most overdue (earliest deadline first), as the overdue list sorts them' },
  ),
  weekly: Type.Array(Week),
});

const MeetingsSection = Type.Object({
  held: Type.Object(Count.properties, { description: 'held (or minutes issued) in the period' }),
  planned: Type.Object(Count.properties, { description: 'still planned, dated in the period' }),
  decisionsMade: Type.Object(Count.properties, { description: 'decisions of the meetings held in the period' }),
  decisionsOpen: Type.Object(Count.properties, { description: 'decisions not yet done (open problem or open task), of any date' }),
  byBody: Type.Array(Type.Object({ body: Ref, held: Count, decisionsOpen: Type.Integer() }), { description: 'per HQ / leading group' }),
});

const IndicatorsSection = Type.Object({
  available: Type.Boolean({ description: 'false when the zone has no indicator figures up to `to`' }),
  note: Type.String({ description: 'the period shown (2023年1-5月), or why there is none' }),
  period: Nullable(Type.String()),
  link: Link,
  items: Type.Array(
    Type.Object({
      key: Type.String({ description: 'indicator code' }),
      name: Type.String(),
      value: Nullable(Type.String({ description: 'cumulative value in `unit`' })),
      unit: Nullable(Type.String()),
      yoy: Nullable(Type.String({ description: 'year-on-year growth in percent, 2 decimals ("11.57")' })),
      rank: Nullable(Type.Integer({ description: "the zone's rank by growth among the city's districts (1 = highest)" })),
      of: Type.Integer({ description: 'districts ranked' }),
      period: Nullable(Type.String({ description: 'the month the figure is for (GDP is quarterly)' })),
      link: Link,
    }),
  ),
});

export const CockpitOverview = Type.Object({
  from: Type.String(),
  to: Type.String(),
  today: Type.String({ description: 'open counts and lights are as of this day (Asia/Shanghai)' }),
  commandId: Nullable(Type.String()),
  commands: Type.Array(Ref, { description: 'the HQs the caller may narrow the cockpit to' }),
  projects: ProjectsSection,
  problems: ProblemsSection,
  meetings: MeetingsSection,
  indicators: IndicatorsSection,
});
export type CockpitOverviewDto = Static<typeof CockpitOverview>;

export const CockpitMapQuery = Strict({ commandId: Type.Optional(Id) });
export type CockpitMapQueryInput = Static<typeof CockpitMapQuery>;

export const CockpitMap = Type.Object({
  boundary: Type.String({ description: 'URL of the zone boundary and cluster outlines (GeoJSON)' }),
  tileUrl: Nullable(Type.String({ description: 'QIBU_MAP_TILE_URL: an XYZ tile template, when the deployment has one' })),
  total: Type.Integer({ description: 'projects in scope with a location' }),
  points: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      name: Type.String(),
      phase: Type.Enum(PROJECT_PHASES),
      longitude: Type.Number(),
      latitude: Type.Number(),
      totalInvestment: Money,
    }),
    { description: 'the largest investments first, at most 3000' },
  ),
});
export type CockpitMapDto = Static<typeof CockpitMap>;
