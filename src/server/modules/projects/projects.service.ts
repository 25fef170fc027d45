import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { formatYuan, parseYuan } from '../../../shared/money.ts';
import { PROJECT_LEVELS, PROJECT_PHASES } from '../../../shared/project-phase.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, fieldError, forbidden, notFound, type FieldProblem } from '../../errors.ts';
import { audit, auditEvent, versionConflict } from '../../lib/audited.ts';
import { translateDbError, translateDeleteError, type ConstraintFields } from '../org/org.errors.ts';
import { deny } from '../org/org.policy.ts';
import { users } from '../users/users.schema.ts';
import { GANTT_LIMIT, type PhaseMoveInput, type ProjectFilters, type ProjectInput } from './projects.dto.ts';
import { canWriteProject, loadProjectInScope, projectScope, type ProjectScope } from './projects.policy.ts';
import { checkRefs, type RefCheck, type RefKind } from './projects.refs.ts';
import { projectFilterWhere, selectProjectRecord, selectProjects, type FigureWindow, type ProjectRecord, type ProjectRow } from './projects.repository.ts';
import { asPhase, checkMove, checkPhaseState, currentPhaseDate, phaseAfterMove, phaseStateOf, type PhaseState } from './projects.rules.ts';
import { monthsElapsed, shanghaiDate, shanghaiYear } from './projects.schedule.ts';
import { projectAnnualPlans, projectPhaseChanges, projects } from './projects.schema.ts';
import { deleteFilesOfOwner, removeBlobsOf } from '../files/files.service.ts';
import { searchDocument } from './projects.search.ts';

/**
 * The ledger's rules and transactions (docs/api-projects.md "Projects").
 *
 * insertProject / patchProject are the one way a project's facts are written, by the API and by the Excel import
 * (which calls them row by row inside its own transaction). They never touch `s.db` (PGlite has one connection:
 * inside a transaction only `tx` may be used), and they report every bad field at once as a 400
 * (`validation_failed` with one entry per field) so an import can name each bad cell.
 *
 * Placement (canPlaceProject): a project must end up under one of the caller's HQs or led by the caller's unit (or
 * one below it). Otherwise the answer is a 400 on `commandId` (HQ people: field.project.place_command) and/or
 * `leadUnitId` (unit staff: field.project.place_unit) — a field message the form and the import can show next to
 * the value, not a 403: the caller may create projects, just not there. A caller who may place projects nowhere
 * (no HQ, no unit) gets 403.
 */

const ENTITY = 'project';
const EXPORT_LIMIT = 50_000;

const CONSTRAINTS: ConstraintFields = {
  unique: { projects_zone_code_uq: 'code' },
  foreignKey: {
    projects_zone_id_enterprise_id_enterprises_zone_id_id_fk: 'enterpriseId',
    projects_zone_id_cluster_unit_id_units_zone_id_id_fk: 'clusterUnitId',
    projects_zone_id_area_unit_id_units_zone_id_id_fk: 'areaUnitId',
    projects_zone_id_command_id_commands_zone_id_id_fk: 'commandId',
    projects_zone_id_lead_unit_id_units_zone_id_id_fk: 'leadUnitId',
    projects_zone_id_leader_user_id_users_zone_id_id_fk: 'leaderUserId',
    projects_zone_id_task_force_id_org_groups_zone_id_id_fk: 'taskForceId',
  },
};

/** Database refusals that are the user's fault (a code taken in a race, a reference deleted meanwhile) → 400. */
export function translateProjectDbError(err: unknown): unknown {
  return translateDbError(err, CONSTRAINTS);
}

// Writing a project's facts -----------------------------------------------------------------------------------------

/** The columns a ProjectInput sets (only the keys present in it). */
type ProjectColumns = Partial<Omit<typeof projects.$inferInsert, 'zoneId' | 'id' | 'searchDoc' | 'version' | 'createdAt' | 'updatedAt'>>;

