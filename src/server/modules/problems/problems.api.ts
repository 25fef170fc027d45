import { Type, type Static } from 'typebox';
import { ESCALATION_LEVELS, LIGHTS, PROBLEM_ACTIONS, type ProblemAction, PROBLEM_PRIORITIES, PROBLEM_SOURCES, PROBLEM_STATES } from '../../../shared/problem-flow.ts';
import { DateString, Id, Nullable, PageQuery, Strict, Text, VersionField } from '../../../shared/schema.ts';

/** Request and response schemas of the closed loop (docs/api-problems.md). */

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const NullableText = Nullable(Type.String());
const Enum = <T extends readonly string[]>(values: T) => Type.Enum(values);
/** Query arrays accept one value or several (repeated keys). */
const Many = <T extends readonly string[]>(values: T) => Type.Optional(Type.Array(Type.Enum(values)));
const ManyIds = Type.Optional(Type.Array(Id));

export const StateSchema = Enum(PROBLEM_STATES);
export const ActionSchema = Type.Unsafe<ProblemAction>(Type.Enum(PROBLEM_ACTIONS));

export const Longitude = Type.Number({ minimum: 73, maximum: 136, description: 'degrees east (mainland China)' });
export const Latitude = Type.Number({ minimum: 3, maximum: 54, description: 'degrees north (mainland China)' });

export const Assignment = Strict(
  {
    leadUnitId: Id,
    cooperatingUnitIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    deadlineWorkdays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
    deadline: Type.Optional(DateString),
    escalation: Type.Optional(Enum(ESCALATION_LEVELS)),
    externalUnit: Type.Optional(Nullable(Text(100))),
    instruction: Type.Optional(Nullable(Text(2000))),
  },
  { description: 'Exactly one of deadlineWorkdays (counted on the working-day calendar from the assignment day) and deadline.' },
);
export type AssignmentInput = Static<typeof Assignment>;

export const ProblemCreate = Strict({
  title: Text(200, 1),
  description: Type.Optional(Nullable(Text(5000))),
  category: Text(50, 1),
  priority: Type.Optional(Enum(PROBLEM_PRIORITIES)),
  source: Enum(PROBLEM_SOURCES),
  sourceId: Type.Optional(Nullable(Id)),
  sourceNote: Type.Optional(Nullable(Text(200))),
  projectId: Type.Optional(Nullable(Id)),
  commandId: Type.Optional(Nullable(Id)),
  placeUnitId: Type.Optional(Nullable(Id)),
  address: Type.Optional(Nullable(Text(200))),
  longitude: Type.Optional(Nullable(Longitude)),
  latitude: Type.Optional(Nullable(Latitude)),
  assign: Type.Optional(Assignment),
});
export type ProblemCreateInput = Static<typeof ProblemCreate>;

export const ActionBody = Strict({
  action: ActionSchema,
  ...VersionField,
  reason: Type.Optional(Text(2000, 1)),
  text: Type.Optional(Text(5000, 1)),
  fileIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
  assignment: Type.Optional(Assignment),
  leadUnitId: Type.Optional(Id),
  cooperatingUnitIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
  deadlineWorkdays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
  deadline: Type.Optional(DateString),
  newDeadline: Type.Optional(DateString),
  targetId: Type.Optional(Id),
});
export type ActionInput = Static<typeof ActionBody>;

export const ProblemQuery = Strict({
  state: Many(PROBLEM_STATES),
  light: Many(LIGHTS),
  commandId: ManyIds,
  leadUnitId: ManyIds,
  cooperatingUnitId: Type.Optional(Id),
  category: Type.Optional(Type.Array(Text(50, 1))),
  priority: Many(PROBLEM_PRIORITIES),
  source: Many(PROBLEM_SOURCES),
  sourceId: Type.Optional(Id),
  projectId: Type.Optional(Id),
  escalation: Many(ESCALATION_LEVELS),
  raisedFrom: Type.Optional(DateString),
  raisedTo: Type.Optional(DateString),
  closedFrom: Type.Optional(DateString),
  closedTo: Type.Optional(DateString),
  deadlineFrom: Type.Optional(DateString),
  deadlineTo: Type.Optional(DateString),
  overdue: Type.Optional(Type.Boolean()),
  open: Type.Optional(Type.Boolean()),
  todo: Type.Optional(Type.Boolean()),
  supervised: Type.Optional(Type.Boolean()),
  /** Closed late (closed_on_time = false), for the metrics' click-through. */
  late: Type.Optional(Type.Boolean()),
  returned: Type.Optional(Type.Boolean()),
  q: Type.Optional(Text(100)),
  sort: Type.Optional(Enum(['deadline', 'raisedAt', 'code', 'priority', 'closedAt'] as const)),
  order: Type.Optional(Enum(['asc', 'desc'] as const)),
  ...PageQuery,
});
export type ProblemQueryInput = Static<typeof ProblemQuery>;

