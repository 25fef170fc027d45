import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, check, customType, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { commands, units, zones } from '../org/org.schema.ts';
import { projects } from '../projects/projects.schema.ts';
import { users } from '../users/users.schema.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const day = (name: string) => date(name, { mode: 'string' });

/** A pending request from the lead unit, decided by the HQ. */
export interface PendingRequest {
  kind: 'extension' | 'suspension';
  reason: string;
  newDeadline?: string;
  byUserId: string;
  byName: string;
  at: string;
}

/** The open states (problem-flow.ts OPEN_STATES) as a partial index predicate. */
const openWork = (state: AnyPgColumn) => sql`${state} in ('raised','assigned','handed_back','in_progress','suspended','submitted')`;

/**
 * A problem (问题) in the closed loop. `state` moves only through src/shared/problem-flow.ts. The light is computed
 * from `deadline`, `warn_on`, `reminded_at` and `suspended_on` (never stored). Figures for the metrics
 * (`closed_on_time`, `workdays_to_close`) are fixed when the problem is closed.
 */
export const problems = pgTable(
  'problems',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    /** WT-2023-0001: per zone and year raised. */
    code: text('code').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    source: text('source').notNull(),
    /** The meeting, monthly report, service request … it came from (by source). */
    sourceId: uuid('source_id'),
    sourceNote: text('source_note'),
    projectId: uuid('project_id'),
    commandId: uuid('command_id').notNull(),
    /** The place: a cluster or area unit, an address, coordinates. */
    placeUnitId: uuid('place_unit_id'),
    address: text('address'),
    longitude: numeric('longitude', { precision: 9, scale: 6 }),
    latitude: numeric('latitude', { precision: 9, scale: 6 }),
    /** dictionary_entries.code of the 'problem_category' dictionary. */
    category: text('category').notNull(),
    priority: text('priority').notNull().default('normal'),
    state: text('state').notNull().default('raised'),
    leadUnitId: uuid('lead_unit_id'),
    escalation: text('escalation').notNull().default('zone'),
    /** 省市部门 named when escalated beyond the zone. */
    externalUnit: text('external_unit'),
    instruction: text('instruction'),
    /** Working days allowed when assigned (null when a date was given). */
    deadlineWorkdays: integer('deadline_workdays'),
    deadline: day('deadline'),
    /** The deadline crosses a year whose official calendar is not yet known. */
    deadlineProvisional: boolean('deadline_provisional').notNull().default(false),
    /** 2 working days before the deadline: the light turns yellow from this day. */
    warnOn: day('warn_on'),
    /** Last reminder (催办) since the deadline was set; cleared when the deadline moves. */
    remindedAt: ts('reminded_at'),
    /** 0 none, 1 escalated to the HQ commander, 2 to the responsible leader; plus a leader's own 督办. */
    supervisionLevel: integer('supervision_level').notNull().default(0),
    supervisedAt: ts('supervised_at'),
    suspendedOn: day('suspended_on'),
    pendingRequest: jsonb('pending_request').$type<PendingRequest>(),
    mergedIntoId: uuid('merged_into_id'),
    raisedBy: uuid('raised_by'),
    raisedByName: text('raised_by_name').notNull(),
    raisedAt: ts('raised_at').notNull(),
    raisedOn: day('raised_on').notNull(),
    assignedAt: ts('assigned_at'),
    assignedOn: day('assigned_on'),
    acceptedAt: ts('accepted_at'),
    submittedAt: ts('submitted_at'),
    closedAt: ts('closed_at'),
    closedOn: day('closed_on'),
    closedBy: uuid('closed_by'),
    closedOnTime: boolean('closed_on_time'),
    workdaysToClose: integer('workdays_to_close'),
    returnCount: integer('return_count').notNull().default(0),
    handBackCount: integer('hand_back_count').notNull().default(0),
    extensionCount: integer('extension_count').notNull().default(0),
    /** Character bigrams of code, title, description and address (projects.search.ts). */
    searchDoc: tsvector('search_doc'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('problems_zone_code_uq').on(t.zoneId, t.code),
    foreignKey({ columns: [t.zoneId, t.projectId], foreignColumns: [projects.zoneId, projects.id] }),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }),
    foreignKey({ columns: [t.zoneId, t.placeUnitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.leadUnitId], foreignColumns: [units.zoneId, units.id] }),
    foreignKey({ columns: [t.zoneId, t.raisedBy], foreignColumns: [users.zoneId, users.id] }),
    foreignKey({ columns: [t.zoneId, t.mergedIntoId], foreignColumns: [t.zoneId, t.id] }),
    index('problems_zone_state_idx').on(t.zoneId, t.state, t.deadline),
    index('problems_zone_lead_unit_idx').on(t.zoneId, t.leadUnitId, t.state),
    index('problems_zone_command_idx').on(t.zoneId, t.commandId, t.state),
    index('problems_zone_project_idx').on(t.zoneId, t.projectId),
    index('problems_zone_raised_idx').on(t.zoneId, t.raisedOn),
    index('problems_zone_closed_idx').on(t.zoneId, t.closedOn),
    index('problems_zone_source_idx').on(t.zoneId, t.source, t.sourceId),
    index('problems_search_idx').using('gin', t.searchDoc),
    // Each problem page lists what was merged into it; the raiser's and the leaders' to-do sets are narrow.
    index('problems_zone_merged_idx').on(t.zoneId, t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
    index('problems_zone_raised_by_idx').on(t.zoneId, t.raisedBy, t.state),
    index('problems_zone_supervised_idx').on(t.zoneId, t.state).where(sql`${t.supervisionLevel} >= 2`),
    // My to-do (todoSets in problems.policy.ts): open work only (~13 % of the rows), each index holding the columns
    // a to-do set selects (id and the default order's deadline, raised_at), so every set, its count and its first
    // page are read from an index alone. Keyed by lead unit, HQ, raiser; by id for the cooperating units' problems;
    // and the few with a pending extension or suspension request (what an HQ must decide).
    index('problems_open_lead_unit_idx').on(t.zoneId, t.leadUnitId, t.state, t.deadline, t.raisedAt, t.id).where(openWork(t.state)),
    index('problems_open_command_idx').on(t.zoneId, t.commandId, t.state, t.deadline, t.raisedAt, t.id).where(openWork(t.state)),
    index('problems_open_raised_by_idx').on(t.zoneId, t.raisedBy, t.state, t.deadline, t.raisedAt, t.id).where(openWork(t.state)),
    index('problems_open_id_idx').on(t.zoneId, t.id, t.state, t.deadline, t.raisedAt).where(openWork(t.state)),
    index('problems_pending_request_idx').on(t.zoneId, t.commandId, t.state, t.deadline, t.raisedAt, t.id).where(sql`${t.pendingRequest} is not null`),
    check('problems_state_ck', sql`${t.state} in ('raised','assigned','handed_back','in_progress','suspended','submitted','closed','merged')`),
    check('problems_source_ck', sql`${t.source} in ('meeting','report','field','service','hotline','instruction','other')`),
    check('problems_priority_ck', sql`${t.priority} in ('normal','high','urgent')`),
    check('problems_escalation_ck', sql`${t.escalation} in ('zone','city','province')`),
    check('problems_assigned_ck', sql`${t.state} in ('raised','merged') or ${t.leadUnitId} is not null`),
    check('problems_closed_ck', sql`(${t.state} = 'closed') = (${t.closedAt} is not null)`),
    check('problems_merged_ck', sql`(${t.state} = 'merged') = (${t.mergedIntoId} is not null)`),
    check('problems_suspended_ck', sql`(${t.state} = 'suspended') = (${t.suspendedOn} is not null)`),
  ],
);