const TEXT_KEYS = ['address', 'notes'] as const;
const ID_KEYS = ['enterpriseId', 'clusterUnitId', 'areaUnitId', 'commandId', 'leadUnitId', 'leaderUserId', 'taskForceId'] as const;
const DATE_KEYS = ['plannedStartOn', 'plannedCompletionOn', 'signedOn', 'startedOn', 'operatingOn', 'completedOn', 'suspendedOn'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const REF_OF: Record<(typeof ID_KEYS)[number] | 'industry' | 'kind', RefKind> = {
  enterpriseId: 'enterprise',
  industry: 'industry',
  kind: 'project_kind',
  clusterUnitId: 'cluster',
  areaUnitId: 'area',
  commandId: 'command',
  leadUnitId: 'unit',
  leaderUserId: 'user',
  taskForceId: 'task_force',
};

function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function money(path: string, value: string, problems: FieldProblem[]): string | undefined {
  const fen = parseYuan(value);
  if (fen === null) problems.push({ path, key: 'field.pattern' });
  else if (fen < 0n) problems.push({ path, key: 'field.minimum', params: { limit: 0 } });
  else return formatYuan(fen);
  return undefined;
}

function coordinate(path: 'longitude' | 'latitude', value: string, problems: FieldProblem[]): string | undefined {
  const n = Number(value);
  const max = path === 'longitude' ? 180 : 90;
  if (!/^-?\d{1,3}(\.\d{1,6})?$/.test(value.trim()) || Math.abs(n) > max) {
    problems.push({ path, key: `field.project.${path}` });
    return undefined;
  }
  return value.trim();
}

const blank = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

/** Checks and normalises the fields present in `input` (trimmed text, money as "123.40"), collecting problems. */
function columnsOf(input: Partial<ProjectInput>, problems: FieldProblem[]): ProjectColumns {
  const c: ProjectColumns = {};
  if (input.code !== undefined) {
    const code = input.code.trim();
    if (!code) problems.push({ path: 'code', key: 'field.required' });
    else c.code = code;
  }
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name) problems.push({ path: 'name', key: 'field.required' });
    else c.name = name;
  }
  if (input.level !== undefined) {
    if (PROJECT_LEVELS.includes(input.level)) c.level = input.level;
    else problems.push({ path: 'level', key: 'field.enum' });
  }
  if (input.phase !== undefined) {
    if (PROJECT_PHASES.includes(input.phase)) c.phase = input.phase;
    else problems.push({ path: 'phase', key: 'field.enum' });
  }
  if (input.suspendedFrom !== undefined) {
    if (input.suspendedFrom === null || PROJECT_PHASES.includes(input.suspendedFrom)) c.suspendedFrom = input.suspendedFrom;
    else problems.push({ path: 'suspendedFrom', key: 'field.enum' });
  }
  if (input.industry !== undefined) c.industry = blank(input.industry);
  if (input.kind !== undefined) c.kind = blank(input.kind);
  for (const k of TEXT_KEYS) if (input[k] !== undefined) c[k] = blank(input[k]);
  for (const k of ID_KEYS) if (input[k] !== undefined) c[k] = input[k] || null;
  for (const k of DATE_KEYS) {
    const v = input[k];
    if (v === undefined) continue;
    if (v === null || v === '') c[k] = null;
    else if (isRealDate(v)) c[k] = v;
    else problems.push({ path: k, key: 'field.format', params: { format: 'date' } });
  }
  if (input.totalInvestment !== undefined) {
    const v = money('totalInvestment', input.totalInvestment, problems);
    if (v !== undefined) c.totalInvestment = v;
  }
  for (const k of ['longitude', 'latitude'] as const) {
    const v = input[k];
    if (v === undefined) continue;
    c[k] = v === null || v.trim() === '' ? null : coordinate(k, v, problems);
  }
  return c;
}

