import { and, eq, sql } from 'drizzle-orm';
import { maskPhone } from '../../../shared/masking.ts';
import type { Role } from '../../../shared/roles.ts';
import { assertPasswordAllowed } from '../../auth/auth.service.ts';
import { hashPassword } from '../../auth/passwords.ts';
import type { AppServices, Caller } from '../../context.ts';
import { encrypt, lookupDigest } from '../../crypto.ts';
import type { Db } from '../../db/client.ts';
import { notFound, type FieldProblem } from '../../errors.ts';
import { audit, auditEvent, versionConflict } from '../../lib/audited.ts';
import { buildXlsx } from '../../lib/xlsx.ts';
import type { CreateUserBody, UpdateUserBody, UserDto, UserFilter, UserListQuery } from './users.dto.ts';
import { assertCanManageUsers } from './users.policy.ts';
import { maskEmail, maskedPhoneOf, presentUser, USER_EXPORT_COLUMNS } from './users.presenters.ts';
import { countUsers, findUser, replaceRoles, selectUsers, userFilter, type UserRecord } from './users.repository.ts';
import { assignmentProblems, normalizeRoles, sameRoles, throwIfProblems, usernameProblems, userWriteError } from './users.rules.ts';
import { userRoles, users } from './users.schema.ts';

/** The rows an export may hold; a zone has far fewer accounts. */
const EXPORT_LIMIT = 20_000;

export async function requireUser(db: Db, zoneId: string, id: string): Promise<UserRecord> {
  const rec = await findUser(db, zoneId, id);
  if (!rec) throw notFound();
  return rec;
}

export async function listUsers(s: AppServices, caller: Caller, query: UserListQuery) {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  const where = userFilter(s, caller.zoneId, query);
  const [records, total] = await Promise.all([
    selectUsers(s.db, caller.zoneId, where, { limit: pageSize, offset: (page - 1) * pageSize }),
    countUsers(s.db, where),
  ]);
  const now = s.now();
  return { items: records.map((r) => presentUser(s, caller, r, now)), total, page, pageSize };
}

export async function getUser(s: AppServices, caller: Caller, id: string): Promise<UserDto> {
  return presentUser(s, caller, await requireUser(s.db, caller.zoneId, id), s.now());
}

/** The filtered directory as a workbook (phone masked); the export is audited. */
export async function exportUsers(s: AppServices, caller: Caller, filter: UserFilter): Promise<Buffer> {
  const { q, unitId, role } = filter;
  const records = await selectUsers(s.db, caller.zoneId, userFilter(s, caller.zoneId, { q, unitId, role }), { limit: EXPORT_LIMIT, offset: 0 });
  const now = s.now();
  const body = await buildXlsx('用户', USER_EXPORT_COLUMNS, records.map((r) => presentUser(s, caller, r, now)));
  await auditEvent(s, caller, { action: 'user.export', entityType: 'user', entityId: null, after: { filter: { q, unitId, role }, rows: records.length } });
  return body;
}

function optionalText(value: string | null | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}

/** What an audit row may say about an account: personal data masked. */
function auditView(u: { username?: string; displayName?: string; title?: string | null; unitId?: string | null; enterpriseId?: string | null; email?: string | null; phone?: string | null; roles?: readonly Role[] }) {
  return { ...u, ...(u.email !== undefined ? { email: maskEmail(u.email) } : {}), ...(u.phone !== undefined ? { phone: maskPhone(u.phone) } : {}) };
}

export async function createUser(s: AppServices, caller: Caller, input: CreateUserBody): Promise<UserDto> {
  assertCanManageUsers(caller);
  const roles = normalizeRoles(input.roles);
  const fields = {
    username: input.username,
    displayName: input.displayName.trim(),
    title: optionalText(input.title),
    unitId: input.unitId ?? null,
    enterpriseId: input.enterpriseId ?? null,
    email: optionalText(input.email),
    phone: input.phone ?? null,
  };
  const problems: FieldProblem[] = [
    ...(fields.displayName ? [] : [{ path: 'displayName', key: 'field.required' }]),
    ...(await usernameProblems(s.db, fields.username)),
    ...(await assignmentProblems(s.db, caller.zoneId, { roles, unitId: fields.unitId, enterpriseId: fields.enterpriseId }, { unitId: true, enterpriseId: true })),
  ];
  throwIfProblems(problems);
  await assertPasswordAllowed(s, caller.zoneId, input.password, 'password');
  const passwordHash = await hashPassword(input.password);
  const now = s.now();
  const id = await s.db
    .transaction(async (tx) => {
      const { phone, ...plain } = fields;
      const [row] = await tx
        .insert(users)
        .values({
          ...plain,
          zoneId: caller.zoneId,
          phoneEnc: phone ? encrypt(s.keys, phone) : null,
          phoneDigest: phone ? lookupDigest(s.keys, phone) : null,
          passwordHash,
          passwordChangedAt: now,
          // The admin chose this password, so it is only good for the first sign-in.
          mustChangePassword: true,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: users.id });
      if (!row) throw new Error('user insert returned nothing');
      await tx.insert(userRoles).values(roles.map((role) => ({ zoneId: caller.zoneId, userId: row.id, role })));
      await audit(tx, s, caller, { action: 'user.create', entityType: 'user', entityId: row.id, after: auditView({ ...fields, roles }) });
      return row.id;
    })
    .catch((err: unknown) => {
      throw userWriteError(err);
    });
  return getUser(s, caller, id);
}

