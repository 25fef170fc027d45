import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { users } from '../users/users.schema.ts';

/**
 * A zone (起步区) is the tenant: every other row carries its id, and every foreign key includes it, so a row
 * can never point into another zone and a Citus deployment can distribute every table on zone_id.
 */
export const zones = pgTable('zones', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  /** Demo accounts and their documented password exist only in the demo zone. */
  isDemo: boolean('is_demo').notNull().default(false),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The unit tree: committee, departments, streets, clusters, areas and external (provincial / city) bodies. */
export const units = pgTable(
  'units',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    parentId: uuid('parent_id'),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    /** Places (clusters, areas) have a description of where they are. */
    description: text('description'),
    establishedOn: date('established_on', { mode: 'string' }),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.parentId], foreignColumns: [t.zoneId, t.id] }),
    uniqueIndex('units_zone_parent_name_uq').on(t.zoneId, sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.name),
    index('units_zone_parent_idx').on(t.zoneId, t.parentId),
    check('units_kind_ck', sql`${t.kind} in ('committee','department','street','cluster','area','external')`),
    check('units_not_own_parent_ck', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

/** A front-line headquarters (指挥部). Its leader, deputies and seconded staff are in command_members. */
export const commands = pgTable(
  'commands',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    name: text('name').notNull(),
    shortName: text('short_name'),
    /** The cluster or area it is responsible for. */
    areaUnitId: uuid('area_unit_id'),
    /** The leading group it reports to. */
    leadingGroupId: uuid('leading_group_id'),
    responsibility: text('responsibility'),
    establishedOn: date('established_on', { mode: 'string' }),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.areaUnitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.leadingGroupId], foreignColumns: [orgGroups.zoneId, orgGroups.id] }),
    uniqueIndex('commands_zone_name_uq').on(t.zoneId, t.name),
  ],
);

export const commandMembers = pgTable(
  'command_members',
  {
    zoneId: zoneId().references(() => zones.id),
    commandId: uuid('command_id').notNull(),
    userId: uuid('user_id').notNull(),
    memberRole: text('member_role').notNull(),
    /** The unit the person is seconded from (抽调单位). */
    fromUnitId: uuid('from_unit_id'),
    mode: text('mode').notNull().default('seconded'),
    duty: text('duty'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.commandId, t.userId] }),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.userId], foreignColumns: [users.zoneId, users.id] }),
    foreignKey({ columns: [t.zoneId, t.fromUnitId], foreignColumns: [units.zoneId, units.id] }),
    index('command_members_user_idx').on(t.zoneId, t.userId),
    check('command_members_role_ck', sql`${t.memberRole} in ('leader','deputy','staff')`),
    check('command_members_mode_ck', sql`${t.mode} in ('seconded','on_site')`),
  ],
);

/** The leading group (领导小组) above the HQs, and task forces (专班) bound to a project or theme. */
export const orgGroups = pgTable(
  'org_groups',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    theme: text('theme'),
    /** A task force may belong to an HQ. */
    commandId: uuid('command_id'),
    establishedOn: date('established_on', { mode: 'string' }),
    active: boolean('active').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('org_groups_zone_kind_name_uq').on(t.zoneId, t.kind, t.name),
    check('org_groups_kind_ck', sql`${t.kind} in ('leading_group','task_force')`),
  ],
);

export const orgGroupMembers = pgTable(
  'org_group_members',
  {
    zoneId: zoneId().references(() => zones.id),
    groupId: uuid('group_id').notNull(),
    userId: uuid('user_id').notNull(),
    memberRole: text('member_role').notNull(),
    duty: text('duty'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.groupId, t.userId] }),
    foreignKey({ columns: [t.zoneId, t.groupId], foreignColumns: [orgGroups.zoneId, orgGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.userId], foreignColumns: [users.zoneId, users.id] }),
    check('org_group_members_role_ck', sql`${t.memberRole} in ('head','deputy_head','member')`),
  ],
);

/** Enterprises, identified by their unified social credit code. Personal data is SM4-encrypted. */
export const enterprises = pgTable(
  'enterprises',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    name: text('name').notNull(),
    creditCode: text('credit_code').notNull(),
    legalRepresentative: text('legal_representative'),
    /** SM4 ciphertext of the legal representative's ID number. */
    legalRepIdNumberEnc: text('legal_rep_id_number_enc'),
    contactName: text('contact_name'),
    /** SM4 ciphertext of the contact's phone. */
    contactPhoneEnc: text('contact_phone_enc'),
    industry: text('industry'),
    address: text('address'),
    /** The street, cluster or area it sits in. */
    unitId: uuid('unit_id'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.unitId], foreignColumns: [units.zoneId, units.id] }),
    uniqueIndex('enterprises_zone_credit_code_uq').on(t.zoneId, t.creditCode),
    index('enterprises_zone_name_idx').on(t.zoneId, t.name),
  ],
);
