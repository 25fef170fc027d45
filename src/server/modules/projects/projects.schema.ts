import { sql } from 'drizzle-orm';
import { check, customType, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { commands, enterprises, orgGroups, units, zones } from '../org/org.schema.ts';
import { users } from '../users/users.schema.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** Money: numeric(18,2) yuan, carried as a decimal string (never a float). */
const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

/** The key-project ledger (重点项目台账): one row per project. Cumulative figures are computed from reports. */
export const projects = pgTable(
  'projects',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    enterpriseId: uuid('enterprise_id'),
    /** dictionary_entries.code of the 'industry' dictionary. */
    industry: text('industry'),
    /** dictionary_entries.code of the 'project_kind' dictionary. */
    kind: text('kind'),
    level: text('level').notNull().default('district'),
    clusterUnitId: uuid('cluster_unit_id'),
    areaUnitId: uuid('area_unit_id'),
    address: text('address'),
    longitude: numeric('longitude', { precision: 9, scale: 6 }),
    latitude: numeric('latitude', { precision: 9, scale: 6 }),
    commandId: uuid('command_id'),
    leadUnitId: uuid('lead_unit_id'),
    /** 包挂领导: the leader responsible for the project. */
    leaderUserId: uuid('leader_user_id'),
    taskForceId: uuid('task_force_id'),
    totalInvestment: money('total_investment').notNull(),
    phase: text('phase').notNull().default('pipeline'),
    /** Set while suspended: the phase it resumes to. */
    suspendedFrom: text('suspended_from'),
    signedOn: date('signed_on', { mode: 'string' }),
    startedOn: date('started_on', { mode: 'string' }),
    operatingOn: date('operating_on', { mode: 'string' }),
    completedOn: date('completed_on', { mode: 'string' }),
    suspendedOn: date('suspended_on', { mode: 'string' }),
    plannedStartOn: date('planned_start_on', { mode: 'string' }),
    plannedCompletionOn: date('planned_completion_on', { mode: 'string' }),
    notes: text('notes'),
    /** Character bigrams of name, enterprise, address and notes (see projects.search.ts); kept by the service. */
    searchDoc: tsvector('search_doc'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('projects_zone_code_uq').on(t.zoneId, t.code),
    foreignKey({ columns: [t.zoneId, t.enterpriseId], foreignColumns: [enterprises.zoneId, enterprises.id] }),
    foreignKey({ columns: [t.zoneId, t.clusterUnitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.areaUnitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }),
    foreignKey({ columns: [t.zoneId, t.leadUnitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.leaderUserId], foreignColumns: [users.zoneId, users.id] }),
    foreignKey({ columns: [t.zoneId, t.taskForceId], foreignColumns: [orgGroups.zoneId, orgGroups.id] }),
    index('projects_zone_phase_idx').on(t.zoneId, t.phase),
    index('projects_zone_command_idx').on(t.zoneId, t.commandId),
    index('projects_zone_lead_unit_idx').on(t.zoneId, t.leadUnitId),
    index('projects_search_idx').using('gin', t.searchDoc),
    check('projects_phase_ck', sql`${t.phase} in ('pipeline','signed','started','operating','completed','suspended')`),
    check('projects_suspended_from_ck', sql`(${t.phase} = 'suspended') = (${t.suspendedFrom} is not null)`),
    check('projects_level_ck', sql`${t.level} in ('province','city','district')`),
    check('projects_money_ck', sql`${t.totalInvestment} >= 0`),
  ],
);

/** Each year's planned investment of a project (本年计划投资), entered once a year. */
export const projectAnnualPlans = pgTable(
  'project_annual_plans',
  {
    zoneId: zoneId().references(() => zones.id),
    projectId: uuid('project_id').notNull(),
    year: integer('year').notNull(),
    plannedInvestment: money('planned_investment').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.projectId, t.year] }),
    foreignKey({ columns: [t.zoneId, t.projectId], foreignColumns: [projects.zoneId, projects.id] }).onDelete('cascade'),
    check('project_annual_plans_ck', sql`${t.plannedInvestment} >= 0 and ${t.year} between 2000 and 2100`),
  ],
);

/** Every phase move: when (the date it happened), who recorded it, and why. */
export const projectPhaseChanges = pgTable(
  'project_phase_changes',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    projectId: uuid('project_id').notNull(),
    fromPhase: text('from_phase').notNull(),
    toPhase: text('to_phase').notNull(),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    reason: text('reason'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.projectId], foreignColumns: [projects.zoneId, projects.id] }).onDelete('cascade'),
    index('project_phase_changes_project_idx').on(t.zoneId, t.projectId, t.at),
  ],
);

