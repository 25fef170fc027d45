import { ROLES, rolesConflict, type Role } from '../../../shared/roles.ts';
import type { Db } from '../../db/client.ts';
import { AppError, pgConstraint, pgErrorCode, type FieldProblem } from '../../errors.ts';
import { enterpriseExists, unitExists, usernameTaken } from './users.repository.ts';

/** Roles in their canonical order, without repeats. */
export function normalizeRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

export function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  const x = normalizeRoles(a);
  const y = normalizeRoles(b);
  return x.length === y.length && x.every((r, i) => r === y[i]);
}

export interface Assignment {
  roles: readonly Role[];
  unitId: string | null;
  enterpriseId: string | null;
}

/**
 * The rules an account's roles and references obey, as field problems (empty when all is well): no admin role
 * mixed with another role; an enterprise contact names their enterprise; unit and enterprise exist in the zone.
 * `changed` limits the reference checks to the fields the request set.
 */
export async function assignmentProblems(db: Db, zoneId: string, a: Assignment, changed: { unitId: boolean; enterpriseId: boolean }): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  if (rolesConflict(a.roles)) problems.push({ path: 'roles', key: 'field.roles_conflict' });
  if (a.roles.includes('enterprise_contact') && !a.enterpriseId) problems.push({ path: 'enterpriseId', key: 'field.required' });
  if (changed.unitId && a.unitId && !(await unitExists(db, zoneId, a.unitId))) problems.push({ path: 'unitId', key: 'field.not_found' });
  if (changed.enterpriseId && a.enterpriseId && !(await enterpriseExists(db, zoneId, a.enterpriseId))) {
    problems.push({ path: 'enterpriseId', key: 'field.not_found' });
  }
  return problems;
}

export async function usernameProblems(db: Db, username: string): Promise<FieldProblem[]> {
  return (await usernameTaken(db, username)) ? [{ path: 'username', key: 'field.taken' }] : [];
}

export function throwIfProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new AppError('validation_failed', { fields: problems });
}

/**
 * A database refusal caused by the request (a username taken by a concurrent insert, a unit deleted meanwhile)
 * becomes a 400 on the field; anything else is rethrown.
 */
export function userWriteError(err: unknown): unknown {
  const code = pgErrorCode(err);
  const constraint = pgConstraint(err) ?? '';
  if (code === '23505') return new AppError('validation_failed', { fields: [{ path: 'username', key: 'field.taken' }], cause: err });
  if (code === '23503' && constraint.includes('enterprise')) return new AppError('validation_failed', { fields: [{ path: 'enterpriseId', key: 'field.not_found' }], cause: err });
  if (code === '23503' && constraint.includes('unit')) return new AppError('validation_failed', { fields: [{ path: 'unitId', key: 'field.not_found' }], cause: err });
  return err;
}
