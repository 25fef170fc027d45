import { Type, type Static, type TSchema } from 'typebox';
import { COMMAND_MEMBER_ROLES, GROUP_KINDS, GROUP_MEMBER_ROLES, SECONDMENT_MODES, UNIT_KINDS } from '../../../shared/org.ts';
import { DateString, ErrorResponse, Id, IdNumber, Name, Nullable, PageQuery, Paged, Phone, Strict, Text, VersionField } from '../../../shared/schema.ts';

/**
 * Request and response schemas of the org and enterprise endpoints (docs/api-foundation.md). They validate input,
 * drop unlisted fields from answers, and produce the OpenAPI description the web is built against.
 */
export const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const NullableText = Nullable(Type.String());
/** Optional in a request; null clears the value. */
const Clearable = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export const IdParams = Strict({ id: Id });
export const VersionQuery = Strict({ ...VersionField });

/** The usual answers besides success, for the OpenAPI description. */
export function withErrors<T extends Record<number, TSchema>>(ok: T) {
  return { ...ok, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
}

export const Ok = Type.Object({ ok: Type.Boolean() });

// Units ----------------------------------------------------------------------------------------------------------

export const UnitKind = Type.Enum(UNIT_KINDS);

export const Unit = Type.Object({
  id: Type.String(),
  parentId: NullableText,
  kind: UnitKind,
  name: Type.String(),
  shortName: NullableText,
  description: NullableText,
  establishedOn: NullableText,
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
  can: Type.Object({ update: Type.Boolean(), delete: Type.Boolean(), createChild: Type.Boolean() }),
});
export type UnitDto = Static<typeof Unit>;

const SortOrder = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const UnitCreate = Strict({
  parentId: Clearable(Id),
  kind: UnitKind,
  name: Name,
  shortName: Clearable(Text(50)),
  description: Clearable(Text(1000)),
  establishedOn: Clearable(DateString),
  sortOrder: Type.Optional(SortOrder),
});
export type UnitCreateInput = Static<typeof UnitCreate>;

export const UnitPatch = Strict({
  ...VersionField,
  parentId: Clearable(Id),
  kind: Type.Optional(UnitKind),
  name: Type.Optional(Name),
  shortName: Clearable(Text(50)),
  description: Clearable(Text(1000)),
  establishedOn: Clearable(DateString),
  sortOrder: Type.Optional(SortOrder),
  active: Type.Optional(Type.Boolean()),
});
export type UnitPatchInput = Static<typeof UnitPatch>;

// Commands (HQs) -------------------------------------------------------------------------------------------------

export const CommandMember = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  memberRole: Type.Enum(COMMAND_MEMBER_ROLES),
  fromUnit: Nullable(Ref),
  mode: Type.Enum(SECONDMENT_MODES),
  duty: NullableText,
});

export const Command = Type.Object({
  id: Type.String(),
  name: Type.String(),
  shortName: NullableText,
  areaUnit: Nullable(Ref),
  leadingGroup: Nullable(Ref),
  responsibility: NullableText,
  establishedOn: NullableText,
  active: Type.Boolean(),
  version: Type.Integer(),
  members: Type.Array(CommandMember),
  can: Type.Object({ update: Type.Boolean(), delete: Type.Boolean(), editMembers: Type.Boolean() }),
});
export type CommandDto = Static<typeof Command>;

export const CommandCreate = Strict({
  name: Name,
  shortName: Clearable(Text(50)),
  areaUnitId: Clearable(Id),
  leadingGroupId: Clearable(Id),
  responsibility: Clearable(Text(2000)),
  establishedOn: Clearable(DateString),
});
export type CommandCreateInput = Static<typeof CommandCreate>;

export const CommandPatch = Strict({
  ...VersionField,
  name: Type.Optional(Name),
  shortName: Clearable(Text(50)),
  areaUnitId: Clearable(Id),
  leadingGroupId: Clearable(Id),
  responsibility: Clearable(Text(2000)),
  establishedOn: Clearable(DateString),
  active: Type.Optional(Type.Boolean()),
});
export type CommandPatchInput = Static<typeof CommandPatch>;

export const CommandMembersPut = Strict({
  ...VersionField,
  members: Type.Array(
    Strict({
      userId: Id,
      memberRole: Type.Enum(COMMAND_MEMBER_ROLES),
      fromUnitId: Clearable(Id),
      mode: Type.Enum(SECONDMENT_MODES),
      duty: Clearable(Text(200)),
    }),
    { maxItems: 500 },
  ),
});
export type CommandMembersInput = Static<typeof CommandMembersPut>;

