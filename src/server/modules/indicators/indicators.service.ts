import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, fieldError, notFound, type FieldProblem } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { translateDbError, type ConstraintFields } from '../org/org.errors.ts';
import { shanghaiDate } from '../projects/projects.schedule.ts';
import type {
  DistrictCreateInput,
  DistrictDto,
  DistrictKind,
  DistrictPatchInput,
  EntryInput,
  FigureDto,
  IndicatorCreateInput,
  IndicatorDto,
  IndicatorPatchInput,
  OverviewDto,
  OverviewItemDto,
  PeriodQueryInput,
} from './indicators.api.ts';
import { keyOf, loadNames, presentFigures, writeFigures, type FigureRow, type FigureWrite } from './indicators.figures.ts';
import { canEditIndicators } from './indicators.policy.ts';
import { periodLabel, periodLabelEn, rankDescending, trimDecimal } from './indicators.rules.ts';
import { indicatorDistricts, indicators, indicatorValues } from './indicators.schema.ts';

/**
 * Economic indicators (docs/api-indicators.md): the lists (indicators, districts), the overview of a period with
 * ranks, and manual entry. The import is in indicators.import.ts; writing figures in indicators.figures.ts.
 */

type IndicatorRow = typeof indicators.$inferSelect;
type DistrictRow = typeof indicatorDistricts.$inferSelect;

// Periods ------------------------------------------------------------------------------------------------------------

/** The month now in Asia/Shanghai: figures for a later period cannot exist yet. */
export function currentPeriod(now: Date): { year: number; month: number } {
  const day = shanghaiDate(now);
  return { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)) };
}

export function isFuture(year: number, month: number, now: Date): boolean {
  const c = currentPeriod(now);
  return year > c.year || (year === c.year && month > c.month);
}

/** The latest period (year, month) with a figure of the zone itself, optionally within a year. */
async function latestSelfPeriod(db: Db, zoneId: string, year?: number): Promise<{ year: number; month: number } | null> {
  const [row] = await db
    .select({ year: indicatorValues.year, month: indicatorValues.month })
    .from(indicatorValues)
    .innerJoin(indicatorDistricts, and(eq(indicatorDistricts.zoneId, indicatorValues.zoneId), eq(indicatorDistricts.id, indicatorValues.districtId)))
    .where(and(eq(indicatorValues.zoneId, zoneId), eq(indicatorDistricts.kind, 'self'), year === undefined ? undefined : eq(indicatorValues.year, year)))
    .orderBy(desc(indicatorValues.year), desc(indicatorValues.month))
    .limit(1);
  return row ?? null;
}

/**
 * The period a request means: both given → that one; a year alone → its latest month with a figure of the zone (else
 * December, or the current month of this year); nothing → the latest period with a figure of the zone, else last
 * month.
 */
export async function resolvePeriod(db: Db, zoneId: string, q: PeriodQueryInput, now: Date): Promise<{ year: number; month: number }> {
  if (q.year !== undefined && q.month !== undefined) return { year: q.year, month: q.month };
  const current = currentPeriod(now);
  if (q.year !== undefined) {
    const latest = await latestSelfPeriod(db, zoneId, q.year);
    if (latest) return latest;
    return { year: q.year, month: q.year === current.year ? current.month : 12 };
  }
  const latest = await latestSelfPeriod(db, zoneId);
  if (latest) return { year: latest.year, month: q.month ?? latest.month };
  return current.month === 1 ? { year: current.year - 1, month: 12 } : { year: current.year, month: current.month - 1 };
}

// Overview -----------------------------------------------------------------------------------------------------------

function rankOf(districts: DistrictRow[], figureOf: (d: DistrictRow) => string | null, selfId: string | null) {
  const ranked = districts.filter((d) => d.kind !== 'city');
  const figures = ranked.map(figureOf);
  const ranks = rankDescending(figures);
  const selfIndex = ranked.findIndex((d) => d.id === selfId);
  const of = figures.filter((f) => f !== null).length;
  return {
    byId: new Map(ranked.map((d, i) => [d.id, ranks[i] ?? null])),
    self: { rank: selfIndex >= 0 ? (ranks[selfIndex] ?? null) : null, of, missing: ranked.length - of },
  };
}

export interface OverviewPeriod {
  year?: number | undefined;
  month?: number | undefined;
}

/**
 * The indicators table of a period for a zone: what `GET /api/indicators` answers (and the cockpit shows). For each
 * active indicator: the zone's value and growth for 1—N月 (or the latest month before with a figure of the zone: GDP
 * is published quarterly), the months 1..N of the year for a chart, and every active district's figures with the
 * zone's rank by growth (and by value when values are published). Ranks: 1 = highest, ties share a rank, districts
 * without a figure are left out and counted in `missing`; the city as a whole is shown, never ranked.
 */
