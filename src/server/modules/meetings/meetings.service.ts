import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/days.ts';
import { meetingTitle, type MeetingType } from '../../../shared/meetings.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, fieldError, forbidden, notFound } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { commands, units } from '../org/org.schema.ts';
import { raiseProblem } from '../problems/problems.service.ts';
import { problems } from '../problems/problems.schema.ts';
import { users } from '../users/users.schema.ts';
import type { DecisionCreateInput, MeetingCreateInput, MeetingPatchInput } from './meetings.api.ts';
import { bodyName } from './meetings.body.ts';
import { minutesContent } from './meetings.minutes.ts';
import { canRunMeeting, loadMeetingInScope, meetingScope } from './meetings.policy.ts';
import {
  meetingAgendaItems,
  meetingAttendance,
  meetingCounters,
  meetingDecisions,
  meetingInvitees,
  meetingMinutesVersions,
  meetings,
  meetingSeries,
} from './meetings.schema.ts';

/**
 * Meetings' writes: plan (one or a weekly series, numbered per body and type), edit agenda / attendance / minutes,
 * record decisions (each becomes a problem or a task in the same transaction), issue the minutes (a frozen
 * version). Every change is audited in its own transaction.
 */

const ENTITY = 'meeting';
export type MeetingRow = typeof meetings.$inferSelect;

/** 2026-11-27T09:00:00+08:00 → the day it is in Asia/Shanghai. */
const dayOf = (d: Date) => shanghaiDay(d);

async function nextNumber(tx: Db, zoneId: string, bodyId: string, type: MeetingType): Promise<number> {
  const [row] = await tx
    .insert(meetingCounters)
    .values({ zoneId, bodyId, type, last: 1 })
    .onConflictDoUpdate({ target: [meetingCounters.zoneId, meetingCounters.bodyId, meetingCounters.type], set: { last: sql`${meetingCounters.last} + 1` } })
    .returning({ last: meetingCounters.last });
  return row!.last;
}

async function requireIds(tx: Db, zoneId: string, path: string, table: typeof units | typeof commands | typeof users, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length !== ids.length) throw fieldError(path, 'field.duplicate');
  if (!unique.length) return;
  const rows = await tx.select({ id: table.id }).from(table).where(and(eq(table.zoneId, zoneId), inArray(table.id, unique)));
  if (rows.length !== unique.length) throw fieldError(path, 'field.not_found');
}

async function writeInvitees(tx: Db, zoneId: string, meetingId: string, inv: { unitIds?: string[]; commandIds?: string[] }): Promise<void> {
  await requireIds(tx, zoneId, 'invitees.unitIds', units, inv.unitIds ?? []);
  await requireIds(tx, zoneId, 'invitees.commandIds', commands, inv.commandIds ?? []);
  await tx.delete(meetingInvitees).where(and(eq(meetingInvitees.zoneId, zoneId), eq(meetingInvitees.meetingId, meetingId)));
  const rows = [
    ...(inv.unitIds ?? []).map((refId) => ({ zoneId, meetingId, kind: 'unit', refId })),
    ...(inv.commandIds ?? []).map((refId) => ({ zoneId, meetingId, kind: 'command', refId })),
  ];
  if (rows.length) await tx.insert(meetingInvitees).values(rows);
}

/** Plans a meeting, or a weekly series of them; returns the ids in date order. */
export function createMeeting(s: AppServices, caller: Caller, input: MeetingCreateInput): Promise<string[]> {
  return s.db.transaction((tx) => createMeetingIn(tx, s, caller, input));
}

