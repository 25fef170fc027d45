import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, numeric, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { zones } from '../org/org.schema.ts';
import { users } from '../users/users.schema.ts';

/**
 * Economic indicators (经济指标, docs/api-indicators.md): the zone's list of indicators, the city's districts it
 * compares itself with, and the monthly cumulative figures (1—N月) with their year-on-year growth.
 */

/** The zone-editable list of indicators (地区生产总值, 固定资产投资, …). */
export const indicators = pgTable(
  'indicators',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** 计量单位 of the cumulative value: 亿元, 万美元, … */
    unit: text('unit').notNull(),
    /** False when the statistics bureau publishes only the growth (固定资产投资, 规上工业增加值). */
    publishesValue: boolean('publishes_value').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('indicators_code_uq').on(t.zoneId, t.code),
    uniqueIndex('indicators_name_uq').on(t.zoneId, t.name),
  ],
);

/**
 * The districts of the city the zone is compared with (历下区, 市中区, …): `self` is the zone itself (one per zone),
 * `city` the city as a whole (全市: shown beside the zone, never ranked), `district` every other one.
 */
export const indicatorDistricts = pgTable(
  'indicator_districts',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    name: text('name').notNull(),
    kind: text('kind').notNull().default('district'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('indicator_districts_name_uq').on(t.zoneId, t.name),
    uniqueIndex('indicator_districts_self_uq').on(t.zoneId).where(sql`${t.kind} = 'self'`),
    uniqueIndex('indicator_districts_city_uq').on(t.zoneId).where(sql`${t.kind} = 'city'`),
    check('indicator_districts_kind_ck', sql`${t.kind} in ('self','district','city')`),
  ],
);

/**
 * One figure: an indicator of a district for the months 1..month of a year (累计). The value may be missing when
 * the bureau publishes only the growth; the growth is in percent, entered, or computed exactly from last year's
 * value of the same period (`growth_source`).
 */
export const indicatorValues = pgTable(
  'indicator_values',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    indicatorId: uuid('indicator_id').notNull(),
    districtId: uuid('district_id').notNull(),
    year: integer('year').notNull(),
    month: integer('month').notNull(),
    value: numeric('value', { precision: 20, scale: 4 }),
    growth: numeric('growth', { precision: 7, scale: 2 }),
    /** 'entered' (typed or imported), 'computed' (from last year's value), null while there is no growth. */
    growthSource: text('growth_source'),
    source: text('source').notNull(),
    updatedBy: uuid('updated_by'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('indicator_values_period_uq').on(t.zoneId, t.indicatorId, t.districtId, t.year, t.month),
    index('indicator_values_zone_period_idx').on(t.zoneId, t.year, t.month),
    foreignKey({ columns: [t.zoneId, t.indicatorId], foreignColumns: [indicators.zoneId, indicators.id] }),
    foreignKey({ columns: [t.zoneId, t.districtId], foreignColumns: [indicatorDistricts.zoneId, indicatorDistricts.id] }),
    foreignKey({ columns: [t.zoneId, t.updatedBy], foreignColumns: [users.zoneId, users.id] }),
    check('indicator_values_period_ck', sql`${t.year} between 2000 and 2100 and ${t.month} between 1 and 12`),
    check('indicator_values_figure_ck', sql`${t.value} is not null or ${t.growth} is not null`),
    check('indicator_values_value_ck', sql`${t.value} is null or ${t.value} >= 0`),
    check('indicator_values_growth_source_ck', sql`(${t.growth} is null) = (${t.growthSource} is null) and (${t.growthSource} is null or ${t.growthSource} in ('entered','computed'))`),
    check('indicator_values_source_ck', sql`${t.source} in ('manual','import')`),
  ],
);
