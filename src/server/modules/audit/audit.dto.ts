import { Type, type Static } from 'typebox';
import { Nullable, PageQuery, Paged, Strict } from '../../../shared/schema.ts';

/** Request and response schemas of /api/audit (docs/api-foundation.md "Audit trail"). */

export const AUDIT_RESULTS = ['ok', 'denied', 'failed'] as const;

/** Web forms send `?from=` for an empty picker: an empty string means "no filter", so the patterns allow it. */
const OptionalDate = Type.Optional(
  Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', description: 'YYYY-MM-DD in Asia/Shanghai, inclusive' }),
);
const OptionalText = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));

const filterFields = {
  actor: OptionalText(100, "part of the actor's name or username (case-insensitive)"),
  action: OptionalText(100, 'exact action (user.create); a trailing * matches a prefix (user.*)'),
  entityType: OptionalText(100, 'exact entity type (user, unit, …)'),
  entityId: OptionalText(200, 'exact entity id'),
  result: Type.Optional(Type.Union([...AUDIT_RESULTS.map((r) => Type.Literal(r)), Type.Literal('')])),
  from: OptionalDate,
  to: OptionalDate,
};

export const AuditListQuery = Strict({ ...filterFields, ...PageQuery });
export type AuditListQuery = Static<typeof AuditListQuery>;

/** The export takes the list's filters; paging parameters are accepted (the web reuses its query) and ignored. */
export const AuditExportQuery = AuditListQuery;
export type AuditFilter = Static<typeof AuditExportQuery>;

export const AuditRowDto = Type.Object({
  at: Type.String({ description: 'ISO 8601, UTC' }),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  result: Type.String(),
  before: Type.Unknown({ description: 'state before the change (personal data masked), or null' }),
  after: Type.Unknown({ description: 'state after the change (personal data masked), or null' }),
  chainNo: Type.Integer(),
  seq: Type.Integer(),
});
export type AuditRowDto = Static<typeof AuditRowDto>;

export const AuditPage = Paged(AuditRowDto);

export const VerifyResponse = Type.Object({
  rowsChecked: Type.Integer(),
  chainsChecked: Type.Integer(),
  problems: Type.Array(
    Type.Object({
      chainNo: Type.Integer(),
      seq: Type.Integer(),
      kind: Type.Union([Type.Literal('altered'), Type.Literal('removed'), Type.Literal('head_mismatch')]),
      detail: Type.String(),
    }),
  ),
});
export type VerifyResponse = Static<typeof VerifyResponse>;
