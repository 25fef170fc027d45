import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../../shared/roles.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../errors.ts';
import { unitSubtreeIds } from '../org/org.policy.ts';
import { projects } from './projects.schema.ts';

/**
 * Who may see and change which projects (docs/api-projects.md "Who may do what"). The system, security and audit
 * admins are in none of these lists: 三员分立 keeps them away from the ledger.
 */
export const PROJECT_READ_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent', 'enterprise_contact'];
export const PROJECT_WRITE_ROLES: readonly Role[] = ['hq_commander', 'hq_staff', 'unit_staff'];
export const BATCH_WRITE_ROLES: readonly Role[] = ['zone_leader', 'hq_commander'];
export const DICTIONARY_READ_ROLES: readonly Role[] = [...PROJECT_READ_ROLES, 'sys_admin'];
export const DICTIONARY_WRITE_ROLES: readonly Role[] = ['sys_admin'];

const READ_ALL: readonly Role[] = ['zone_leader', 'service_agent'];

/**
 * Which projects a caller sees and which they may change. Several roles add up. `units` is the caller's unit and
 * everything below it (a street sees what its offices lead).
 */
export interface ProjectScope {
  readAll: boolean;
  commandIds: string[];
  unitIds: string[];
  enterpriseIds: string[];
}

export async function projectScope(db: Db, caller: Caller): Promise<ProjectScope> {
  const hq = hasRole(caller, 'hq_commander', 'hq_staff');
  const unit = hasRole(caller, 'unit_staff') && caller.unitId;
  return {
    readAll: hasRole(caller, ...READ_ALL),
    commandIds: hq ? caller.commandIds : [],
    unitIds: unit ? await unitSubtreeIds(db, caller.zoneId, [caller.unitId!]) : [],
    enterpriseIds: hasRole(caller, 'enterprise_contact') && caller.enterpriseId ? [caller.enterpriseId] : [],
  };
}

/** The projects a caller may read, as a condition on `projects` (always add the zone filter too). */
export function projectReadWhere(scope: ProjectScope): SQL | undefined {
  if (scope.readAll) return undefined;
  return anyOf([
    scope.commandIds.length ? inArray(projects.commandId, scope.commandIds) : undefined,
    scope.unitIds.length ? inArray(projects.leadUnitId, scope.unitIds) : undefined,
    scope.enterpriseIds.length ? inArray(projects.enterpriseId, scope.enterpriseIds) : undefined,
  ]);
}

/** The projects a caller may change (HQ people their HQ's, unit staff their units'): a narrower set than read. */
export function projectWriteWhere(scope: ProjectScope): SQL {
  return anyOf([
    scope.commandIds.length ? inArray(projects.commandId, scope.commandIds) : undefined,
    scope.unitIds.length ? inArray(projects.leadUnitId, scope.unitIds) : undefined,
  ]);
}

function anyOf(parts: (SQL | undefined)[]): SQL {
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? (or(...present) as SQL) : sql`false`;
}

type ProjectRef = { commandId: string | null; leadUnitId: string | null; enterpriseId: string | null; phase: string };

export function canReadProject(scope: ProjectScope, p: ProjectRef): boolean {
  return scope.readAll || canWriteProject(scope, p) || (p.enterpriseId !== null && scope.enterpriseIds.includes(p.enterpriseId));
}

export function canWriteProject(scope: ProjectScope, p: Pick<ProjectRef, 'commandId' | 'leadUnitId'>): boolean {
  return (p.commandId !== null && scope.commandIds.includes(p.commandId)) || (p.leadUnitId !== null && scope.unitIds.includes(p.leadUnitId));
}

/** What the caller may do next with a project they can see (the web hides the rest). */
export function projectCan(scope: ProjectScope, p: ProjectRef) {
  const write = canWriteProject(scope, p);
  return { update: write, movePhase: write, report: write, delete: write && p.phase === 'pipeline' };
}

/**
 * Whether a caller may put a project under this HQ and lead unit (create, or move it by editing): HQ people only
 * into their own HQs, unit staff only with their own units leading.
 */
export function canPlaceProject(scope: ProjectScope, target: { commandId: string | null; leadUnitId: string | null }): boolean {
  return canWriteProject(scope, target);
}

/** Loads one project the caller may read, or answers 404 as if it did not exist. */
export async function loadProjectInScope(s: AppServices, caller: Caller, id: string, scope?: ProjectScope) {
  const sc = scope ?? (await projectScope(s.db, caller));
  const [row] = await s.db
    .select()
    .from(projects)
    .where(and(eq(projects.zoneId, caller.zoneId), eq(projects.id, id)));
  if (!row || !canReadProject(sc, row)) throw notFound();
  return { project: row, scope: sc };
}
