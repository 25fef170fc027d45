import { and, asc, between, count, desc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { PROJECT_PHASES } from '../../../shared/project-phase.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { dictionaryEntries } from '../dictionaries/dictionaries.schema.ts';
import { unitSubtreeIds } from '../org/org.policy.ts';
import { commands, enterprises, orgGroups, units } from '../org/org.schema.ts';
import { users } from '../users/users.schema.ts';
import type { ProjectFilters } from './projects.dto.ts';
import { projectReadWhere, type ProjectScope } from './projects.policy.ts';
import { SCHEDULED_PHASES } from './projects.schedule.ts';
import { batches, batchProjects, monthlyReports, projectAnnualPlans, projectReportTotals, projects } from './projects.schema.ts';
import { searchMatches, searchTokens } from './projects.search.ts';

/**
 * The ledger's queries. A list row carries the names it shows and the figures of its monthly reports and annual
 * plan, all in one query: the year's figures from the project's project_report_totals row of that year (joined, so
 * the lagging filter is a hash join, not 1.2 M report rows summed), the cumulative ones from its rows of every year
 * (LATERAL, a few rows); batches come in one second query for the whole page. Sums are numeric in SQL and travel
 * as text: never a float.
 */

export type ProjectRow = typeof projects.$inferSelect;

export interface ProjectRecord {
  row: ProjectRow;
  enterpriseName: string | null;
  industryLabel: string | null;
  kindLabel: string | null;
  clusterName: string | null;
  areaName: string | null;
  commandName: string | null;
  leadUnitName: string | null;
  leaderName: string | null;
  taskForceName: string | null;
  /** The annual plan of `year`, null without one. */
  yearPlanned: string | null;
  yearCompleted: string;
  yearFunds: string;
  cumulativeInvestment: string;
  cumulativeFunds: string;
  /** YYYY-MM of the latest report, null without reports. */
  lastReportMonth: string | null;
  batches: { id: string; name: string }[];
}

/** Which year's plan and figures a list shows, and the day it is computed for (reports up to that day). */
export interface FigureWindow {
  year: number;
  asOf: string;
  /** monthsElapsed(year, asOf), for the lagging filter. */
  months: number;
}

/** Every project of the zone whose code is among `codes` (the Excel import updates by 项目编号). */
export async function findProjectsByCodes(db: Db, zoneId: string, codes: string[]): Promise<ProjectRow[]> {
  const unique = [...new Set(codes)];
  const out: ProjectRow[] = [];
  // Bind parameters are limited (65535 per statement); stay far below.
  for (let i = 0; i < unique.length; i += 5000) {
    const chunk = unique.slice(i, i + 5000);
    out.push(...(await db.select().from(projects).where(and(eq(projects.zoneId, zoneId), inArray(projects.code, chunk)))));
  }
  return out;
}

const clusterUnit = alias(units, 'cluster_unit');
const areaUnit = alias(units, 'area_unit');
const leadUnit = alias(units, 'lead_unit');
const industryEntry = alias(dictionaryEntries, 'industry_entry');
const kindEntry = alias(dictionaryEntries, 'kind_entry');
const plan = alias(projectAnnualPlans, 'plan');
const yearTotals = alias(projectReportTotals, 'year_totals');
const lateTotals = alias(projectReportTotals, 'late_totals');
const lateReports = alias(monthlyReports, 'late_reports');

/** The days of `year` a window covers: its first day, and the last (asOf, or the year's end when asOf is later). */
export function windowDays(w: { year: number; asOf: string }): { from: string; to: string } {
  const yearEnd = `${w.year}-12-31`;
  return { from: `${w.year}-01-01`, to: w.asOf < yearEnd ? w.asOf : yearEnd };
}

/**
 * Window sums of the projects whose reports of the year run past the window (`late`, left-joined on project_id):
 * empty in the usual case — the window runs to today and no report is for a future month, or the year is past —
 * and then one index range on (zone_id, year, last_month) tells so. Set-based (no per-row subquery: a correlated
 * one would also make the planner expect the worst for every row).
 */
function lateOf(db: Db, zoneId: string, w: FigureWindow) {
  const { from, to } = windowDays(w);
  return db
    .select({
      projectId: lateReports.projectId,
      completed: sql<string>`sum(${lateReports.completedInvestment})`.as('late_completed'),
      funds: sql<string>`sum(${lateReports.fundsInPlace})`.as('late_funds'),
    })
    .from(lateTotals)
    .innerJoin(lateReports, and(eq(lateReports.zoneId, lateTotals.zoneId), eq(lateReports.projectId, lateTotals.projectId), between(lateReports.month, from, to)))
    .where(and(eq(lateTotals.zoneId, zoneId), eq(lateTotals.year, w.year), gt(lateTotals.lastMonth, to)))
    .groupBy(lateReports.projectId)
    .as('late');
}

type Late = ReturnType<typeof lateOf>;

/**
 * A project's sum of a report column over the window's months: its project_report_totals row of the year
 * (`year_totals`, left-joined: none → 0) when the window covers the year's latest report, else the window's
 * reports summed — from `late` (joined) where every row is needed (the lagging count), or by the row's own
 * correlated sum (≤ 12 index rows) for a page, which needs it for its few rows only. Exact numeric either way,
 * equal to summing monthly_reports of the months between `from` and `to`.
 */
function windowSum(late: Late | null, column: 'completed' | 'funds', w: FigureWindow): SQL {
  const { from, to } = windowDays(w);
  const total = column === 'completed' ? yearTotals.completedInvestment : yearTotals.fundsInPlace;
  const reported = column === 'completed' ? monthlyReports.completedInvestment : monthlyReports.fundsInPlace;
  const past = late
    ? sql`coalesce(${late[column]}, 0)`
    : sql`(select coalesce(sum(${reported}), 0) from ${monthlyReports}
           where ${monthlyReports.zoneId} = ${yearTotals.zoneId} and ${monthlyReports.projectId} = ${yearTotals.projectId}
             and ${monthlyReports.month} between ${from}::date and ${to}::date)`;
  return sql`(case when ${yearTotals.lastMonth} is null then 0 when ${yearTotals.lastMonth} <= ${to}::date then ${total} else ${past} end)`;
}

/** The row of project_report_totals of the window's year, for a LEFT JOIN on `projects`. */
function yearTotalsJoin(w: FigureWindow) {
  return and(eq(yearTotals.zoneId, projects.zoneId), eq(yearTotals.projectId, projects.id), eq(yearTotals.year, w.year));
}

/** All years of a project: cumulative figures and the latest month reported (a few rows, joined LATERAL). */
function allYearsOf(db: Db) {
  return db
    .select({
      cumulativeInvestment: sql<string>`coalesce(sum(${projectReportTotals.completedInvestment}), 0)`.as('all_years_completed'),
      cumulativeFunds: sql<string>`coalesce(sum(${projectReportTotals.fundsInPlace}), 0)`.as('all_years_funds'),
      lastMonth: sql<string | null>`to_char(max(${projectReportTotals.lastMonth}), 'YYYY-MM')`.as('all_years_last_month'),
    })
    .from(projectReportTotals)
    .where(and(eq(projectReportTotals.zoneId, projects.zoneId), eq(projectReportTotals.projectId, projects.id)))
    .as('all_years');
}

function planJoin(w: FigureWindow) {
  return and(eq(plan.zoneId, projects.zoneId), eq(plan.projectId, projects.id), eq(plan.year, w.year));
}

/** 序时进度 lagging, exactly as projects.schedule.ts scheduleOf: completed × 12 < planned × months, in numeric. */
function laggingWhere(late: Late | null, w: FigureWindow): SQL {
  return sql`(${inArray(projects.phase, [...SCHEDULED_PHASES])} and ${plan.plannedInvestment} > 0 and ${windowSum(late, 'completed', w)} * 12 < ${plan.plannedInvestment} * ${w.months})`;
}

/**
 * The zone, the caller's read scope and the list filters (all but `lagging`, which needs the figures) as one
 * condition on `projects`. Exported for the metrics and missing-reports helpers.
 */
export async function projectFilterWhere(db: Db, zoneId: string, scope: ProjectScope, f: ProjectFilters): Promise<SQL> {
  const q = f.q?.trim();
  const leadUnitIds = f.leadUnitId ? await unitSubtreeIds(db, zoneId, [f.leadUnitId]) : undefined;
  const parts: (SQL | undefined)[] = [
    eq(projects.zoneId, zoneId),
    projectReadWhere(scope),
    q ? (searchMatches(projects.searchDoc, q) ?? sql`false`) : undefined,
    f.phase?.length ? inArray(projects.phase, f.phase) : undefined,
    f.level?.length ? inArray(projects.level, f.level) : undefined,
    f.commandId ? eq(projects.commandId, f.commandId) : undefined,
    f.clusterUnitId ? eq(projects.clusterUnitId, f.clusterUnitId) : undefined,
    f.areaUnitId ? eq(projects.areaUnitId, f.areaUnitId) : undefined,
    f.industry ? eq(projects.industry, f.industry) : undefined,
    f.kind ? eq(projects.kind, f.kind) : undefined,
    f.leaderUserId ? eq(projects.leaderUserId, f.leaderUserId) : undefined,
    leadUnitIds ? (leadUnitIds.length ? inArray(projects.leadUnitId, leadUnitIds) : sql`false`) : undefined,
    f.enterpriseId ? eq(projects.enterpriseId, f.enterpriseId) : undefined,
    f.batchId
      ? sql`exists (select 1 from ${batchProjects} where ${batchProjects.zoneId} = ${projects.zoneId} and ${batchProjects.projectId} = ${projects.id} and ${batchProjects.batchId} = ${f.batchId}::uuid)`
      : undefined,
    f.minInvestment ? gte(projects.totalInvestment, f.minInvestment) : undefined,
    f.maxInvestment ? lte(projects.totalInvestment, f.maxInvestment) : undefined,
  ];
  return and(...parts.filter((p): p is SQL => p !== undefined))!;
}

const PHASE_ORDER = sql.raw(`array_position(array[${PROJECT_PHASES.map((p) => `'${p}'`).join(',')}]::text[], "projects"."phase")`);

function orderOf(f: ProjectFilters): SQL[] {
  const dir = f.order === 'desc' ? desc : asc;
  const nullsLast = (col: SQL | typeof projects.startedOn) => (f.order === 'desc' ? sql`${col} desc nulls last` : sql`${col} asc nulls last`);
  switch (f.sort ?? 'code') {
    case 'name':
      return [dir(projects.name), asc(projects.code)];
    case 'totalInvestment':
      return [dir(projects.totalInvestment), asc(projects.code)];
    case 'phase':
      return [dir(PHASE_ORDER), asc(projects.code)];
    case 'updatedAt':
      return [dir(projects.updatedAt), asc(projects.code)];
    case 'startedOn':
      return [nullsLast(projects.startedOn), asc(projects.code)];
    case 'code':
      return [dir(projects.code)];
  }
}

/** Rows of the filtered list (a page, or up to `limit` for exports), with names and figures, and the total. */
export async function selectProjects(
  db: Db,
  zoneId: string,
  where: SQL,
  f: Pick<ProjectFilters, 'lagging' | 'sort' | 'order'>,
  w: FigureWindow,
  page: { limit: number; offset: number },
  withTotal = true,
): Promise<{ items: ProjectRecord[]; total: number }> {
  const allYears = allYearsOf(db);
  // A page needs the figures of its rows only: a row whose reports run past the window sums its own (correlated).
  const pageWhere = f.lagging ? and(where, laggingWhere(null, w)) : where;
  const query = db
    .select({
      row: projects,
      enterpriseName: enterprises.name,
      industryLabel: industryEntry.label,
      kindLabel: kindEntry.label,
      clusterName: clusterUnit.name,
      areaName: areaUnit.name,
      commandName: commands.name,
      leadUnitName: leadUnit.name,
      leaderName: users.displayName,
      taskForceName: orgGroups.name,
      yearPlanned: sql<string | null>`${plan.plannedInvestment}::text`,
      yearCompleted: sql<string>`${windowSum(null, 'completed', w)}::text`,
      yearFunds: sql<string>`${windowSum(null, 'funds', w)}::text`,
      cumulativeInvestment: sql<string>`${allYears.cumulativeInvestment}::text`,
      cumulativeFunds: sql<string>`${allYears.cumulativeFunds}::text`,
      lastReportMonth: sql<string | null>`${allYears.lastMonth}`,
    })
    .from(projects)
    .leftJoin(enterprises, and(eq(enterprises.zoneId, projects.zoneId), eq(enterprises.id, projects.enterpriseId)))
    .leftJoin(industryEntry, and(eq(industryEntry.zoneId, projects.zoneId), eq(industryEntry.dictionary, 'industry'), eq(industryEntry.code, projects.industry)))
    .leftJoin(kindEntry, and(eq(kindEntry.zoneId, projects.zoneId), eq(kindEntry.dictionary, 'project_kind'), eq(kindEntry.code, projects.kind)))
    .leftJoin(clusterUnit, and(eq(clusterUnit.zoneId, projects.zoneId), eq(clusterUnit.id, projects.clusterUnitId)))
    .leftJoin(areaUnit, and(eq(areaUnit.zoneId, projects.zoneId), eq(areaUnit.id, projects.areaUnitId)))
    .leftJoin(commands, and(eq(commands.zoneId, projects.zoneId), eq(commands.id, projects.commandId)))
    .leftJoin(leadUnit, and(eq(leadUnit.zoneId, projects.zoneId), eq(leadUnit.id, projects.leadUnitId)))
    .leftJoin(users, and(eq(users.zoneId, projects.zoneId), eq(users.id, projects.leaderUserId)))
    .leftJoin(orgGroups, and(eq(orgGroups.zoneId, projects.zoneId), eq(orgGroups.id, projects.taskForceId)))
    .leftJoin(plan, planJoin(w))
    .leftJoin(yearTotals, yearTotalsJoin(w))
    .leftJoinLateral(allYears, sql`true`)
    .where(pageWhere)
    .orderBy(...orderOf(f), asc(projects.id))
    .limit(page.limit)
    .offset(page.offset);
  const rows = await query;
  let total = rows.length + page.offset;
  // A short page tells the total by itself; a full (or empty, past-the-end) one needs a count.
  if (withTotal && (rows.length === page.limit || (rows.length === 0 && page.offset > 0))) {
    // The count needs every row's figures: rows whose reports run past the window are summed together (`late`).
    const late = lateOf(db, zoneId, w);
    const counted = f.lagging
      ? await db
          .select({ n: count() })
          .from(projects)
          .leftJoin(plan, planJoin(w))
          .leftJoin(yearTotals, yearTotalsJoin(w))
          .leftJoin(late, eq(late.projectId, projects.id))
          .where(and(where, laggingWhere(late, w)))
      : await db.select({ n: count() }).from(projects).where(where);
    total = counted[0]?.n ?? 0;
  }
  const batchesOf = await batchesByProject(
    db,
    zoneId,
    rows.map((r) => r.row.id),
  );
  return { items: rows.map((r) => ({ ...r, batches: batchesOf.get(r.row.id) ?? [] })), total };
}

/** The batches each project belongs to, oldest event first, for a page of projects in one query. */
async function batchesByProject(db: Db, zoneId: string, ids: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ projectId: batchProjects.projectId, id: batches.id, name: batches.name })
    .from(batchProjects)
    .innerJoin(batches, and(eq(batches.zoneId, batchProjects.zoneId), eq(batches.id, batchProjects.batchId)))
    .where(and(eq(batchProjects.zoneId, zoneId), inArray(batchProjects.projectId, ids)))
    .orderBy(asc(batches.heldOn), asc(batches.name));
  for (const r of rows) {
    const list = out.get(r.projectId) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.projectId, list);
  }
  return out;
}

