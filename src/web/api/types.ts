import type { CommandMemberRole, GroupKind, GroupMemberRole, SecondmentMode, UnitKind } from '../../shared/org.ts';
import type { Role } from '../../shared/roles.ts';

/** Shapes from docs/api-foundation.md (the contract the server modules implement). */
export interface Ref {
  id: string;
  name: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Items<T> {
  items: T[];
}

export interface Me {
  user: { id: string; username: string; displayName: string };
  roles: Role[];
  zone: { id: string; name: string; shortName: string; isDemo: boolean };
  unit: Ref | null;
  enterpriseId: string | null;
  commands: { id: string; name: string; leads: boolean }[];
  mustChangePassword: boolean;
  mustEnrollTotp: boolean;
  totpEnabled: boolean;
}

export interface Unit {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  shortName: string | null;
  description: string | null;
  establishedOn: string | null;
  sortOrder: number;
  active: boolean;
  version: number;
  can: { update: boolean; delete: boolean; createChild: boolean };
}

export interface CommandMember {
  userId: string;
  displayName: string;
  memberRole: CommandMemberRole;
  fromUnit: Ref | null;
  mode: SecondmentMode;
  duty: string | null;
}

export interface Command {
  id: string;
  name: string;
  shortName: string | null;
  areaUnit: Ref | null;
  leadingGroup: Ref | null;
  responsibility: string | null;
  establishedOn: string | null;
  active: boolean;
  version: number;
  members: CommandMember[];
  can: { update: boolean; delete: boolean; editMembers: boolean };
}

export interface GroupMember {
  userId: string;
  displayName: string;
  memberRole: GroupMemberRole;
  duty: string | null;
}

export interface Group {
  id: string;
  kind: GroupKind;
  name: string;
  theme: string | null;
  command: Ref | null;
  establishedOn: string | null;
  active: boolean;
  version: number;
  members: GroupMember[];
  can: { update: boolean; delete: boolean; editMembers: boolean };
}

export interface Enterprise {
  id: string;
  name: string;
  creditCode: string;
  legalRepresentative: string | null;
  legalRepIdNumber: string | null;
  contactName: string | null;
  contactPhone: string | null;
  industry: string | null;
  address: string | null;
  unit: Ref | null;
  version: number;
  can: { update: boolean; delete: boolean; reveal: boolean };
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  title: string | null;
  unit: Ref | null;
  enterprise: Ref | null;
  email: string | null;
  phone: string | null;
  roles: Role[];
  disabled: boolean;
  locked: boolean;
  totpEnabled: boolean;
  lastSignInAt: string | null;
  version: number;
  can: { update: boolean; disable: boolean; enable: boolean; resetPassword: boolean; reveal: boolean };
}

export interface SecuritySettings {
  passwordMinLength: number;
  passwordMinClasses: number;
  passwordMaxAgeDays: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  idleTimeoutMinutes: number;
  absoluteTimeoutHours: number;
  totpRequiredForAll: boolean;
  version: number;
}

export interface LockedUser {
  id: string;
  username: string;
  displayName: string;
  lockedUntil: string;
  failedSignIns: number;
}

export interface LiveSession {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditRow {
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  result: string;
  before: unknown;
  after: unknown;
  chainNo: number;
  seq: number;
}

export interface AuditVerifyResult {
  rowsChecked: number;
  chainsChecked: number;
  problems: { chainNo: number; seq: number; kind: string; detail: string }[];
}