/** The plan to write: `undefined` leaves plans alone, `null` removes that year's plan. */
function planOf(s: AppServices, input: Partial<ProjectInput>, problems: FieldProblem[]): { year: number; planned: string | null } | undefined {
  if (input.year !== undefined && (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)) {
    problems.push({ path: 'year', key: 'field.invalid' });
    return undefined;
  }
  if (input.yearPlannedInvestment === undefined) return undefined;
  const year = input.year ?? shanghaiYear(s.now());
  if (input.yearPlannedInvestment === null || input.yearPlannedInvestment.trim() === '') return { year, planned: null };
  const planned = money('yearPlannedInvestment', input.yearPlannedInvestment, problems);
  return planned === undefined ? undefined : { year, planned };
}

const scopeByTx = new WeakMap<object, Map<string, ProjectScope>>();

/** The caller's scope, remembered for the rest of an import's transaction (never across transactions). */
async function scopeIn(tx: Db, s: AppServices, caller: Caller): Promise<ProjectScope> {
  if (tx === s.db) return projectScope(tx, caller);
  const cache = scopeByTx.get(tx) ?? new Map<string, ProjectScope>();
  scopeByTx.set(tx, cache);
  const hit = cache.get(caller.userId);
  if (hit) return hit;
  const scope = await projectScope(tx, caller);
  cache.set(caller.userId, scope);
  return scope;
}

/** Placement problems (see the module comment), or a 403 for a caller who can place projects nowhere. */
function placementProblems(scope: ProjectScope, target: { commandId: string | null; leadUnitId: string | null }): FieldProblem[] {
  if (canWriteProject(scope, target)) return [];
  if (!scope.commandIds.length && !scope.unitIds.length) throw forbidden();
  const problems: FieldProblem[] = [];
  if (scope.commandIds.length) problems.push({ path: 'commandId', key: 'field.project.place_command' });
  if (scope.unitIds.length) problems.push({ path: 'leadUnitId', key: 'field.project.place_unit' });
  return problems;
}

async function codeTaken(tx: Db, zoneId: string, code: string, exceptId?: string): Promise<boolean> {
  const [hit] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.zoneId, zoneId), eq(projects.code, code), exceptId ? ne(projects.id, exceptId) : undefined))
    .limit(1);
  return hit !== undefined;
}

function refChecks(c: ProjectColumns, only?: (key: keyof ProjectColumns) => boolean): RefCheck[] {
  const out: RefCheck[] = [];
  for (const [key, kind] of Object.entries(REF_OF) as [keyof typeof REF_OF, RefKind][]) {
    const value = c[key];
    if (typeof value === 'string' && (!only || only(key))) out.push({ path: key, kind, value });
  }
  return out;
}

function throwIf(problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  // One message per field: the first found is the most basic.
  const seen = new Set<string>();
  const fields = problems.filter((p) => (seen.has(p.path) ? false : (seen.add(p.path), true)));
  throw new AppError('validation_failed', { fields });
}

async function enterpriseNameIn(tx: Db, s: AppServices, zoneId: string, enterpriseId: string | null, known: Map<string, string>): Promise<string | null> {
  if (!enterpriseId) return null;
  if (known.has('enterpriseId')) return known.get('enterpriseId')!;
  const { names } = await checkRefs(tx, s, zoneId, [{ path: 'enterpriseId', kind: 'enterprise', value: enterpriseId }]);
  return names.get('enterpriseId') ?? null;
}

async function writePlan(tx: Db, s: AppServices, zoneId: string, projectId: string, p: { year: number; planned: string | null }): Promise<void> {
  if (p.planned === null) {
    await tx.delete(projectAnnualPlans).where(and(eq(projectAnnualPlans.zoneId, zoneId), eq(projectAnnualPlans.projectId, projectId), eq(projectAnnualPlans.year, p.year)));
    return;
  }
  await tx
    .insert(projectAnnualPlans)
    .values({ zoneId, projectId, year: p.year, plannedInvestment: p.planned })
    .onConflictDoUpdate({
      target: [projectAnnualPlans.zoneId, projectAnnualPlans.projectId, projectAnnualPlans.year],
      set: { plannedInvestment: p.planned, updatedAt: s.now() },
    });
}