/** One project with names and figures (the caller has checked the scope). */
export async function selectProjectRecord(db: Db, zoneId: string, id: string, w: FigureWindow): Promise<ProjectRecord | undefined> {
  const { items } = await selectProjects(db, zoneId, and(eq(projects.zoneId, zoneId), eq(projects.id, id))!, {}, w, { limit: 1, offset: 0 }, false);
  return items[0];
}

/**
 * Rewrites the search document (projects.search.ts: name, enterprise, address, notes) of every project of an
 * enterprise, inside the transaction `tx` that renames it, so a search by the new name finds its projects (and the
 * old name no longer does). Derived data: neither the projects' versions nor their audit trail change (the
 * enterprise's own audit row records the rename). Returns how many projects were rewritten.
 */
export async function refreshEnterpriseSearchDocs(tx: Db, zoneId: string, enterpriseId: string, enterpriseName: string): Promise<number> {
  const rows = await tx
    .select({ id: projects.id, name: projects.name, address: projects.address, notes: projects.notes })
    .from(projects)
    .where(and(eq(projects.zoneId, zoneId), eq(projects.enterpriseId, enterpriseId)));
  for (let i = 0; i < rows.length; i += 1000) {
    const payload = JSON.stringify(rows.slice(i, i + 1000).map((p) => ({ id: p.id, doc: searchTokens([p.name, enterpriseName, p.address, p.notes]).join(' ') })));
    await queryRows(
      tx,
      sql`update projects p set search_doc = to_tsvector('simple', v.doc)
          from jsonb_to_recordset(${payload}::jsonb) as v(id uuid, doc text)
          where p.zone_id = ${zoneId}::uuid and p.id = v.id`,
    );
  }
  return rows.length;
}
