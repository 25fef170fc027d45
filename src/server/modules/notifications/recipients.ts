import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { commandMembers } from '../org/org.schema.ts';
import { userRoles, users } from '../users/users.schema.ts';

/** Who receives a message about a unit's, an HQ's or the leaders' work. Disabled accounts never do. */

/** Active unit staff of these units (the unit itself, not the units above or below). */
export async function unitStaff(db: Db, zoneId: string, unitIds: readonly string[]): Promise<string[]> {
  if (!unitIds.length) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.zoneId, users.zoneId), eq(userRoles.userId, users.id), eq(userRoles.role, 'unit_staff')))
    .where(and(eq(users.zoneId, zoneId), inArray(users.unitId, [...unitIds]), eq(users.disabled, false)));
  return rows.map((r) => r.id);
}

/** An HQ's people: everyone, or only its commander and deputies. */
export async function commandPeople(db: Db, zoneId: string, commandId: string, who: 'all' | 'leads'): Promise<string[]> {
  const rows = await db
    .select({ id: users.id, memberRole: commandMembers.memberRole })
    .from(commandMembers)
    .innerJoin(users, and(eq(users.zoneId, commandMembers.zoneId), eq(users.id, commandMembers.userId)))
    .where(and(eq(commandMembers.zoneId, zoneId), eq(commandMembers.commandId, commandId), eq(users.disabled, false)));
  return rows.filter((r) => who === 'all' || r.memberRole !== 'staff').map((r) => r.id);
}

/** Active zone leaders. */
export async function zoneLeaders(db: Db, zoneId: string): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.zoneId, users.zoneId), eq(userRoles.userId, users.id), eq(userRoles.role, 'zone_leader')))
    .where(and(eq(users.zoneId, zoneId), eq(users.disabled, false)));
  return rows.map((r) => r.id);
}
