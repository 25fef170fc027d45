import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { COMMAND_MEMBER_ROLES, SECONDMENT_MODES, type CommandMemberRole, type SecondmentMode } from '../../../shared/org.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { users } from '../users/users.schema.ts';
import type { CommandCreateInput, CommandMembersInput, CommandPatchInput } from './org.api.ts';
import { cannotDelete, translateDbError, translateDeleteError, type ConstraintFields } from './org.errors.ts';
import { commandCan, deny } from './org.policy.ts';
import { checkMembers, requireLeadingGroup, requireUnit, type NamedRef } from './org.refs.ts';
import { commandMembers, commands, orgGroups, units } from './org.schema.ts';
import { cleanText, oneOf, requiredText } from './org.values.ts';

export type CommandRow = typeof commands.$inferSelect;

export interface CommandMemberView {
  userId: string;
  displayName: string;
  memberRole: CommandMemberRole;
  fromUnit: NamedRef | null;
  mode: SecondmentMode;
  duty: string | null;
}

export interface CommandView {
  row: CommandRow;
  areaUnit: NamedRef | null;
  leadingGroup: NamedRef | null;
  members: CommandMemberView[];
}

const ENTITY = 'command';

const CONSTRAINTS: ConstraintFields = {
  unique: { commands_zone_name_uq: 'name' },
  foreignKey: {
    commands_zone_id_area_unit_id_units_zone_id_id_fk: 'areaUnitId',
    commands_zone_id_leading_group_id_org_groups_zone_id_id_fk: 'leadingGroupId',
    command_members_zone_id_user_id_users_zone_id_id_fk: 'members',
    command_members_zone_id_from_unit_id_units_zone_id_id_fk: 'members',
  },
};

/** Leaders first, then deputies, then staff; by name within a role. */
function byRoleThenName(a: CommandMemberView, b: CommandMemberView): number {
  const r = COMMAND_MEMBER_ROLES.indexOf(a.memberRole) - COMMAND_MEMBER_ROLES.indexOf(b.memberRole);
  return r !== 0 ? r : a.displayName.localeCompare(b.displayName, 'zh-CN');
}

async function loadMembers(db: Db, zoneId: string, commandIds: string[]): Promise<Map<string, CommandMemberView[]>> {
  const byCommand = new Map<string, CommandMemberView[]>();
  if (commandIds.length === 0) return byCommand;
  const rows = await db
    .select({ member: commandMembers, displayName: users.displayName, fromUnitName: units.name })
    .from(commandMembers)
    .innerJoin(users, and(eq(users.zoneId, commandMembers.zoneId), eq(users.id, commandMembers.userId)))
    .leftJoin(units, and(eq(units.zoneId, commandMembers.zoneId), eq(units.id, commandMembers.fromUnitId)))
    .where(and(eq(commandMembers.zoneId, zoneId), inArray(commandMembers.commandId, commandIds)));
  for (const { member: m, displayName, fromUnitName } of rows) {
    const list = byCommand.get(m.commandId) ?? [];
    list.push({
      userId: m.userId,
      displayName,
      memberRole: oneOf(COMMAND_MEMBER_ROLES, m.memberRole),
      fromUnit: m.fromUnitId && fromUnitName !== null ? { id: m.fromUnitId, name: fromUnitName } : null,
      mode: oneOf(SECONDMENT_MODES, m.mode),
      duty: m.duty,
    });
    byCommand.set(m.commandId, list);
  }
  for (const list of byCommand.values()) list.sort(byRoleThenName);
  return byCommand;
}

async function loadCommands(db: Db, zoneId: string, id?: string): Promise<CommandView[]> {
  const area = alias(units, 'area_unit');
  const rows = await db
    .select({ command: commands, areaName: area.name, groupName: orgGroups.name })
    .from(commands)
    .leftJoin(area, and(eq(area.zoneId, commands.zoneId), eq(area.id, commands.areaUnitId)))
    .leftJoin(orgGroups, and(eq(orgGroups.zoneId, commands.zoneId), eq(orgGroups.id, commands.leadingGroupId)))
    .where(and(eq(commands.zoneId, zoneId), id ? eq(commands.id, id) : undefined))
    .orderBy(asc(commands.sortOrder), asc(commands.name));
  const members = await loadMembers(
    db,
    zoneId,
    rows.map((r) => r.command.id),
  );
  return rows.map(({ command: c, areaName, groupName }) => ({
    row: c,
    areaUnit: c.areaUnitId && areaName !== null ? { id: c.areaUnitId, name: areaName } : null,
    leadingGroup: c.leadingGroupId && groupName !== null ? { id: c.leadingGroupId, name: groupName } : null,
    members: members.get(c.id) ?? [],
  }));
}

