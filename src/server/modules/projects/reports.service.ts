import { and, asc, desc, eq, inArray, notExists, sql, type AnyColumn } from 'drizzle-orm';
import { formatYuan, parseYuan } from '../../../shared/money.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, fieldError, notFound, pgErrorCode } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { translateDbError, type ConstraintFields } from '../org/org.errors.ts';
import { deny } from '../org/org.policy.ts';
import { units } from '../org/org.schema.ts';
import { users } from '../users/users.schema.ts';
import { monthEnd, monthOf, monthStart, previousMonth } from './metrics.time.ts';
import { shanghaiDate } from './projects.schedule.ts';
import { loadProjectInScope, projectCan, projectReadWhere, projectScope } from './projects.policy.ts';
import { monthlyReports, projects } from './projects.schema.ts';
import { raiseProblem } from '../problems/problems.service.ts';
import { problems } from '../problems/problems.schema.ts';
import type { MissingReportsDto, ReportCreateInput, ReportDto, ReportPatchInput } from './reports.api.ts';

/**
 * Monthly progress reports (月度进展填报): each month's own figures only; the cumulative figures are running sums
 * over the months (a window function), never typed. One report per project per month. The project's writers
 * report; everyone who reads the project reads its reports.
 */
const ENTITY = 'monthly_report';
const CONSTRAINTS: ConstraintFields = { unique: { monthly_reports_project_month_uq: 'month' } };
/** Phases in which a project is expected to report every month. */
const REPORTING_PHASES = ['signed', 'started', 'operating'];

type ReportRow = typeof monthlyReports.$inferSelect;

interface ReportView {
  row: ReportRow;
  cumulativeInvestment: string;
  cumulativeFundsInPlace: string;
  unitName: string | null;
  reporterName: string | null;
}

/** A yuan amount as stored and shown: two decimals. The schema has checked the pattern. */
function money(text: string): string {
  const cents = parseYuan(text);
  if (cents === null) throw new Error(`not an amount: ${text}`);
  return formatYuan(cents);
}

/** Every report of a project with its running totals, newest first. */
async function selectReports(db: Db, zoneId: string, projectId: string): Promise<ReportView[]> {
  const running = (column: AnyColumn) =>
    sql<string>`round(sum(${column}) over (order by ${monthlyReports.month}), 2)::text`;
  const rows = await db
    .select({
      row: monthlyReports,
      cumulativeInvestment: running(monthlyReports.completedInvestment),
      cumulativeFundsInPlace: running(monthlyReports.fundsInPlace),
      unitName: units.name,
      reporterName: users.displayName,
    })
    .from(monthlyReports)
    .leftJoin(units, and(eq(units.zoneId, monthlyReports.zoneId), eq(units.id, monthlyReports.unitId)))
    .leftJoin(users, and(eq(users.zoneId, monthlyReports.zoneId), eq(users.id, monthlyReports.reportedBy)))
    .where(and(eq(monthlyReports.zoneId, zoneId), eq(monthlyReports.projectId, projectId)))
    .orderBy(desc(monthlyReports.month));
  return rows;
}

type RaisedProblems = Map<string, ReportDto['problems']>;

/** The problems raised from these reports, by report id. */
async function problemsOf(db: Db, zoneId: string, reportIds: string[]): Promise<RaisedProblems> {
  const out: RaisedProblems = new Map();
  if (!reportIds.length) return out;
  const rows = await db
    .select({ reportId: problems.sourceId, id: problems.id, code: problems.code, title: problems.title, state: problems.state })
    .from(problems)
    .where(and(eq(problems.zoneId, zoneId), eq(problems.source, 'report'), inArray(problems.sourceId, reportIds)))
    .orderBy(asc(problems.code));
  for (const { reportId, ...p } of rows) out.set(reportId!, [...(out.get(reportId!) ?? []), p]);
  return out;
}