/** createMeeting inside the caller's transaction (the demo seeding uses it). */
export async function createMeetingIn(tx: Db, s: AppServices, caller: Caller, input: MeetingCreateInput): Promise<string[]> {
  const body = { commandId: input.commandId ?? null, groupId: input.groupId ?? null };
  if ((body.commandId === null) === (body.groupId === null)) throw fieldError('commandId', 'field.meeting_body');
  if ((input.type === 'leading_group') !== (body.groupId !== null)) throw fieldError('type', 'field.meeting_type');
  {
    const zoneId = caller.zoneId;
    const scope = await meetingScope(tx, caller);
    await bodyName(tx, zoneId, body);
    if (!canRunMeeting(scope, body)) throw forbidden();
    if (input.chairUserId) await requireIds(tx, zoneId, 'chairUserId', users, [input.chairUserId]);
    const start = new Date(input.startsAt);
    const minutes = input.durationMinutes ?? 90;
    const starts: Date[] = [start];
    if (input.repeat) {
      const until = input.repeat.untilOn;
      if (until < dayOf(start)) throw fieldError('repeat.untilOn', 'field.date_range');
      const step = 7 * (input.repeat.intervalWeeks ?? 1);
      for (let t = start.getTime() + step * 86_400_000; dayOf(new Date(t)) <= until; t += step * 86_400_000) {
        starts.push(new Date(t));
        if (starts.length > 52) throw fieldError('repeat.untilOn', 'field.max_items', { limit: 52 });
      }
    }
    let seriesId: string | null = null;
    if (input.repeat) {
      const [series] = await tx
        .insert(meetingSeries)
        .values({
          zoneId,
          ...body,
          type: input.type,
          startTime: start.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' }),
          durationMinutes: minutes,
          intervalWeeks: input.repeat.intervalWeeks ?? 1,
          firstOn: dayOf(start),
          untilOn: input.repeat.untilOn,
          place: input.place ?? null,
          chairUserId: input.chairUserId ?? null,
          createdBy: caller.userId,
        })
        .returning({ id: meetingSeries.id });
      seriesId = series!.id;
    }
    const ids: string[] = [];
    for (const at of starts) {
      const number = await nextNumber(tx, zoneId, (body.commandId ?? body.groupId)!, input.type);
      const [row] = await tx
        .insert(meetings)
        .values({
          zoneId,
          ...body,
          type: input.type,
          number,
          subject: input.subject?.trim() || null,
          startsAt: at,
          endsAt: new Date(at.getTime() + minutes * 60_000),
          heldOn: dayOf(at),
          place: input.place?.trim() || null,
          chairUserId: input.chairUserId ?? null,
          seriesId,
          createdBy: caller.userId,
          createdAt: s.now(),
          updatedAt: s.now(),
        })
        .returning();
      if (input.invitees) await writeInvitees(tx, zoneId, row!.id, input.invitees);
      await audit(tx, s, caller, { action: 'meeting.create', entityType: ENTITY, entityId: row!.id, after: snapshot(row!) });
      ids.push(row!.id);
    }
    return ids;
  }
}

function snapshot(m: MeetingRow) {
  const { commandId, groupId, type, number, subject, startsAt, endsAt, place, chairUserId, status, minutesVersion, summary, version } = m;
  return { commandId, groupId, type, number, subject, startsAt, endsAt, place, chairUserId, status, minutesVersion, summary, version };
}

/** Loads a meeting the caller may run, locked, at the version they edited. */
async function loadForChange(tx: Db, caller: Caller, id: string, version: number) {
  const loaded = await loadMeetingInScope(tx, caller, id, { forUpdate: true });
  if (!loaded.canRun) throw forbidden();
  if (loaded.meeting.version !== version) throw await versionConflict(tx, caller.zoneId, ENTITY, id);
  return loaded.meeting;
}

/** Once issued, the minutes change only with a reason: the change is the next version when issued again. */
function revisionOf(m: MeetingRow, touchesMinutes: boolean, reason: string | undefined): string | null | undefined {
  if (!touchesMinutes || m.minutesVersion === 0) return undefined;
  if (!reason?.trim()) throw fieldError('revisionReason', 'field.minutes_frozen');
  return reason.trim();
}

export function updateMeeting(s: AppServices, caller: Caller, id: string, input: MeetingPatchInput): Promise<void> {
  return s.db.transaction((tx) => updateMeetingIn(tx, s, caller, id, input));
}

