import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { commands, orgGroups, units, zones } from '../org/org.schema.ts';
import { problems } from '../problems/problems.schema.ts';
import { users } from '../users/users.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const day = (name: string) => date(name, { mode: 'string' });

/**
 * A weekly series of regular meetings (每周例会): its occurrences are ordinary meetings made when the series is
 * created (and extended later), numbered in date order.
 */
export const meetingSeries = pgTable(
  'meeting_series',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    commandId: uuid('command_id'),
    groupId: uuid('group_id'),
    type: text('type').notNull(),
    /** Local time of day, HH:MM (Asia/Shanghai). */
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    intervalWeeks: integer('interval_weeks').notNull().default(1),
    firstOn: day('first_on').notNull(),
    untilOn: day('until_on').notNull(),
    place: text('place'),
    chairUserId: uuid('chair_user_id'),
    createdBy: uuid('created_by'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }),
    foreignKey({ columns: [t.zoneId, t.groupId], foreignColumns: [orgGroups.zoneId, orgGroups.id] }),
    check('meeting_series_body_ck', sql`(${t.commandId} is null) <> (${t.groupId} is null)`),
  ],
);

/**
 * A meeting of an HQ (例会 / 专题推进会) or of the leading group (领导小组会议). `number` counts per body and type
 * (崔寨片区建设指挥部第二次例会), given by `meeting_counters`, never typed.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    /** Exactly one of: the HQ, or the leading group. */
    commandId: uuid('command_id'),
    groupId: uuid('group_id'),
    /** regular | special | leading_group */
    type: text('type').notNull(),
    number: integer('number').notNull(),
    /** A special meeting's subject (专题); regular meetings are named by body and number. */
    subject: text('subject'),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** The day it is held, Asia/Shanghai (for numbering order, calendars and follow-up). */
    heldOn: day('held_on').notNull(),
    place: text('place'),
    chairUserId: uuid('chair_user_id'),
    /** planned | held | minutes_issued | cancelled */
    status: text('status').notNull().default('planned'),
    seriesId: uuid('series_id'),
    /** The last issued minutes version (0: never issued). */
    minutesVersion: integer('minutes_version').notNull().default(0),
    /** Why the issued minutes were changed since their last issue (null: nothing changed since). */
    pendingRevision: text('pending_revision'),
    /** Free minutes text outside the agenda items (opening, closing remarks). */
    summary: text('summary'),
    createdBy: uuid('created_by'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }),
    foreignKey({ columns: [t.zoneId, t.groupId], foreignColumns: [orgGroups.zoneId, orgGroups.id] }),
    foreignKey({ columns: [t.zoneId, t.chairUserId], foreignColumns: [users.zoneId, users.id] }),
    foreignKey({ columns: [t.zoneId, t.seriesId], foreignColumns: [meetingSeries.zoneId, meetingSeries.id] }),
    uniqueIndex('meetings_number_uq').on(t.zoneId, sql`coalesce(${t.commandId}, ${t.groupId})`, t.type, t.number),
    index('meetings_command_idx').on(t.zoneId, t.commandId, t.startsAt),
    index('meetings_group_idx').on(t.zoneId, t.groupId, t.startsAt),
    index('meetings_starts_idx').on(t.zoneId, t.startsAt),
    check('meetings_body_ck', sql`(${t.commandId} is null) <> (${t.groupId} is null)`),
    check('meetings_type_ck', sql`${t.type} in ('regular','special','leading_group')`),
    check('meetings_status_ck', sql`${t.status} in ('planned','held','minutes_issued','cancelled')`),
    check('meetings_time_ck', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** The last number given per body (HQ or group) and meeting type. */
export const meetingCounters = pgTable(
  'meeting_counters',
  {
    zoneId: zoneId().references(() => zones.id),
    bodyId: uuid('body_id').notNull(),
    type: text('type').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.zoneId, t.bodyId, t.type] })],
);