function present(v: ReportView, canUpdate: boolean, raised: RaisedProblems): ReportDto {
  const r = v.row;
  return {
    id: r.id,
    month: monthOf(r.month),
    completedInvestment: money(r.completedInvestment),
    fundsInPlace: money(r.fundsInPlace),
    cumulativeInvestment: v.cumulativeInvestment,
    cumulativeFundsInPlace: v.cumulativeFundsInPlace,
    progress: r.progress,
    unit: r.unitId && v.unitName !== null ? { id: r.unitId, name: v.unitName } : null,
    reportedBy: r.reportedBy && v.reporterName !== null ? { id: r.reportedBy, displayName: v.reporterName } : null,
    createdAt: r.createdAt.toISOString(),
    version: r.version,
    problems: raised.get(r.id) ?? [],
    can: { update: canUpdate },
  };
}

/** What the audit trail keeps of a report; `projectId` lets the project timeline find it. */
function snapshot(r: ReportRow) {
  return {
    projectId: r.projectId,
    month: monthOf(r.month),
    completedInvestment: money(r.completedInvestment),
    fundsInPlace: money(r.fundsInPlace),
    progress: r.progress,
    unitId: r.unitId,
    version: r.version,
  };
}

export async function listReports(s: AppServices, caller: Caller, projectId: string): Promise<ReportDto[]> {
  const { project, scope } = await loadProjectInScope(s, caller, projectId);
  const canUpdate = projectCan(scope, project).report;
  const views = await selectReports(s.db, caller.zoneId, projectId);
  const raised = await problemsOf(s.db, caller.zoneId, views.map((v) => v.row.id));
  return views.map((v) => present(v, canUpdate, raised));
}

async function oneReport(s: AppServices, caller: Caller, projectId: string, reportId: string, canUpdate: boolean): Promise<ReportDto> {
  const view = (await selectReports(s.db, caller.zoneId, projectId)).find((v) => v.row.id === reportId);
  if (!view) throw notFound();
  return present(view, canUpdate, await problemsOf(s.db, caller.zoneId, [reportId]));
}

/** The project, if the caller may report on it: out of scope 404, in scope but read-only 403 (audited). */
async function projectToReport(s: AppServices, caller: Caller, projectId: string) {
  const { project, scope } = await loadProjectInScope(s, caller, projectId);
  if (!projectCan(scope, project).report) throw await deny(s, caller, 'project', projectId, `${ENTITY}.write`);
  return project;
}

export async function createReport(s: AppServices, caller: Caller, projectId: string, input: ReportCreateInput): Promise<ReportDto> {
  const project = await projectToReport(s, caller, projectId);
  if (input.month > monthOf(shanghaiDate(s.now()))) throw fieldError('month', 'field.future_month');
  const progress = input.progress.trim();
  if (!progress) throw fieldError('progress', 'field.required');
  try {
    const id = await s.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(monthlyReports)
        .values({
          zoneId: caller.zoneId,
          projectId,
          month: monthStart(input.month),
          completedInvestment: money(input.completedInvestment),
          fundsInPlace: money(input.fundsInPlace),
          progress,
          // The unit that reports is the project's lead unit at the time.
          unitId: project.leadUnitId,
          reportedBy: caller.userId,
        })
        .returning();
      if (!row) throw new Error('report insert returned nothing');
      await audit(tx, s, caller, { action: `${ENTITY}.create`, entityType: ENTITY, entityId: row.id, after: snapshot(row) });
      // A report can raise problems: each one enters the closed loop, linked to this report and its project.
      for (const [i, p] of (input.problems ?? []).entries()) {
        const raise = raiseProblem(tx, s, caller, {
          title: p.title,
          description: p.description ?? null,
          category: p.category,
          priority: p.priority ?? 'normal',
          source: 'report',
          sourceId: row.id,
          projectId,
        });
        await raise.catch((err: unknown) => {
          // The problem's field errors name the report's field: problems.0.category.
          if (err instanceof AppError) throw new AppError(err.code, { fields: err.fields.map((f) => ({ ...f, path: `problems.${i}.${f.path}` })), ...(err.params ? { params: err.params } : {}) });
          throw err;
        });
      }
      return row.id;
    });
    return await oneReport(s, caller, projectId, id, true);
  } catch (err) {
    // The project deleted between the check and the insert: as if it never existed.
    if (pgErrorCode(err) === '23503') throw notFound();
    throw translateDbError(err, CONSTRAINTS);
  }
}

