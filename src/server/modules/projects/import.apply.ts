import { and, eq, inArray, sql } from 'drizzle-orm';
import { formatYuan, parseYuan } from '../../../shared/money.ts';
import { writeAuditBatch, type AuditEntry } from '../../audit/audit.ts';
import { auditActorOf, type AppServices, type Caller } from '../../context.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { AppError, pgErrorCode, type FieldProblem } from '../../errors.ts';
import { effectiveChanges, type PlanLookup, type ValidRow } from './import.validate.ts';
import type { ProjectInput } from './projects.dto.ts';
import { canWriteProject, type ProjectScope } from './projects.policy.ts';
import { checkRefs, resolveRefs, type RefCheck, type RefKind } from './projects.refs.ts';
import { findProjectsByCodes, type ProjectRow } from './projects.repository.ts';
import { asPhase, checkPhaseState, currentPhaseDate, phaseStateOf, type PhaseState } from './projects.rules.ts';
import { shanghaiDate, shanghaiYear } from './projects.schedule.ts';
import { projectAnnualPlans, projectPhaseChanges, projects } from './projects.schema.ts';
import { searchTokens } from './projects.search.ts';
import { insertProject, patchProject, SNAPSHOT_KEYS, translateProjectDbError } from './projects.service.ts';

/**
 * Applying a confirmed import, set-based (docs/performance.md "Excel import"). The rows were checked when the file
 * was read; here, inside the one transaction, everything that may have changed since is checked again, for all
 * rows at once — references (one query per 500 distinct values), codes, the caller's scope, each update's phase
 * state over the project as it is now — and then written in chunks: one INSERT per CHUNK new projects, one
 * UPDATE per CHUNK changed ones, their plans, phase history and audit rows (writeAuditBatch: one lock of each
 * chain head, not one per row). Instead of ≈9 round trips a row, a few per thousand rows.
 *
 * The outcome is the row-by-row path's, field for field: what insertProject / patchProject (projects.service.ts)
 * write — columns, search document, plan, phase change, audit payload — is written here the same way
 * (import.test.ts compares the two), and a row the ledger no longer accepts answers the same 409 naming that row.
 * When the database itself refuses a chunk (a code taken or a reference deleted by someone else meanwhile), the
 * chunk is replayed row by row in a savepoint through insertProject / patchProject, only to name the row; the
 * whole import then rolls back, as before.
 */

/** Rows per INSERT / UPDATE statement (≈30 bind parameters a row: well below the 65535 limit). */
const CHUNK = 1000;
/** Distinct references resolved per query (one sub-select each: well below 1664 result columns). */
const REF_CHUNK = 500;

/** What the audit trail keeps of a project: projects.service.ts's own list, so the two write paths cannot drift. */
export { SNAPSHOT_KEYS };

type SnapshotRow = Pick<ProjectRow, 'id' | (typeof SNAPSHOT_KEYS)[number]>;
const SNAPSHOT_COLUMNS = Object.fromEntries(['id', ...SNAPSHOT_KEYS].map((k) => [k, projects[k as keyof SnapshotRow]])) as {
  [K in keyof SnapshotRow]: (typeof projects)[K];
};

function snapshot(row: SnapshotRow, keys: readonly (typeof SNAPSHOT_KEYS)[number][] = SNAPSHOT_KEYS): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

const ID_KEYS = ['enterpriseId', 'clusterUnitId', 'areaUnitId', 'commandId', 'leadUnitId', 'leaderUserId', 'taskForceId'] as const;
const TEXT_KEYS = ['industry', 'kind', 'address', 'notes'] as const;
const PLAIN_KEYS = ['code', 'name', 'level', 'phase', 'suspendedFrom', 'longitude', 'latitude'] as const;
const DATE_KEYS = ['plannedStartOn', 'plannedCompletionOn', 'signedOn', 'startedOn', 'operatingOn', 'completedOn', 'suspendedOn'] as const;
const REF_OF: [keyof Columns, RefKind][] = [
  ['enterpriseId', 'enterprise'],
  ['industry', 'industry'],
  ['kind', 'project_kind'],
  ['clusterUnitId', 'cluster'],
  ['areaUnitId', 'area'],
  ['commandId', 'command'],
  ['leadUnitId', 'unit'],
  ['leaderUserId', 'user'],
  ['taskForceId', 'task_force'],
];

type Columns = Partial<Omit<typeof projects.$inferInsert, 'zoneId' | 'id' | 'searchDoc' | 'version' | 'createdAt' | 'updatedAt'>>;