/** What the audit trail keeps of a project (no personal data in a project); the batched import writes the same. */
export const SNAPSHOT_KEYS = [
  'code',
  'name',
  'enterpriseId',
  'industry',
  'kind',
  'level',
  'clusterUnitId',
  'areaUnitId',
  'address',
  'longitude',
  'latitude',
  'commandId',
  'leadUnitId',
  'leaderUserId',
  'taskForceId',
  'totalInvestment',
  'phase',
  'suspendedFrom',
  'signedOn',
  'startedOn',
  'operatingOn',
  'completedOn',
  'suspendedOn',
  'plannedStartOn',
  'plannedCompletionOn',
  'notes',
  'version',
] as const satisfies readonly (keyof ProjectRow)[];

function snapshot(row: ProjectRow, keys: readonly (keyof ProjectRow)[] = SNAPSHOT_KEYS): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

/**
 * Creates a project in the caller's zone inside `tx`: checks the fields, the references (400 field.not_found),
 * the phase and its dates (400), the placement (400, see the module comment) and the code (400 code field.taken),
 * writes the search document, the annual plan of `input.year` (default this year) and the audit row.
 */
export async function insertProject(tx: Db, s: AppServices, caller: Caller, input: ProjectInput): Promise<typeof projects.$inferSelect> {
  const { zoneId } = caller;
  const problems: FieldProblem[] = [];
  const c = columnsOf(input, problems);
  const plan = planOf(s, input, problems);
  for (const key of ['code', 'name', 'totalInvestment'] as const) if (input[key] === undefined) problems.push({ path: key, key: 'field.required' });
  const state: PhaseState = {
    phase: c.phase ? asPhase(c.phase) : 'pipeline',
    suspendedFrom: c.suspendedFrom ? asPhase(c.suspendedFrom) : null,
    signedOn: c.signedOn ?? null,
    startedOn: c.startedOn ?? null,
    operatingOn: c.operatingOn ?? null,
    completedOn: c.completedOn ?? null,
    suspendedOn: c.suspendedOn ?? null,
    plannedStartOn: c.plannedStartOn ?? null,
    plannedCompletionOn: c.plannedCompletionOn ?? null,
  };
  problems.push(...checkPhaseState(state, shanghaiDate(s.now())));
  const { problems: refProblems, names } = await checkRefs(tx, s, zoneId, refChecks(c));
  problems.push(...refProblems);
  problems.push(...placementProblems(await scopeIn(tx, s, caller), { commandId: c.commandId ?? null, leadUnitId: c.leadUnitId ?? null }));
  if (c.code && (await codeTaken(tx, zoneId, c.code))) problems.push({ path: 'code', key: 'field.taken' });
  throwIf(problems);

  const [row] = await tx
    .insert(projects)
    .values({
      ...c,
      zoneId,
      code: c.code!,
      name: c.name!,
      totalInvestment: c.totalInvestment!,
      level: c.level ?? 'district',
      ...state,
      searchDoc: searchDocument([c.name, names.get('enterpriseId'), c.address, c.notes]),
    })
    .returning();
  if (!row) throw new Error('project insert returned nothing');
  if (plan && plan.planned !== null) await writePlan(tx, s, zoneId, row.id, plan);
  await audit(tx, s, caller, {
    action: 'project.create',
    entityType: ENTITY,
    entityId: row.id,
    after: { ...snapshot(row), ...(plan ? { plan: { year: plan.year, plannedInvestment: plan.planned } } : {}) },
  });
  return row;
}

/**
 * Changes the facts of `existing` (a row the caller read in this transaction) inside `tx`: the same checks as
 * insertProject on the result, references checked only where they change. The update is conditional on
 * `existing.version` (stale → 409 naming who changed it) and bumps the version. A `phase` in `changes` (an import
 * correcting the ledger) is checked as a state (dates agree), not as a move, and recorded in
 * project_phase_changes. A caller who may not change `existing` gets 403 (check canWriteProject first to audit the
 * denial outside the transaction, as the API does).
 */
