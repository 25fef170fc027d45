import { Type, type Static, type TSchema } from 'typebox';
import { MONEY_PATTERN } from '../../../shared/money.ts';
import { PROJECT_LEVELS, PROJECT_PHASES } from '../../../shared/project-phase.ts';
import { DateString, DateTimeString, Id, Nullable, PageQuery, Paged, Strict, Text, VersionField } from '../../../shared/schema.ts';

/**
 * Request and response schemas of the ledger endpoints (docs/api-projects.md "Projects" and "Milestones"). They
 * validate input, drop unlisted fields from answers and describe the API the web and the other ledger helpers
 * (metrics, reports, batches, Excel import) are built against.
 */

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const PersonRef = Type.Object({ id: Type.String(), displayName: Type.String() });
const CodeRef = Type.Object({ code: Type.String(), label: Type.String() });
const NullableText = Nullable(Type.String());
/** Optional in a request; null clears the value. */
const Clearable = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

/** Money in yuan as a decimal string with at most two decimals ("48650000000.00"); never a number. */
export const Money = Type.String({ pattern: MONEY_PATTERN, description: 'yuan, decimal string, at most 2 decimals' });
/** Longitude or latitude in degrees, as a decimal string (numeric(9,6) in the database). */
const Coordinate = Type.String({ pattern: '^-?\\d{1,3}(\\.\\d{1,6})?$', description: 'degrees, at most 6 decimals' });
export const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
export const Phase = Type.Enum(PROJECT_PHASES);
export const Level = Type.Enum(PROJECT_LEVELS);
/** Project codes are short identifiers people type into spreadsheets (项目编号). */
const Code = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' });
const DictCode = Text(50, 1);

export const SCHEDULES = ['ahead', 'on_track', 'lagging', 'no_plan'] as const;
export type Schedule = (typeof SCHEDULES)[number];

// Project ----------------------------------------------------------------------------------------------------------

export const ProjectCan = Type.Object({ update: Type.Boolean(), movePhase: Type.Boolean(), report: Type.Boolean(), delete: Type.Boolean() });

export const Project = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  enterprise: Nullable(Ref),
  industry: Nullable(CodeRef),
  kind: Nullable(CodeRef),
  level: Level,
  clusterUnit: Nullable(Ref),
  areaUnit: Nullable(Ref),
  address: NullableText,
  longitude: NullableText,
  latitude: NullableText,
  command: Nullable(Ref),
  leadUnit: Nullable(Ref),
  leader: Nullable(PersonRef),
  taskForce: Nullable(Ref),
  totalInvestment: Type.String(),
  year: Type.Integer(),
  yearPlannedInvestment: NullableText,
  yearCompletedInvestment: Type.String(),
  yearFundsInPlace: Type.String(),
  cumulativeInvestment: Type.String(),
  cumulativeFundsInPlace: Type.String(),
  lastReportMonth: NullableText,
  schedule: Type.Enum(SCHEDULES),
  phase: Phase,
  suspendedFrom: Nullable(Phase),
  signedOn: NullableText,
  startedOn: NullableText,
  operatingOn: NullableText,
  completedOn: NullableText,
  suspendedOn: NullableText,
  plannedStartOn: NullableText,
  plannedCompletionOn: NullableText,
  nextPhases: Type.Array(Phase),
  notes: NullableText,
  batches: Type.Array(Ref),
  version: Type.Integer(),
  updatedAt: DateTimeString,
  can: ProjectCan,
});
export type ProjectDto = Static<typeof Project>;
export const ProjectPage = Paged(Project);

/**
 * The facts of a project as typed by a person or read from a spreadsheet row. `phase` and the phase dates let an
 * existing ledger be entered in its real state (default `pipeline`); they must agree with each other
 * (projects.rules.ts checkPhaseState). `year` + `yearPlannedInvestment` set that year's plan (default: this year).
 */
const projectFields = {
  name: Text(200, 1),
  enterpriseId: Clearable(Id),
  industry: Clearable(DictCode),
  kind: Clearable(DictCode),
  clusterUnitId: Clearable(Id),
  areaUnitId: Clearable(Id),
  address: Clearable(Text(300)),
  longitude: Clearable(Coordinate),
  latitude: Clearable(Coordinate),
  commandId: Clearable(Id),
  leadUnitId: Clearable(Id),
  leaderUserId: Clearable(Id),
  taskForceId: Clearable(Id),
  totalInvestment: Money,
  year: Type.Optional(Year),
  yearPlannedInvestment: Clearable(Money),
  plannedStartOn: Clearable(DateString),
  plannedCompletionOn: Clearable(DateString),
  notes: Clearable(Text(2000)),
  signedOn: Clearable(DateString),
  startedOn: Clearable(DateString),
  operatingOn: Clearable(DateString),
  completedOn: Clearable(DateString),
  suspendedOn: Clearable(DateString),
};

export const ProjectCreate = Strict({
  code: Code,
  level: Level,
  ...projectFields,
  phase: Type.Optional(Phase),
  suspendedFrom: Clearable(Phase),
});
/** The create body; also what the Excel import hands to insertProject / patchProject. */
export type ProjectInput = Static<typeof ProjectCreate>;

