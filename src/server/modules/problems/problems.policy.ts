import { eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
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
  zoneId: string;
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
    zoneId: caller.zoneId,
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

const uuids = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);

/**
 * `problems.id in (a union of narrow id sets)`: each set is one index range (by HQ, lead unit, cooperating unit,
 * raiser …). An OR of them, with the cooperating units' EXISTS, would make PostgreSQL scan the zone's problems.
 */
function idIn(parts: SQL[]): SQL {
  if (!parts.length) return sql`false`;
  return sql`${problems.id} in (${sql.join(parts, sql` union all `)})`;
}

const P = sql.raw('problems');
const C = sql.raw('problem_cooperating_units');

/**
 * The problems a caller may read, as a condition on `problems` (add the zone filter too). Two equivalent forms for
 * unit staff (HQ people without a unit role always get the second, a plain OR of index ranges):
 * - `union` (default): `problems.id in (a union of narrow id sets)`, each one index range; PostgreSQL then fetches
 *   each id of the set. Fast while the scope is small (a unit with a few thousand problems) and the narrowest
 *   condition of the query. It guesses 200 ids for any such set, so a large scope is probed id by id: 195 000
 *   probes for the bench's street at 1 M problems (docs/performance-problems.md, run 3).
 * - `rows`: the same sets as an OR on the row, the cooperating units as an uncorrelated `id in (…)` (one hashed
 *   subplan, not a probe per row). For a query another index drives, such as a search: the hits are found by the
 *   search's index and the scope only filters them, whatever the scope's size.
 */
export function problemReadWhere(scope: ProblemScope, form: 'union' | 'rows' = 'union'): SQL | undefined {
  if (scope.readAll) return undefined;
  const z = scope.zoneId;
  if (!scope.unitIds.length || form === 'rows') {
    return anyOf([
      scope.commandIds.length ? inArray(problems.commandId, scope.commandIds) : undefined,
      scope.unitIds.length ? inArray(problems.leadUnitId, scope.unitIds) : undefined,
      eq(problems.raisedBy, scope.userId),
      scope.unitIds.length ? sql`${problems.id} in (select problem_id from ${C} where zone_id = ${z} and unit_id in (${uuids(scope.unitIds)}))` : undefined,
    ]);
  }
  return idIn([
    ...(scope.commandIds.length ? [sql`select id from ${P} where zone_id = ${z} and command_id in (${uuids(scope.commandIds)})`] : []),
    sql`select id from ${P} where zone_id = ${z} and lead_unit_id in (${uuids(scope.unitIds)})`,
    sql`select problem_id from ${C} where zone_id = ${z} and unit_id in (${uuids(scope.unitIds)})`,
    sql`select id from ${P} where zone_id = ${z} and raised_by = ${scope.userId}::uuid`,
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
 *
 * Every set is inside the caller's read scope (problemReadWhere: the HQ's, the units', the raiser's; a leader reads
 * all), so a to-do query needs no scope condition besides it.
 *
 * Each set is one `select id, deadline, raised_at` (the default order's keys) answered from one index alone: the
 * partial indexes of open work in problems.schema.ts (problems_open_*_idx, problems_pending_request_idx) hold those
 * columns, so the sets, their union, its count and its first page never read a problem row. Keep the two in step.
 */
export function todoSets(scope: ProblemScope): SQL[] {
  const z = scope.zoneId;
  const sets: SQL[] = [];
  if (scope.commandIds.length) {
    const c = uuids(scope.commandIds);
    sets.push(sql`select id, deadline, raised_at from ${P} where zone_id = ${z} and command_id in (${c}) and state in ('raised','handed_back','submitted')`);
    sets.push(
      sql`select id, deadline, raised_at from ${P} where zone_id = ${z} and command_id in (${c}) and state = 'in_progress' and pending_request is not null`,
    );
  }
  if (scope.unitIds.length) {
    const u = uuids(scope.unitIds);
    sets.push(sql`select id, deadline, raised_at from ${P} where zone_id = ${z} and lead_unit_id in (${u}) and state in ('assigned','in_progress')`);
    sets.push(
      sql`select p.id, p.deadline, p.raised_at from ${C} c join ${P} p on p.zone_id = c.zone_id and p.id = c.problem_id where c.zone_id = ${z} and c.unit_id in (${u}) and p.state = 'in_progress'`,
    );
  }
  sets.push(sql`select id, deadline, raised_at from ${P} where zone_id = ${z} and raised_by = ${scope.userId}::uuid and state = 'submitted'`);
  if (scope.leader) {
    sets.push(
      sql`select id, deadline, raised_at from ${P} where zone_id = ${z} and supervision_level >= 2 and state in ('assigned','in_progress','handed_back','suspended')`,
    );
  }
  return sets;
}

/** My to-do as a condition on `problems` (with other filters; the plain to-do list reads todoSets directly). */
export function todoWhere(scope: ProblemScope): SQL {
  return sql`${problems.id} in (select id from (${sql.join(todoSets(scope), sql` union all `)}) todo)`;
}