export async function updateMeetingIn(tx: Db, s: AppServices, caller: Caller, id: string, input: MeetingPatchInput): Promise<void> {
  const zoneId = caller.zoneId;
  const before = await loadForChange(tx, caller, id, input.version);
  const touchesMinutes = input.summary !== undefined || input.agenda !== undefined || input.attendance !== undefined;
  const revision = revisionOf(before, touchesMinutes, input.revisionReason);
  const patch: Partial<typeof meetings.$inferInsert> = { version: before.version + 1, updatedAt: s.now() };
  if (input.subject !== undefined) patch.subject = input.subject?.trim() || null;
  if (input.place !== undefined) patch.place = input.place?.trim() || null;
  if (input.summary !== undefined) patch.summary = input.summary?.trim() || null;
  if (input.chairUserId !== undefined) {
    if (input.chairUserId) await requireIds(tx, zoneId, 'chairUserId', users, [input.chairUserId]);
    patch.chairUserId = input.chairUserId;
  }
  if (input.startsAt !== undefined || input.durationMinutes !== undefined) {
    const start = input.startsAt ? new Date(input.startsAt) : before.startsAt;
    const minutes = input.durationMinutes ?? Math.round((before.endsAt.getTime() - before.startsAt.getTime()) / 60_000);
    Object.assign(patch, { startsAt: start, endsAt: new Date(start.getTime() + minutes * 60_000), heldOn: dayOf(start) });
  }
  if (input.status !== undefined) {
    if (before.status === 'minutes_issued' && input.status !== 'held') throw fieldError('status', 'field.minutes_frozen');
    patch.status = input.status;
  } else if (touchesMinutes && before.status === 'planned' && input.attendance?.length) {
    // Attendance is taken at the meeting: recording it means the meeting is being held.
    patch.status = 'held';
  }
  if (revision !== undefined) {
    patch.pendingRevision = revision;
    if (before.status === 'minutes_issued') patch.status = 'held';
  }
  if (input.invitees) await writeInvitees(tx, zoneId, id, input.invitees);
  if (input.agenda) await replaceAgenda(tx, zoneId, id, input.agenda);
  if (input.attendance) await recordAttendance(tx, zoneId, id, input.attendance);
  const [after] = await tx.update(meetings).set(patch).where(and(eq(meetings.zoneId, zoneId), eq(meetings.id, id))).returning();
  await audit(tx, s, caller, {
    action: 'meeting.update',
    entityType: ENTITY,
    entityId: id,
    before: snapshot(before),
    after: { ...snapshot(after!), ...(input.agenda ? { agenda: input.agenda.map((a) => a.title) } : {}), ...(input.attendance ? { attendance: input.attendance.length } : {}), revision },
  });
}

async function replaceAgenda(tx: Db, zoneId: string, meetingId: string, items: NonNullable<MeetingPatchInput['agenda']>): Promise<void> {
  const existing = await tx.select({ id: meetingAgendaItems.id }).from(meetingAgendaItems).where(and(eq(meetingAgendaItems.zoneId, zoneId), eq(meetingAgendaItems.meetingId, meetingId)));
  const known = new Set(existing.map((e) => e.id));
  items.forEach((it, i) => {
    if (it.id && !known.has(it.id)) throw fieldError(`agenda.${i}.id`, 'field.not_found');
  });
  await requireIds(tx, zoneId, 'agenda.presenterUserId', users, [...new Set(items.flatMap((i) => (i.presenterUserId ? [i.presenterUserId] : [])))]);
  await requireIds(tx, zoneId, 'agenda.presenterUnitId', units, [...new Set(items.flatMap((i) => (i.presenterUnitId ? [i.presenterUnitId] : [])))]);
  const keep = new Set(items.flatMap((i) => (i.id ? [i.id] : [])));
  const gone = [...known].filter((id) => !keep.has(id));
  if (gone.length) await tx.delete(meetingAgendaItems).where(and(eq(meetingAgendaItems.zoneId, zoneId), inArray(meetingAgendaItems.id, gone)));
  for (const [i, it] of items.entries()) {
    const values = {
      sortOrder: i + 1,
      kind: it.kind,
      refId: it.refId ?? null,
      title: it.title.trim(),
      presenterUserId: it.presenterUserId ?? null,
      presenterUnitId: it.presenterUnitId ?? null,
      minutesAllowed: it.minutesAllowed ?? null,
      minutes: it.minutes?.trim() || null,
    };
    if (it.id) {
      await tx
        .update(meetingAgendaItems)
        .set({ ...values, version: sql`${meetingAgendaItems.version} + 1`, updatedAt: new Date() })
        .where(and(eq(meetingAgendaItems.zoneId, zoneId), eq(meetingAgendaItems.id, it.id)));
    } else {
      await tx.insert(meetingAgendaItems).values({ zoneId, meetingId, ...values });
    }
  }
}

