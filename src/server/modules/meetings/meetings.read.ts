import { and, asc, desc, eq, gte, inArray, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/days.ts';
import { meetingTitle, type MeetingType } from '../../../shared/meetings.ts';
import { OPEN_STATES } from '../../../shared/problem-flow.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { fieldError } from '../../errors.ts';
import { commands, orgGroups, units } from '../org/org.schema.ts';
import { lightSql } from '../problems/problems.repository.ts';
import { problems } from '../problems/problems.schema.ts';
import { listProjects } from '../projects/projects.service.ts';
import { users } from '../users/users.schema.ts';
import type { DecisionDto, MeetingDetailDto, MeetingListItemDto, MeetingQueryInput } from './meetings.api.ts';
import { loadMeetingInScope, meetingReadWhere, meetingScope } from './meetings.policy.ts';
import { meetingAgendaItems, meetingAttendance, meetingDecisions, meetingInvitees, meetingMinutesVersions, meetings } from './meetings.schema.ts';

/** Meetings' reads: the calendar list, and one meeting with agenda, attendance, decisions, follow-up, suggestions. */

type MeetingRow = typeof meetings.$inferSelect;

const OPEN = sql.raw(OPEN_STATES.map((s) => `'${s}'`).join(','));
/** A decision still needing work: its problem is open, or its task is. */
const decisionOpen = sql<boolean>`(${meetingDecisions.taskStatus} = 'open' or exists (select 1 from ${problems} where ${problems.zoneId} = ${meetingDecisions.zoneId} and ${problems.id} = ${meetingDecisions.problemId} and ${problems.state} in (${OPEN})))`;

async function namesOf(db: Db, zoneId: string, table: typeof units | typeof commands, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: table.id, name: table.name }).from(table).where(and(eq(table.zoneId, zoneId), inArray(table.id, wanted)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function bodies(db: Db, zoneId: string, rows: MeetingRow[]) {
  const commandNames = await namesOf(db, zoneId, commands, rows.flatMap((r) => (r.commandId ? [r.commandId] : [])));
  const groupIds = [...new Set(rows.flatMap((r) => (r.groupId ? [r.groupId] : [])))];
  const groupNames = new Map(
    groupIds.length ? (await db.select({ id: orgGroups.id, name: orgGroups.name }).from(orgGroups).where(and(eq(orgGroups.zoneId, zoneId), inArray(orgGroups.id, groupIds)))).map((g) => [g.id, g.name]) : [],
  );
  return (r: MeetingRow) =>
    r.commandId ? { kind: 'command', id: r.commandId, name: commandNames.get(r.commandId) ?? '' } : { kind: 'group', id: r.groupId!, name: groupNames.get(r.groupId!) ?? '' };
}

async function listItems(db: Db, zoneId: string, rows: MeetingRow[]): Promise<MeetingListItemDto[]> {
  if (!rows.length) return [];
  const bodyOf = await bodies(db, zoneId, rows);
  const chairIds = [...new Set(rows.flatMap((r) => (r.chairUserId ? [r.chairUserId] : [])))];
  const chairs = new Map(chairIds.length ? (await db.select({ id: users.id, name: users.displayName }).from(users).where(and(eq(users.zoneId, zoneId), inArray(users.id, chairIds)))).map((u) => [u.id, u.name]) : []);
  const counts = await db
    .select({ meetingId: meetingDecisions.meetingId, all: sql<number>`count(*)::int`, open: sql<number>`count(*) filter (where ${decisionOpen})::int` })
    .from(meetingDecisions)
    .where(and(eq(meetingDecisions.zoneId, zoneId), inArray(meetingDecisions.meetingId, rows.map((r) => r.id))))
    .groupBy(meetingDecisions.meetingId);
  const countOf = new Map(counts.map((c) => [c.meetingId, c]));
  return rows.map((r) => {
    const body = bodyOf(r);
    return {
      id: r.id,
      title: meetingTitle(body.name, r.type as MeetingType, r.number, r.subject),
      type: r.type,
      number: r.number,
      subject: r.subject,
      body,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      heldOn: r.heldOn,
      place: r.place,
      chair: r.chairUserId ? { id: r.chairUserId, name: chairs.get(r.chairUserId) ?? '' } : null,
      status: r.status,
      minutesVersion: r.minutesVersion,
      seriesId: r.seriesId,
      decisionCount: Number(countOf.get(r.id)?.all ?? 0),
      openDecisionCount: Number(countOf.get(r.id)?.open ?? 0),
      version: r.version,
    };
  });
}

/**
 * The meeting touches the project: an agenda item of kind 'project' about it, an agenda item of kind 'problem' about
 * one of its problems, or a decision that raised one of its problems (problems.project_id). Correlated on the
 * meeting, so each probe uses the agenda's (zone_id, meeting_id) index, the decisions' (zone_id, meeting_id, seq)
 * index and the problems' primary key; every join also on zone_id.
 */
function touchesProject(projectId: string): SQL {
  const a = meetingAgendaItems;
  const d = meetingDecisions;
  const p = problems;
  const onAgenda = sql`exists (select 1 from ${a} where ${a.zoneId} = ${meetings.zoneId} and ${a.meetingId} = ${meetings.id} and (
    (${a.kind} = 'project' and ${eq(a.refId, projectId)})
    or (${a.kind} = 'problem' and exists (select 1 from ${p} where ${p.zoneId} = ${a.zoneId} and ${p.id} = ${a.refId} and ${eq(p.projectId, projectId)}))))`;
  const decided = sql`exists (select 1 from ${d} inner join ${p} on ${p.zoneId} = ${d.zoneId} and ${p.id} = ${d.problemId}
    where ${d.zoneId} = ${meetings.zoneId} and ${d.meetingId} = ${meetings.id} and ${eq(p.projectId, projectId)})`;
  return sql`(${onAgenda} or ${decided})`;
}

export async function listMeetings(s: AppServices, caller: Caller, q: MeetingQueryInput) {
  if (q.from && q.to && q.to < q.from) throw fieldError('to', 'field.date_range');
  const scope = await meetingScope(s.db, caller);
  const parts: (SQL | undefined)[] = [eq(meetings.zoneId, caller.zoneId), meetingReadWhere(scope)];
  if (q.from) parts.push(gte(meetings.heldOn, q.from));
  if (q.to) parts.push(lte(meetings.heldOn, q.to));
  if (q.commandId) parts.push(eq(meetings.commandId, q.commandId));
  if (q.groupId) parts.push(eq(meetings.groupId, q.groupId));
  if (q.type?.length) parts.push(inArray(meetings.type, q.type));
  if (q.status?.length) parts.push(inArray(meetings.status, q.status));
  if (q.projectId) parts.push(touchesProject(q.projectId));
  const order = q.order === 'desc' ? [desc(meetings.startsAt), desc(meetings.id)] : [asc(meetings.startsAt), asc(meetings.id)];
  const rows = await s.db.select().from(meetings).where(and(...parts)).orderBy(...order).limit(1000);
  return { items: await listItems(s.db, caller.zoneId, rows) };
}

/** Decisions with their units and the live state of their problem or task. */
async function decisionsWhere(db: Db, zoneId: string, where: SQL, today: string): Promise<(DecisionDto & { meetingId: string })[]> {
  const rows = await db
    .select({
      d: meetingDecisions,
      problemCode: problems.code,
      problemState: problems.state,
      problemClosedOn: problems.closedOn,
      light: lightSql(today),
    })
    .from(meetingDecisions)
    .leftJoin(problems, and(eq(problems.zoneId, meetingDecisions.zoneId), eq(problems.id, meetingDecisions.problemId)))
    .where(and(eq(meetingDecisions.zoneId, zoneId), where))
    .orderBy(asc(meetingDecisions.meetingId), asc(meetingDecisions.seq));
  const unitNames = await namesOf(db, zoneId, units, rows.flatMap((r) => [r.d.leadUnitId, ...r.d.cooperatingUnitIds]));
  const ref = (id: string) => ({ id, name: unitNames.get(id) ?? '' });
  return rows.map(({ d, problemCode, problemState, problemClosedOn, light }) => ({
    id: d.id,
    meetingId: d.meetingId,
    seq: d.seq,
    text: d.text,
    kind: d.kind,
    leadUnit: ref(d.leadUnitId),
    cooperatingUnits: d.cooperatingUnitIds.map(ref),
    deadline: d.deadline,
    deadlineWorkdays: d.deadlineWorkdays,
    agendaItemId: d.agendaItemId,
    problem: d.problemId ? { id: d.problemId, code: problemCode ?? '', state: problemState ?? '', light: light ?? null, closedOn: problemClosedOn } : null,
    taskStatus: d.taskStatus,
    taskResult: d.taskResult,
    taskDoneAt: d.taskDoneAt?.toISOString() ?? null,
    open: d.kind === 'task' ? d.taskStatus === 'open' : OPEN_STATES.includes((problemState ?? 'closed') as never),
    version: d.version,
  }));
}

/** Earlier meetings of the same HQ (or the leading group), newest first. */
function earlierOfBody(m: MeetingRow): SQL {
  return and(
    m.commandId ? eq(meetings.commandId, m.commandId) : eq(meetings.groupId, m.groupId!),
    lt(meetings.startsAt, m.startsAt),
    ne(meetings.status, 'cancelled'),
  ) as SQL;
}

export async function getMeeting(s: AppServices, caller: Caller, id: string): Promise<MeetingDetailDto> {
  const db = s.db;
  const zoneId = caller.zoneId;
  const { meeting: m, canRun } = await loadMeetingInScope(db, caller, id);
  const today = shanghaiDay(s.now());
  const [item] = await listItems(db, zoneId, [m]);
  const invitees = await db.select().from(meetingInvitees).where(and(eq(meetingInvitees.zoneId, zoneId), eq(meetingInvitees.meetingId, id)));
  const agendaRows = await db.select().from(meetingAgendaItems).where(and(eq(meetingAgendaItems.zoneId, zoneId), eq(meetingAgendaItems.meetingId, id))).orderBy(asc(meetingAgendaItems.sortOrder));
  const attendance = await db
    .select({ a: meetingAttendance, name: users.displayName })
    .from(meetingAttendance)
    .innerJoin(users, and(eq(users.zoneId, meetingAttendance.zoneId), eq(users.id, meetingAttendance.userId)))
    .where(and(eq(meetingAttendance.zoneId, zoneId), eq(meetingAttendance.meetingId, id)));
  const unitNames = await namesOf(db, zoneId, units, [
    ...invitees.filter((i) => i.kind === 'unit').map((i) => i.refId),
    ...agendaRows.flatMap((a) => (a.presenterUnitId ? [a.presenterUnitId] : [])),
    ...attendance.flatMap((a) => (a.a.unitId ? [a.a.unitId] : [])),
  ]);
  const commandNames = await namesOf(db, zoneId, commands, invitees.filter((i) => i.kind === 'command').map((i) => i.refId));
  const presenterIds = agendaRows.flatMap((a) => (a.presenterUserId ? [a.presenterUserId] : []));
  const presenters = new Map(
    presenterIds.length ? (await db.select({ id: users.id, name: users.displayName }).from(users).where(and(eq(users.zoneId, zoneId), inArray(users.id, presenterIds)))).map((u) => [u.id, u.name]) : [],
  );
  const unitRef = (uid: string | null) => (uid ? { id: uid, name: unitNames.get(uid) ?? '' } : null);

  const byUnit = new Map<string, { unit: { id: string; name: string } | null; present: number; absent: number; substitute: number }>();
  for (const { a } of attendance) {
    const key = a.unitId ?? '';
    const row = byUnit.get(key) ?? { unit: unitRef(a.unitId), present: 0, absent: 0, substitute: 0 };
    row[a.status as 'present' | 'absent' | 'substitute']++;
    byUnit.set(key, row);
  }

  const decisions = await decisionsWhere(db, zoneId, eq(meetingDecisions.meetingId, id), today);
  const earlier = await db.select().from(meetings).where(and(eq(meetings.zoneId, zoneId), earlierOfBody(m))).orderBy(desc(meetings.startsAt)).limit(50);
  const earlierItems = await listItems(db, zoneId, earlier);
  const earlierById = new Map(earlierItems.map((e) => [e.id, e]));
  const previous = earlier.length ? await decisionsWhere(db, zoneId, inArray(meetingDecisions.meetingId, earlier.map((e) => e.id)), today) : [];
  const followUp = previous
    .map((d) => ({ meeting: { id: d.meetingId, title: earlierById.get(d.meetingId)!.title, heldOn: earlierById.get(d.meetingId)!.heldOn }, decision: d }))
    .sort((a, b) => (a.meeting.heldOn === b.meeting.heldOn ? a.decision.seq - b.decision.seq : a.meeting.heldOn < b.meeting.heldOn ? 1 : -1));

  const versions = await db
    .select()
    .from(meetingMinutesVersions)
    .where(and(eq(meetingMinutesVersions.zoneId, zoneId), eq(meetingMinutesVersions.meetingId, id)))
    .orderBy(asc(meetingMinutesVersions.minutesVersion));
  const onAgenda = new Set(agendaRows.flatMap((a) => (a.refId ? [a.refId] : [])));
  const suggestions = canRun && m.status !== 'cancelled' ? (await suggestionsFor(s, caller, m, followUp, today)).filter((x) => !onAgenda.has(x.refId)) : [];

  return {
    ...item!,
    invitees: {
      units: invitees.filter((i) => i.kind === 'unit').map((i) => unitRef(i.refId)!),
      commands: invitees.filter((i) => i.kind === 'command').map((i) => ({ id: i.refId, name: commandNames.get(i.refId) ?? '' })),
    },
    summary: m.summary,
    agenda: agendaRows.map((a) => ({
      id: a.id,
      sortOrder: a.sortOrder,
      kind: a.kind,
      refId: a.refId,
      title: a.title,
      presenterUser: a.presenterUserId ? { id: a.presenterUserId, name: presenters.get(a.presenterUserId) ?? '' } : null,
      presenterUnit: unitRef(a.presenterUnitId),
      minutesAllowed: a.minutesAllowed,
      minutes: a.minutes,
    })),
    attendance: attendance.map(({ a, name }) => ({ user: { id: a.userId, name }, unit: unitRef(a.unitId), status: a.status, reason: a.reason, substituteName: a.substituteName })),
    attendanceByUnit: [...byUnit.values()],
    decisions,
    followUp,
    suggestions,
    minutesVersions: versions.map((v) => ({ minutesVersion: v.minutesVersion, documentNumber: v.documentNumber, issuedAt: v.issuedAt.toISOString(), issuedByName: v.issuedByName, reason: v.reason })),
    minutesChanged: m.pendingRevision !== null,
    can: { update: canRun, decide: canRun && m.status !== 'cancelled', issue: canRun && m.status !== 'cancelled' && (m.minutesVersion === 0 || m.pendingRevision !== null) },
  };
}

type Suggestion = MeetingDetailDto['suggestions'][number];

/**
 * What the chair should put on the agenda: the HQ's red (overdue) problems, its lagging projects, and every open
 * decision of its earlier meetings. For the leading group: problems escalated beyond their HQ, and lagging
 * projects zone-wide.
 */
async function suggestionsFor(s: AppServices, caller: Caller, m: MeetingRow, followUp: MeetingDetailDto['followUp'], today: string): Promise<Suggestion[]> {
  const db = s.db;
  const zoneId = caller.zoneId;
  const red = await db
    .select({ id: problems.id, code: problems.code, title: problems.title, leadUnitId: problems.leadUnitId, deadline: problems.deadline })
    .from(problems)
    .where(
      and(
        eq(problems.zoneId, zoneId),
        m.commandId ? eq(problems.commandId, m.commandId) : sql`${problems.supervisionLevel} >= 1`,
        sql`${lightSql(today)} = 'red'`,
      ),
    )
    .orderBy(asc(problems.deadline))
    .limit(20);
  const unitNames = await namesOf(db, zoneId, units, red.flatMap((p) => (p.leadUnitId ? [p.leadUnitId] : [])));
  const out: Suggestion[] = red.map((p) => ({
    kind: 'problem',
    refId: p.id,
    title: `${p.code} ${p.title}`,
    reason: `逾期（时限 ${p.deadline}）`,
    presenterUnit: p.leadUnitId ? { id: p.leadUnitId, name: unitNames.get(p.leadUnitId) ?? '' } : null,
  }));
  const lagging = await listProjects(s, caller, { lagging: true, ...(m.commandId ? { commandId: m.commandId } : {}) }, 1, 10);
  for (const p of lagging.items) {
    out.push({
      kind: 'project',
      refId: p.row.id,
      title: p.row.name,
      reason: '投资进度滞后于序时进度',
      presenterUnit: p.row.leadUnitId ? { id: p.row.leadUnitId, name: p.leadUnitName ?? '' } : null,
    });
  }
  for (const f of followUp.filter((x) => x.decision.open)) {
    out.push({ kind: 'decision', refId: f.decision.id, title: `${f.meeting.title}议定事项：${f.decision.text}`, reason: `未办结（时限 ${f.decision.deadline}）`, presenterUnit: f.decision.leadUnit });
  }
  return out;
}
