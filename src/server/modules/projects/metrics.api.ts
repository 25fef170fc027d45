import { Type, type Static } from 'typebox';
import { PROJECT_LEVELS, PROJECT_PHASES } from '../../../shared/project-phase.ts';
import { DateString, Nullable, Strict } from '../../../shared/schema.ts';
import { Ref } from '../org/org.api.ts';
import { ProjectGanttQuery } from './projects.dto.ts';

/**
 * Ledger metrics (docs/api-projects.md "Ledger metrics"). The query is the list's filters (and its sort, ignored)
 * plus `asOf`. Every figure is exact: counts as integers, money as yuan decimal strings, rates as numerator ÷
 * denominator to 4 decimals (null when the denominator is 0).
 */
export const MetricsQuery = Strict({
  ...ProjectGanttQuery.properties,
  asOf: Type.Optional(DateString),
});
export type MetricsQueryInput = Static<typeof MetricsQuery>;

const Money = Type.String({ description: 'yuan, decimal string' });

export const Rate = Type.Object({
  numerator: Type.String({ description: 'a count, or yuan' }),
  denominator: Type.String({ description: 'a count, or yuan' }),
  rate: Nullable(Type.String({ description: 'numerator / denominator, 4 decimals ("0.8125"); null when the denominator is 0' })),
  formula: Type.String({ description: 'zh-CN' }),
});

const countsOf = (keys: readonly string[]) => Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])));

export const LaggingProject = Type.Object({
  project: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  leader: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  leadUnit: Nullable(Ref),
  command: Nullable(Ref),
  yearPlannedInvestment: Money,
  expectedByNow: Money,
  yearCompletedInvestment: Money,
  gap: Money,
});

export const Metrics = Type.Object({
  year: Type.Integer(),
  asOf: Type.String(),
  timeElapsed: Type.String({ description: 'months elapsed / 12 as of asOf (序时), 4 decimals' }),
  projectCount: Type.Integer(),
  totalInvestment: Money,
  byPhase: countsOf(PROJECT_PHASES),
  byLevel: countsOf(PROJECT_LEVELS),
  rates: Type.Object({ start: Rate, investment: Rate, funds: Rate, onTimeCompletion: Rate }),
  yearPlannedInvestment: Money,
  yearCompletedInvestment: Money,
  yearFundsInPlace: Money,
  lagging: Type.Array(LaggingProject, { description: 'the largest gaps first, at most 200' }),
  laggingCount: Type.Integer({ description: 'every lagging project, also beyond the 200 listed' }),
});
export type MetricsDto = Static<typeof Metrics>;
export type RateDto = Static<typeof Rate>;
