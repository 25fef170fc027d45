import { Value } from 'typebox/value';
import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { Phone } from '../../../shared/schema.ts';
import { ROLES, type Role } from '../../../shared/roles.ts';
import type { AppServices } from '../../context.ts';
import { lookupDigest } from '../../crypto.ts';
import type { Db } from '../../db/client.ts';
import { enterprises, units } from '../org/org.schema.ts';
import { userRoles, users } from './users.schema.ts';
import type { UserFilter } from './users.dto.ts';

/** A user as the module reads it: the row's public columns, unit and enterprise names, and roles. */
export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  title: string | null;
  email: string | null;
  phoneEnc: string | null;
  phoneDigest: string | null;
  disabled: boolean;
  lockedUntil: Date | null;
  failedSignIns: number;
  totpEnabled: boolean;
  lastSignInAt: Date | null;
  version: number;
  unitId: string | null;
  unitName: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  roles: Role[];
}

const columns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  title: users.title,
  email: users.email,
  phoneEnc: users.phoneEnc,
  phoneDigest: users.phoneDigest,
  disabled: users.disabled,
  lockedUntil: users.lockedUntil,
  failedSignIns: users.failedSignIns,
  totpEnabled: users.totpEnabled,
  lastSignInAt: users.lastSignInAt,
  version: users.version,
  unitId: users.unitId,
  unitName: units.name,
  enterpriseId: users.enterpriseId,
  enterpriseName: enterprises.name,
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE clause of a list or export: always the caller's zone, then the optional filters. */
export function userFilter(s: AppServices, zoneId: string, filter: UserFilter): SQL {
  const parts: SQL[] = [eq(users.zoneId, zoneId)];
  const q = filter.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    const matches = [ilike(users.username, like), ilike(users.displayName, like)];
    if (Value.Check(Phone, q)) matches.push(eq(users.phoneDigest, lookupDigest(s.keys, q)));
    parts.push(or(...matches)!);
  }
  if (filter.unitId) parts.push(eq(users.unitId, filter.unitId));
  if (filter.role) {
    parts.push(
      sql`exists (select 1 from ${userRoles} where ${userRoles.zoneId} = ${users.zoneId} and ${userRoles.userId} = ${users.id} and ${userRoles.role} = ${filter.role})`,
    );
  }
  return and(...parts)!;
}

async function rolesOf(db: Db, zoneId: string, ids: string[]): Promise<Map<string, Role[]>> {
  const map = new Map<string, Role[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .select({ userId: userRoles.userId, role: userRoles.role })
    .from(userRoles)
    .where(and(eq(userRoles.zoneId, zoneId), inArray(userRoles.userId, ids)));
  for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r.role as Role]);
  for (const list of map.values()) list.sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
  return map;
}

export async function selectUsers(db: Db, zoneId: string, where: SQL, page?: { limit: number; offset: number }): Promise<UserRecord[]> {
  const query = db
    .select(columns)
    .from(users)
    .leftJoin(units, and(eq(units.zoneId, users.zoneId), eq(units.id, users.unitId)))
    .leftJoin(enterprises, and(eq(enterprises.zoneId, users.zoneId), eq(enterprises.id, users.enterpriseId)))
    .where(where)
    .orderBy(asc(users.username))
    .$dynamic();
  const rows = await (page ? query.limit(page.limit).offset(page.offset) : query);
  const roles = await rolesOf(db, zoneId, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, roles: roles.get(r.id) ?? [] }));
}

export async function countUsers(db: Db, where: SQL): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
  return Number(row?.n ?? 0);
}

/** One user of the zone, or null (another zone's id reads as missing). */
export async function findUser(db: Db, zoneId: string, id: string): Promise<UserRecord | null> {
  const [row] = await selectUsers(db, zoneId, and(eq(users.zoneId, zoneId), eq(users.id, id))!);
  return row ?? null;
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${username})`).limit(1);
  return row !== undefined;
}

export async function unitExists(db: Db, zoneId: string, id: string): Promise<boolean> {
  const [row] = await db.select({ id: units.id }).from(units).where(and(eq(units.zoneId, zoneId), eq(units.id, id)));
  return row !== undefined;
}

export async function enterpriseExists(db: Db, zoneId: string, id: string): Promise<boolean> {
  const [row] = await db.select({ id: enterprises.id }).from(enterprises).where(and(eq(enterprises.zoneId, zoneId), eq(enterprises.id, id)));
  return row !== undefined;
}

/** Replaces a user's roles (inside the caller's transaction). */
export async function replaceRoles(tx: Db, zoneId: string, userId: string, roles: readonly Role[]): Promise<void> {
  await tx.delete(userRoles).where(and(eq(userRoles.zoneId, zoneId), eq(userRoles.userId, userId)));
  if (roles.length > 0) await tx.insert(userRoles).values(roles.map((role) => ({ zoneId, userId, role })));
}
