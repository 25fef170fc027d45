import { Type, type Static } from 'typebox';
import { PROBLEM_PRIORITIES } from '../../../shared/problem-flow.ts';
import { Id, Nullable, Strict, Text, VersionField } from '../../../shared/schema.ts';
import { Ref } from '../org/org.api.ts';

/**
 * Schemas of the monthly progress reports (docs/api-projects.md "Monthly progress reports"). Money is a yuan
 * decimal string; the cumulative figures are sums of the reports up to and including the month, never typed.
 */
export const MONTH_PATTERN = '^20\\d{2}-(0[1-9]|1[0-2])$';
export const Month = Type.String({ pattern: MONTH_PATTERN, description: 'YYYY-MM (Asia/Shanghai)' });
/** A non-negative amount in yuan with at most two decimals. */
export const Amount = Type.String({ pattern: '^\\d{1,16}(\\.\\d{1,2})?$', description: 'yuan, decimal string ("1250000.00")' });
export const Money = Type.String({ description: 'yuan, decimal string with two decimals' });

export const Person = Type.Object({ id: Type.String(), displayName: Type.String() });

export const Report = Type.Object({
  id: Type.String(),
  month: Type.String({ description: 'YYYY-MM' }),
  completedInvestment: Money,
  fundsInPlace: Money,
  cumulativeInvestment: Money,
  cumulativeFundsInPlace: Money,
  progress: Type.String(),
  unit: Nullable(Ref),
  reportedBy: Nullable(Person),
  createdAt: Type.String(),
  version: Type.Integer(),
  /** Problems raised from this report (the closed loop tracks them). */
  problems: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), title: Type.String(), state: Type.String() })),
  can: Type.Object({ update: Type.Boolean() }),
});
export type ReportDto = Static<typeof Report>;
export const ReportList = Type.Object({ items: Type.Array(Report) });

export const ReportCreate = Strict({
  month: Month,
  completedInvestment: Amount,
  fundsInPlace: Amount,
  progress: Text(4000, 1),
  /** Obstacles met this month: each becomes a problem of the closed loop (source = this report), for the HQ to assign. */
  problems: Type.Optional(
    Type.Array(
      Strict({ title: Text(200, 1), description: Type.Optional(Nullable(Text(5000))), category: Text(50, 1), priority: Type.Optional(Type.Enum(PROBLEM_PRIORITIES)) }),
      { maxItems: 5 },
    ),
  ),
});
export type ReportCreateInput = Static<typeof ReportCreate>;

export const ReportPatch = Strict({
  ...VersionField,
  completedInvestment: Type.Optional(Amount),
  fundsInPlace: Type.Optional(Amount),
  progress: Type.Optional(Text(4000, 1)),
});
export type ReportPatchInput = Static<typeof ReportPatch>;

export const ProjectIdParams = Strict({ id: Id });
export const ReportIdParams = Strict({ id: Id, reportId: Id });

export const MissingQuery = Strict({ month: Type.Optional(Month) });
export const MissingReports = Type.Object({
  month: Type.String(),
  items: Type.Array(
    Type.Object({
      unit: Ref,
      projects: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
    }),
  ),
});
export type MissingReportsDto = Static<typeof MissingReports>;