const blank = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
const money = (v: string) => {
  const fen = parseYuan(v);
  if (fen === null) throw new Error(`not an amount: ${v}`);
  return formatYuan(fen);
};

/** The columns a checked row sets (the keys present), normalised as projects.service.ts columnsOf does. */
function columnsOf(input: Partial<ProjectInput>): Columns {
  const c: Columns = {};
  for (const k of PLAIN_KEYS) {
    const v = input[k];
    if (v !== undefined) (c as Record<string, unknown>)[k] = typeof v === 'string' ? v.trim() : v;
  }
  for (const k of TEXT_KEYS) if (input[k] !== undefined) c[k] = blank(input[k]);
  for (const k of ID_KEYS) if (input[k] !== undefined) c[k] = input[k] || null;
  for (const k of DATE_KEYS) if (input[k] !== undefined) c[k] = input[k] || null;
  if (input.totalInvestment !== undefined) c.totalInvestment = money(input.totalInvestment);
  return c;
}

function planOf(s: AppServices, input: Partial<ProjectInput>): { year: number; planned: string | null } | undefined {
  if (input.yearPlannedInvestment === undefined) return undefined;
  const year = input.year ?? shanghaiYear(s.now());
  return { year, planned: input.yearPlannedInvestment === null || input.yearPlannedInvestment.trim() === '' ? null : money(input.yearPlannedInvestment) };
}

function refChecks(c: Columns, only?: (key: keyof Columns) => boolean): RefCheck[] {
  const out: RefCheck[] = [];
  for (const [key, kind] of REF_OF) {
    const value = c[key];
    if (typeof value === 'string' && (!only || only(key))) out.push({ path: key, kind, value });
  }
  return out;
}

/** null: the caller may place the project nowhere (the row-by-row path's 403, a 409 on the row here). */
function placementProblems(scope: ProjectScope, target: { commandId: string | null; leadUnitId: string | null }): FieldProblem[] | null {
  if (canWriteProject(scope, target)) return [];
  if (!scope.commandIds.length && !scope.unitIds.length) return null;
  const problems: FieldProblem[] = [];
  if (scope.commandIds.length) problems.push({ path: 'commandId', key: 'field.project.place_command' });
  if (scope.unitIds.length) problems.push({ path: 'leadUnitId', key: 'field.project.place_unit' });
  return problems;
}

/** One message per field, the first found (as projects.service.ts throwIf). */
function firstPerField(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.path) ? false : (seen.add(p.path), true)));
}

/** The 409 for a row the ledger no longer accepts, naming the row and its fields. */
export function stale(row: number, problems: FieldProblem[] = []): AppError {
  return new AppError('conflict', {
    fields: [{ path: 'file', key: 'import.stale', params: { row } }, ...problems.map((p) => ({ ...p, path: `rows.${row}.${p.path}` }))],
  });
}

/** A row the ledger refused at apply time → 409 naming the row and its fields; anything else is a real failure. */
export function applyError(row: number, err: unknown): unknown {
  if (err instanceof AppError && err.code === 'conflict' && err.fields[0]?.key === 'import.stale') return err;
  const translated = translateProjectDbError(err);
  if (translated instanceof AppError) {
    if (translated.code === 'validation_failed') return stale(row, translated.fields);
    if (translated.code === 'forbidden' || translated.code === 'version_conflict' || translated.code === 'not_found') return stale(row);
    return translated;
  }
  const code = pgErrorCode(err);
  if (code === '23505' || code === '23503' || code === '23514') return stale(row);
  return err;
}

/** The annual plans of these projects, every year (yuan strings). */
export async function plansOf(db: Db, zoneId: string, projectIds: string[]): Promise<PlanLookup> {
  const plans = new Map<string, string>();
  for (let i = 0; i < projectIds.length; i += 5000) {
    const ids = projectIds.slice(i, i + 5000);
    const rows = await db
      .select({ projectId: projectAnnualPlans.projectId, year: projectAnnualPlans.year, planned: projectAnnualPlans.plannedInvestment })
      .from(projectAnnualPlans)
      .where(and(eq(projectAnnualPlans.zoneId, zoneId), inArray(projectAnnualPlans.projectId, ids)));
    for (const r of rows) plans.set(`${r.projectId}:${r.year}`, r.planned);
  }
  return (projectId, year) => plans.get(`${projectId}:${year}`) ?? null;
}

