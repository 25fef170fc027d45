import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError, fieldError, type FieldProblem } from '../../errors.ts';
import { users } from '../users/users.schema.ts';
import { commands, orgGroups, units } from './org.schema.ts';

/**
 * Checks that ids a request refers to exist in the caller's zone. A missing or other-zone id is a field error
 * ('field.not_found') on the field that named it, checked before writing so the answer names the field.
 */
export interface NamedRef {
  id: string;
  name: string;
}

export async function requireUnit(db: Db, zoneId: string, id: string, path: string): Promise<NamedRef> {
  const [row] = await db.select({ id: units.id, name: units.name }).from(units).where(and(eq(units.zoneId, zoneId), eq(units.id, id)));
  if (!row) throw fieldError(path, 'field.not_found');
  return row;
}

export async function requireCommand(db: Db, zoneId: string, id: string, path: string): Promise<NamedRef> {
  const [row] = await db.select({ id: commands.id, name: commands.name }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, id)));
  if (!row) throw fieldError(path, 'field.not_found');
  return row;
}

/** An HQ reports to a leading group; a task force is not one. */
export async function requireLeadingGroup(db: Db, zoneId: string, id: string, path: string): Promise<NamedRef> {
  const [row] = await db
    .select({ id: orgGroups.id, name: orgGroups.name })
    .from(orgGroups)
    .where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.id, id), eq(orgGroups.kind, 'leading_group')));
  if (!row) throw fieldError(path, 'field.not_found');
  return row;
}

/** The ids among `ids` that exist in the zone's table. */
async function existingIds(db: Db, zoneId: string, table: 'users' | 'units', ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const t = table === 'users' ? users : units;
  const rows = await db.select({ id: t.id }).from(t).where(and(eq(t.zoneId, zoneId), inArray(t.id, ids)));
  return new Set(rows.map((r) => r.id));
}

interface MemberRefs {
  userId: string;
  fromUnitId?: string | null | undefined;
}

/**
 * A member list: every user of the zone, each once, every seconding unit of the zone. All problems are reported
 * together, on paths like members.2.userId.
 */
export async function checkMembers(db: Db, zoneId: string, members: readonly MemberRefs[]): Promise<void> {
  const userIds = [...new Set(members.map((m) => m.userId))];
  const unitIds = [...new Set(members.flatMap((m) => (m.fromUnitId ? [m.fromUnitId] : [])))];
  const knownUsers = await existingIds(db, zoneId, 'users', userIds);
  const knownUnits = await existingIds(db, zoneId, 'units', unitIds);
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  members.forEach((m, i) => {
    if (!knownUsers.has(m.userId)) problems.push({ path: `members.${i}.userId`, key: 'field.not_found' });
    else if (seen.has(m.userId)) problems.push({ path: `members.${i}.userId`, key: 'field.duplicate' });
    seen.add(m.userId);
    if (m.fromUnitId && !knownUnits.has(m.fromUnitId)) problems.push({ path: `members.${i}.fromUnitId`, key: 'field.not_found' });
  });
  if (problems.length) throw new AppError('validation_failed', { fields: problems });
}
