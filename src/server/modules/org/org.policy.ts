import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../../shared/roles.ts';
import { auditEvent } from '../../lib/audited.ts';
import { hasRole, type AppServices, type Caller } from '../../context.ts';
import { queryRows, type Db } from '../../db/client.ts';
import { forbidden, type AppError } from '../../errors.ts';
import { commands, enterprises } from './org.schema.ts';

/**
 * Who may do what with the org model and enterprises (docs/api-foundation.md "Org" and "Enterprises"), and which
 * enterprises a caller may see. Routes gate on the role lists; services ask the `can…` functions about one record.
 * The security and audit admins appear in none of these lists: 三员分立 keeps them away from business data.
 */
export const ORG_READ_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff', 'service_agent', 'sys_admin'];
export const ORG_WRITE_ROLES: readonly Role[] = ['sys_admin'];
/** May reach the HQ edit routes at all; the policy then lets a commander edit only the HQs they lead. */
export const COMMAND_EDIT_ROLES: readonly Role[] = ['sys_admin', 'hq_commander'];

export const ENTERPRISE_READ_ROLES: readonly Role[] = [...ORG_READ_ROLES, 'enterprise_contact'];
export const ENTERPRISE_WRITE_ROLES: readonly Role[] = ['sys_admin', 'service_agent'];
export const ENTERPRISE_REVEAL_ROLES: readonly Role[] = ['service_agent', 'zone_leader', 'hq_commander'];

/** Roles that see every enterprise of the zone. */
const ENTERPRISE_ALL_ROLES: readonly Role[] = ['zone_leader', 'service_agent', 'sys_admin'];

const isSysAdmin = (caller: Caller) => hasRole(caller, 'sys_admin');

export function unitCan(caller: Caller) {
  const admin = isSysAdmin(caller);
  return { update: admin, delete: admin, createChild: admin };
}

/** An HQ's leader or deputy (with the commander role) may edit that HQ and its members. */
export function commandCan(caller: Caller, commandId: string) {
  const leads = hasRole(caller, 'hq_commander') && caller.ledCommandIds.includes(commandId);
  const admin = isSysAdmin(caller);
  return { update: admin || leads, delete: admin, editMembers: admin || leads };
}

export function groupCan(caller: Caller) {
  const admin = isSysAdmin(caller);
  return { update: admin, delete: admin, editMembers: admin };
}

/** Called only for enterprises already inside the caller's scope. */
export function enterpriseCan(caller: Caller) {
  const write = hasRole(caller, ...ENTERPRISE_WRITE_ROLES);
  return { update: write, delete: write, reveal: hasRole(caller, ...ENTERPRISE_REVEAL_ROLES) };
}

/**
 * A record the caller may see but not change: the refusal is audited (security.md: every denial) and answered 403.
 * Records the caller may not see never get here; they answer 404.
 */
export async function deny(s: AppServices, caller: Caller, entityType: string, entityId: string, action: string): Promise<AppError> {
  await auditEvent(s, caller, { action: 'access.denied', entityType, entityId, result: 'denied', after: { action } });
  return forbidden();
}

/**
 * Ids of the given units and everything below them, in one zone. `union` (not `union all`) keeps the walk finite
 * even if the tree were ever corrupted into a cycle.
 */
export async function unitSubtreeIds(db: Db, zoneId: string, rootIds: readonly string[]): Promise<string[]> {
  if (rootIds.length === 0) return [];
  const roots = sql.join(
    rootIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with recursive sub(id) as (
          select id from units where zone_id = ${zoneId} and id in (${roots})
          union
          select u.id from units u join sub on u.parent_id = sub.id where u.zone_id = ${zoneId}
        )
        select id from sub`,
  );
  return rows.map((r) => r.id);
}

/** Which enterprises a caller may see: all of the zone, or those under some units plus some named ones. */
export type EnterpriseScope = { all: true } | { all: false; unitIds: string[]; enterpriseIds: string[] };

/** The areas of the active HQs the caller belongs to. */
async function commandAreaIds(db: Db, caller: Caller): Promise<string[]> {
  if (caller.commandIds.length === 0) return [];
  const rows = await db
    .select({ areaUnitId: commands.areaUnitId })
    .from(commands)
    .where(and(eq(commands.zoneId, caller.zoneId), inArray(commands.id, caller.commandIds), eq(commands.active, true)));
  return rows.flatMap((r) => (r.areaUnitId ? [r.areaUnitId] : []));
}

/**
 * The enterprise data scope (docs/api-foundation.md "Enterprises"): zone leaders, service agents and the system admin
 * see the whole zone; HQ people the subtree of their HQs' areas; unit staff their own unit's subtree; an enterprise
 * contact only their own company. Several roles add up.
 */
export async function enterpriseScope(db: Db, caller: Caller): Promise<EnterpriseScope> {
  if (hasRole(caller, ...ENTERPRISE_ALL_ROLES)) return { all: true };
  const roots: string[] = [];
  if (hasRole(caller, 'hq_commander', 'hq_staff')) roots.push(...(await commandAreaIds(db, caller)));
  if (hasRole(caller, 'unit_staff') && caller.unitId) roots.push(caller.unitId);
  const enterpriseIds = hasRole(caller, 'enterprise_contact') && caller.enterpriseId ? [caller.enterpriseId] : [];
  return { all: false, unitIds: await unitSubtreeIds(db, caller.zoneId, [...new Set(roots)]), enterpriseIds };
}

/** The scope as a condition on `enterprises` (undefined: no restriction). Always combine with the zone filter. */
export function enterpriseScopeWhere(scope: EnterpriseScope): SQL | undefined {
  if (scope.all) return undefined;
  const parts: SQL[] = [];
  if (scope.unitIds.length) parts.push(inArray(enterprises.unitId, scope.unitIds));
  if (scope.enterpriseIds.length) parts.push(inArray(enterprises.id, scope.enterpriseIds));
  return parts.length ? or(...parts) : sql`false`;
}

/** Whether one enterprise (by its id and unit) is inside a scope, for callers that already hold the row. */
export function inEnterpriseScope(scope: EnterpriseScope, e: { id: string; unitId: string | null }): boolean {
  if (scope.all) return true;
  return scope.enterpriseIds.includes(e.id) || (e.unitId !== null && scope.unitIds.includes(e.unitId));
}