export const ExportQuery = Strict({
  ...ProblemQuery.properties,
  columns: Type.Optional(Text(1000)),
});
export type ExportQueryInput = Static<typeof ExportQuery>;

const Light = Nullable(Enum(LIGHTS));

export const ProblemListItem = Type.Object({
  id: Type.String(),
  code: Type.String(),
  title: Type.String(),
  state: StateSchema,
  light: Light,
  priority: Type.String(),
  category: Type.String(),
  categoryLabel: NullableText,
  source: Type.String(),
  command: Ref,
  leadUnit: Nullable(Ref),
  project: Nullable(Ref),
  deadline: NullableText,
  deadlineProvisional: Type.Boolean(),
  workdaysLeft: Nullable(Type.Integer()),
  raisedOn: Type.String(),
  raisedByName: Type.String(),
  closedOn: NullableText,
  supervisionLevel: Type.Integer(),
  pendingRequest: Nullable(Type.String()),
  returnCount: Type.Integer(),
  version: Type.Integer(),
  /** What the caller may do now (problem-flow.ts), so a to-do list can name the next step. */
  actions: Type.Array(Type.Unsafe<ProblemAction>(Type.Enum(PROBLEM_ACTIONS))),
});
export type ProblemListItemDto = Static<typeof ProblemListItem>;

export const ProblemList = Type.Object({ items: Type.Array(ProblemListItem), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

const TimelineFile = Type.Object({ id: Type.String(), originalName: Type.String(), mime: Type.String(), kind: Type.String() });

export const TimelineEvent = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorName: Type.String(),
  action: Type.String(),
  fromState: NullableText,
  toState: Type.String(),
  text: NullableText,
  data: Type.Record(Type.String(), Type.Unknown()),
  light: Light,
  files: Type.Array(TimelineFile),
});

export const ProblemDetail = Type.Object({
  ...ProblemListItem.properties,
  description: NullableText,
  sourceId: NullableText,
  sourceNote: NullableText,
  sourceTitle: NullableText,
  placeUnit: Nullable(Ref),
  address: NullableText,
  longitude: NullableText,
  latitude: NullableText,
  cooperatingUnits: Type.Array(Ref),
  escalation: Type.String(),
  externalUnit: NullableText,
  instruction: NullableText,
  deadlineWorkdays: Nullable(Type.Integer()),
  warnOn: NullableText,
  reminded: Type.Boolean(),
  supervisedAt: NullableText,
  suspendedOn: NullableText,
  pendingRequestDetail: Nullable(
    Type.Object({ kind: Type.String(), reason: Type.String(), newDeadline: Type.Optional(Type.String()), byName: Type.String(), at: Type.String() }),
  ),
  mergedInto: Nullable(Type.Object({ id: Type.String(), code: Type.String() })),
  mergedFrom: Type.Array(Type.Object({ id: Type.String(), code: Type.String() })),
  raisedBy: Nullable(Ref),
  raisedAt: Type.String(),
  assignedOn: NullableText,
  acceptedAt: NullableText,
  submittedAt: NullableText,
  closedAt: NullableText,
  closedOnTime: Nullable(Type.Boolean()),
  workdaysToClose: Nullable(Type.Integer()),
  handBackCount: Type.Integer(),
  extensionCount: Type.Integer(),
  actions: Type.Array(ActionSchema),
  timeline: Type.Array(TimelineEvent),
});
export type ProblemDetailDto = Static<typeof ProblemDetail>;

export const ProblemIdParams = Strict({ id: Id });