async function recordAttendance(tx: Db, zoneId: string, meetingId: string, rows: NonNullable<MeetingPatchInput['attendance']>): Promise<void> {
  const ids = rows.map((r) => r.userId);
  await requireIds(tx, zoneId, 'attendance.userId', users, ids);
  const people = await tx.select({ id: users.id, unitId: users.unitId }).from(users).where(and(eq(users.zoneId, zoneId), inArray(users.id, ids)));
  const unitOf = new Map(people.map((p) => [p.id, p.unitId]));
  for (const [i, r] of rows.entries()) {
    if (r.status === 'absent' && !r.reason?.trim()) throw fieldError(`attendance.${i}.reason`, 'field.required');
    if (r.status === 'substitute' && !r.substituteName?.trim()) throw fieldError(`attendance.${i}.substituteName`, 'field.required');
    const values = { status: r.status, reason: r.reason?.trim() || null, substituteName: r.status === 'substitute' ? r.substituteName!.trim() : null, unitId: unitOf.get(r.userId) ?? null, updatedAt: new Date() };
    await tx
      .insert(meetingAttendance)
      .values({ zoneId, meetingId, userId: r.userId, ...values })
      .onConflictDoUpdate({ target: [meetingAttendance.zoneId, meetingAttendance.meetingId, meetingAttendance.userId], set: values });
  }
}

/**
 * Records a decision (议定事项): a problem raised and assigned in the same transaction (source = this meeting), or
 * a task with a due date. Returns the decision's id and the problem's, if any.
 */
export function addDecision(s: AppServices, caller: Caller, meetingId: string, input: DecisionCreateInput): Promise<{ decisionId: string; problemId: string | null }> {
  return s.db.transaction((tx) => addDecisionIn(tx, s, caller, meetingId, input));
}