export async function updateReport(s: AppServices, caller: Caller, projectId: string, reportId: string, patch: ReportPatchInput): Promise<ReportDto> {
  const { zoneId } = caller;
  await projectToReport(s, caller, projectId);
  const progress = patch.progress?.trim();
  if (progress === '') throw fieldError('progress', 'field.required');
  const where = and(eq(monthlyReports.zoneId, zoneId), eq(monthlyReports.projectId, projectId), eq(monthlyReports.id, reportId));
  await s.db.transaction(async (tx) => {
    const [current] = await tx.select().from(monthlyReports).where(where);
    if (!current) throw notFound();
    if (current.version !== patch.version) throw await versionConflict(tx, zoneId, ENTITY, reportId);
    const [row] = await tx
      .update(monthlyReports)
      .set({
        ...(patch.completedInvestment !== undefined ? { completedInvestment: money(patch.completedInvestment) } : {}),
        ...(patch.fundsInPlace !== undefined ? { fundsInPlace: money(patch.fundsInPlace) } : {}),
        ...(progress !== undefined ? { progress } : {}),
        version: sql`${monthlyReports.version} + 1`,
        updatedAt: s.now(),
      })
      .where(and(where, eq(monthlyReports.version, patch.version)))
      .returning();
    if (!row) throw await versionConflict(tx, zoneId, ENTITY, reportId);
    await audit(tx, s, caller, { action: `${ENTITY}.update`, entityType: ENTITY, entityId: reportId, before: snapshot(current), after: snapshot(row) });
  });
  return oneReport(s, caller, projectId, reportId, true);
}

/**
 * Projects in the caller's scope that should have reported for `month` and have not, by lead unit: those signed,
 * started or operating, and already signed or started by the end of that month (a project signed in June owes
 * nothing for March). A project without a lead unit has nobody to report and is not listed. Default month: the
 * previous one (a month is reported after it ends).
 */
export async function missingReports(s: AppServices, caller: Caller, month: string | undefined): Promise<MissingReportsDto> {
  const m = month ?? previousMonth(monthOf(shanghaiDate(s.now())));
  const scope = await projectScope(s.db, caller);
  const first = monthStart(m);
  const rows = await s.db
    .select({ id: projects.id, code: projects.code, name: projects.name, unitId: units.id, unitName: units.name })
    .from(projects)
    .innerJoin(units, and(eq(units.zoneId, projects.zoneId), eq(units.id, projects.leadUnitId)))
    .where(
      and(
        eq(projects.zoneId, caller.zoneId),
        projectReadWhere(scope),
        inArray(projects.phase, REPORTING_PHASES),
        sql`coalesce(least(${projects.signedOn}, ${projects.startedOn}, ${projects.operatingOn}) <= ${monthEnd(m)}::date, true)`,
        notExists(
          s.db
            .select({ one: sql`1` })
            .from(monthlyReports)
            .where(and(eq(monthlyReports.zoneId, projects.zoneId), eq(monthlyReports.projectId, projects.id), eq(monthlyReports.month, first))),
        ),
      ),
    )
    .orderBy(asc(units.sortOrder), asc(units.name), asc(units.id), asc(projects.code));
  const items: MissingReportsDto['items'] = [];
  for (const r of rows) {
    let group = items.at(-1);
    if (!group || group.unit.id !== r.unitId) {
      group = { unit: { id: r.unitId, name: r.unitName }, projects: [] };
      items.push(group);
    }
    group.projects.push({ id: r.id, code: r.code, name: r.name });
  }
  return { month: m, items };
}