export function listCommands(s: AppServices, caller: Caller): Promise<CommandView[]> {
  return loadCommands(s.db, caller.zoneId);
}

export async function getCommand(s: AppServices, caller: Caller, id: string, db: Db = s.db): Promise<CommandView> {
  const [view] = await loadCommands(db, caller.zoneId, id);
  if (!view) throw notFound();
  return view;
}

/** What the audit trail keeps of an HQ (members are audited by command.members). */
function snapshot(c: CommandRow) {
  const { name, shortName, areaUnitId, leadingGroupId, responsibility, establishedOn, active, version } = c;
  return { name, shortName, areaUnitId, leadingGroupId, responsibility, establishedOn, active, version };
}

function memberSnapshot(members: CommandMemberView[]) {
  return members.map((m) => ({ userId: m.userId, displayName: m.displayName, memberRole: m.memberRole, fromUnitId: m.fromUnit?.id ?? null, mode: m.mode, duty: m.duty }));
}

async function checkRefs(db: Db, zoneId: string, input: { areaUnitId?: string | null; leadingGroupId?: string | null }): Promise<void> {
  if (input.areaUnitId) await requireUnit(db, zoneId, input.areaUnitId, 'areaUnitId');
  if (input.leadingGroupId) await requireLeadingGroup(db, zoneId, input.leadingGroupId, 'leadingGroupId');
}