export async function indicatorsOverview(db: Db, zoneId: string, period: OverviewPeriod = {}, now: Date = new Date()): Promise<Omit<OverviewDto, 'can'>> {
  const { year, month } = await resolvePeriod(db, zoneId, period, now);
  const [inds, dists, figures, latest] = await Promise.all([
    db
      .select()
      .from(indicators)
      .where(and(eq(indicators.zoneId, zoneId), eq(indicators.active, true)))
      .orderBy(asc(indicators.sortOrder), asc(indicators.code)),
    db
      .select()
      .from(indicatorDistricts)
      .where(and(eq(indicatorDistricts.zoneId, zoneId), eq(indicatorDistricts.active, true)))
      .orderBy(asc(indicatorDistricts.sortOrder), asc(indicatorDistricts.name)),
    db
      .select()
      .from(indicatorValues)
      .where(and(eq(indicatorValues.zoneId, zoneId), eq(indicatorValues.year, year), lte(indicatorValues.month, month))),
    latestSelfPeriod(db, zoneId),
  ]);
  const self = dists.find((d) => d.kind === 'self') ?? null;
  const city = dists.find((d) => d.kind === 'city') ?? null;
  const byKey = new Map(figures.map((f) => [keyOf(f), f]));
  const fig = (indicatorId: string, districtId: string | undefined, m: number): FigureRow | undefined =>
    districtId === undefined ? undefined : byKey.get(keyOf({ indicatorId, districtId, year, month: m }));
  const trimmed = (v: string | null | undefined) => (v == null ? null : trimDecimal(v));

  const items: OverviewItemDto[] = inds.map((ind) => {
    // The month shown: the latest ≤ month with a figure of the zone, else with any figure, else none.
    const months = Array.from({ length: month }, (_, i) => month - i);
    const shown =
      months.find((m) => fig(ind.id, self?.id, m) !== undefined) ?? months.find((m) => dists.some((d) => fig(ind.id, d.id, m) !== undefined)) ?? null;
    const at = (d: DistrictRow | null, m: number | null) => (d && m !== null ? fig(ind.id, d.id, m) : undefined);
    const growthRanks = rankOf(dists, (d) => at(d, shown)?.growth ?? null, self?.id ?? null);
    const valueRanks = ind.publishesValue ? rankOf(dists, (d) => at(d, shown)?.value ?? null, self?.id ?? null) : null;
    const own = at(self, shown);
    const cityFigure = at(city, shown);
    return {
      indicator: { id: ind.id, code: ind.code, name: ind.name, nameEn: ind.nameEn, unit: ind.unit, publishesValue: ind.publishesValue },
      month: shown,
      period: shown === null ? null : periodLabel(year, shown),
      value: trimmed(own?.value),
      growth: own?.growth ?? null,
      growthSource: own?.growthSource ?? null,
      growthRank: growthRanks.self,
      valueRank: valueRanks?.self ?? null,
      city: city ? { value: trimmed(cityFigure?.value), growth: cityFigure?.growth ?? null } : null,
      series: Array.from({ length: month }, (_, i) => {
        const m = i + 1;
        const f = at(self, m);
        return {
          month: m,
          period: periodLabel(year, m),
          value: trimmed(f?.value),
          growth: f?.growth ?? null,
          growthRank: f?.growth != null ? rankOf(dists, (d) => at(d, m)?.growth ?? null, self?.id ?? null).self.rank : null,
          cityGrowth: at(city, m)?.growth ?? null,
        };
      }),
      districts: dists.map((d) => {
        const f = at(d, shown);
        return {
          id: d.id,
          name: d.name,
          kind: d.kind as DistrictKind,
          value: trimmed(f?.value),
          growth: f?.growth ?? null,
          growthSource: f?.growthSource ?? null,
          growthRank: growthRanks.byId.get(d.id) ?? null,
          valueRank: valueRanks?.byId.get(d.id) ?? null,
        };
      }),
    };
  });
  return {
    year,
    month,
    period: periodLabel(year, month),
    periodEn: periodLabelEn(year, month),
    latest,
    self: self ? { id: self.id, name: self.name } : null,
    districtCount: dists.filter((d) => d.kind !== 'city').length,
    items,
  };
}

export async function overview(s: AppServices, caller: Caller, q: PeriodQueryInput): Promise<OverviewDto> {
  return { ...(await indicatorsOverview(s.db, caller.zoneId, q, s.now())), can: { edit: canEditIndicators(caller) } };
}

