import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { formatYuan, parseYuan } from '../../../shared/money.ts';
import type { ProjectPhase } from '../../../shared/project-phase.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, notFound, type FieldProblem } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { cleanText, oneOf, requiredText } from '../org/org.values.ts';
import { BATCH_KINDS, type BatchCreateInput, type BatchDetailDto, type BatchDto, type BatchKind, type BatchPatchInput } from './batches.api.ts';
import { BATCH_WRITE_ROLES, projectReadWhere, projectScope, type ProjectScope } from './projects.policy.ts';
import { batches, batchProjects, projects } from './projects.schema.ts';

/**
 * Batches (集中开工 / 集中签约). A batch is a public event of the zone: every project reader sees every batch and its
 * totals (project count, total investment: derived in SQL from its projects, exactly), but only the projects of
 * the batch inside their own scope. Zone leaders and HQ commanders create and edit batches; an edit of the project
 * list replaces the projects the editor can see and leaves the others (outside their scope) where they are.
 */
const ENTITY = 'batch';

type BatchRow = typeof batches.$inferSelect;
interface BatchView {
  row: BatchRow;
  projectCount: number;
  totalInvestment: string;
}

// Written out in full: drizzle leaves columns unqualified in the select list of a one-table query.
const countOf = sql<number>`(select count(*)::int from batch_projects bp where bp.zone_id = batches.zone_id and bp.batch_id = batches.id)`;
const totalOf = sql<string>`(select round(coalesce(sum(p.total_investment), 0), 2)::text
  from batch_projects bp join projects p on p.zone_id = bp.zone_id and p.id = bp.project_id
  where bp.zone_id = batches.zone_id and bp.batch_id = batches.id)`;

async function selectBatches(db: Db, where: SQL | undefined): Promise<BatchView[]> {
  return db
    .select({ row: batches, projectCount: countOf, totalInvestment: totalOf })
    .from(batches)
    .where(where)
    .orderBy(desc(batches.heldOn), asc(batches.name), asc(batches.id));
}

function present(caller: Caller, v: BatchView): BatchDto {
  const b = v.row;
  return {
    id: b.id,
    kind: oneOf(BATCH_KINDS, b.kind),
    name: b.name,
    heldOn: b.heldOn,
    location: b.location,
    notes: b.notes,
    projectCount: v.projectCount,
    totalInvestment: v.totalInvestment,
    version: b.version,
    can: { update: hasRole(caller, ...BATCH_WRITE_ROLES) },
  };
}

export async function listBatches(s: AppServices, caller: Caller, kind: BatchKind | undefined): Promise<BatchDto[]> {
  const views = await selectBatches(s.db, and(eq(batches.zoneId, caller.zoneId), kind ? eq(batches.kind, kind) : undefined));
  return views.map((v) => present(caller, v));
}

export async function getBatch(s: AppServices, caller: Caller, id: string): Promise<BatchDetailDto> {
  const [view] = await selectBatches(s.db, and(eq(batches.zoneId, caller.zoneId), eq(batches.id, id)));
  if (!view) throw notFound();
  const scope = await projectScope(s.db, caller);
  const rows = await s.db
    .select({ id: projects.id, code: projects.code, name: projects.name, phase: projects.phase, totalInvestment: projects.totalInvestment })
    .from(batchProjects)
    .innerJoin(projects, and(eq(projects.zoneId, batchProjects.zoneId), eq(projects.id, batchProjects.projectId)))
    .where(and(eq(batchProjects.zoneId, caller.zoneId), eq(batchProjects.batchId, id), projectReadWhere(scope)))
    .orderBy(asc(projects.code));
  return {
    ...present(caller, view),
    projects: rows.map((p) => ({ ...p, phase: p.phase as ProjectPhase, totalInvestment: formatYuan(parseYuan(p.totalInvestment) ?? 0n) })),
  };
}

/**
 * The projects a request names: each once, each one the caller can see (an id they cannot see is as unknown as a
 * made-up one). All problems together, on paths like projectIds.3.
 */
async function checkProjectIds(db: Db, caller: Caller, scope: ProjectScope, ids: readonly string[]): Promise<void> {
  const visible = ids.length
    ? new Set(
        (
          await db
            .select({ id: projects.id })
            .from(projects)
            .where(and(eq(projects.zoneId, caller.zoneId), inArray(projects.id, [...new Set(ids)]), projectReadWhere(scope)))
        ).map((r) => r.id),
      )
    : new Set<string>();
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  ids.forEach((id, i) => {
    if (!visible.has(id)) problems.push({ path: `projectIds.${i}`, key: 'field.not_found' });
    else if (seen.has(id)) problems.push({ path: `projectIds.${i}`, key: 'field.duplicate' });
    seen.add(id);
  });
  if (problems.length) throw new AppError('validation_failed', { fields: problems });
}

