import { Type, type Static } from 'typebox';
import { AGENDA_KINDS, ATTENDANCE_STATUSES, DECISION_KINDS, MEETING_STATUSES, MEETING_TYPES } from '../../../shared/meetings.ts';
import { PROBLEM_PRIORITIES } from '../../../shared/problem-flow.ts';
import { DateString, DateTimeString, Id, Nullable, Strict, Text, VersionField } from '../../../shared/schema.ts';

/** Request and response schemas of the meetings module (docs/api-meetings.md). */

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const NullableText = Nullable(Type.String());
const Clearable = <T extends Parameters<typeof Nullable>[0]>(s: T) => Type.Optional(Nullable(s));

const Invitees = Strict({ unitIds: Type.Optional(Type.Array(Id, { maxItems: 100 })), commandIds: Type.Optional(Type.Array(Id, { maxItems: 20 })) });

export const MeetingCreate = Strict({
  commandId: Type.Optional(Id),
  groupId: Type.Optional(Id),
  type: Type.Enum(MEETING_TYPES),
  subject: Clearable(Text(100)),
  startsAt: DateTimeString,
  durationMinutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 600, default: 90 })),
  place: Clearable(Text(100)),
  chairUserId: Clearable(Id),
  invitees: Type.Optional(Invitees),
  /** Weekly series: one meeting a week (or every `intervalWeeks`) from startsAt's day until `untilOn`, at most 52. */
  repeat: Type.Optional(Strict({ untilOn: DateString, intervalWeeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })) })),
});
export type MeetingCreateInput = Static<typeof MeetingCreate>;

export const AgendaItemInput = Strict({
  id: Type.Optional(Id),
  kind: Type.Enum(AGENDA_KINDS),
  refId: Clearable(Id),
  title: Text(200, 1),
  presenterUserId: Clearable(Id),
  presenterUnitId: Clearable(Id),
  minutesAllowed: Clearable(Type.Integer({ minimum: 1, maximum: 240 })),
  minutes: Clearable(Text(20_000)),
});
export type AgendaItemInputDto = Static<typeof AgendaItemInput>;

export const AttendanceInput = Strict({
  userId: Id,
  status: Type.Enum(ATTENDANCE_STATUSES),
  reason: Clearable(Text(200)),
  substituteName: Clearable(Text(50)),
});
export type AttendanceInputDto = Static<typeof AttendanceInput>;

export const MeetingPatch = Strict({
  ...VersionField,
  subject: Clearable(Text(100)),
  startsAt: Type.Optional(DateTimeString),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 600 })),
  place: Clearable(Text(100)),
  chairUserId: Clearable(Id),
  status: Type.Optional(Type.Enum(['planned', 'held', 'cancelled'] as const)),
  invitees: Type.Optional(Invitees),
  summary: Clearable(Text(20_000)),
  /** The whole agenda in order (items without id are new; items left out are removed). */
  agenda: Type.Optional(Type.Array(AgendaItemInput, { maxItems: 60 })),
  /** Attendance of the people listed (others unchanged). */
  attendance: Type.Optional(Type.Array(AttendanceInput, { maxItems: 300 })),
  /** Required to change issued minutes: the change becomes the next minutes version when issued again. */
  revisionReason: Type.Optional(Text(200, 1)),
});
export type MeetingPatchInput = Static<typeof MeetingPatch>;

export const DecisionCreate = Strict({
  text: Text(2000, 1),
  kind: Type.Enum(DECISION_KINDS),
  leadUnitId: Id,
  cooperatingUnitIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
  deadlineWorkdays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
  deadline: Type.Optional(DateString),
  agendaItemId: Type.Optional(Id),
  /** For a problem: its category, priority, project and (leading-group meetings) the HQ that will own it. */
  category: Type.Optional(Text(50, 1)),
  priority: Type.Optional(Type.Enum(PROBLEM_PRIORITIES)),
  projectId: Type.Optional(Id),
  commandId: Type.Optional(Id),
  title: Type.Optional(Text(200, 1)),
  revisionReason: Type.Optional(Text(200, 1)),
});
export type DecisionCreateInput = Static<typeof DecisionCreate>;

export const TaskDone = Strict({ ...VersionField, result: Text(2000, 1) });

export const IssueBody = Strict({ ...VersionField, reason: Type.Optional(Text(200, 1)) });