export async function createCommand(s: AppServices, caller: Caller, input: CommandCreateInput): Promise<CommandView> {
  await checkRefs(s.db, caller.zoneId, input);
  try {
    const id = await s.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(commands)
        .values({
          zoneId: caller.zoneId,
          name: requiredText('name', input.name),
          shortName: cleanText(input.shortName) ?? null,
          areaUnitId: input.areaUnitId ?? null,
          leadingGroupId: input.leadingGroupId ?? null,
          responsibility: cleanText(input.responsibility) ?? null,
          establishedOn: input.establishedOn ?? null,
        })
        .returning();
      if (!row) throw new Error('command insert returned nothing');
      await audit(tx, s, caller, { action: 'command.create', entityType: ENTITY, entityId: row.id, after: snapshot(row) });
      return row.id;
    });
    return await getCommand(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

/**
 * 404 when the HQ is not in the zone; 403 (audited) when the caller may see it but not edit it. Checked before the
 * change's transaction, because the denial's audit row commits on its own.
 */
async function authorise(s: AppServices, caller: Caller, id: string, need: 'update' | 'editMembers'): Promise<CommandRow> {
  const [row] = await s.db.select().from(commands).where(and(eq(commands.zoneId, caller.zoneId), eq(commands.id, id)));
  if (!row) throw notFound();
  if (!commandCan(caller, id)[need]) throw await deny(s, caller, ENTITY, id, `command.${need}`);
  return row;
}

/** The area and the leading group decide whose data an HQ sees: only the system admin re-points them. */
async function checkAdminOnlyFields(s: AppServices, caller: Caller, current: CommandRow, patch: CommandPatchInput): Promise<void> {
  if (commandCan(caller, current.id).delete) return;
  const changes =
    (patch.areaUnitId !== undefined && patch.areaUnitId !== current.areaUnitId) ||
    (patch.leadingGroupId !== undefined && patch.leadingGroupId !== current.leadingGroupId) ||
    (patch.active !== undefined && patch.active !== current.active);
  if (changes) throw await deny(s, caller, ENTITY, current.id, 'command.update_admin_fields');
}

function commandChanges(patch: CommandPatchInput) {
  return {
    ...(patch.name !== undefined ? { name: requiredText('name', patch.name) } : {}),
    ...(patch.shortName !== undefined ? { shortName: cleanText(patch.shortName) ?? null } : {}),
    ...(patch.areaUnitId !== undefined ? { areaUnitId: patch.areaUnitId } : {}),
    ...(patch.leadingGroupId !== undefined ? { leadingGroupId: patch.leadingGroupId } : {}),
    ...(patch.responsibility !== undefined ? { responsibility: cleanText(patch.responsibility) ?? null } : {}),
    ...(patch.establishedOn !== undefined ? { establishedOn: patch.establishedOn } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  };
}

export async function updateCommand(s: AppServices, caller: Caller, id: string, patch: CommandPatchInput): Promise<CommandView> {
  const { zoneId } = caller;
  const existing = await authorise(s, caller, id, 'update');
  await checkAdminOnlyFields(s, caller, existing, patch);
  await checkRefs(s.db, zoneId, patch);
  try {
    await s.db.transaction(async (tx) => {
      const [current] = await tx.select().from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, id)));
      if (!current) throw notFound();
      if (current.version !== patch.version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const [row] = await tx
        .update(commands)
        .set({ ...commandChanges(patch), version: sql`${commands.version} + 1`, updatedAt: s.now() })
        .where(and(eq(commands.zoneId, zoneId), eq(commands.id, id), eq(commands.version, patch.version)))
        .returning();
      if (!row) throw await versionConflict(tx, zoneId, ENTITY, id);
      await audit(tx, s, caller, { action: 'command.update', entityType: ENTITY, entityId: id, before: snapshot(current), after: snapshot(row) });
    });
    return await getCommand(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

/** Why an update matched nothing: the HQ is gone (404) or was changed meanwhile (409). */
async function staleOrGone(tx: Db, zoneId: string, id: string) {
  const [row] = await tx.select({ id: commands.id }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, id)));
  return row ? versionConflict(tx, zoneId, ENTITY, id) : notFound();
}

/** Replaces the member list in one transaction, with one audit row holding the list before and after. */
export async function replaceCommandMembers(s: AppServices, caller: Caller, id: string, input: CommandMembersInput): Promise<CommandView> {
  const { zoneId } = caller;
  await authorise(s, caller, id, 'editMembers');
  await checkMembers(s.db, zoneId, input.members);
  try {
    await s.db.transaction(async (tx) => {
      const bumped = await tx
        .update(commands)
        .set({ version: sql`${commands.version} + 1`, updatedAt: s.now() })
        .where(and(eq(commands.zoneId, zoneId), eq(commands.id, id), eq(commands.version, input.version)))
        .returning({ version: commands.version });
      if (bumped.length === 0) throw await staleOrGone(tx, zoneId, id);
      const before = (await loadMembers(tx, zoneId, [id])).get(id) ?? [];
      await tx.delete(commandMembers).where(and(eq(commandMembers.zoneId, zoneId), eq(commandMembers.commandId, id)));
      if (input.members.length) {
        await tx.insert(commandMembers).values(
          input.members.map((m) => ({
            zoneId,
            commandId: id,
            userId: m.userId,
            memberRole: m.memberRole,
            fromUnitId: m.fromUnitId ?? null,
            mode: m.mode,
            duty: cleanText(m.duty) ?? null,
          })),
        );
      }
      const after = (await loadMembers(tx, zoneId, [id])).get(id) ?? [];
      await audit(tx, s, caller, {
        action: 'command.members',
        entityType: ENTITY,
        entityId: id,
        before: { version: input.version, members: memberSnapshot(before) },
        after: { version: bumped[0]?.version, members: memberSnapshot(after) },
      });
    });
    return await getCommand(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

/** Refused while a task force belongs to the HQ (no foreign key guards that link) or a record points at it. */
export async function deleteCommand(s: AppServices, caller: Caller, id: string, version: number): Promise<void> {
  const { zoneId } = caller;
  try {
    await s.db.transaction(async (tx) => {
      const [view] = await loadCommands(tx, zoneId, id);
      if (!view) throw notFound();
      if (view.row.version !== version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const [group] = await tx.select({ id: orgGroups.id }).from(orgGroups).where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.commandId, id))).limit(1);
      if (group) throw cannotDelete('field.in_use');
      const deleted = await tx
        .delete(commands)
        .where(and(eq(commands.zoneId, zoneId), eq(commands.id, id), eq(commands.version, version)))
        .returning({ id: commands.id });
      if (deleted.length === 0) throw await versionConflict(tx, zoneId, ENTITY, id);
      await audit(tx, s, caller, { action: 'command.delete', entityType: ENTITY, entityId: id, before: { ...snapshot(view.row), members: memberSnapshot(view.members) } });
    });
  } catch (err) {
    throw translateDeleteError(err);
  }
}