/** Any create field (code too) except the phase itself, which moves through POST /api/projects/{id}/phase. */
export const ProjectPatch = Strict({
  ...VersionField,
  code: Type.Optional(Code),
  level: Type.Optional(Level),
  ...projectFields,
  name: Type.Optional(projectFields.name),
  totalInvestment: Type.Optional(projectFields.totalInvestment),
});
export type ProjectPatchInput = Static<typeof ProjectPatch>;

const FilterFields = {
  q: Type.Optional(Text(100)),
  phase: Type.Optional(Type.Array(Phase, { maxItems: PROJECT_PHASES.length })),
  level: Type.Optional(Type.Array(Level, { maxItems: PROJECT_LEVELS.length })),
  commandId: Type.Optional(Id),
  clusterUnitId: Type.Optional(Id),
  areaUnitId: Type.Optional(Id),
  industry: Type.Optional(DictCode),
  kind: Type.Optional(DictCode),
  leaderUserId: Type.Optional(Id),
  leadUnitId: Type.Optional(Type.String({ format: 'uuid', description: 'the unit and every unit below it' })),
  enterpriseId: Type.Optional(Id),
  batchId: Type.Optional(Id),
  minInvestment: Type.Optional(Money),
  maxInvestment: Type.Optional(Money),
  lagging: Type.Optional(Type.Boolean()),
  year: Type.Optional(Year),
};
export const PROJECT_SORTS = ['code', 'name', 'totalInvestment', 'phase', 'updatedAt', 'startedOn'] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];
const SortFields = {
  sort: Type.Optional(Type.Enum(PROJECT_SORTS)),
  order: Type.Optional(Type.Enum(['asc', 'desc'])),
};

export const ProjectListQuery = Strict({ ...FilterFields, ...SortFields, ...PageQuery });
const ProjectFiltersSchema = Strict({ ...FilterFields, ...SortFields });
/** The list filters and sort (shared by the list, the export, the Gantt view and the metrics helper). */
export type ProjectFilters = Static<typeof ProjectFiltersSchema>;

export const ProjectExportQuery = Strict({
  ...FilterFields,
  ...SortFields,
  columns: Type.Optional(Type.String({ maxLength: 1000, description: 'comma-separated column keys, in the order shown (default: all)' })),
  page: Type.Optional(Type.Integer({ minimum: 1, description: 'ignored' })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, description: 'ignored' })),
});

export const ProjectGanttQuery = Strict({ ...FilterFields, ...SortFields });

export const ProjectIdParams = Strict({ id: Id });
export const VersionQuery = Strict({ ...VersionField });
export const Ok = Type.Object({ ok: Type.Boolean() });

// Phases -----------------------------------------------------------------------------------------------------------

export const PhaseMove = Strict({
  ...VersionField,
  to: Phase,
  on: DateString,
  reason: Clearable(Text(500)),
});
export type PhaseMoveInput = Static<typeof PhaseMove>;

export const PhaseChange = Type.Object({
  fromPhase: Phase,
  toPhase: Phase,
  onDate: Type.String(),
  reason: NullableText,
  actor: Nullable(PersonRef),
  at: DateTimeString,
});
export const PhaseChangeList = Type.Object({ items: Type.Array(PhaseChange) });

// Timeline ---------------------------------------------------------------------------------------------------------

export const TimelineEntry = Type.Object({
  at: DateTimeString,
  actorName: NullableText,
  action: Type.String(),
  entityType: Type.String(),
  entityId: NullableText,
  summary: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export const Timeline = Type.Object({ items: Type.Array(TimelineEntry) });

// Milestones -------------------------------------------------------------------------------------------------------

export const MILESTONE_STATUSES = ['done', 'done_late', 'pending', 'overdue'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export const Milestone = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plannedOn: Type.String(),
  actualOn: NullableText,
  status: Type.Enum(MILESTONE_STATUSES),
  notes: NullableText,
  sortOrder: Type.Integer(),
  version: Type.Integer(),
  can: Type.Object({ update: Type.Boolean(), delete: Type.Boolean() }),
});
export type MilestoneDto = Static<typeof Milestone>;
export const MilestoneList = Type.Object({ items: Type.Array(Milestone) });

const SortOrder = Type.Integer({ minimum: 0, maximum: 1_000_000 });
export const MilestoneCreate = Strict({
  name: Text(200, 1),
  plannedOn: DateString,
  actualOn: Clearable(DateString),
  notes: Clearable(Text(2000)),
  sortOrder: Type.Optional(SortOrder),
});
export type MilestoneCreateInput = Static<typeof MilestoneCreate>;

export const MilestonePatch = Strict({
  ...VersionField,
  name: Type.Optional(Text(200, 1)),
  plannedOn: Type.Optional(DateString),
  actualOn: Clearable(DateString),
  notes: Clearable(Text(2000)),
  sortOrder: Type.Optional(SortOrder),
});
export type MilestonePatchInput = Static<typeof MilestonePatch>;

export const MilestoneParams = Strict({ id: Id, milestoneId: Id });

// Gantt ------------------------------------------------------------------------------------------------------------

export const GANTT_LIMIT = 300;
export const Gantt = Type.Object({
  items: Type.Array(
    Type.Object({
      project: Type.Object({
        id: Type.String(),
        code: Type.String(),
        name: Type.String(),
        phase: Phase,
        startedOn: NullableText,
        plannedStartOn: NullableText,
        plannedCompletionOn: NullableText,
        completedOn: NullableText,
      }),
      milestones: Type.Array(Milestone),
    }),
  ),
});