// Groups (leading group, task forces) ----------------------------------------------------------------------------

export const GroupKind = Type.Enum(GROUP_KINDS);

export const GroupMember = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  memberRole: Type.Enum(GROUP_MEMBER_ROLES),
  duty: NullableText,
});

export const Group = Type.Object({
  id: Type.String(),
  kind: GroupKind,
  name: Type.String(),
  theme: NullableText,
  command: Nullable(Ref),
  establishedOn: NullableText,
  active: Type.Boolean(),
  version: Type.Integer(),
  members: Type.Array(GroupMember),
  can: Type.Object({ update: Type.Boolean(), delete: Type.Boolean(), editMembers: Type.Boolean() }),
});
export type GroupDto = Static<typeof Group>;

export const GroupListQuery = Strict({ kind: Type.Optional(GroupKind) });

export const GroupCreate = Strict({
  kind: GroupKind,
  name: Name,
  theme: Clearable(Text(500)),
  commandId: Clearable(Id),
  establishedOn: Clearable(DateString),
});
export type GroupCreateInput = Static<typeof GroupCreate>;

export const GroupPatch = Strict({
  ...VersionField,
  name: Type.Optional(Name),
  theme: Clearable(Text(500)),
  commandId: Clearable(Id),
  establishedOn: Clearable(DateString),
  active: Type.Optional(Type.Boolean()),
});
export type GroupPatchInput = Static<typeof GroupPatch>;

export const GroupMembersPut = Strict({
  ...VersionField,
  members: Type.Array(Strict({ userId: Id, memberRole: Type.Enum(GROUP_MEMBER_ROLES), duty: Clearable(Text(200)) }), { maxItems: 500 }),
});
export type GroupMembersInput = Static<typeof GroupMembersPut>;

// Enterprises ----------------------------------------------------------------------------------------------------

export const Enterprise = Type.Object({
  id: Type.String(),
  name: Type.String(),
  creditCode: Type.String(),
  legalRepresentative: NullableText,
  legalRepIdNumber: Nullable(Type.String({ description: 'masked' })),
  contactName: NullableText,
  contactPhone: Nullable(Type.String({ description: 'masked' })),
  industry: NullableText,
  address: NullableText,
  unit: Nullable(Ref),
  version: Type.Integer(),
  can: Type.Object({ update: Type.Boolean(), delete: Type.Boolean(), reveal: Type.Boolean() }),
});
export type EnterpriseDto = Static<typeof Enterprise>;
export const EnterprisePage = Paged(Enterprise);

const EnterpriseFilterFields = {
  q: Type.Optional(Text(100)),
  unitId: Type.Optional(Id),
  industry: Type.Optional(Text(50)),
};
export const EnterpriseListQuery = Strict({ ...EnterpriseFilterFields, ...PageQuery });
export const EnterpriseExportQuery = Strict(EnterpriseFilterFields);
export type EnterpriseFilters = Static<typeof EnterpriseExportQuery>;

/** The credit code is checked by the service (length, alphabet, check character) for precise messages. */
const CreditCodeField = Type.String({ minLength: 1, maxLength: 40, description: '18-character unified social credit code' });

export const EnterpriseCreate = Strict({
  name: Text(200, 1),
  creditCode: CreditCodeField,
  legalRepresentative: Clearable(Text(50)),
  legalRepIdNumber: Clearable(IdNumber),
  contactName: Clearable(Text(50)),
  contactPhone: Clearable(Phone),
  industry: Clearable(Text(50)),
  address: Clearable(Text(300)),
  unitId: Clearable(Id),
});
export type EnterpriseCreateInput = Static<typeof EnterpriseCreate>;

export const EnterprisePatch = Strict({
  ...VersionField,
  name: Type.Optional(Text(200, 1)),
  creditCode: Type.Optional(CreditCodeField),
  legalRepresentative: Clearable(Text(50)),
  legalRepIdNumber: Clearable(IdNumber),
  contactName: Clearable(Text(50)),
  contactPhone: Clearable(Phone),
  industry: Clearable(Text(50)),
  address: Clearable(Text(300)),
  unitId: Clearable(Id),
});
export type EnterprisePatchInput = Static<typeof EnterprisePatch>;

export const REVEALABLE_FIELDS = ['contactPhone', 'legalRepIdNumber'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];
export const RevealBody = Strict({ field: Type.Enum(REVEALABLE_FIELDS) });
export const RevealAnswer = Type.Object({ value: Nullable(Type.String()) });
