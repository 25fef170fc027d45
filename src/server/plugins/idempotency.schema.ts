import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** First answers to POSTs that carried an Idempotency-Key, so a retry gets the same answer instead of a second change. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    zoneId: uuid('zone_id').notNull(),
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still running. */
    status: integer('status'),
    body: jsonb('body'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.zoneId, t.userId, t.key] })],
);
