import { Type, type Static } from 'typebox';
import { Id, Nullable, Strict, Text, VersionField } from '../../../shared/schema.ts';

/**
 * Economic indicators (docs/api-indicators.md). Figures are decimal strings, never numbers: cumulative values
 * with up to 4 decimals in the indicator's unit, growths in percent with 2 decimals ("11.57" = 11.57%).
 */

export const VALUE_PATTERN = '^\\d{1,16}(\\.\\d{1,4})?$';
export const GROWTH_PATTERN = '^-?\\d{1,5}(\\.\\d{1,2})?$';

const Value = Type.String({ pattern: VALUE_PATTERN, description: 'cumulative value in the indicator’s unit, ≥ 0, up to 4 decimals' });
const Growth = Type.String({ pattern: GROWTH_PATTERN, description: 'year-on-year growth in percent, up to 2 decimals ("11.57")' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const Month = Type.Integer({ minimum: 1, maximum: 12, description: 'the cumulative period is January to this month (1—N月)' });

export const PeriodQuery = Strict({ year: Type.Optional(Year), month: Type.Optional(Month) });
export type PeriodQueryInput = Static<typeof PeriodQuery>;
export const ValuesQuery = Strict({ year: Year, month: Month });

// Definitions ------------------------------------------------------------------------------------------------------

export const DISTRICT_KINDS = ['self', 'district', 'city'] as const;
export type DistrictKind = (typeof DISTRICT_KINDS)[number];

export const Indicator = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  unit: Type.String(),
  publishesValue: Type.Boolean({ description: 'false: the bureau publishes only the growth' }),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type IndicatorDto = Static<typeof Indicator>;

export const District = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Enum(DISTRICT_KINDS, { description: 'self: the zone; city: the city as a whole (not ranked); district: the others' }),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type DistrictDto = Static<typeof District>;

export const Definitions = Type.Object({
  indicators: Type.Array(Indicator),
  districts: Type.Array(District),
  can: Type.Object({ edit: Type.Boolean({ description: 'may enter figures, import and edit these lists' }) }),
});

const SortOrder = Type.Integer({ minimum: 0, maximum: 1_000_000 });
export const IndicatorCreate = Strict({
  code: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$', description: 'never changes' }),
  name: Text(50, 1),
  nameEn: Type.Optional(Nullable(Text(100))),
  unit: Text(20, 1),
  publishesValue: Type.Optional(Type.Boolean()),
  sortOrder: Type.Optional(SortOrder),
});
export const IndicatorPatch = Strict({
  ...VersionField,
  name: Type.Optional(Text(50, 1)),
  nameEn: Type.Optional(Nullable(Text(100))),
  unit: Type.Optional(Text(20, 1)),
  publishesValue: Type.Optional(Type.Boolean()),
  sortOrder: Type.Optional(SortOrder),
  active: Type.Optional(Type.Boolean()),
});
export type IndicatorCreateInput = Static<typeof IndicatorCreate>;
export type IndicatorPatchInput = Static<typeof IndicatorPatch>;

export const DistrictCreate = Strict({
  name: Text(30, 1),
  kind: Type.Optional(Type.Enum(DISTRICT_KINDS)),
  sortOrder: Type.Optional(SortOrder),
});
export const DistrictPatch = Strict({
  ...VersionField,
  name: Type.Optional(Text(30, 1)),
  kind: Type.Optional(Type.Enum(DISTRICT_KINDS)),
  sortOrder: Type.Optional(SortOrder),
  active: Type.Optional(Type.Boolean()),
});
export type DistrictCreateInput = Static<typeof DistrictCreate>;
export type DistrictPatchInput = Static<typeof DistrictPatch>;
export const IdParams = Strict({ id: Id });

// Figures ----------------------------------------------------------------------------------------------------------

export const Figure = Type.Object({
  id: Type.String(),
  indicatorId: Type.String(),
  districtId: Type.String(),
  year: Type.Integer(),
  month: Type.Integer(),
  value: Nullable(Type.String()),
  growth: Nullable(Type.String()),
  growthSource: Nullable(Type.Union([Type.Literal('entered'), Type.Literal('computed')])),
  source: Type.Union([Type.Literal('manual'), Type.Literal('import')]),
  updatedBy: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  updatedAt: Type.String(),
  version: Type.Integer(),
});
export type FigureDto = Static<typeof Figure>;
export const FigureList = Type.Object({ year: Type.Integer(), month: Type.Integer(), period: Type.String(), items: Type.Array(Figure) });

export const EntryItem = Strict({
  indicatorId: Id,
  districtId: Id,
  year: Year,
  month: Month,
  value: Type.Optional(Nullable(Value)),
  growth: Type.Optional(Nullable(Growth)),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'the version of the figure edited; omitted for a new one' })),
});
export const EntryBody = Strict({
  entries: Type.Array(EntryItem, {
    minItems: 1,
    maxItems: 500,
    description:
      'each entry states the whole figure: a value and/or a growth; without a growth it is computed from last year’s value of the same period when there is one; neither deletes the figure',
  }),
});
export type EntryInput = Static<typeof EntryItem>;
export const EntryResult = Type.Object({
  saved: Type.Array(Figure),
  deleted: Type.Integer(),
  recomputed: Type.Integer({ description: 'figures of other periods whose computed growth changed with these' }),
});