export async function patchProject(
  tx: Db,
  s: AppServices,
  caller: Caller,
  existing: typeof projects.$inferSelect,
  changes: Partial<ProjectInput>,
): Promise<typeof projects.$inferSelect> {
  const { zoneId } = caller;
  const scope = await scopeIn(tx, s, caller);
  if (!canWriteProject(scope, existing)) throw forbidden();
  const problems: FieldProblem[] = [];
  const c = columnsOf(changes, problems);
  const plan = planOf(s, changes, problems);
  // Leaving a phase that has a date column clears nothing by itself: say which dates to clear, or keep them.
  const merged = { ...existing, ...c } as ProjectRow;
  if (c.phase && c.phase !== 'suspended' && changes.suspendedFrom === undefined) merged.suspendedFrom = null;
  if (c.phase && c.phase !== 'suspended' && changes.suspendedOn === undefined) merged.suspendedOn = null;
  const state = phaseStateOf(merged);
  problems.push(...checkPhaseState(state, shanghaiDate(s.now())));
  const changed = (key: keyof ProjectColumns) => c[key] !== undefined && c[key] !== existing[key as keyof ProjectRow];
  const { problems: refProblems, names } = await checkRefs(tx, s, zoneId, refChecks(c, changed));
  problems.push(...refProblems);
  problems.push(...placementProblems(scope, merged));
  if (c.code && c.code !== existing.code && (await codeTaken(tx, zoneId, c.code, existing.id))) problems.push({ path: 'code', key: 'field.taken' });
  throwIf(problems);

  const enterpriseName = await enterpriseNameIn(tx, s, zoneId, merged.enterpriseId, names);
  const [row] = await tx
    .update(projects)
    .set({
      ...c,
      suspendedFrom: state.suspendedFrom,
      suspendedOn: state.suspendedOn,
      searchDoc: searchDocument([merged.name, enterpriseName, merged.address, merged.notes]),
      version: sql`${projects.version} + 1`,
      updatedAt: s.now(),
    })
    .where(and(eq(projects.zoneId, zoneId), eq(projects.id, existing.id), eq(projects.version, existing.version)))
    .returning();
  if (!row) throw await versionConflict(tx, zoneId, ENTITY, existing.id);
  if (row.phase !== existing.phase) {
    await tx.insert(projectPhaseChanges).values({
      zoneId,
      projectId: row.id,
      fromPhase: existing.phase,
      toPhase: row.phase,
      onDate: currentPhaseDate(phaseStateOf(row)) ?? shanghaiDate(s.now()),
      reason: null,
      actorId: caller.userId,
    });
  }
  if (plan) await writePlan(tx, s, zoneId, row.id, plan);
  const keys = SNAPSHOT_KEYS.filter((k) => k === 'version' || String(existing[k]) !== String(row[k]));
  await audit(tx, s, caller, {
    action: 'project.update',
    entityType: ENTITY,
    entityId: row.id,
    before: snapshot(existing, keys),
    after: { ...snapshot(row, keys), ...(plan ? { plan: { year: plan.year, plannedInvestment: plan.planned } } : {}) },
  });
  return row;
}

// The API's operations ----------------------------------------------------------------------------------------------

/** The year whose plan and figures a request shows (default this year), as of today in Asia/Shanghai. */
export function figureWindow(s: AppServices, year?: number): FigureWindow {
  const asOf = shanghaiDate(s.now());
  const y = year ?? Number(asOf.slice(0, 4));
  return { year: y, asOf, months: monthsElapsed(y, asOf) };
}