export async function addDecisionIn(tx: Db, s: AppServices, caller: Caller, meetingId: string, input: DecisionCreateInput): Promise<{ decisionId: string; problemId: string | null }> {
  const zoneId = caller.zoneId;
  const loaded = await loadMeetingInScope(tx, caller, meetingId, { forUpdate: true });
  if (!loaded.canRun) throw forbidden();
  const m = loaded.meeting;
  if (m.status === 'cancelled') throw new AppError('conflict');
  const revision = revisionOf(m, true, input.revisionReason);
  if ((input.deadlineWorkdays === undefined) === (input.deadline === undefined)) throw fieldError('deadlineWorkdays', 'field.deadline_one');
  await requireIds(tx, zoneId, 'leadUnitId', units, [input.leadUnitId]);
  if (input.agendaItemId) {
    const [item] = await tx
      .select({ id: meetingAgendaItems.id })
      .from(meetingAgendaItems)
      .where(and(eq(meetingAgendaItems.zoneId, zoneId), eq(meetingAgendaItems.meetingId, meetingId), eq(meetingAgendaItems.id, input.agendaItemId)));
    if (!item) throw fieldError('agendaItemId', 'field.not_found');
  }
  const body = await bodyName(tx, zoneId, m);
  const title = meetingTitle(body.name, m.type as MeetingType, m.number, m.subject);
  const [{ next } = { next: 1 }] = await tx
    .select({ next: sql<number>`coalesce(max(${meetingDecisions.seq}), 0)::int + 1` })
    .from(meetingDecisions)
    .where(and(eq(meetingDecisions.zoneId, zoneId), eq(meetingDecisions.meetingId, meetingId)));
  let problemId: string | null = null;
  let deadline: string;
  if (input.kind === 'problem') {
    const commandId = m.commandId ?? input.commandId;
    if (!commandId) throw fieldError('commandId', 'field.command_required');
    problemId = await raiseProblem(tx, s, caller, {
      title: input.title ?? firstLine(input.text),
      description: input.text,
      category: input.category ?? 'other',
      priority: input.priority ?? 'normal',
      source: 'meeting',
      sourceId: meetingId,
      sourceNote: title,
      commandId,
      ...(input.projectId ? { projectId: input.projectId } : {}),
      assign: {
        leadUnitId: input.leadUnitId,
        ...(input.cooperatingUnitIds ? { cooperatingUnitIds: input.cooperatingUnitIds } : {}),
        ...(input.deadlineWorkdays !== undefined ? { deadlineWorkdays: input.deadlineWorkdays } : { deadline: input.deadline! }),
        instruction: input.text,
      },
    });
    const [p] = await tx.select({ deadline: problems.deadline }).from(problems).where(and(eq(problems.zoneId, zoneId), eq(problems.id, problemId)));
    deadline = p!.deadline!;
  } else {
    await requireIds(tx, zoneId, 'cooperatingUnitIds', units, input.cooperatingUnitIds ?? []);
    const today = shanghaiDay(s.now());
    if (input.deadline !== undefined && input.deadline < today) throw fieldError('deadline', 'field.date_past');
    deadline = input.deadline ?? (await loadCalendar(tx, zoneId)).addWorkdays(today, input.deadlineWorkdays!).date;
  }
  const [decision] = await tx
    .insert(meetingDecisions)
    .values({
      zoneId,
      meetingId,
      agendaItemId: input.agendaItemId ?? null,
      seq: next,
      text: input.text.trim(),
      kind: input.kind,
      leadUnitId: input.leadUnitId,
      cooperatingUnitIds: input.cooperatingUnitIds ?? [],
      deadline,
      deadlineWorkdays: input.deadlineWorkdays ?? null,
      problemId,
      taskStatus: input.kind === 'task' ? 'open' : null,
      createdBy: caller.userId,
    })
    .returning();
  const meetingPatch: Partial<typeof meetings.$inferInsert> = { version: m.version + 1, updatedAt: s.now() };
  if (m.status === 'planned') meetingPatch.status = 'held';
  if (revision !== undefined) Object.assign(meetingPatch, { pendingRevision: revision, status: 'held' });
  await tx.update(meetings).set(meetingPatch).where(and(eq(meetings.zoneId, zoneId), eq(meetings.id, meetingId)));
  await audit(tx, s, caller, {
    action: 'meeting.decision.create',
    entityType: ENTITY,
    entityId: meetingId,
    after: { decisionId: decision!.id, seq: next, kind: input.kind, leadUnitId: input.leadUnitId, deadline, problemId, revision },
  });
  return { decisionId: decision!.id, problemId };
}

const firstLine = (text: string) => {
  const line = text.trim().split(/[\n。；;]/)[0]!.trim();
  return (line.length > 60 ? `${line.slice(0, 60)}…` : line) || text.trim().slice(0, 60);
};

/** Marks a task decision done: the lead unit's staff or whoever runs the meeting. */
export function completeTask(s: AppServices, caller: Caller, meetingId: string, decisionId: string, input: { version: number; result: string }): Promise<void> {
  return s.db.transaction((tx) => completeTaskIn(tx, s, caller, meetingId, decisionId, input));
}

