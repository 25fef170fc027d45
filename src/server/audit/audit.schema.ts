import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The audit trail. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), and each row is linked into one
 * of AUDIT_CHAINS hash chains of its zone by HMAC-SM3; see docs/architecture.md "Audit chain".
 */
export const auditLog = pgTable(
  'audit_log',
  {
    zoneId: uuid('zone_id').notNull(),
    chainNo: integer('chain_no').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string', precision: 6 }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    actorRole: text('actor_role'),
    ip: text('ip'),
    requestId: text('request_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    result: text('result').notNull().default('ok'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.chainNo, t.seq] }),
    index('audit_log_zone_at_idx').on(t.zoneId, t.at),
    index('audit_log_zone_entity_idx').on(t.zoneId, t.entityType, t.entityId),
    index('audit_log_zone_actor_idx').on(t.zoneId, t.actorId, t.at),
  ],
);

/** The head of each chain: the row lock here is what orders writers of one chain (and only of that chain). */
export const auditChainHeads = pgTable(
  'audit_chain_heads',
  {
    zoneId: uuid('zone_id').notNull(),
    chainNo: integer('chain_no').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.zoneId, t.chainNo] })],
);