interface Create {
  row: number;
  input: Partial<ProjectInput>;
  /** The new project's columns (as insertProject writes them) and its search tokens. */
  values: Omit<ProjectRow, 'id' | 'zoneId' | 'searchDoc' | 'version' | 'createdAt' | 'updatedAt'>;
  tokens: string;
  plan: { year: number; planned: string | null } | undefined;
}

/** The editable columns of a project, as a jsonb_to_recordset row (snake_case, text values cast by the column list). */
function recordOf(p: Create['values']): Record<string, unknown> {
  return {
    code: p.code,
    name: p.name,
    enterprise_id: p.enterpriseId,
    industry: p.industry,
    kind: p.kind,
    level: p.level,
    cluster_unit_id: p.clusterUnitId,
    area_unit_id: p.areaUnitId,
    address: p.address,
    longitude: p.longitude,
    latitude: p.latitude,
    command_id: p.commandId,
    lead_unit_id: p.leadUnitId,
    leader_user_id: p.leaderUserId,
    task_force_id: p.taskForceId,
    total_investment: p.totalInvestment,
    phase: p.phase,
    suspended_from: p.suspendedFrom,
    signed_on: p.signedOn,
    started_on: p.startedOn,
    operating_on: p.operatingOn,
    completed_on: p.completedOn,
    suspended_on: p.suspendedOn,
    planned_start_on: p.plannedStartOn,
    planned_completion_on: p.plannedCompletionOn,
    notes: p.notes,
  };
}

/** The column list of recordOf for jsonb_to_recordset (plus the search tokens `doc`, and what an update needs). */
const RECORD_COLUMNS = sql.raw(`code text, name text, enterprise_id uuid, industry text, kind text, level text, cluster_unit_id uuid,
  area_unit_id uuid, address text, longitude numeric, latitude numeric, command_id uuid, lead_unit_id uuid, leader_user_id uuid,
  task_force_id uuid, total_investment numeric, phase text, suspended_from text, signed_on date, started_on date, operating_on date,
  completed_on date, suspended_on date, planned_start_on date, planned_completion_on date, notes text, doc text, id uuid, version integer`);

/** The snapshot columns of these projects, read back typed (what the audit trail keeps). */
async function snapshotsOf(tx: Db, zoneId: string, ids: string[]): Promise<Map<string, SnapshotRow>> {
  const rows = await tx
    .select(SNAPSHOT_COLUMNS)
    .from(projects)
    .where(and(eq(projects.zoneId, zoneId), inArray(projects.id, ids)));
  return new Map(rows.map((p) => [p.id, p]));
}

interface Update {
  row: number;
  existing: ProjectRow;
  changes: Partial<ProjectInput>;
  /** The project as it will be (existing with the changes), and its search tokens. */
  next: ProjectRow;
  tokens: string;
  plan: { year: number; planned: string | null } | undefined;
}

/** Runs `write` in a savepoint; when the database refuses it, names the row through the row-by-row path. */
async function orNameTheRow<T>(tx: Db, write: (sp: Db) => Promise<T>, rowByRow: { row: number; run: (sp: Db) => Promise<unknown> }[]): Promise<T> {
  try {
    return await tx.transaction(async (sp) => write(sp));
  } catch (err) {
    const code = pgErrorCode(err);
    if (code !== '23505' && code !== '23503' && code !== '23514') throw err;
    for (const r of rowByRow) {
      try {
        await tx.transaction(async (sp) => r.run(sp));
      } catch (rowErr) {
        throw applyError(r.row, rowErr);
      }
    }
    throw applyError(rowByRow[0]?.row ?? 0, err);
  }
}

/**
 * Applies the checked rows of an import in `tx` (see the module comment): creates, and updates by 项目编号 of
 * what changed. `scope` is the caller's, read before the transaction. Throws the 409 of the first row (in file
 * order) the ledger no longer accepts.
 */
