import { and, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Relation } from '../../../shared/problem-flow.ts';
import type { Role } from '../../../shared/roles.ts';
import { hasRole, type Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { unitSubtreeIds } from '../org/org.policy.ts';
import { problemCooperatingUnits, problems } from './problems.schema.ts';

/**
 * Who sees which problems, and how a caller relates to one (docs/api-problems.md "Who may do what"). Problems are
 * the zone's internal work: enterprise contacts and the three admins (三员分立) see none.
 */
export const PROBLEM_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent'];

export interface ProblemScope {
  userId: string;
  readAll: boolean;
  leader: boolean;
  /** HQs the caller belongs to (commander, deputy or staff) and those they lead. */
  commandIds: string[];
  ledCommandIds: string[];
  /** The caller's unit and every unit below it (unit staff only). */
  unitIds: string[];
}

export async function problemScope(db: Db, caller: Caller): Promise<ProblemScope> {
  const hq = hasRole(caller, 'hq_commander', 'hq_staff');
  const unit = hasRole(caller, 'unit_staff') && caller.unitId;
  return {
    userId: caller.userId,
    readAll: hasRole(caller, 'zone_leader', 'service_agent'),
    leader: hasRole(caller, 'zone_leader'),
    commandIds: hq ? caller.commandIds : [],
    ledCommandIds: hq ? caller.ledCommandIds : [],
    unitIds: unit ? await unitSubtreeIds(db, caller.zoneId, [caller.unitId!]) : [],
  };
}

const anyOf = (parts: (SQL | undefined)[]): SQL => {
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? (or(...present) as SQL) : sql`false`;
};

/** Problems where one of `unitIds` cooperates. */
export function cooperatesWhere(unitIds: string[]): SQL {
  return exists(
    sql`(select 1 from ${problemCooperatingUnits} where ${problemCooperatingUnits.zoneId} = ${problems.zoneId} and ${problemCooperatingUnits.problemId} = ${problems.id} and ${inArray(problemCooperatingUnits.unitId, unitIds)})`,
  );
}

/** The problems a caller may read, as a condition on `problems` (add the zone filter too). */
export function problemReadWhere(scope: ProblemScope): SQL | undefined {
  if (scope.readAll) return undefined;
  return anyOf([
    scope.commandIds.length ? inArray(problems.commandId, scope.commandIds) : undefined,
    scope.unitIds.length ? inArray(problems.leadUnitId, scope.unitIds) : undefined,
    scope.unitIds.length ? cooperatesWhere(scope.unitIds) : undefined,
    eq(problems.raisedBy, scope.userId),
  ]);
}

export interface ProblemRef {
  commandId: string;
  leadUnitId: string | null;
  raisedBy: string | null;
  cooperatingUnitIds: readonly string[];
}

/** How the caller relates to one problem (problem-flow.ts RELATIONS); empty when they may not read it. */
export function relationsOf(scope: ProblemScope, p: ProblemRef): Set<Relation> {
  const r = new Set<Relation>();
  if (scope.leader) r.add('leader').add('hq').add('commander');
  if (scope.commandIds.includes(p.commandId)) r.add('hq');
  if (scope.ledCommandIds.includes(p.commandId)) r.add('commander');
  const leadUnit = p.leadUnitId !== null && scope.unitIds.includes(p.leadUnitId);
  if (leadUnit) r.add('lead_unit');
  if (p.cooperatingUnitIds.some((u) => scope.unitIds.includes(u))) r.add('cooperating');
  if (r.has('hq') || (p.raisedBy === scope.userId && !leadUnit)) r.add('verifier');
  return r;
}

export function canReadProblem(scope: ProblemScope, p: ProblemRef): boolean {
  return scope.readAll || p.raisedBy === scope.userId || relationsOf(scope, p).size > 0;
}

/**
 * "My to-do": what needs the caller's action now. HQ: to assign, handed back, requests to decide, resolutions to
 * verify. Lead unit: to accept, to handle. Cooperating unit: in progress. Raiser: resolutions to verify. Leader:
 * problems escalated to leaders.
 */
export function todoWhere(scope: ProblemScope): SQL {
  const hq = scope.commandIds.length ? inArray(problems.commandId, scope.commandIds) : undefined;
  const lead = scope.unitIds.length ? inArray(problems.leadUnitId, scope.unitIds) : undefined;
  return anyOf([
    hq &&
      and(
        hq,
        or(
          inArray(problems.state, ['raised', 'handed_back', 'submitted']),
          and(eq(problems.state, 'in_progress'), sql`${problems.pendingRequest} is not null`),
        ),
      ),
    lead && and(lead, inArray(problems.state, ['assigned', 'in_progress'])),
    scope.unitIds.length ? and(eq(problems.state, 'in_progress'), cooperatesWhere(scope.unitIds)) : undefined,
    and(eq(problems.raisedBy, scope.userId), eq(problems.state, 'submitted')),
    scope.leader ? and(inArray(problems.state, ['assigned', 'in_progress', 'handed_back', 'suspended']), sql`${problems.supervisionLevel} >= 2`) : undefined,
  ]);
}