export async function listProjects(
  s: AppServices,
  caller: Caller,
  filters: ProjectFilters,
  page: number,
  pageSize: number,
): Promise<{ scope: ProjectScope; window: FigureWindow; items: ProjectRecord[]; total: number }> {
  const scope = await projectScope(s.db, caller);
  const window = figureWindow(s, filters.year);
  const where = await projectFilterWhere(s.db, caller.zoneId, scope, filters);
  const { items, total } = await selectProjects(s.db, caller.zoneId, where, filters, window, { limit: pageSize, offset: (page - 1) * pageSize });
  return { scope, window, items, total };
}

/** Every matching project (up to EXPORT_LIMIT, else 400), and an audit row: who took how many, with which filters. */
export async function exportProjects(s: AppServices, caller: Caller, filters: ProjectFilters, columns: string[]) {
  const scope = await projectScope(s.db, caller);
  const window = figureWindow(s, filters.year);
  const where = await projectFilterWhere(s.db, caller.zoneId, scope, filters);
  const { items } = await selectProjects(s.db, caller.zoneId, where, filters, window, { limit: EXPORT_LIMIT + 1, offset: 0 }, false);
  if (items.length > EXPORT_LIMIT) throw fieldError('columns', 'field.export_too_large', { max: EXPORT_LIMIT });
  await auditEvent(s, caller, { action: 'project.export', entityType: ENTITY, after: { count: items.length, filters, columns } });
  return { scope, window, items };
}

/** One project in the caller's scope with its names and figures; anything else is 404. */
export async function getProject(s: AppServices, caller: Caller, id: string, year?: number) {
  const { scope } = await loadProjectInScope(s, caller, id);
  const window = figureWindow(s, year);
  const record = await selectProjectRecord(s.db, caller.zoneId, id, window);
  if (!record) throw notFound();
  return { scope, window, record };
}

export async function createProject(s: AppServices, caller: Caller, input: ProjectInput) {
  try {
    const row = await s.db.transaction((tx) => insertProject(tx, s, caller, input));
    return await getProject(s, caller, row.id, input.year);
  } catch (err) {
    throw translateProjectDbError(err);
  }
}

/**
 * Loads a project the caller may read (else 404) and checks they may change it; a refusal of a project they can see
 * is audited and answered 403.
 */
export async function loadProjectForChange(s: AppServices, caller: Caller, id: string, action: string): Promise<ProjectRow> {
  const { project, scope } = await loadProjectInScope(s, caller, id);
  if (!canWriteProject(scope, project)) throw await deny(s, caller, ENTITY, id, action);
  return project;
}

/** The row again inside the transaction (it may have gone meanwhile), checked against the version the edit is based on. */
async function lockedRow(tx: Db, zoneId: string, id: string, version: number): Promise<ProjectRow> {
  const [row] = await tx
    .select()
    .from(projects)
    .where(and(eq(projects.zoneId, zoneId), eq(projects.id, id)))
    .for('update');
  if (!row) throw notFound();
  if (row.version !== version) throw await versionConflict(tx, zoneId, ENTITY, id);
  return row;
}

export async function updateProject(s: AppServices, caller: Caller, id: string, body: { version: number } & Partial<ProjectInput>) {
  const { version, ...changes } = body;
  await loadProjectForChange(s, caller, id, 'project.update');
  try {
    await s.db.transaction(async (tx) => patchProject(tx, s, caller, await lockedRow(tx, caller.zoneId, id, version), changes));
    return await getProject(s, caller, id, changes.year);
  } catch (err) {
    throw translateProjectDbError(err);
  }
}

/** Only a project still in the pipeline may be deleted (its milestones, plans and phase history go with it). */
export async function deleteProject(s: AppServices, caller: Caller, id: string, version: number): Promise<void> {
  await loadProjectForChange(s, caller, id, 'project.delete');
  try {
    // Its files go with it (rows in the transaction, bytes after the commit), so none is left without an owner.
    const removedFiles = await s.db.transaction(async (tx) => {
      const row = await lockedRow(tx, caller.zoneId, id, version);
      if (row.phase !== 'pipeline') throw new AppError('conflict', { fields: [{ path: 'phase', key: 'field.project.delete_phase' }] });
      const files = await deleteFilesOfOwner(tx, caller.zoneId, { type: 'project', id });
      await tx.delete(projects).where(and(eq(projects.zoneId, caller.zoneId), eq(projects.id, id), eq(projects.version, version)));
      await audit(tx, s, caller, { action: 'project.delete', entityType: ENTITY, entityId: id, before: { ...snapshot(row), files: files.map((f) => f.originalName) } });
      return files;
    });
    await removeBlobsOf(s, caller.zoneId, removedFiles);
  } catch (err) {
    // Something of another module still points at the project (a file, a problem): 409 field.in_use.
    throw translateDeleteError(err);
  }
}