export async function applyImportRows(
  tx: Db,
  s: AppServices,
  caller: Caller,
  scope: ProjectScope,
  rows: ValidRow[],
): Promise<{ created: number; updated: number; unchanged: number }> {
  const { zoneId } = caller;
  const today = shanghaiDate(s.now());
  const current = new Map((await findProjectsByCodes(tx, zoneId, rows.map((r) => r.code))).map((p) => [p.code, p]));
  const planOfProject = await plansOf(
    tx,
    zoneId,
    rows.flatMap((r) => (r.action === 'update' && current.get(r.code) ? [current.get(r.code)!.id] : [])),
  );

  // What each row would write, and every reference it must check (all resolved below, a few queries in all).
  type Pending = { kind: 'create'; row: ValidRow; c: Columns; checks: RefCheck[] } | { kind: 'update'; row: ValidRow; existing: ProjectRow; changes: Partial<ProjectInput>; c: Columns; checks: RefCheck[] };
  const pending: Pending[] = [];
  let unchanged = 0;
  const problemsOf = new Map<number, FieldProblem[] | 'stale'>();
  for (const r of rows) {
    const existing = current.get(r.code);
    if (r.action === 'create') {
      if (existing) {
        problemsOf.set(r.row, [{ path: 'code', key: 'field.taken' }]);
        continue;
      }
      const c = columnsOf(r.input);
      pending.push({ kind: 'create', row: r, c, checks: refChecks(c) });
    } else {
      if (!existing || existing.id !== r.projectId || !canWriteProject(scope, existing)) {
        problemsOf.set(r.row, 'stale');
        continue;
      }
      const changes = effectiveChanges(existing, r.input, planOfProject);
      if (Object.keys(changes).length === 0) {
        unchanged++;
        continue;
      }
      const c = columnsOf(changes);
      const changed = (key: keyof Columns) => c[key] !== undefined && c[key] !== existing[key as keyof ProjectRow];
      const checks = refChecks(c, changed);
      const enterpriseId = c.enterpriseId !== undefined ? c.enterpriseId : existing.enterpriseId;
      // The enterprise's name goes into the search document even when the enterprise does not change.
      if (enterpriseId && !checks.some((k) => k.path === 'enterpriseId')) checks.push({ path: '_enterpriseName', kind: 'enterprise', value: enterpriseId });
      pending.push({ kind: 'update', row: r, existing, changes, c, checks });
    }
  }
  const distinct = [...new Map(pending.flatMap((p) => p.checks).map((c) => [`${c.kind}:${c.value}`, c])).values()];
  for (let i = 0; i < distinct.length; i += REF_CHUNK) await resolveRefs(tx, s, zoneId, distinct.slice(i, i + REF_CHUNK));

  const creates: Create[] = [];
  const updates: Update[] = [];
  for (const p of pending) {
    // Answered from the cache resolveRefs filled above: no query.
    const { problems: refProblems, names } = await checkRefs(
      tx,
      s,
      zoneId,
      p.checks.filter((k) => k.path !== '_enterpriseName'),
    );
    const nameOf = p.checks.find((k) => k.path === '_enterpriseName');
    const enterpriseName = nameOf ? (await resolveRefs(tx, s, zoneId, [nameOf])).get(`enterprise:${nameOf.value}`)?.name ?? null : (names.get('enterpriseId') ?? null);
    const r = p.row;
    if (p.kind === 'create') {
      const { c } = p;
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
      const placement = placementProblems(scope, { commandId: c.commandId ?? null, leadUnitId: c.leadUnitId ?? null });
      if (placement === null) {
        problemsOf.set(r.row, 'stale');
        continue;
      }
      const problems = [...checkPhaseState(state, today), ...refProblems, ...placement];
      if (problems.length) {
        problemsOf.set(r.row, firstPerField(problems));
        continue;
      }
      creates.push({
        row: r.row,
        input: r.input,
        plan: planOf(s, r.input),
        values: {
          code: c.code!,
          name: c.name!,
          enterpriseId: c.enterpriseId ?? null,
          industry: c.industry ?? null,
          kind: c.kind ?? null,
          level: c.level ?? 'district',
          clusterUnitId: c.clusterUnitId ?? null,
          areaUnitId: c.areaUnitId ?? null,
          address: c.address ?? null,
          longitude: c.longitude ?? null,
          latitude: c.latitude ?? null,
          commandId: c.commandId ?? null,
          leadUnitId: c.leadUnitId ?? null,
          leaderUserId: c.leaderUserId ?? null,
          taskForceId: c.taskForceId ?? null,
          totalInvestment: c.totalInvestment!,
          notes: c.notes ?? null,
          ...state,
        },
        tokens: searchTokens([c.name, enterpriseName, c.address, c.notes]).join(' '),
      });
    } else {
      const { c, existing, changes } = p;
      const merged = { ...existing, ...c } as ProjectRow;
      if (c.phase && c.phase !== 'suspended' && changes.suspendedFrom === undefined) merged.suspendedFrom = null;
      if (c.phase && c.phase !== 'suspended' && changes.suspendedOn === undefined) merged.suspendedOn = null;
      const placement = placementProblems(scope, merged);
      if (placement === null) {
        problemsOf.set(r.row, 'stale');
        continue;
      }
      const problems = [...checkPhaseState(phaseStateOf(merged), today), ...refProblems, ...placement];
      if (problems.length) {
        problemsOf.set(r.row, firstPerField(problems));
        continue;
      }
      updates.push({
        row: r.row,
        existing,
        changes,
        next: merged,
        tokens: searchTokens([merged.name, enterpriseName, merged.address, merged.notes]).join(' '),
        plan: planOf(s, changes),
      });
    }
  }
  // The first row (in file order) the ledger no longer accepts fails the whole import.
  const refused = rows.find((r) => problemsOf.has(r.row));
  if (refused) {
    const p = problemsOf.get(refused.row)!;
    throw p === 'stale' ? stale(refused.row) : stale(refused.row, p);
  }

  const entries: AuditEntry[] = [];
  const planRows: (typeof projectAnnualPlans.$inferInsert)[] = [];

  // New projects: one INSERT per chunk (rows as one jsonb parameter: building a multi-row VALUES of 30 columns
  // costs more than the insert); their plans; audit 'project.create' as insertProject writes it.
  for (let i = 0; i < creates.length; i += CHUNK) {
    const chunk = creates.slice(i, i + CHUNK);
    const payload = JSON.stringify(chunk.map((x) => ({ ...recordOf(x.values), doc: x.tokens })));
    const inserted = await orNameTheRow(
      tx,
      (sp) =>
        queryRows<{ id: string; code: string }>(
          sp,
          sql`insert into projects (zone_id, code, name, enterprise_id, industry, kind, level, cluster_unit_id, area_unit_id, address, longitude,
                latitude, command_id, lead_unit_id, leader_user_id, task_force_id, total_investment, phase, suspended_from, signed_on, started_on,
                operating_on, completed_on, suspended_on, planned_start_on, planned_completion_on, notes, search_doc)
              select ${zoneId}::uuid, v.code, v.name, v.enterprise_id, v.industry, v.kind, v.level, v.cluster_unit_id, v.area_unit_id, v.address,
                v.longitude, v.latitude, v.command_id, v.lead_unit_id, v.leader_user_id, v.task_force_id, v.total_investment, v.phase,
                v.suspended_from, v.signed_on, v.started_on, v.operating_on, v.completed_on, v.suspended_on, v.planned_start_on,
                v.planned_completion_on, v.notes, to_tsvector('simple', v.doc)
              from jsonb_to_recordset(${payload}::jsonb) as v(${RECORD_COLUMNS})
              returning id, code`,
        ),
      chunk.map((x) => ({ row: x.row, run: (sp: Db) => insertProject(sp, s, caller, x.input as ProjectInput) })),
    );
    const idOf = new Map(inserted.map((p) => [p.code, p.id]));
    const rowsOf = await snapshotsOf(tx, zoneId, [...idOf.values()]);
    for (const x of chunk) {
      const row = rowsOf.get(idOf.get(x.values.code)!)!;
      if (x.plan && x.plan.planned !== null) planRows.push({ zoneId, projectId: row.id, year: x.plan.year, plannedInvestment: x.plan.planned });
      entries.push({
        action: 'project.create',
        entityType: 'project',
        entityId: row.id,
        after: { ...snapshot(row), ...(x.plan ? { plan: { year: x.plan.year, plannedInvestment: x.plan.planned } } : {}) },
      });
    }
  }

  // Changed projects: every editable column set to the project as it will be (unchanged ones to themselves), the
  // version checked and bumped, as patchProject does; then read back for the audit trail.
  const now = s.now();
  const phaseRows: (typeof projectPhaseChanges.$inferInsert)[] = [];
  const planDeletes: { projectId: string; year: number }[] = [];
  for (let i = 0; i < updates.length; i += CHUNK) {
    const chunk = updates.slice(i, i + CHUNK);
    const payload = JSON.stringify(chunk.map(({ existing: e, next: n, tokens }) => ({ ...recordOf(n), doc: tokens, id: e.id, version: e.version })));
    const done = await orNameTheRow(
      tx,
      (sp) =>
        queryRows<{ id: string }>(
          sp,
          sql`update projects p set name = v.name, enterprise_id = v.enterprise_id, industry = v.industry, kind = v.kind, level = v.level,
                cluster_unit_id = v.cluster_unit_id, area_unit_id = v.area_unit_id, address = v.address, longitude = v.longitude,
                latitude = v.latitude, command_id = v.command_id, lead_unit_id = v.lead_unit_id, leader_user_id = v.leader_user_id,
                task_force_id = v.task_force_id, total_investment = v.total_investment, phase = v.phase, suspended_from = v.suspended_from,
                signed_on = v.signed_on, started_on = v.started_on, operating_on = v.operating_on, completed_on = v.completed_on,
                suspended_on = v.suspended_on, planned_start_on = v.planned_start_on, planned_completion_on = v.planned_completion_on,
                notes = v.notes, search_doc = to_tsvector('simple', v.doc), version = p.version + 1, updated_at = ${now.toISOString()}::timestamptz
              from jsonb_to_recordset(${payload}::jsonb) as v(${RECORD_COLUMNS})
              where p.zone_id = ${zoneId}::uuid and p.id = v.id and p.version = v.version
              returning p.id`,
        ),
      chunk.map((x) => ({ row: x.row, run: (sp: Db) => patchProject(sp, s, caller, x.existing, x.changes) })),
    );
    // Changed by someone else since it was read (the version moved): that row is stale.
    const updatedIds = new Set(done.map((d) => d.id));
    const missed = chunk.find((x) => !updatedIds.has(x.existing.id));
    if (missed) throw stale(missed.row);
    const after = await snapshotsOf(
      tx,
      zoneId,
      chunk.map((x) => x.existing.id),
    );
    for (const x of chunk) {
      const row = after.get(x.existing.id)!;
      const e = x.existing;
      if (row.phase !== e.phase) {
        phaseRows.push({
          zoneId,
          projectId: row.id,
          fromPhase: e.phase,
          toPhase: row.phase,
          onDate: currentPhaseDate(phaseStateOf(row)) ?? today,
          reason: null,
          actorId: caller.userId,
        });
      }
      if (x.plan && x.plan.planned !== null) planRows.push({ zoneId, projectId: row.id, year: x.plan.year, plannedInvestment: x.plan.planned });
      else if (x.plan) planDeletes.push({ projectId: row.id, year: x.plan.year });
      const keys = SNAPSHOT_KEYS.filter((k) => k === 'version' || String(e[k]) !== String(row[k]));
      entries.push({
        action: 'project.update',
        entityType: 'project',
        entityId: row.id,
        before: snapshot(e, keys),
        after: { ...snapshot(row, keys), ...(x.plan ? { plan: { year: x.plan.year, plannedInvestment: x.plan.planned } } : {}) },
      });
    }
  }

  for (let i = 0; i < phaseRows.length; i += CHUNK) {
    const payload = JSON.stringify(phaseRows.slice(i, i + CHUNK).map((p) => ({ project_id: p.projectId, from_phase: p.fromPhase, to_phase: p.toPhase, on_date: p.onDate })));
    await tx.execute(sql`
      insert into project_phase_changes (zone_id, project_id, from_phase, to_phase, on_date, reason, actor_id)
      select ${zoneId}::uuid, v.project_id, v.from_phase, v.to_phase, v.on_date, null, ${caller.userId}::uuid
      from jsonb_to_recordset(${payload}::jsonb) as v(project_id uuid, from_phase text, to_phase text, on_date date)`);
  }
  // A year's plan: inserted or replaced (an import always names an amount; an emptied plan would be removed).
  for (const d of planDeletes) {
    await tx
      .delete(projectAnnualPlans)
      .where(and(eq(projectAnnualPlans.zoneId, zoneId), eq(projectAnnualPlans.projectId, d.projectId), eq(projectAnnualPlans.year, d.year)));
  }
  for (let i = 0; i < planRows.length; i += CHUNK) {
    const payload = JSON.stringify(planRows.slice(i, i + CHUNK).map((p) => ({ project_id: p.projectId, year: p.year, planned: p.plannedInvestment })));
    await tx.execute(sql`
      insert into project_annual_plans (zone_id, project_id, year, planned_investment)
      select ${zoneId}::uuid, v.project_id, v.year, v.planned from jsonb_to_recordset(${payload}::jsonb) as v(project_id uuid, year integer, planned numeric)
      on conflict (zone_id, project_id, year) do update set planned_investment = excluded.planned_investment, updated_at = ${now.toISOString()}::timestamptz`);
  }
  await writeAuditBatch(tx, s.keys.auditKey, auditActorOf(caller), entries);
  return { created: creates.length, updated: updates.length, unchanged };
}
