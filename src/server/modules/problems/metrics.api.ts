import { Type, type Static } from 'typebox';
import { DateString, Id, Nullable, Strict } from '../../../shared/schema.ts';

/**
 * Closed-loop metrics (docs/api-problems.md "Metrics"). Every figure is exact (counts as integers, rates and
 * medians as decimal strings) and carries `query`: the GET /api/problems query (arrays = repeated keys) whose list
 * holds exactly the problems counted (for a rate or a median: the problems it is computed over).
 */
export const ProblemMetricsQuery = Strict({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  commandId: Type.Optional(Id),
  leadUnitId: Type.Optional(Type.String({ format: 'uuid', description: 'a unit and its sub-units, as in the list' })),
});
export type ProblemMetricsQueryInput = Static<typeof ProblemMetricsQuery>;

const Strings = Type.Array(Type.String());

/** The subset of the GET /api/problems query the figures use. */
export const ListQuery = Type.Object(
  {
    state: Type.Optional(Strings),
    light: Type.Optional(Strings),
    commandId: Type.Optional(Strings),
    leadUnitId: Type.Optional(Strings),
    category: Type.Optional(Strings),
    raisedFrom: Type.Optional(Type.String()),
    raisedTo: Type.Optional(Type.String()),
    closedFrom: Type.Optional(Type.String()),
    closedTo: Type.Optional(Type.String()),
    deadlineFrom: Type.Optional(Type.String()),
    deadlineTo: Type.Optional(Type.String()),
    late: Type.Optional(Type.Boolean()),
    returned: Type.Optional(Type.Boolean()),
  },
  { description: 'GET /api/problems query reproducing the figure' },
);
export type ListQueryDto = Static<typeof ListQuery>;

export const Figure = Type.Object({ n: Type.Integer(), query: ListQuery });
export type FigureDto = Static<typeof Figure>;

export const OnTime = Type.Object({
  closedOnTime: Type.Object(Figure.properties, { description: 'closed in the period, on time (closed_on_time)' }),
  closedLate: Type.Object(Figure.properties, { description: 'closed in the period, late' }),
  closedWithDeadline: Type.Integer({ description: 'closed in the period with a deadline (the denominator)' }),
  rate: Nullable(Type.String({ description: 'closedOnTime / closedWithDeadline to 4 decimals ("0.8125"); null when 0 closed' })),
  query: Type.Object(ListQuery.properties, { description: 'the problems closed in the period' }),
});

export const Median = Type.Object({
  value: Nullable(Type.String({ description: 'working days, one decimal ("7.0", "7.5"): the middle value, or the mean of the two middle ones' })),
  count: Type.Integer({ description: 'problems it is the median of' }),
  query: ListQuery,
});

const Figures = {
  open: Figure,
  red: Figure,
  yellow: Figure,
  green: Figure,
  raised: Figure,
  closed: Figure,
  onTime: OnTime,
  medianWorkdaysToClose: Median,
  returns: Type.Object(Figure.properties, { description: 'Σ return_count of the problems raised in the period; query: those with a return' }),
};

export const GroupRow = Type.Object({
  key: Type.Object({ id: Type.String({ description: 'unit or HQ id; the category code' }), name: Type.String() }),
  ...Figures,
});
export type GroupRowDto = Static<typeof GroupRow>;

export const RankItem = Type.Object({
  rank: Type.Integer({ description: '1 = best; equal scores share a rank (1, 2, 2, 4)' }),
  unit: Type.Object({ id: Type.String(), name: Type.String() }),
  score: Type.String({ description: 'two decimals, rounded half up from the exact value' }),
  onTime: OnTime,
  overdueOpen: Figure,
  returns: Figure,
});

export const Week = Type.Object({
  week: Type.String({ description: 'ISO week, 2026-W05 (Monday to Sunday, Asia/Shanghai)' }),
  from: Type.String({ description: 'first day of the week inside the period' }),
  to: Type.String({ description: 'last day of the week inside the period' }),
  raised: Figure,
  closed: Figure,
  overdueOpen: Type.Object(Figure.properties, { description: 'open and red today, whose deadline fell in this week' }),
});

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

export const ProblemMetrics = Type.Object({
  from: Type.String(),
  to: Type.String(),
  today: Type.String({ description: 'lights and open counts are as of this day (Asia/Shanghai)' }),
  commandId: Nullable(Type.String()),
  leadUnitId: Nullable(Type.String()),
  totals: Type.Object(Figures),
  lights: Type.Object({ red: Figure, yellow: Figure, green: Figure, none: Type.Integer({ description: 'open without a deadline yet (no light)' }) }),
  byUnit: Type.Array(GroupRow, {
    description: 'by lead unit, including the units below it (as the list filter leadUnitId); unassigned problems are in the totals only',
  }),
  byCommand: Type.Array(GroupRow),
  byCategory: Type.Array(GroupRow),
  ranking: Type.Object({
    formula: Bilingual,
    weights: Type.Object({ onTimeRate: Type.Integer(), overdueOpen: Type.Integer(), returns: Type.Integer() }),
    items: Type.Array(RankItem),
  }),
  weekly: Type.Array(Week),
  definitions: Bilingual,
});
export type ProblemMetricsDto = Static<typeof ProblemMetrics>;