/** Cooperating units (协办单位) of a problem. */
export const problemCooperatingUnits = pgTable(
  'problem_cooperating_units',
  {
    zoneId: zoneId().references(() => zones.id),
    problemId: uuid('problem_id').notNull(),
    unitId: uuid('unit_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.problemId, t.unitId] }),
    foreignKey({ columns: [t.zoneId, t.problemId], foreignColumns: [problems.zoneId, problems.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.unitId], foreignColumns: [units.zoneId, units.id] }),
    index('problem_cooperating_units_unit_idx').on(t.zoneId, t.unitId),
  ],
);

/**
 * The timeline: every action on a problem with actor, time, text, photos (stored_files ids in `data.fileIds`) and
 * the light right after it. Written in the same transaction as the change and its audit row.
 */
export const problemEvents = pgTable(
  'problem_events',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    problemId: uuid('problem_id').notNull(),
    at: ts('at').notNull(),
    /** Null for the scheduler (automatic reminders and escalation). */
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    actorUnitId: uuid('actor_unit_id'),
    /** 'raise', an action of problem-flow.ts, 'edit', 'auto_remind', 'escalate', 'merged_in'. */
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    text: text('text'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    light: text('light'),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.problemId], foreignColumns: [problems.zoneId, problems.id] }).onDelete('cascade'),
    index('problem_events_problem_idx').on(t.zoneId, t.problemId, t.at),
    index('problem_events_action_idx').on(t.zoneId, t.action, t.at),
  ],
);

/** The last number given per zone and year (WT-2023-0001): one row locked per new code, so codes never repeat. */
export const problemCounters = pgTable(
  'problem_counters',
  {
    zoneId: zoneId().references(() => zones.id),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.zoneId, t.year] })],
);

/** A zone's chasing rules (催办 / 督办), in working days; defaults documented in docs/api-problems.md. */
export const problemSettings = pgTable('problem_settings', {
  zoneId: uuid('zone_id')
    .primaryKey()
    .references(() => zones.id),
  /** Remind the lead unit this many working days before the deadline. */
  remindBeforeWorkdays: integer('remind_before_workdays').notNull().default(1),
  /** Escalate to the HQ commander after this many working days overdue. */
  escalateCommanderAfter: integer('escalate_commander_after').notNull().default(1),
  /** Escalate to the responsible leader after this many working days overdue. */
  escalateLeaderAfter: integer('escalate_leader_after').notNull().default(3),
  /** Hour of the day (Asia/Shanghai) the daily chasing run sends its digests. */
  digestHour: integer('digest_hour').notNull().default(9),
  version: version(),
  updatedAt: updatedAt(),
});

/**
 * Each automatic reminder or escalation, once per problem, kind and deadline: the insert is the claim, so two app
 * instances never send the same one twice.
 */
export const problemReminders = pgTable(
  'problem_reminders',
  {
    zoneId: zoneId().references(() => zones.id),
    problemId: uuid('problem_id').notNull(),
    /** before_deadline | overdue | escalate_commander | escalate_leader */
    kind: text('kind').notNull(),
    deadline: day('deadline').notNull(),
    sentAt: ts('sent_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.problemId, t.kind, t.deadline] }),
    foreignKey({ columns: [t.zoneId, t.problemId], foreignColumns: [problems.zoneId, problems.id] }).onDelete('cascade'),
  ],
);
