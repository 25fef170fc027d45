import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, notFound, type FieldProblem } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import type { MilestoneCreateInput, MilestoneDto, MilestonePatchInput } from './projects.dto.ts';
import { canWriteProject, loadProjectInScope } from './projects.policy.ts';
import { presentMilestone } from './projects.presenters.ts';
import { shanghaiDate } from './projects.schedule.ts';
import { milestones } from './projects.schema.ts';
import { loadProjectForChange } from './projects.service.ts';

/**
 * Milestones (节点) of a project: whoever may change the project may change its milestones. Status is computed
 * (projects.presenters.ts milestoneStatus). Audit rows are entityType 'milestone' and carry `projectId` in
 * before/after, which is how the project's timeline finds them (projects.timeline.ts).
 */

const ENTITY = 'milestone';
type MilestoneRow = typeof milestones.$inferSelect;

function snapshot(m: MilestoneRow) {
  const { projectId, name, plannedOn, actualOn, notes, sortOrder, version } = m;
  return { projectId, name, plannedOn, actualOn, notes, sortOrder, version };
}

function checkDates(actualOn: string | null | undefined, today: string): void {
  const problems: FieldProblem[] = [];
  if (actualOn && actualOn > today) problems.push({ path: 'actualOn', key: 'field.project.future_date' });
  if (problems.length) throw new AppError('validation_failed', { fields: problems });
}

const clean = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

export async function listMilestones(s: AppServices, caller: Caller, projectId: string): Promise<MilestoneDto[]> {
  const { project, scope } = await loadProjectInScope(s, caller, projectId);
  const rows = await milestonesOf(s.db, caller.zoneId, [projectId]);
  const today = shanghaiDate(s.now());
  const canEdit = canWriteProject(scope, project);
  return rows.map((m) => presentMilestone(m, today, canEdit));
}

/** The milestones of several projects in one query, in display order. */
export async function milestonesOf(db: Db, zoneId: string, projectIds: string[]): Promise<MilestoneRow[]> {
  if (projectIds.length === 0) return [];
  return db
    .select()
    .from(milestones)
    .where(and(eq(milestones.zoneId, zoneId), inArray(milestones.projectId, projectIds)))
    .orderBy(asc(milestones.sortOrder), asc(milestones.plannedOn), asc(milestones.name), asc(milestones.id));
}

export async function createMilestone(s: AppServices, caller: Caller, projectId: string, input: MilestoneCreateInput): Promise<MilestoneDto> {
  await loadProjectForChange(s, caller, projectId, 'milestone.create');
  const today = shanghaiDate(s.now());
  checkDates(input.actualOn, today);
  const row = await s.db.transaction(async (tx) => {
    const [m] = await tx
      .insert(milestones)
      .values({
        zoneId: caller.zoneId,
        projectId,
        name: input.name.trim() || input.name,
        plannedOn: input.plannedOn,
        actualOn: input.actualOn ?? null,
        notes: clean(input.notes) ?? null,
        sortOrder: input.sortOrder ?? 0,
      })
      .returning();
    if (!m) throw new Error('milestone insert returned nothing');
    await audit(tx, s, caller, { action: 'milestone.create', entityType: ENTITY, entityId: m.id, after: snapshot(m) });
    return m;
  });
  return presentMilestone(row, today, true);
}

async function lockedMilestone(tx: Db, zoneId: string, projectId: string, id: string, version: number): Promise<MilestoneRow> {
  const [m] = await tx
    .select()
    .from(milestones)
    .where(and(eq(milestones.zoneId, zoneId), eq(milestones.projectId, projectId), eq(milestones.id, id)))
    .for('update');
  if (!m) throw notFound();
  if (m.version !== version) throw await versionConflict(tx, zoneId, ENTITY, id);
  return m;
}

export async function updateMilestone(s: AppServices, caller: Caller, projectId: string, id: string, input: MilestonePatchInput): Promise<MilestoneDto> {
  await loadProjectForChange(s, caller, projectId, 'milestone.update');
  const today = shanghaiDate(s.now());
  checkDates(input.actualOn, today);
  const row = await s.db.transaction(async (tx) => {
    const current = await lockedMilestone(tx, caller.zoneId, projectId, id, input.version);
    const name = input.name === undefined ? undefined : input.name.trim();
    if (name === '') throw new AppError('validation_failed', { fields: [{ path: 'name', key: 'field.required' }] });
    const [m] = await tx
      .update(milestones)
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(input.plannedOn !== undefined ? { plannedOn: input.plannedOn } : {}),
        ...(input.actualOn !== undefined ? { actualOn: input.actualOn } : {}),
        ...(input.notes !== undefined ? { notes: clean(input.notes) ?? null } : {}),
        ...(input.sortOrder !== undefined ? { sortOrder: input.sortOrder } : {}),
        version: sql`${milestones.version} + 1`,
        updatedAt: s.now(),
      })
      .where(and(eq(milestones.zoneId, caller.zoneId), eq(milestones.id, id), eq(milestones.version, input.version)))
      .returning();
    if (!m) throw await versionConflict(tx, caller.zoneId, ENTITY, id);
    await audit(tx, s, caller, { action: 'milestone.update', entityType: ENTITY, entityId: id, before: snapshot(current), after: snapshot(m) });
    return m;
  });
  return presentMilestone(row, today, true);
}

export async function deleteMilestone(s: AppServices, caller: Caller, projectId: string, id: string, version: number): Promise<void> {
  await loadProjectForChange(s, caller, projectId, 'milestone.delete');
  await s.db.transaction(async (tx) => {
    const current = await lockedMilestone(tx, caller.zoneId, projectId, id, version);
    await tx.delete(milestones).where(and(eq(milestones.zoneId, caller.zoneId), eq(milestones.id, id), eq(milestones.version, version)));
    await audit(tx, s, caller, { action: 'milestone.delete', entityType: ENTITY, entityId: id, before: snapshot(current) });
  });
}
