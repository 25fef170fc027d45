import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { enterprises, units, zones } from '../org/org.schema.ts';

export const users = pgTable(
  'users',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    /** Sign-in name, unique across the deployment (sign-in does not ask for a zone). */
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    title: text('title'),
    unitId: uuid('unit_id'),
    /** Set for enterprise contacts: the company whose data they may see. */
    enterpriseId: uuid('enterprise_id'),
    email: text('email'),
    /** SM4 ciphertext of the mobile number, and a keyed SM3 digest for exact lookup. */
    phoneEnc: text('phone_enc'),
    phoneDigest: text('phone_digest'),
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Set by an admin's reset: the next sign-in must choose a new password. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    totpSecretEnc: text('totp_secret_enc'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** The last TOTP time step accepted, so a code cannot be used twice. */
    totpLastStep: integer('totp_last_step'),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    disabled: boolean('disabled').notNull().default(false),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true, mode: 'date' }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.unitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.enterpriseId], foreignColumns: [enterprises.zoneId, enterprises.id] }),
    // Sign-in names are unique across the deployment; on Citus this table is the one global lookup by name.
    uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
    index('users_zone_unit_idx').on(t.zoneId, t.unitId),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    zoneId: zoneId().references(() => zones.id),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.userId, t.role] }),
    foreignKey({ columns: [t.zoneId, t.userId], foreignColumns: [users.zoneId, users.id] }).onDelete('cascade'),
    check(
      'user_roles_role_ck',
      sql`${t.role} in ('zone_leader','hq_commander','hq_staff','unit_staff','service_agent','enterprise_contact','sys_admin','sec_admin','audit_admin')`,
    ),
  ],
);
