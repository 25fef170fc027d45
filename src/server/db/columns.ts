import { sql } from 'drizzle-orm';
import { integer, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Columns every business table has: its id, the zone (tenant) it belongs to, and optimistic-lock version. */
/** Ids are random UUIDs; the primary key of a zoned table is (zone_id, id) so Citus can distribute on zone_id. */
export const id = () => uuid('id').notNull().default(sql`gen_random_uuid()`);
export const zoneId = () => uuid('zone_id').notNull();
export const version = () => integer('version').notNull().default(1);
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