type UserSet = Partial<typeof users.$inferInsert>;

interface UserChange {
  set: UserSet;
  roles: Role[] | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Compares a PATCH with the stored account: the columns to set and the audit's before/after (masked). */
function diffUser(s: AppServices, cur: UserRecord, input: UpdateUserBody): UserChange {
  const change: UserChange = { set: {}, roles: null, before: {}, after: {} };
  const note = (key: string, before: unknown, after: unknown) => {
    change.before[key] = before;
    change.after[key] = after;
  };
  const plain = (key: 'displayName' | 'title' | 'unitId' | 'enterpriseId' | 'email', next: string | null | undefined) => {
    if (next === undefined || next === cur[key]) return;
    (change.set as Record<string, unknown>)[key] = next;
    note(key, key === 'email' ? maskEmail(cur[key]) : cur[key], key === 'email' ? maskEmail(next) : next);
  };
  if (input.displayName !== undefined) plain('displayName', input.displayName.trim());
  if (input.title !== undefined) plain('title', optionalText(input.title));
  plain('unitId', input.unitId);
  plain('enterpriseId', input.enterpriseId);
  if (input.email !== undefined) plain('email', optionalText(input.email));
  if (input.phone !== undefined) {
    const digest = input.phone ? lookupDigest(s.keys, input.phone) : null;
    if (digest !== cur.phoneDigest) {
      change.set.phoneEnc = input.phone ? encrypt(s.keys, input.phone) : null;
      change.set.phoneDigest = digest;
      note('phone', maskedPhoneOf(s, cur), maskPhone(input.phone));
    }
  }
  if (input.roles && !sameRoles(input.roles, cur.roles)) {
    change.roles = normalizeRoles(input.roles);
    note('roles', cur.roles, change.roles);
  }
  return change;
}

async function updateProblems(s: AppServices, caller: Caller, cur: UserRecord, input: UpdateUserBody, change: UserChange): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  if (change.set.displayName === '') problems.push({ path: 'displayName', key: 'field.required' });
  if (change.roles && cur.id === caller.userId) problems.push({ path: 'roles', key: 'field.roles_own' });
  const merged = {
    roles: change.roles ?? cur.roles,
    unitId: input.unitId === undefined ? cur.unitId : input.unitId,
    enterpriseId: input.enterpriseId === undefined ? cur.enterpriseId : input.enterpriseId,
  };
  const assignment = await assignmentProblems(s.db, caller.zoneId, merged, { unitId: 'unitId' in change.set, enterpriseId: 'enterpriseId' in change.set });
  // Only what this request changes can be refused: an untouched role set or enterprise is not re-judged.
  const judged = (p: FieldProblem) => p.path !== 'roles' || change.roles !== null;
  const contactJudged = (p: FieldProblem) => p.key !== 'field.required' || change.roles !== null || 'enterpriseId' in change.set;
  return [...problems, ...assignment.filter((p) => judged(p) && contactJudged(p))];
}

export async function updateUser(s: AppServices, caller: Caller, id: string, input: UpdateUserBody): Promise<UserDto> {
  assertCanManageUsers(caller);
  const cur = await requireUser(s.db, caller.zoneId, id);
  const change = diffUser(s, cur, input);
  throwIfProblems(await updateProblems(s, caller, cur, input, change));
  if (Object.keys(change.after).length === 0) {
    if (input.version !== cur.version) throw await versionConflict(s.db, caller.zoneId, 'user', id);
    return presentUser(s, caller, cur, s.now());
  }
  const now = s.now();
  await s.db
    .transaction(async (tx) => {
      const updated = await tx
        .update(users)
        .set({ ...change.set, version: sql`${users.version} + 1`, updatedAt: now })
        .where(and(eq(users.zoneId, caller.zoneId), eq(users.id, id), eq(users.version, input.version)))
        .returning({ id: users.id });
      if (updated.length === 0) throw await versionConflict(tx, caller.zoneId, 'user', id);
      if (change.roles) await replaceRoles(tx, caller.zoneId, id, change.roles);
      await audit(tx, s, caller, { action: 'user.update', entityType: 'user', entityId: id, before: change.before, after: change.after });
    })
    .catch((err: unknown) => {
      throw userWriteError(err);
    });
  return getUser(s, caller, id);
}
