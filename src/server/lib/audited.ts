import { and, desc, eq, notLike } from 'drizzle-orm';
import { auditLog } from '../audit/audit.schema.ts';
import { writeAudit, type AuditEntry, type AuditRow } from '../audit/audit.ts';
import { auditActorOf, type AppServices, type Caller } from '../context.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';

/** Writes the audit row of a change made by `caller`, inside the transaction `tx` that makes the change. */
export function audit(tx: Db, s: AppServices, caller: Caller, entry: AuditEntry): Promise<AuditRow> {
  return writeAudit(tx, s.keys.auditKey, auditActorOf(caller), entry);
}

/** Audits something that is not a change (an export, a reveal of personal data) in a transaction of its own. */
export function auditEvent(s: AppServices, caller: Caller, entry: AuditEntry): Promise<AuditRow> {
  return s.db.transaction((tx) => audit(tx, s, caller, entry));
}

/**
 * The 409 for an edit based on a stale version, naming who changed the record last and when (from the audit
 * trail, which every change writes).
 */
export async function versionConflict(db: Db, zoneId: string, entityType: string, entityId: string): Promise<AppError> {
  const [last] = await db
    .select({ actorName: auditLog.actorName, at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.zoneId, zoneId),
        eq(auditLog.entityType, entityType),
        eq(auditLog.entityId, entityId),
        // Only changes: a reveal, an export or a refused attempt did not move the version.
        eq(auditLog.result, 'ok'),
        notLike(auditLog.action, '%.reveal'),
        notLike(auditLog.action, '%.export'),
      ),
    )
    .orderBy(desc(auditLog.at))
    .limit(1);
  const at = last ? new Date(last.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';
  return new AppError('version_conflict', { params: { by: last?.actorName ?? '', at } });
}