/** Milestones (节点) with planned and actual dates. */
export const milestones = pgTable(
  'milestones',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    projectId: uuid('project_id').notNull(),
    name: text('name').notNull(),
    plannedOn: date('planned_on', { mode: 'string' }).notNull(),
    actualOn: date('actual_on', { mode: 'string' }),
    sortOrder: integer('sort_order').notNull().default(0),
    notes: text('notes'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.projectId], foreignColumns: [projects.zoneId, projects.id] }).onDelete('cascade'),
    index('milestones_project_idx').on(t.zoneId, t.projectId, t.plannedOn),
  ],
);

/** Monthly progress reports: this month's figures only; cumulative figures are sums, never typed. */
export const monthlyReports = pgTable(
  'monthly_reports',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    projectId: uuid('project_id').notNull(),
    /** First day of the month reported on. */
    month: date('month', { mode: 'string' }).notNull(),
    completedInvestment: money('completed_investment').notNull(),
    fundsInPlace: money('funds_in_place').notNull().default('0'),
    progress: text('progress').notNull(),
    /** The unit that reported (the project's lead unit at the time). */
    unitId: uuid('unit_id'),
    reportedBy: uuid('reported_by'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('monthly_reports_project_month_uq').on(t.zoneId, t.projectId, t.month),
    foreignKey({ columns: [t.zoneId, t.projectId], foreignColumns: [projects.zoneId, projects.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.unitId], foreignColumns: [units.zoneId, units.id] }),
    index('monthly_reports_zone_month_idx').on(t.zoneId, t.month),
    check('monthly_reports_month_ck', sql`extract(day from ${t.month}) = 1`),
    check('monthly_reports_money_ck', sql`${t.completedInvestment} >= 0 and ${t.fundsInPlace} >= 0`),
  ],
);

/**
 * Each project's monthly reports summed per calendar year (the year of `month`): what the list, its lagging filter
 * and the metrics read instead of aggregating monthly_reports (1.2 M rows at 100k projects). Kept exact by the
 * database itself: statement-level triggers on monthly_reports (migration 0004) apply every insert, update and
 * delete in the writing transaction, whichever code path writes (API, import, demo seeding, tests, psql). Sums are
 * unconstrained numeric (exact; a sum of numeric(18,2) amounts may outgrow 18 digits). A row exists while the
 * project has at least one report in that year. `lastMonth` (first day of the year's latest reported month) tells
 * whether a window ending before the year's end covers all of the year's reports (then the sums are the window's).
 */
export const projectReportTotals = pgTable(
  'project_report_totals',
  {
    zoneId: zoneId().references(() => zones.id),
    projectId: uuid('project_id').notNull(),
    year: integer('year').notNull(),
    completedInvestment: numeric('completed_investment').notNull(),
    fundsInPlace: numeric('funds_in_place').notNull(),
    reportCount: integer('report_count').notNull(),
    lastMonth: date('last_month', { mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.projectId, t.year] }),
    foreignKey({ columns: [t.zoneId, t.projectId], foreignColumns: [projects.zoneId, projects.id] }).onDelete('cascade'),
    index('project_report_totals_zone_year_idx').on(t.zoneId, t.year, t.lastMonth),
  ],
);

/** Groundbreaking and signing events (集中开工 / 集中签约). Totals are derived from their projects. */
export const batches = pgTable(
  'batches',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    location: text('location'),
    notes: text('notes'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.zoneId, t.id] }), check('batches_kind_ck', sql`${t.kind} in ('groundbreaking','signing')`)],
);

export const batchProjects = pgTable(
  'batch_projects',
  {
    zoneId: zoneId().references(() => zones.id),
    batchId: uuid('batch_id').notNull(),
    projectId: uuid('project_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.batchId, t.projectId] }),
    foreignKey({ columns: [t.zoneId, t.batchId], foreignColumns: [batches.zoneId, batches.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.projectId], foreignColumns: [projects.zoneId, projects.id] }).onDelete('cascade'),
    index('batch_projects_project_idx').on(t.zoneId, t.projectId),
  ],
);

/**
 * An Excel import between upload and confirmation: the validated rows wait here (nothing touches the ledger until
 * the user confirms), with the bad cells to report.
 */
export const projectImports = pgTable(
  'project_imports',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    createdBy: uuid('created_by').notNull(),
    fileName: text('file_name').notNull(),
    status: text('status').notNull(),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    /** Valid rows, normalised, ready to apply. */
    rows: jsonb('rows'),
    /** [{row, column, value, message}] */
    errors: jsonb('errors'),
    summary: jsonb('summary'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    check('project_imports_status_ck', sql`${t.status} in ('validating','ready','failed','applied')`),
  ],
);