/** Every figure of one period (all indicators and districts, inactive ones included), with versions, for editing. */
export async function listFigures(s: AppServices, caller: Caller, q: { year: number; month: number }): Promise<{ year: number; month: number; period: string; items: FigureDto[] }> {
  const rows = await s.db
    .select()
    .from(indicatorValues)
    .where(and(eq(indicatorValues.zoneId, caller.zoneId), eq(indicatorValues.year, q.year), eq(indicatorValues.month, q.month)));
  return { year: q.year, month: q.month, period: periodLabel(q.year, q.month), items: await presentFigures(s.db, caller.zoneId, rows) };
}

// Manual entry -------------------------------------------------------------------------------------------------------

/**
 * Saves figures typed in (one or several, all or none): each entry states the whole figure (value and/or growth;
 * a growth left out is computed from last year's value when there is one; neither deletes it). A figure that exists
 * must carry its version (409 otherwise, naming who changed it last). Audited per figure, before and after.
 */
export async function saveEntries(
  s: AppServices,
  caller: Caller,
  entries: EntryInput[],
): Promise<{ saved: FigureDto[]; deleted: number; recomputed: number }> {
  const { zoneId } = caller;
  const [inds, dists] = await Promise.all([
    s.db.select().from(indicators).where(eq(indicators.zoneId, zoneId)),
    s.db.select().from(indicatorDistricts).where(eq(indicatorDistricts.zoneId, zoneId)),
  ]);
  const indicatorOf = new Map(inds.map((i) => [i.id, i]));
  const districtOf = new Map(dists.map((d) => [d.id, d]));
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  const writes: FigureWrite[] = entries.map((e, i) => {
    const at = (field: string) => `entries.${i}.${field}`;
    const ind = indicatorOf.get(e.indicatorId);
    const dist = districtOf.get(e.districtId);
    if (!ind) problems.push({ path: at('indicatorId'), key: 'field.not_found' });
    else if (!ind.active) problems.push({ path: at('indicatorId'), key: 'indicators.inactive_indicator' });
    if (!dist) problems.push({ path: at('districtId'), key: 'field.not_found' });
    else if (!dist.active) problems.push({ path: at('districtId'), key: 'indicators.inactive_district' });
    if (isFuture(e.year, e.month, s.now())) problems.push({ path: at('month'), key: 'indicators.future_period' });
    const value = e.value ?? null;
    const growth = e.growth ?? null;
    if (ind && !ind.publishesValue && value !== null) problems.push({ path: at('value'), key: 'indicators.growth_only' });
    if (value === null && growth === null && e.version === undefined) problems.push({ path: at('value'), key: 'indicators.figure_required' });
    const key = keyOf(e);
    const first = seen.get(key);
    if (first !== undefined) problems.push({ path: at('month'), key: 'indicators.duplicate_entry', params: { first: first + 1 } });
    else seen.set(key, i);
    return { indicatorId: e.indicatorId, districtId: e.districtId, year: e.year, month: e.month, value, growth, version: e.version };
  });
  if (problems.length) throw new AppError('validation_failed', { fields: problems });
  const names = await loadNames(s.db, zoneId);
  const outcome = await s.db.transaction((tx) => writeFigures(tx, s, caller, writes, { source: 'manual', checkVersions: true, names }));
  return { saved: await presentFigures(s.db, zoneId, outcome.rows), deleted: outcome.deleted, recomputed: outcome.recomputed };
}

// The lists ----------------------------------------------------------------------------------------------------------

const INDICATOR_ENTITY = 'indicator';
const DISTRICT_ENTITY = 'indicator_district';
const CONSTRAINTS: ConstraintFields = {
  unique: { indicators_code_uq: 'code', indicators_name_uq: 'name', indicator_districts_name_uq: 'name', indicator_districts_self_uq: 'kind', indicator_districts_city_uq: 'kind' },
};

export function presentIndicator(i: IndicatorRow): IndicatorDto {
  return { id: i.id, code: i.code, name: i.name, nameEn: i.nameEn, unit: i.unit, publishesValue: i.publishesValue, sortOrder: i.sortOrder, active: i.active, version: i.version };
}

export function presentDistrict(d: DistrictRow): DistrictDto {
  return { id: d.id, name: d.name, kind: d.kind as DistrictKind, sortOrder: d.sortOrder, active: d.active, version: d.version };
}

const trimmedOrNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
function required(path: string, v: string): string {
  const t = v.trim();
  if (!t) throw fieldError(path, 'field.required');
  return t;
}

