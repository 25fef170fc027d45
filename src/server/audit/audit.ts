import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { hmacSm3Hex } from '../crypto.ts';
import { auditChainHeads, auditLog } from './audit.schema.ts';

/**
 * Audit rows of a zone are spread over AUDIT_CHAINS hash chains. The chain is chosen from the entity, so one
 * entity's history stays in order in one chain, while writers touching different entities lock different chain
 * heads and do not queue behind one zone-wide lock. See docs/architecture.md "Audit chain".
 */
export const AUDIT_CHAINS = 8;

/** The zone that owns deployment-level events (a failed sign-in under a name nobody has). */
export const PLATFORM_ZONE_ID = '00000000-0000-0000-0000-000000000000';

export interface AuditActor {
  zoneId: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  /** What happened, as `<entity>.<verb>`: unit.create, auth.login_failed, user.reveal_phone, … */
  action: string;
  entityType: string;
  entityId?: string | null;
  result?: 'ok' | 'denied' | 'failed';
  /** State before and after the change; personal data only masked. */
  before?: unknown;
  after?: unknown;
}

export interface AuditRow {
  zoneId: string;
  chainNo: number;
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  result: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

/** JSON with sorted keys, after a JSON round trip, so the hash matches what jsonb gives back. */
export function canonicalJson(value: unknown): string {
  const normalised: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sortKeys(normalised));
}

export function chainFor(entityType: string, entityId: string | null | undefined): number {
  const digest = createHash('sm3').update(`${entityType}:${entityId ?? ''}`).digest();
  return digest.readUInt32BE(0) % AUDIT_CHAINS;
}

export function genesisHash(key: Buffer, zoneId: string, chainNo: number): string {
  return hmacSm3Hex(key, `genesis:${zoneId}:${chainNo}`);
}

export function rowHash(key: Buffer, row: Omit<AuditRow, 'hash'>): string {
  const body = canonicalJson([
    row.zoneId,
    row.chainNo,
    row.seq,
    new Date(row.at).toISOString(),
    row.actorId,
    row.actorName,
    row.actorRole,
    row.ip,
    row.requestId,
    row.action,
    row.entityType,
    row.entityId,
    row.result,
    row.before ?? null,
    row.after ?? null,
  ]);
  return hmacSm3Hex(key, row.prevHash, '\n', body);
}

function toJsonb(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Appends one audit row inside the caller's transaction (so the row and the change commit or fail together).
 * Takes the row lock of one chain head for the rest of that transaction.
 */
export async function writeAudit(tx: Db, key: Buffer, actor: AuditActor, entry: AuditEntry): Promise<AuditRow> {
  const chainNo = chainFor(entry.entityType, entry.entityId);
  await tx
    .insert(auditChainHeads)
    .values({ zoneId: actor.zoneId, chainNo, seq: 0, hash: genesisHash(key, actor.zoneId, chainNo) })
    .onConflictDoNothing();
  const [head] = await tx
    .select({ seq: auditChainHeads.seq, hash: auditChainHeads.hash })
    .from(auditChainHeads)
    .where(and(eq(auditChainHeads.zoneId, actor.zoneId), eq(auditChainHeads.chainNo, chainNo)))
    .for('update');
  if (!head) throw new Error('audit chain head vanished');
  const partial: Omit<AuditRow, 'hash'> = {
    zoneId: actor.zoneId,
    chainNo,
    seq: Number(head.seq) + 1,
    at: new Date().toISOString(),
    actorId: actor.actorId,
    actorName: actor.actorName,
    actorRole: actor.actorRole,
    ip: actor.ip,
    requestId: actor.requestId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    result: entry.result ?? 'ok',
    before: toJsonb(entry.before),
    after: toJsonb(entry.after),
    prevHash: head.hash,
  };
  const row: AuditRow = { ...partial, hash: rowHash(key, partial) };
  await tx.insert(auditLog).values(row);
  await tx
    .update(auditChainHeads)
    .set({ seq: row.seq, hash: row.hash })
    .where(and(eq(auditChainHeads.zoneId, actor.zoneId), eq(auditChainHeads.chainNo, chainNo)));
  return row;
}

export interface VerifyProblem {
  zoneId: string;
  chainNo: number;
  seq: number;
  kind: 'altered' | 'removed' | 'head_mismatch';
  detail: string;
}

export interface VerifyReport {
  rowsChecked: number;
  chainsChecked: number;
  /** The first problem in each broken chain, earliest first. */
  problems: VerifyProblem[];
  /** Each chain's head as verified: copied off the machine, they let a later check catch a rolled-back tail. */
  heads: { zoneId: string; chainNo: number; seq: number; hash: string }[];
}

/** Walks every chain (or one zone's) in seq order and names the first row that was altered or removed. */
export async function verifyAudit(db: Db, key: Buffer, zoneId?: string): Promise<VerifyReport> {
  const heads = await db
    .select()
    .from(auditChainHeads)
    .where(zoneId ? eq(auditChainHeads.zoneId, zoneId) : sql`true`)
    .orderBy(auditChainHeads.zoneId, auditChainHeads.chainNo);
  const report: VerifyReport = { rowsChecked: 0, chainsChecked: 0, problems: [], heads: [] };
  for (const head of heads) {
    report.chainsChecked++;
    report.heads.push({ zoneId: head.zoneId, chainNo: head.chainNo, seq: Number(head.seq), hash: head.hash });
    const problem = await verifyChain(db, key, head.zoneId, head.chainNo, Number(head.seq), head.hash, (n) => (report.rowsChecked += n));
    if (problem) report.problems.push(problem);
  }
  return report;
}

async function verifyChain(
  db: Db,
  key: Buffer,
  zoneId: string,
  chainNo: number,
  headSeq: number,
  headHash: string,
  count: (n: number) => void,
): Promise<VerifyProblem | null> {
  let prevHash = genesisHash(key, zoneId, chainNo);
  let expectedSeq = 1;
  const batch = 2000;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.zoneId, zoneId), eq(auditLog.chainNo, chainNo), sql`${auditLog.seq} >= ${expectedSeq}`))
      .orderBy(auditLog.seq)
      .limit(batch);
    count(rows.length);
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) {
        return { zoneId, chainNo, seq: expectedSeq, kind: 'removed', detail: `row ${expectedSeq} is missing (next present: ${seq})` };
      }
      const row = { ...r, seq, at: String(r.at) } as AuditRow;
      if (row.prevHash !== prevHash || rowHash(key, row) !== row.hash) {
        return { zoneId, chainNo, seq, kind: 'altered', detail: `row ${seq} (${row.action} ${row.entityType} ${row.entityId ?? ''} at ${new Date(row.at).toISOString()}) does not match its hash` };
      }
      prevHash = row.hash;
      expectedSeq++;
    }
    if (rows.length < batch) break;
  }
  if (expectedSeq - 1 !== headSeq || prevHash !== headHash) {
    return {
      zoneId,
      chainNo,
      seq: expectedSeq,
      kind: expectedSeq - 1 < headSeq ? 'removed' : 'head_mismatch',
      detail: `chain ends at row ${expectedSeq - 1} but its head records row ${headSeq}`,
    };
  }
  return null;
}
