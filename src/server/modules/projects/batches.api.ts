import { Type, type Static } from 'typebox';
import { PROJECT_PHASES } from '../../../shared/project-phase.ts';
import { DateString, Id, Nullable, Strict, Text, VersionField } from '../../../shared/schema.ts';

/** Groundbreaking and signing events (集中开工 / 集中签约): docs/api-projects.md "Batches". */
export const BATCH_KINDS = ['groundbreaking', 'signing'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

export const Batch = Type.Object({
  id: Type.String(),
  kind: Type.Enum(BATCH_KINDS),
  name: Type.String(),
  heldOn: Type.String({ description: 'YYYY-MM-DD' }),
  location: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  projectCount: Type.Integer({ description: 'every project of the batch (a public event figure), not only those in my scope' }),
  totalInvestment: Type.String({ description: 'Σ total investment of every project of the batch, yuan' }),
  version: Type.Integer(),
  can: Type.Object({ update: Type.Boolean() }),
});
export type BatchDto = Static<typeof Batch>;

export const BatchProject = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  phase: Type.Enum(PROJECT_PHASES),
  totalInvestment: Type.String(),
});

export const BatchDetail = Type.Object({ ...Batch.properties, projects: Type.Array(BatchProject, { description: 'the projects of the batch in my scope' }) });
export type BatchDetailDto = Static<typeof BatchDetail>;
export const BatchList = Type.Object({ items: Type.Array(Batch) });

export const BatchListQuery = Strict({ kind: Type.Optional(Type.Enum(BATCH_KINDS)) });

const ProjectIds = Type.Array(Id, { maxItems: 2000 });

export const BatchCreate = Strict({
  kind: Type.Enum(BATCH_KINDS),
  name: Text(200, 1),
  heldOn: DateString,
  location: Type.Optional(Nullable(Text(200))),
  notes: Type.Optional(Nullable(Text(2000))),
  projectIds: ProjectIds,
});
export type BatchCreateInput = Static<typeof BatchCreate>;

export const BatchPatch = Strict({
  ...VersionField,
  kind: Type.Optional(Type.Enum(BATCH_KINDS)),
  name: Type.Optional(Text(200, 1)),
  heldOn: Type.Optional(DateString),
  location: Type.Optional(Nullable(Text(200))),
  notes: Type.Optional(Nullable(Text(2000))),
  projectIds: Type.Optional(ProjectIds),
});
export type BatchPatchInput = Static<typeof BatchPatch>;

export const BatchIdParams = Strict({ id: Id });
