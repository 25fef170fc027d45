import { and, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../../shared/roles.ts';
import { hasRole, type Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../errors.ts';
import { unitSubtreeIds } from '../org/org.policy.ts';
import { orgGroupMembers } from '../org/org.schema.ts';
import { meetingDecisions, meetingInvitees, meetings } from './meetings.schema.ts';

/**
 * Who sees and runs which meetings (docs/api-meetings.md). Leaders see and run all. HQ people see and run their
 * HQs' meetings; leading-group members see the group's, its heads and deputies run them. Unit staff see the
 * meetings their unit (or a unit above it) is invited to or has a decision to carry out.
 */
export const MEETING_ROLES: readonly Role[] = ['zone_leader', 'hq_commander', 'hq_staff', 'unit_staff'];

export interface MeetingScope {
  leader: boolean;
  commandIds: string[];
  groupIds: string[];
  runGroupIds: string[];
  unitIds: string[];
}

export async function meetingScope(db: Db, caller: Caller): Promise<MeetingScope> {
  const groups = await db
    .select({ groupId: orgGroupMembers.groupId, role: orgGroupMembers.memberRole })
    .from(orgGroupMembers)
    .where(and(eq(orgGroupMembers.zoneId, caller.zoneId), eq(orgGroupMembers.userId, caller.userId)));
  const unit = hasRole(caller, 'unit_staff') && caller.unitId;
  return {
    leader: hasRole(caller, 'zone_leader'),
    commandIds: hasRole(caller, 'hq_commander', 'hq_staff') ? caller.commandIds : [],
    groupIds: groups.map((g) => g.groupId),
    runGroupIds: groups.filter((g) => g.role !== 'member').map((g) => g.groupId),
    // A unit sees what it, or a unit below it, is invited to.
    unitIds: unit ? await unitSubtreeIds(db, caller.zoneId, [caller.unitId!]) : [],
  };
}

const anyOf = (parts: (SQL | undefined)[]): SQL => {
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? (or(...present) as SQL) : sql`false`;
};

export function meetingReadWhere(scope: MeetingScope): SQL | undefined {
  if (scope.leader) return undefined;
  return anyOf([
    scope.commandIds.length ? inArray(meetings.commandId, scope.commandIds) : undefined,
    scope.groupIds.length ? inArray(meetings.groupId, scope.groupIds) : undefined,
    scope.unitIds.length
      ? exists(
          sql`(select 1 from ${meetingInvitees} where ${meetingInvitees.zoneId} = ${meetings.zoneId} and ${meetingInvitees.meetingId} = ${meetings.id} and ${meetingInvitees.kind} = 'unit' and ${inArray(meetingInvitees.refId, scope.unitIds)})`,
        )
      : undefined,
    scope.unitIds.length
      ? exists(
          sql`(select 1 from ${meetingDecisions} where ${meetingDecisions.zoneId} = ${meetings.zoneId} and ${meetingDecisions.meetingId} = ${meetings.id} and ${inArray(meetingDecisions.leadUnitId, scope.unitIds)})`,
        )
      : undefined,
  ]);
}

type MeetingRow = typeof meetings.$inferSelect;

/** May the caller plan, edit, record and issue this meeting (or one of this body)? */
export function canRunMeeting(scope: MeetingScope, m: Pick<MeetingRow, 'commandId' | 'groupId'>): boolean {
  if (scope.leader) return true;
  if (m.commandId) return scope.commandIds.includes(m.commandId);
  return m.groupId !== null && scope.runGroupIds.includes(m.groupId);
}

/** One meeting the caller may read, or 404 as if it did not exist. */
export async function loadMeetingInScope(db: Db, caller: Caller, id: string, opts: { forUpdate?: boolean } = {}) {
  const scope = await meetingScope(db, caller);
  const condition = and(eq(meetings.zoneId, caller.zoneId), eq(meetings.id, id), meetingReadWhere(scope));
  const base = db.select().from(meetings).where(condition);
  const [meeting] = opts.forUpdate ? await base.for('update') : await base;
  if (!meeting) throw notFound();
  return { meeting, scope, canRun: canRunMeeting(scope, meeting) };
}
