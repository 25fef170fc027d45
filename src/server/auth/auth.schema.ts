import { boolean, foreignKey, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { updatedAt, version, zoneId } from '../db/columns.ts';
import { zones } from '../modules/org/org.schema.ts';
import { users } from '../modules/users/users.schema.ts';

/** Sessions live in the database so any app instance can serve any request. The id stored is a digest of the cookie. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    zoneId: zoneId().references(() => zones.id),
    userId: uuid('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Absolute expiry, fixed at sign-in. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    foreignKey({ columns: [t.zoneId, t.userId], foreignColumns: [users.zoneId, users.id] }).onDelete('cascade'),
    index('sessions_user_idx').on(t.zoneId, t.userId),
  ],
);

/** Security settings per zone, edited only by the security admin. */
export const securitySettings = pgTable('security_settings', {
  zoneId: uuid('zone_id')
    .primaryKey()
    .references(() => zones.id),
  passwordMinLength: integer('password_min_length').notNull().default(10),
  passwordMinClasses: integer('password_min_classes').notNull().default(3),
  /** 0 disables forced rotation (ASVS); 等保 deployments set e.g. 90. */
  passwordMaxAgeDays: integer('password_max_age_days').notNull().default(0),
  lockoutThreshold: integer('lockout_threshold').notNull().default(5),
  lockoutMinutes: integer('lockout_minutes').notNull().default(15),
  idleTimeoutMinutes: integer('idle_timeout_minutes').notNull().default(30),
  absoluteTimeoutHours: integer('absolute_timeout_hours').notNull().default(12),
  /** TOTP is always required for the admin roles outside the demo zone; this extends it to everyone. */
  totpRequiredForAll: boolean('totp_required_for_all').notNull().default(false),
  version: version(),
  updatedAt: updatedAt(),
});
