import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { GROUP_KINDS, GROUP_MEMBER_ROLES, type GroupKind, type GroupMemberRole } from '../../../shared/org.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { users } from '../users/users.schema.ts';
import type { GroupCreateInput, GroupMembersInput, GroupPatchInput } from './org.api.ts';
import { translateDbError, translateDeleteError, type ConstraintFields } from './org.errors.ts';
import { checkMembers, requireCommand, type NamedRef } from './org.refs.ts';
import { commands, orgGroupMembers, orgGroups } from './org.schema.ts';
import { cleanText, oneOf, requiredText } from './org.values.ts';

/** The leading group (领导小组) and task forces (专班). */
export type GroupRow = typeof orgGroups.$inferSelect;

export interface GroupMemberView {
  userId: string;
  displayName: string;
  memberRole: GroupMemberRole;
  duty: string | null;
}

export interface GroupView {
  row: GroupRow;
  kind: GroupKind;
  command: NamedRef | null;
  members: GroupMemberView[];
}

const ENTITY = 'group';

const CONSTRAINTS: ConstraintFields = {
  unique: { org_groups_zone_kind_name_uq: 'name' },
  foreignKey: { org_group_members_zone_id_user_id_users_zone_id_id_fk: 'members' },
};

function byRoleThenName(a: GroupMemberView, b: GroupMemberView): number {
  const r = GROUP_MEMBER_ROLES.indexOf(a.memberRole) - GROUP_MEMBER_ROLES.indexOf(b.memberRole);
  return r !== 0 ? r : a.displayName.localeCompare(b.displayName, 'zh-CN');
}

async function loadMembers(db: Db, zoneId: string, groupIds: string[]): Promise<Map<string, GroupMemberView[]>> {
  const byGroup = new Map<string, GroupMemberView[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .select({ member: orgGroupMembers, displayName: users.displayName })
    .from(orgGroupMembers)
    .innerJoin(users, and(eq(users.zoneId, orgGroupMembers.zoneId), eq(users.id, orgGroupMembers.userId)))
    .where(and(eq(orgGroupMembers.zoneId, zoneId), inArray(orgGroupMembers.groupId, groupIds)));
  for (const { member: m, displayName } of rows) {
    const list = byGroup.get(m.groupId) ?? [];
    list.push({ userId: m.userId, displayName, memberRole: oneOf(GROUP_MEMBER_ROLES, m.memberRole), duty: m.duty });
    byGroup.set(m.groupId, list);
  }
  for (const list of byGroup.values()) list.sort(byRoleThenName);
  return byGroup;
}

async function loadGroups(db: Db, zoneId: string, filter: { id?: string; kind?: GroupKind | undefined }): Promise<GroupView[]> {
  const rows = await db
    .select({ group: orgGroups, commandName: commands.name })
    .from(orgGroups)
    .leftJoin(commands, and(eq(commands.zoneId, orgGroups.zoneId), eq(commands.id, orgGroups.commandId)))
    .where(
      and(
        eq(orgGroups.zoneId, zoneId),
        filter.id ? eq(orgGroups.id, filter.id) : undefined,
        filter.kind ? eq(orgGroups.kind, filter.kind) : undefined,
      ),
    )
    // The leading group first, then task forces, each by name.
    .orderBy(asc(orgGroups.kind), asc(orgGroups.name));
  const members = await loadMembers(
    db,
    zoneId,
    rows.map((r) => r.group.id),
  );
  return rows.map(({ group: g, commandName }) => ({
    row: g,
    kind: oneOf(GROUP_KINDS, g.kind),
    command: g.commandId && commandName !== null ? { id: g.commandId, name: commandName } : null,
    members: members.get(g.id) ?? [],
  }));
}

export function listGroups(s: AppServices, caller: Caller, kind: GroupKind | undefined): Promise<GroupView[]> {
  return loadGroups(s.db, caller.zoneId, { kind });
}

export async function getGroup(s: AppServices, caller: Caller, id: string): Promise<GroupView> {
  const [view] = await loadGroups(s.db, caller.zoneId, { id });
  if (!view) throw notFound();
  return view;
}

function snapshot(g: GroupRow) {
  const { kind, name, theme, commandId, establishedOn, active, version } = g;
  return { kind, name, theme, commandId, establishedOn, active, version };
}

function memberSnapshot(members: GroupMemberView[]) {
  return members.map((m) => ({ userId: m.userId, displayName: m.displayName, memberRole: m.memberRole, duty: m.duty }));
}

export async function createGroup(s: AppServices, caller: Caller, input: GroupCreateInput): Promise<GroupView> {
  if (input.commandId) await requireCommand(s.db, caller.zoneId, input.commandId, 'commandId');
  try {
    const id = await s.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(orgGroups)
        .values({
          zoneId: caller.zoneId,
          kind: input.kind,
          name: requiredText('name', input.name),
          theme: cleanText(input.theme) ?? null,
          commandId: input.commandId ?? null,
          establishedOn: input.establishedOn ?? null,
        })
        .returning();
      if (!row) throw new Error('group insert returned nothing');
      await audit(tx, s, caller, { action: 'group.create', entityType: ENTITY, entityId: row.id, after: snapshot(row) });
      return row.id;
    });
    return await getGroup(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

function groupChanges(patch: GroupPatchInput) {
  return {
    ...(patch.name !== undefined ? { name: requiredText('name', patch.name) } : {}),
    ...(patch.theme !== undefined ? { theme: cleanText(patch.theme) ?? null } : {}),
    ...(patch.commandId !== undefined ? { commandId: patch.commandId } : {}),
    ...(patch.establishedOn !== undefined ? { establishedOn: patch.establishedOn } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  };
}

async function findGroup(db: Db, zoneId: string, id: string): Promise<GroupRow | undefined> {
  const [row] = await db.select().from(orgGroups).where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.id, id)));
  return row;
}

