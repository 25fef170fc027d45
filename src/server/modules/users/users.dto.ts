import { Type, type Static } from 'typebox';
import { ROLES } from '../../../shared/roles.ts';
import { DateTimeString, Id, Name, Nullable, PageQuery, Paged, Phone, Strict, Text, VersionField } from '../../../shared/schema.ts';

/** Request and response schemas of /api/users (docs/api-foundation.md "Users"). */

export const RoleSchema = Type.Enum(ROLES);
export const Username = Type.String({ pattern: '^[a-zA-Z0-9._-]{3,64}$', description: 'sign-in name, unique across the deployment (case-insensitive)' });
const Email = Type.String({ format: 'email', maxLength: 254 });
const Title = Text(100);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const NewPassword = Type.String({ minLength: 1, maxLength: 256, description: "checked against the zone's password policy" });
const Roles = Type.Array(RoleSchema, { minItems: 1, maxItems: ROLES.length, description: 'an admin role cannot be combined with any other role (三员分立)' });

export const UserCan = Type.Object({
  update: Type.Boolean(),
  disable: Type.Boolean(),
  enable: Type.Boolean(),
  resetPassword: Type.Boolean(),
  reveal: Type.Boolean(),
});

export const UserDto = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  title: Nullable(Type.String()),
  unit: Nullable(Ref),
  enterprise: Nullable(Ref),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String({ description: 'masked: 138****1234' })),
  roles: Type.Array(RoleSchema),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  lastSignInAt: Nullable(DateTimeString),
  version: Type.Integer(),
  can: UserCan,
});
export type UserDto = Static<typeof UserDto>;

export const UserListQuery = Strict({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the username or name, or an exact mobile number' })),
  unitId: Type.Optional(Id),
  role: Type.Optional(RoleSchema),
  ...PageQuery,
});
export type UserListQuery = Static<typeof UserListQuery>;

/** The list's filters; page and pageSize are accepted (so the list's query can be reused) and ignored. */
export const UserExportQuery = Strict({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  unitId: Type.Optional(Id),
  role: Type.Optional(RoleSchema),
  page: Type.Optional(Type.Integer({ minimum: 1, description: 'ignored' })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, description: 'ignored' })),
});
export type UserFilter = Pick<Static<typeof UserExportQuery>, 'q' | 'unitId' | 'role'>;

export const UserPage = Paged(UserDto);

export const CreateUserBody = Strict({
  username: Username,
  displayName: Name,
  title: Type.Optional(Nullable(Title)),
  unitId: Type.Optional(Nullable(Id)),
  enterpriseId: Type.Optional(Nullable(Id)),
  email: Type.Optional(Nullable(Email)),
  phone: Type.Optional(Nullable(Phone)),
  roles: Roles,
  password: NewPassword,
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Strict({
  ...VersionField,
  displayName: Type.Optional(Name),
  title: Type.Optional(Nullable(Title)),
  unitId: Type.Optional(Nullable(Id)),
  enterpriseId: Type.Optional(Nullable(Id)),
  email: Type.Optional(Nullable(Email)),
  phone: Type.Optional(Nullable(Phone)),
  roles: Type.Optional(Roles),
});
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const VersionBody = Strict({ ...VersionField });
export const ResetPasswordBody = Strict({ password: NewPassword });
export const RevealBody = Strict({ field: Type.Enum(['phone']) });
export const RevealResponse = Type.Object({ value: Nullable(Type.String()) });
export const IdParams = Strict({ id: Id });