async function memberIds(db: Db, zoneId: string, batchId: string): Promise<string[]> {
  const rows = await db
    .select({ id: batchProjects.projectId })
    .from(batchProjects)
    .where(and(eq(batchProjects.zoneId, zoneId), eq(batchProjects.batchId, batchId)))
    .orderBy(asc(batchProjects.projectId));
  return rows.map((r) => r.id);
}

function snapshot(b: BatchRow, projectIds: string[]) {
  return { kind: b.kind, name: b.name, heldOn: b.heldOn, location: b.location, notes: b.notes, projectIds, version: b.version };
}

export async function createBatch(s: AppServices, caller: Caller, input: BatchCreateInput): Promise<BatchDetailDto> {
  const scope = await projectScope(s.db, caller);
  const name = requiredText('name', input.name);
  await checkProjectIds(s.db, caller, scope, input.projectIds);
  const id = await s.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(batches)
      .values({ zoneId: caller.zoneId, kind: input.kind, name, heldOn: input.heldOn, location: cleanText(input.location) ?? null, notes: cleanText(input.notes) ?? null })
      .returning();
    if (!row) throw new Error('batch insert returned nothing');
    if (input.projectIds.length) await tx.insert(batchProjects).values(input.projectIds.map((projectId) => ({ zoneId: caller.zoneId, batchId: row.id, projectId })));
    await audit(tx, s, caller, { action: `${ENTITY}.create`, entityType: ENTITY, entityId: row.id, after: snapshot(row, [...input.projectIds].sort()) });
    return row.id;
  });
  return getBatch(s, caller, id);
}

export async function updateBatch(s: AppServices, caller: Caller, id: string, patch: BatchPatchInput): Promise<BatchDetailDto> {
  const { zoneId } = caller;
  const scope = await projectScope(s.db, caller);
  const name = patch.name === undefined ? undefined : requiredText('name', patch.name);
  const where = and(eq(batches.zoneId, zoneId), eq(batches.id, id));
  const [exists] = await s.db.select({ id: batches.id }).from(batches).where(where);
  if (!exists) throw notFound();
  if (patch.projectIds) await checkProjectIds(s.db, caller, scope, patch.projectIds);
  await s.db.transaction(async (tx) => {
    const [current] = await tx.select().from(batches).where(where);
    if (!current) throw notFound();
    if (current.version !== patch.version) throw await versionConflict(tx, zoneId, ENTITY, id);
    const before = await memberIds(tx, zoneId, id);
    const [row] = await tx
      .update(batches)
      .set({
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(patch.heldOn !== undefined ? { heldOn: patch.heldOn } : {}),
        ...(patch.location !== undefined ? { location: cleanText(patch.location) ?? null } : {}),
        ...(patch.notes !== undefined ? { notes: cleanText(patch.notes) ?? null } : {}),
        version: sql`${batches.version} + 1`,
        updatedAt: s.now(),
      })
      .where(and(where, eq(batches.version, patch.version)))
      .returning();
    if (!row) throw await versionConflict(tx, zoneId, ENTITY, id);
    if (patch.projectIds) {
      // Only the memberships the caller can see are replaced; projects outside their scope stay in the batch.
      const readable = projectReadWhere(scope);
      await tx
        .delete(batchProjects)
        .where(
          and(
            eq(batchProjects.zoneId, zoneId),
            eq(batchProjects.batchId, id),
            readable
              ? inArray(batchProjects.projectId, tx.select({ id: projects.id }).from(projects).where(and(eq(projects.zoneId, zoneId), readable)))
              : undefined,
          ),
        );
      if (patch.projectIds.length) await tx.insert(batchProjects).values(patch.projectIds.map((projectId) => ({ zoneId, batchId: id, projectId })));
    }
    const after = patch.projectIds ? await memberIds(tx, zoneId, id) : before;
    await audit(tx, s, caller, { action: `${ENTITY}.update`, entityType: ENTITY, entityId: id, before: snapshot(current, before), after: snapshot(row, after) });
  });
  return getBatch(s, caller, id);
}
