import { Type, type Static } from 'typebox';
import { DateTimeString, Nullable, Strict, VersionField } from '../../../shared/schema.ts';

/** Request and response schemas of /api/security (docs/api-foundation.md "Security settings"). */

/** Bounds of each setting: below them an installation is unsafe, above them unusable. */
export const SETTING_BOUNDS = {
  passwordMinLength: { minimum: 8, maximum: 64 },
  passwordMinClasses: { minimum: 0, maximum: 4 },
  passwordMaxAgeDays: { minimum: 0, maximum: 365 },
  lockoutThreshold: { minimum: 3, maximum: 20 },
  lockoutMinutes: { minimum: 1, maximum: 1440 },
  idleTimeoutMinutes: { minimum: 5, maximum: 240 },
  absoluteTimeoutHours: { minimum: 1, maximum: 72 },
} as const;

const Setting = (name: keyof typeof SETTING_BOUNDS, description: string) => Type.Integer({ ...SETTING_BOUNDS[name], description });

const SETTING_FIELDS = {
  passwordMinLength: Setting('passwordMinLength', 'minimum password length'),
  passwordMinClasses: Setting('passwordMinClasses', 'character classes required (lower, upper, digit, symbol); 0 = no composition rule (ASVS)'),
  passwordMaxAgeDays: Setting('passwordMaxAgeDays', 'days before a password must be changed; 0 = no forced rotation (ASVS)'),
  lockoutThreshold: Setting('lockoutThreshold', 'failed sign-ins that lock an account'),
  lockoutMinutes: Setting('lockoutMinutes', 'how long a lock lasts'),
  idleTimeoutMinutes: Setting('idleTimeoutMinutes', 'a session ends after this long without requests'),
  absoluteTimeoutHours: Setting('absoluteTimeoutHours', 'a session ends this long after sign-in in any case (applies to new sessions)'),
  totpRequiredForAll: Type.Boolean({ description: 'require TOTP of every account (always required of the three admin roles outside the demo zone)' }),
};

export const SettingsDto = Type.Object({ ...SETTING_FIELDS, version: Type.Integer() });
export type SettingsDto = Static<typeof SettingsDto>;

export const UpdateSettingsBody = Strict({
  ...VersionField,
  passwordMinLength: Type.Optional(SETTING_FIELDS.passwordMinLength),
  passwordMinClasses: Type.Optional(SETTING_FIELDS.passwordMinClasses),
  passwordMaxAgeDays: Type.Optional(SETTING_FIELDS.passwordMaxAgeDays),
  lockoutThreshold: Type.Optional(SETTING_FIELDS.lockoutThreshold),
  lockoutMinutes: Type.Optional(SETTING_FIELDS.lockoutMinutes),
  idleTimeoutMinutes: Type.Optional(SETTING_FIELDS.idleTimeoutMinutes),
  absoluteTimeoutHours: Type.Optional(SETTING_FIELDS.absoluteTimeoutHours),
  totpRequiredForAll: Type.Optional(SETTING_FIELDS.totpRequiredForAll),
});
export type UpdateSettingsBody = Static<typeof UpdateSettingsBody>;

export const LockedUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  lockedUntil: DateTimeString,
  failedSignIns: Type.Integer(),
});
export type LockedUser = Static<typeof LockedUser>;
export const LockedUserList = Type.Object({ items: Type.Array(LockedUser) });

export const SessionDto = Type.Object({
  id: Type.String({ description: 'a short handle of the session (not its token)' }),
  userId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  createdAt: DateTimeString,
  lastSeenAt: DateTimeString,
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
});
export type SessionDto = Static<typeof SessionDto>;
export const SessionList = Type.Object({ items: Type.Array(SessionDto) });

export const UserIdParams = Strict({ id: Type.String({ format: 'uuid' }) });
export const SessionHandleParams = Strict({ id: Type.String({ pattern: '^[0-9a-f]{16}$', description: 'session handle from the list' }) });
export const Ok = Type.Object({ ok: Type.Boolean() });