/**
 * A phase move (state machine in src/shared/project-phase.ts): the phase and its date column, a
 * project_phase_changes row and the audit row ('project.phase', entityType 'project', entityId the project) in one
 * transaction, and the version bumped.
 */
export async function moveProjectPhase(s: AppServices, caller: Caller, id: string, input: PhaseMoveInput) {
  await loadProjectForChange(s, caller, id, 'project.phase');
  const reason = input.reason?.trim() || null;
  await s.db.transaction(async (tx) => {
    const row = await lockedRow(tx, caller.zoneId, id, input.version);
    const state = phaseStateOf(row);
    throwIf(checkMove(state, input.to, input.on, reason, shanghaiDate(s.now())));
    const next = phaseAfterMove(state, input.to, input.on);
    const [updated] = await tx
      .update(projects)
      .set({ ...next, version: sql`${projects.version} + 1`, updatedAt: s.now() })
      .where(and(eq(projects.zoneId, caller.zoneId), eq(projects.id, id), eq(projects.version, input.version)))
      .returning();
    if (!updated) throw await versionConflict(tx, caller.zoneId, ENTITY, id);
    await tx.insert(projectPhaseChanges).values({ zoneId: caller.zoneId, projectId: id, fromPhase: row.phase, toPhase: input.to, onDate: input.on, reason, actorId: caller.userId });
    const keys = ['phase', 'suspendedFrom', 'signedOn', 'startedOn', 'operatingOn', 'completedOn', 'suspendedOn', 'version'] as const;
    await audit(tx, s, caller, {
      action: 'project.phase',
      entityType: ENTITY,
      entityId: id,
      before: snapshot(row, keys),
      after: { ...snapshot(updated, keys), on: input.on, reason },
    });
  });
  return getProject(s, caller, id);
}

export async function listPhaseChanges(s: AppServices, caller: Caller, id: string) {
  await loadProjectInScope(s, caller, id);
  const rows = await s.db
    .select({ change: projectPhaseChanges, actorName: users.displayName })
    .from(projectPhaseChanges)
    .leftJoin(users, and(eq(users.zoneId, projectPhaseChanges.zoneId), eq(users.id, projectPhaseChanges.actorId)))
    .where(and(eq(projectPhaseChanges.zoneId, caller.zoneId), eq(projectPhaseChanges.projectId, id)))
    .orderBy(desc(projectPhaseChanges.at), desc(projectPhaseChanges.onDate));
  return rows.map(({ change: c, actorName }) => ({
    fromPhase: asPhase(c.fromPhase),
    toPhase: asPhase(c.toPhase),
    onDate: c.onDate,
    reason: c.reason,
    actor: c.actorId && actorName !== null ? { id: c.actorId, displayName: actorName } : null,
    at: c.at.toISOString(),
  }));
}

/** The Gantt view: up to GANTT_LIMIT projects of the filtered list, each with its milestones (two queries). */
export async function ganttProjects(s: AppServices, caller: Caller, filters: ProjectFilters) {
  const scope = await projectScope(s.db, caller);
  const window = figureWindow(s, filters.year);
  const where = await projectFilterWhere(s.db, caller.zoneId, scope, filters);
  const { items } = await selectProjects(s.db, caller.zoneId, where, filters, window, { limit: GANTT_LIMIT, offset: 0 }, false);
  return { scope, items, today: window.asOf };
}

