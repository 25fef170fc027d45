import { Type, type Static } from 'typebox';
import { DateString, Id, Nullable, PageQuery, Strict } from '../../../shared/schema.ts';

/** 工作简报 (issue 6 point 4): docs/briefings.md. */

export const BriefingCreate = Strict({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  commandId: Type.Optional(Id),
});
export type BriefingCreateInput = Static<typeof BriefingCreate>;

const Rate = Nullable(Type.String({ description: '4 decimals, as the cockpit' }));

export const Briefing = Type.Object({
  id: Type.String(),
  series: Type.String({ description: "'zone', or the HQ's id" }),
  commandId: Nullable(Type.String()),
  scopeName: Type.String(),
  issuingBody: Type.String(),
  year: Type.Integer(),
  issueNo: Type.Integer({ description: '第N期: the series counts its issues per year from 1' }),
  title: Type.String(),
  from: Type.String(),
  to: Type.String(),
  period: Type.String({ description: '2026年11月16日至11月22日' }),
  asOf: Type.String({ description: 'open counts and lights are as of this day' }),
  kind: Type.Union([Type.Literal('manual'), Type.Literal('weekly')]),
  generatedByName: Type.String(),
  createdAt: Type.String(),
  docx: Type.String({ description: 'download path' }),
  pdf: Type.String({ description: 'download path' }),
  figures: Type.Object(
    {
      projects: Type.Integer(),
      laggingProjects: Type.Integer(),
      investmentRate: Rate,
      problemsRaised: Type.Integer(),
      problemsClosed: Type.Integer(),
      problemsOpen: Type.Integer(),
      problemsOverdue: Type.Integer(),
      onTimeRate: Rate,
      meetingsHeld: Type.Integer(),
      decisionsOpen: Type.Integer(),
    },
    { description: "headline figures of the issue (the cockpit's, frozen at generation)" },
  ),
});
export type BriefingDto = Static<typeof Briefing>;

const Series = Type.Object({ series: Type.String(), commandId: Nullable(Type.String()), name: Type.String() });

export const BriefingQuery = Strict({ series: Type.Optional(Type.String({ maxLength: 40 })), ...PageQuery });
export const BriefingList = Type.Object({
  items: Type.Array(Briefing),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  series: Type.Array(Series, { description: 'the series the caller may read and generate' }),
});

export const BriefingParams = Strict({ id: Id });

export const Subscriptions = Type.Object({ items: Type.Array(Type.Object({ ...Series.properties, subscribed: Type.Boolean() })) });
export type SubscriptionsDto = Static<typeof Subscriptions>;
export const SubscriptionsPut = Strict({ series: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 }) });
