import { and, count, desc, eq, gte, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../audit/audit.schema.ts';
import type { Db } from '../../db/client.ts';
import { users } from '../users/users.schema.ts';

/** Filters after validation: dates already turned into instants. */
export interface AuditCriteria {
  zoneId: string;
  actor?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  result?: string | undefined;
  fromInstant?: Date | undefined;
  /** Exclusive upper bound: the first instant after the `to` day. */
  untilInstant?: Date | undefined;
}

export type AuditRecord = typeof auditLog.$inferSelect;

/** LIKE treats % and _ as wildcards and \ as the escape character: user input matches literally. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function actorMatches(zoneId: string, actor: string): SQL {
  const pattern = `%${likeEscape(actor.toLowerCase())}%`;
  // The username is looked up in the caller's zone only; actor_id alone could name a user of another zone.
  const byUsername = sql`${auditLog.actorId} in (select ${users.id} from ${users} where ${users.zoneId} = ${zoneId} and lower(${users.username}) like ${pattern})`;
  return or(sql`lower(${auditLog.actorName}) like ${pattern}`, byUsername) as SQL;
}

function actionMatches(action: string): SQL {
  if (action.endsWith('*')) return like(auditLog.action, `${likeEscape(action.slice(0, -1))}%`);
  return eq(auditLog.action, action);
}

export function auditWhere(c: AuditCriteria): SQL {
  const conditions: SQL[] = [eq(auditLog.zoneId, c.zoneId)];
  if (c.actor) conditions.push(actorMatches(c.zoneId, c.actor));
  if (c.action) conditions.push(actionMatches(c.action));
  if (c.entityType) conditions.push(eq(auditLog.entityType, c.entityType));
  if (c.entityId) conditions.push(eq(auditLog.entityId, c.entityId));
  if (c.result) conditions.push(eq(auditLog.result, c.result));
  if (c.fromInstant) conditions.push(gte(auditLog.at, c.fromInstant.toISOString()));
  if (c.untilInstant) conditions.push(lt(auditLog.at, c.untilInstant.toISOString()));
  return and(...conditions) as SQL;
}

export async function countAudit(db: Db, c: AuditCriteria): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog).where(auditWhere(c));
  return Number(row?.n ?? 0);
}

/** Newest first; rows written in the same instant keep a stable order by chain and position. */
export function selectAudit(db: Db, c: AuditCriteria, limit: number, offset: number): Promise<AuditRecord[]> {
  return db
    .select()
    .from(auditLog)
    .where(auditWhere(c))
    .orderBy(desc(auditLog.at), desc(auditLog.chainNo), desc(auditLog.seq))
    .limit(limit)
    .offset(offset);
}