/** Why an update matched nothing: the group is gone (404) or was changed meanwhile (409). */
async function staleOrGone(tx: Db, zoneId: string, id: string) {
  return (await findGroup(tx, zoneId, id)) ? versionConflict(tx, zoneId, ENTITY, id) : notFound();
}

export async function updateGroup(s: AppServices, caller: Caller, id: string, patch: GroupPatchInput): Promise<GroupView> {
  const { zoneId } = caller;
  if (patch.commandId) await requireCommand(s.db, zoneId, patch.commandId, 'commandId');
  try {
    await s.db.transaction(async (tx) => {
      const current = await findGroup(tx, zoneId, id);
      if (!current) throw notFound();
      if (current.version !== patch.version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const [row] = await tx
        .update(orgGroups)
        .set({ ...groupChanges(patch), version: sql`${orgGroups.version} + 1`, updatedAt: s.now() })
        .where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.id, id), eq(orgGroups.version, patch.version)))
        .returning();
      if (!row) throw await staleOrGone(tx, zoneId, id);
      await audit(tx, s, caller, { action: 'group.update', entityType: ENTITY, entityId: id, before: snapshot(current), after: snapshot(row) });
    });
    return await getGroup(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

export async function replaceGroupMembers(s: AppServices, caller: Caller, id: string, input: GroupMembersInput): Promise<GroupView> {
  const { zoneId } = caller;
  if (!(await findGroup(s.db, zoneId, id))) throw notFound();
  await checkMembers(s.db, zoneId, input.members);
  try {
    await s.db.transaction(async (tx) => {
      const bumped = await tx
        .update(orgGroups)
        .set({ version: sql`${orgGroups.version} + 1`, updatedAt: s.now() })
        .where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.id, id), eq(orgGroups.version, input.version)))
        .returning({ version: orgGroups.version });
      if (bumped.length === 0) throw await staleOrGone(tx, zoneId, id);
      const before = (await loadMembers(tx, zoneId, [id])).get(id) ?? [];
      await tx.delete(orgGroupMembers).where(and(eq(orgGroupMembers.zoneId, zoneId), eq(orgGroupMembers.groupId, id)));
      if (input.members.length) {
        await tx
          .insert(orgGroupMembers)
          .values(input.members.map((m) => ({ zoneId, groupId: id, userId: m.userId, memberRole: m.memberRole, duty: cleanText(m.duty) ?? null })));
      }
      const after = (await loadMembers(tx, zoneId, [id])).get(id) ?? [];
      await audit(tx, s, caller, {
        action: 'group.members',
        entityType: ENTITY,
        entityId: id,
        before: { version: input.version, members: memberSnapshot(before) },
        after: { version: bumped[0]?.version, members: memberSnapshot(after) },
      });
    });
    return await getGroup(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

/** Refused (in use) while an HQ reports to the group or another record points at it. Members go with it. */
export async function deleteGroup(s: AppServices, caller: Caller, id: string, version: number): Promise<void> {
  const { zoneId } = caller;
  try {
    await s.db.transaction(async (tx) => {
      const [view] = await loadGroups(tx, zoneId, { id });
      if (!view) throw notFound();
      if (view.row.version !== version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const deleted = await tx
        .delete(orgGroups)
        .where(and(eq(orgGroups.zoneId, zoneId), eq(orgGroups.id, id), eq(orgGroups.version, version)))
        .returning({ id: orgGroups.id });
      if (deleted.length === 0) throw await versionConflict(tx, zoneId, ENTITY, id);
      await audit(tx, s, caller, { action: 'group.delete', entityType: ENTITY, entityId: id, before: { ...snapshot(view.row), members: memberSnapshot(view.members) } });
    });
  } catch (err) {
    throw translateDeleteError(err);
  }
}