export async function completeTaskIn(tx: Db, s: AppServices, caller: Caller, meetingId: string, decisionId: string, input: { version: number; result: string }): Promise<void> {
  const zoneId = caller.zoneId;
  const loaded = await loadMeetingInScope(tx, caller, meetingId);
  const [d] = await tx
    .select()
    .from(meetingDecisions)
    .where(and(eq(meetingDecisions.zoneId, zoneId), eq(meetingDecisions.meetingId, meetingId), eq(meetingDecisions.id, decisionId)))
    .for('update');
  if (!d) throw notFound();
  if (d.kind !== 'task') throw fieldError('decisionId', 'field.not_a_task');
  if (!loaded.canRun && !loaded.scope.unitIds.includes(d.leadUnitId)) throw forbidden();
  if (d.version !== input.version) throw await versionConflict(tx, zoneId, ENTITY, meetingId);
  if (d.taskStatus === 'done') throw new AppError('conflict');
  await tx
    .update(meetingDecisions)
    .set({ taskStatus: 'done', taskDoneAt: s.now(), taskDoneBy: caller.userId, taskResult: input.result.trim(), version: d.version + 1, updatedAt: s.now() })
    .where(and(eq(meetingDecisions.zoneId, zoneId), eq(meetingDecisions.id, decisionId)));
  await audit(tx, s, caller, { action: 'meeting.task.done', entityType: ENTITY, entityId: meetingId, before: { decisionId, taskStatus: 'open' }, after: { decisionId, taskStatus: 'done', result: input.result.trim() } });
}

/** Issues the minutes: a frozen version with its document number; later changes become the next version. */
export function issueMinutes(s: AppServices, caller: Caller, id: string, input: { version: number; reason?: string }): Promise<number> {
  return s.db.transaction((tx) => issueMinutesIn(tx, s, caller, id, input));
}

export async function issueMinutesIn(tx: Db, s: AppServices, caller: Caller, id: string, input: { version: number; reason?: string }): Promise<number> {
  const zoneId = caller.zoneId;
  const m = await loadForChange(tx, caller, id, input.version);
  if (m.status === 'cancelled') throw new AppError('conflict');
  if (m.minutesVersion > 0 && m.pendingRevision === null) throw fieldError('version', 'field.minutes_unchanged');
  const minutesVersion = m.minutesVersion + 1;
  const body = await bodyName(tx, zoneId, m);
  const year = m.heldOn.slice(0, 4);
  const documentNumber = `${body.shortName}纪〔${year}〕${m.number}号${minutesVersion > 1 ? `（第${minutesVersion}版）` : ''}`;
  const content = await minutesContent(tx, zoneId, m, documentNumber);
  await tx.insert(meetingMinutesVersions).values({
    zoneId,
    meetingId: id,
    minutesVersion,
    documentNumber,
    content: content as unknown as Record<string, unknown>,
    reason: minutesVersion > 1 ? (input.reason?.trim() || m.pendingRevision) : null,
    issuedBy: caller.userId,
    issuedByName: caller.displayName,
    issuedAt: s.now(),
  });
  await tx
    .update(meetings)
    .set({ status: 'minutes_issued', minutesVersion, pendingRevision: null, version: m.version + 1, updatedAt: s.now() })
    .where(and(eq(meetings.zoneId, zoneId), eq(meetings.id, id)));
  await audit(tx, s, caller, { action: 'meeting.minutes.issue', entityType: ENTITY, entityId: id, before: snapshot(m), after: { minutesVersion, documentNumber } });
  return minutesVersion;
}

/** Meetings of a body from `from` on, for the iCal feed and the calendar. */
export async function bodyMeetings(db: Db, zoneId: string, commandId: string, from: string) {
  return db
    .select()
    .from(meetings)
    .where(and(eq(meetings.zoneId, zoneId), eq(meetings.commandId, commandId), sql`${meetings.heldOn} >= ${from}::date`))
    .orderBy(asc(meetings.startsAt));
}