export async function listDefinitions(s: AppServices, caller: Caller): Promise<{ indicators: IndicatorDto[]; districts: DistrictDto[]; can: { edit: boolean } }> {
  const [inds, dists] = await Promise.all([
    s.db.select().from(indicators).where(eq(indicators.zoneId, caller.zoneId)).orderBy(asc(indicators.sortOrder), asc(indicators.code)),
    s.db.select().from(indicatorDistricts).where(eq(indicatorDistricts.zoneId, caller.zoneId)).orderBy(asc(indicatorDistricts.sortOrder), asc(indicatorDistricts.name)),
  ]);
  return { indicators: inds.map(presentIndicator), districts: dists.map(presentDistrict), can: { edit: canEditIndicators(caller) } };
}

export async function createIndicator(s: AppServices, caller: Caller, input: IndicatorCreateInput): Promise<IndicatorDto> {
  const values = {
    zoneId: caller.zoneId,
    code: required('code', input.code),
    name: required('name', input.name),
    nameEn: trimmedOrNull(input.nameEn) ?? null,
    unit: required('unit', input.unit),
    publishesValue: input.publishesValue ?? true,
    sortOrder: input.sortOrder ?? 0,
  };
  try {
    return await s.db.transaction(async (tx) => {
      const [row] = await tx.insert(indicators).values(values).returning();
      if (!row) throw new Error('indicator insert returned nothing');
      await audit(tx, s, caller, { action: 'indicator.create', entityType: INDICATOR_ENTITY, entityId: row.id, after: presentIndicator(row) });
      return presentIndicator(row);
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

export async function updateIndicator(s: AppServices, caller: Caller, id: string, input: IndicatorPatchInput): Promise<IndicatorDto> {
  const { zoneId } = caller;
  const set = {
    ...(input.name !== undefined ? { name: required('name', input.name) } : {}),
    ...(input.nameEn !== undefined ? { nameEn: trimmedOrNull(input.nameEn) ?? null } : {}),
    ...(input.unit !== undefined ? { unit: required('unit', input.unit) } : {}),
    ...(input.publishesValue !== undefined ? { publishesValue: input.publishesValue } : {}),
    ...(input.sortOrder !== undefined ? { sortOrder: input.sortOrder } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  try {
    return await s.db.transaction(async (tx) => {
      const [current] = await tx.select().from(indicators).where(and(eq(indicators.zoneId, zoneId), eq(indicators.id, id)));
      if (!current) throw notFound();
      const [row] = await tx
        .update(indicators)
        .set({ ...set, version: sql`${indicators.version} + 1`, updatedAt: s.now() })
        .where(and(eq(indicators.zoneId, zoneId), eq(indicators.id, id), eq(indicators.version, input.version)))
        .returning();
      if (!row) throw await versionConflict(tx, zoneId, INDICATOR_ENTITY, id);
      await audit(tx, s, caller, { action: 'indicator.update', entityType: INDICATOR_ENTITY, entityId: id, before: presentIndicator(current), after: presentIndicator(row) });
      return presentIndicator(row);
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

export async function createDistrict(s: AppServices, caller: Caller, input: DistrictCreateInput): Promise<DistrictDto> {
  const values = { zoneId: caller.zoneId, name: required('name', input.name), kind: input.kind ?? 'district', sortOrder: input.sortOrder ?? 0 };
  try {
    return await s.db.transaction(async (tx) => {
      const [row] = await tx.insert(indicatorDistricts).values(values).returning();
      if (!row) throw new Error('district insert returned nothing');
      await audit(tx, s, caller, { action: 'indicator_district.create', entityType: DISTRICT_ENTITY, entityId: row.id, after: presentDistrict(row) });
      return presentDistrict(row);
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

export async function updateDistrict(s: AppServices, caller: Caller, id: string, input: DistrictPatchInput): Promise<DistrictDto> {
  const { zoneId } = caller;
  const set = {
    ...(input.name !== undefined ? { name: required('name', input.name) } : {}),
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.sortOrder !== undefined ? { sortOrder: input.sortOrder } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  try {
    return await s.db.transaction(async (tx) => {
      const [current] = await tx.select().from(indicatorDistricts).where(and(eq(indicatorDistricts.zoneId, zoneId), eq(indicatorDistricts.id, id)));
      if (!current) throw notFound();
      const [row] = await tx
        .update(indicatorDistricts)
        .set({ ...set, version: sql`${indicatorDistricts.version} + 1`, updatedAt: s.now() })
        .where(and(eq(indicatorDistricts.zoneId, zoneId), eq(indicatorDistricts.id, id), eq(indicatorDistricts.version, input.version)))
        .returning();
      if (!row) throw await versionConflict(tx, zoneId, DISTRICT_ENTITY, id);
      await audit(tx, s, caller, { action: 'indicator_district.update', entityType: DISTRICT_ENTITY, entityId: id, before: presentDistrict(current), after: presentDistrict(row) });
      return presentDistrict(row);
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}