export const Decision = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  seq: Type.Integer(),
  text: Type.String(),
  kind: Type.String(),
  leadUnit: Ref,
  cooperatingUnits: Type.Array(Ref),
  deadline: Type.String(),
  deadlineWorkdays: Nullable(Type.Integer()),
  agendaItemId: NullableText,
  problem: Nullable(Type.Object({ id: Type.String(), code: Type.String(), state: Type.String(), light: NullableText, closedOn: NullableText })),
  taskStatus: NullableText,
  taskResult: NullableText,
  taskDoneAt: NullableText,
  /** Still needs work: an open problem or an open task. */
  open: Type.Boolean(),
  version: Type.Integer(),
});
export type DecisionDto = Static<typeof Decision>;

export const MeetingListItem = Type.Object({
  id: Type.String(),
  title: Type.String(),
  type: Type.String(),
  number: Type.Integer(),
  subject: NullableText,
  body: Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() }),
  startsAt: Type.String(),
  endsAt: Type.String(),
  heldOn: Type.String(),
  place: NullableText,
  chair: Nullable(Ref),
  status: Type.String(),
  minutesVersion: Type.Integer(),
  seriesId: NullableText,
  decisionCount: Type.Integer(),
  openDecisionCount: Type.Integer(),
  version: Type.Integer(),
});
export type MeetingListItemDto = Static<typeof MeetingListItem>;

const AgendaItem = Type.Object({
  id: Type.String(),
  sortOrder: Type.Integer(),
  kind: Type.String(),
  refId: NullableText,
  title: Type.String(),
  presenterUser: Nullable(Ref),
  presenterUnit: Nullable(Ref),
  minutesAllowed: Nullable(Type.Integer()),
  minutes: NullableText,
});

const Suggestion = Type.Object({ kind: Type.String(), refId: Type.String(), title: Type.String(), reason: Type.String(), presenterUnit: Nullable(Ref) });

export const MeetingDetail = Type.Object({
  ...MeetingListItem.properties,
  invitees: Type.Object({ units: Type.Array(Ref), commands: Type.Array(Ref) }),
  summary: NullableText,
  agenda: Type.Array(AgendaItem),
  attendance: Type.Array(
    Type.Object({ user: Ref, unit: Nullable(Ref), status: Type.String(), reason: NullableText, substituteName: NullableText }),
  ),
  /** Per unit: invited people recorded, present, absent, substitutes. */
  attendanceByUnit: Type.Array(Type.Object({ unit: Nullable(Ref), present: Type.Integer(), absent: Type.Integer(), substitute: Type.Integer() })),
  decisions: Type.Array(Decision),
  /** Decisions of this body's earlier meetings, with their state now. */
  followUp: Type.Array(Type.Object({ meeting: Type.Object({ id: Type.String(), title: Type.String(), heldOn: Type.String() }), decision: Decision })),
  /** For the chair while planning: red problems, lagging projects, open decisions of earlier meetings. */
  suggestions: Type.Array(Suggestion),
  minutesVersions: Type.Array(Type.Object({ minutesVersion: Type.Integer(), documentNumber: Type.String(), issuedAt: Type.String(), issuedByName: Type.String(), reason: NullableText })),
  /** Minutes changed since the last issue (a revision waiting to be issued). */
  minutesChanged: Type.Boolean(),
  can: Type.Object({ update: Type.Boolean(), decide: Type.Boolean(), issue: Type.Boolean() }),
});
export type MeetingDetailDto = Static<typeof MeetingDetail>;

export const MeetingQuery = Strict({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  commandId: Type.Optional(Id),
  groupId: Type.Optional(Id),
  type: Type.Optional(Type.Array(Type.Enum(MEETING_TYPES))),
  status: Type.Optional(Type.Array(Type.Enum(MEETING_STATUSES))),
  /**
   * Only meetings that touch this project: an agenda item about it, an agenda item about one of its problems, or a
   * decision that raised one of its problems. Without from/to, all dates (a project's 会议 tab passes none).
   */
  projectId: Type.Optional(Id),
  /** By start time, oldest first (asc, the calendar) or newest first (desc, a project's 会议 tab). */
  order: Type.Optional(Type.Enum(['asc', 'desc'] as const)),
});
export type MeetingQueryInput = Static<typeof MeetingQuery>;

export const MeetingIdParams = Strict({ id: Id });
export const DecisionIdParams = Strict({ id: Id, decisionId: Id });
