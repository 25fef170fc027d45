import { AppError, fieldError, pgConstraint, pgErrorCode } from '../../errors.ts';

/**
 * Turns database refusals that are the user's fault into field errors (conventions.md: unique → field.taken,
 * FK → field.not_found), so a race the pre-checks could not see still answers 400, never 500.
 */
export interface ConstraintFields {
  /** unique index name → field path */
  unique?: Record<string, string>;
  /** foreign key name → field path */
  foreignKey?: Record<string, string>;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

export function translateDbError(err: unknown, fields: ConstraintFields): unknown {
  if (err instanceof AppError) return err;
  const code = pgErrorCode(err);
  const constraint = pgConstraint(err) ?? '';
  const uniquePath = fields.unique?.[constraint];
  if (code === UNIQUE_VIOLATION && uniquePath) return fieldError(uniquePath, 'field.taken');
  const fkPath = fields.foreignKey?.[constraint];
  if (code === FOREIGN_KEY_VIOLATION && fkPath) return fieldError(fkPath, 'field.not_found');
  return err;
}

/** A record that cannot be deleted as things stand: 409 naming why. */
export function cannotDelete(key: 'field.in_use' | 'field.has_children'): AppError {
  return new AppError('conflict', { fields: [{ path: 'id', key }] });
}

/** On delete, any foreign key pointing at the row (users, enterprises, later modules' records) means "in use". */
export function translateDeleteError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  return pgErrorCode(err) === FOREIGN_KEY_VIOLATION ? cannotDelete('field.in_use') : err;
}
