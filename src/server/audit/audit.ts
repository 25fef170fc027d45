import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
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

/** Audit rows per INSERT statement in writeAuditBatch (17 columns each: far below the 65535 bind parameters). */
const BATCH_ROWS = 1000;

/**
 * Appends many audit rows of one actor inside the caller's transaction, as writeAudit would one after another
 * (same chains, same order within each chain, same hashes: `qibu audit verify` cannot tell the difference), in a
 * few statements instead of four per row: the heads of the chains involved are created if missing and locked
 * once, in chain order (FOR UPDATE, held until the transaction ends), the rows are chained in memory and inserted
 * in chunks, and each head is moved once. For bulk changes (the Excel import's confirmation).
 */
export async function writeAuditBatch(tx: Db, key: Buffer, actor: AuditActor, entries: AuditEntry[]): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  const chainOf = entries.map((e) => chainFor(e.entityType, e.entityId));
  const chains = [...new Set(chainOf)].sort((a, b) => a - b);
  await tx
    .insert(auditChainHeads)
    .values(chains.map((chainNo) => ({ zoneId: actor.zoneId, chainNo, seq: 0, hash: genesisHash(key, actor.zoneId, chainNo) })))
    .onConflictDoNothing();
  const heads = await tx
    .select({ chainNo: auditChainHeads.chainNo, seq: auditChainHeads.seq, hash: auditChainHeads.hash })
    .from(auditChainHeads)
    .where(and(eq(auditChainHeads.zoneId, actor.zoneId), inArray(auditChainHeads.chainNo, chains)))
    .orderBy(auditChainHeads.chainNo)
    .for('update');
  const head = new Map(heads.map((h) => [h.chainNo, { seq: Number(h.seq), hash: h.hash }]));
  const rows: AuditRow[] = entries.map((entry, i) => {
    const chainNo = chainOf[i]!;
    const h = head.get(chainNo);
    if (!h) throw new Error('audit chain head vanished');
    const partial: Omit<AuditRow, 'hash'> = {
      zoneId: actor.zoneId,
      chainNo,
      seq: h.seq + 1,
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
      prevHash: h.hash,
    };
    const row: AuditRow = { ...partial, hash: rowHash(key, partial) };
    head.set(chainNo, { seq: row.seq, hash: row.hash });
    return row;
  });
  // One jsonb parameter a chunk (a multi-row VALUES of 17 columns costs more to build than to insert).
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const payload = JSON.stringify(
      rows.slice(i, i + BATCH_ROWS).map((r) => ({
        zone_id: r.zoneId,
        chain_no: r.chainNo,
        seq: r.seq,
        at: r.at,
        actor_id: r.actorId,
        actor_name: r.actorName,
        actor_role: r.actorRole,
        ip: r.ip,
        request_id: r.requestId,
        action: r.action,
        entity_type: r.entityType,
        entity_id: r.entityId,
        result: r.result,
        before: r.before,
        after: r.after,
        prev_hash: r.prevHash,
        hash: r.hash,
      })),
    );
    await tx.execute(sql`
      insert into audit_log (zone_id, chain_no, seq, at, actor_id, actor_name, actor_role, ip, request_id, action, entity_type, entity_id,
        result, before, after, prev_hash, hash)
      select zone_id, chain_no, seq, at, actor_id, actor_name, actor_role, ip, request_id, action, entity_type, entity_id,
        result, before, after, prev_hash, hash
      from jsonb_to_recordset(${payload}::jsonb) as r(zone_id uuid, chain_no integer, seq bigint, at timestamptz, actor_id uuid,
        actor_name text, actor_role text, ip text, request_id text, action text, entity_type text, entity_id text, result text,
        before jsonb, after jsonb, prev_hash text, hash text)`);
  }
  for (const chainNo of chains) {
    const h = head.get(chainNo)!;
    await tx
      .update(auditChainHeads)
      .set({ seq: h.seq, hash: h.hash })
      .where(and(eq(auditChainHeads.zoneId, actor.zoneId), eq(auditChainHeads.chainNo, chainNo)));
  }
  return rows;
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