/** Who is invited: units and HQs (their people attend). */
export const meetingInvitees = pgTable(
  'meeting_invitees',
  {
    zoneId: zoneId().references(() => zones.id),
    meetingId: uuid('meeting_id').notNull(),
    /** 'unit' | 'command' */
    kind: text('kind').notNull(),
    refId: uuid('ref_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.meetingId, t.kind, t.refId] }),
    foreignKey({ columns: [t.zoneId, t.meetingId], foreignColumns: [meetings.zoneId, meetings.id] }).onDelete('cascade'),
    check('meeting_invitees_kind_ck', sql`${t.kind} in ('unit','command')`),
  ],
);

/**
 * The agenda: items in order, each with a presenter and minutes allowed, from a suggestion (a red problem, a lagging
 * project, an open decision of an earlier meeting) or typed by the chair. `minutes` is the minutes text of the item.
 */
export const meetingAgendaItems = pgTable(
  'meeting_agenda_items',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    meetingId: uuid('meeting_id').notNull(),
    sortOrder: integer('sort_order').notNull(),
    /** problem | project | decision | custom */
    kind: text('kind').notNull(),
    refId: uuid('ref_id'),
    title: text('title').notNull(),
    presenterUserId: uuid('presenter_user_id'),
    presenterUnitId: uuid('presenter_unit_id'),
    minutesAllowed: integer('minutes_allowed'),
    minutes: text('minutes'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.meetingId], foreignColumns: [meetings.zoneId, meetings.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.presenterUserId], foreignColumns: [users.zoneId, users.id] }),
    foreignKey({ columns: [t.zoneId, t.presenterUnitId], foreignColumns: [units.zoneId, units.id] }),
    index('meeting_agenda_items_meeting_idx').on(t.zoneId, t.meetingId, t.sortOrder),
    check('meeting_agenda_items_kind_ck', sql`${t.kind} in ('problem','project','decision','custom')`),
  ],
);

/** Attendance per person: present, absent with a reason, or represented by a substitute; counted per unit. */
export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    zoneId: zoneId().references(() => zones.id),
    meetingId: uuid('meeting_id').notNull(),
    userId: uuid('user_id').notNull(),
    /** The person's unit at the time (for counts per unit). */
    unitId: uuid('unit_id'),
    /** present | absent | substitute */
    status: text('status').notNull(),
    reason: text('reason'),
    substituteName: text('substitute_name'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.meetingId, t.userId] }),
    foreignKey({ columns: [t.zoneId, t.meetingId], foreignColumns: [meetings.zoneId, meetings.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.userId], foreignColumns: [users.zoneId, users.id] }),
    check('meeting_attendance_status_ck', sql`${t.status} in ('present','absent','substitute')`),
  ],
);

/**
 * A decision (议定事项): becomes a problem of the closed loop (an obstacle: source = this meeting, linked both
 * ways) or a task with a due date (work that is not an obstacle), in one step.
 */
export const meetingDecisions = pgTable(
  'meeting_decisions',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    meetingId: uuid('meeting_id').notNull(),
    agendaItemId: uuid('agenda_item_id'),
    /** Order within the meeting (一、二、…). */
    seq: integer('seq').notNull(),
    text: text('text').notNull(),
    /** problem | task */
    kind: text('kind').notNull(),
    leadUnitId: uuid('lead_unit_id').notNull(),
    cooperatingUnitIds: jsonb('cooperating_unit_ids').$type<string[]>().notNull().default([]),
    deadline: day('deadline').notNull(),
    deadlineWorkdays: integer('deadline_workdays'),
    problemId: uuid('problem_id'),
    /** Tasks: open | done */
    taskStatus: text('task_status'),
    taskDoneAt: ts('task_done_at'),
    taskDoneBy: uuid('task_done_by'),
    taskResult: text('task_result'),
    createdBy: uuid('created_by'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.meetingId], foreignColumns: [meetings.zoneId, meetings.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.agendaItemId], foreignColumns: [meetingAgendaItems.zoneId, meetingAgendaItems.id] }).onDelete('set null'),
    foreignKey({ columns: [t.zoneId, t.leadUnitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.problemId], foreignColumns: [problems.zoneId, problems.id] }),
    uniqueIndex('meeting_decisions_seq_uq').on(t.zoneId, t.meetingId, t.seq),
    index('meeting_decisions_problem_idx').on(t.zoneId, t.problemId),
    check('meeting_decisions_kind_ck', sql`${t.kind} in ('problem','task')`),
    check('meeting_decisions_link_ck', sql`(${t.kind} = 'problem') = (${t.problemId} is not null)`),
    check('meeting_decisions_task_ck', sql`(${t.kind} = 'task') = (${t.taskStatus} is not null)`),
  ],
);

/** Issued minutes, frozen: each issue (and each later revision) is a new version with the full content. */
export const meetingMinutesVersions = pgTable(
  'meeting_minutes_versions',
  {
    zoneId: zoneId().references(() => zones.id),
    meetingId: uuid('meeting_id').notNull(),
    minutesVersion: integer('minutes_version').notNull(),
    /** 纪要文号, e.g. 崔寨指纪〔2023〕2号 */
    documentNumber: text('document_number').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    reason: text('reason'),
    issuedBy: uuid('issued_by'),
    issuedByName: text('issued_by_name').notNull(),
    issuedAt: ts('issued_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.meetingId, t.minutesVersion] }),
    foreignKey({ columns: [t.zoneId, t.meetingId], foreignColumns: [meetings.zoneId, meetings.id] }).onDelete('cascade'),
  ],
);