// Overview ---------------------------------------------------------------------------------------------------------

const Rank = Type.Object({
  rank: Nullable(Type.Integer({ description: '1 = highest; ties share a rank; null when the zone has no figure' })),
  of: Type.Integer({ description: 'districts (the zone included, the city not) with a figure' }),
  missing: Type.Integer({ description: 'active districts without a figure, left out of the ranking' }),
});

const DistrictFigure = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Enum(DISTRICT_KINDS),
  value: Nullable(Type.String()),
  growth: Nullable(Type.String()),
  growthSource: Nullable(Type.String()),
  growthRank: Nullable(Type.Integer()),
  valueRank: Nullable(Type.Integer()),
});

const SeriesPoint = Type.Object({
  month: Type.Integer(),
  period: Type.String(),
  value: Nullable(Type.String()),
  growth: Nullable(Type.String()),
  growthRank: Nullable(Type.Integer()),
  cityGrowth: Nullable(Type.String()),
});

export const OverviewItem = Type.Object({
  indicator: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), unit: Type.String(), publishesValue: Type.Boolean() }),
  month: Nullable(Type.Integer({ description: 'the month the figures are for: the latest ≤ the one asked with a figure of the zone (GDP is quarterly)' })),
  period: Nullable(Type.String()),
  value: Nullable(Type.String()),
  growth: Nullable(Type.String()),
  growthSource: Nullable(Type.String()),
  growthRank: Rank,
  valueRank: Nullable(Rank),
  city: Nullable(Type.Object({ value: Nullable(Type.String()), growth: Nullable(Type.String()) })),
  series: Type.Array(SeriesPoint, { description: 'months 1..month asked of the year' }),
  districts: Type.Array(DistrictFigure, { description: 'the city, the zone and every active district, in list order, at `month`' }),
});

export const Overview = Type.Object({
  year: Type.Integer(),
  month: Type.Integer(),
  period: Type.String({ description: '2023年1-5月' }),
  periodEn: Type.String(),
  latest: Nullable(Type.Object({ year: Type.Integer(), month: Type.Integer() }, { description: 'the latest period with a figure of the zone' })),
  self: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  districtCount: Type.Integer({ description: 'active districts ranked (the zone included)' }),
  items: Type.Array(OverviewItem),
  can: Type.Object({ edit: Type.Boolean() }),
});
export type OverviewDto = Static<typeof Overview>;
export type OverviewItemDto = Static<typeof OverviewItem>;

// Import -----------------------------------------------------------------------------------------------------------

export const ImportQuery = Strict({
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'check only, write nothing' })),
  applyValid: Type.Optional(Type.Boolean({ default: false, description: 'write the valid figures even when some cells are bad' })),
});
export const ImportErrorItem = Type.Object({
  sheet: Type.String(),
  row: Type.Integer({ description: '0: the sheet as a whole' }),
  column: Type.String({ description: 'column letter ("C"); "" for the sheet or row as a whole' }),
  header: Type.String({ description: 'what the column is ("历下区 本期累计")' }),
  value: Type.String(),
  message: Type.String(),
});
export const ImportReport = Type.Object({
  layout: Nullable(Type.Union([Type.Literal('wide'), Type.Literal('long'), Type.Literal('mixed')])),
  sheets: Type.Array(Type.Object({ name: Type.String(), layout: Type.Union([Type.Literal('wide'), Type.Literal('long'), Type.Literal('skipped')]), period: Nullable(Type.String()), figures: Type.Integer() })),
  figures: Type.Integer({ description: 'figures read (one per indicator, district and period)' }),
  valid: Type.Integer(),
  invalid: Type.Integer(),
  errorCount: Type.Integer({ description: 'all bad cells; `errors` lists the first 200' }),
  errors: Type.Array(ImportErrorItem),
  dryRun: Type.Boolean(),
  applied: Nullable(
    Type.Object(
      { created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), recomputed: Type.Integer() },
      { description: 'null: nothing was written (a dry run, bad cells without applyValid, or no valid figure)' },
    ),
  ),
});
export type ImportReportDto = Static<typeof ImportReport>;
