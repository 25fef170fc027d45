/**
 * One error type for the whole server. Services throw AppError with a code; the error handler turns it into
 * {"error":{"code","message","fields":[{"path","message"}]}} in the caller's language. Clients switch on code.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 401,
  second_factor_required: 401,
  second_factor_invalid: 401,
  second_factor_setup_required: 403,
  password_change_required: 403,
  forbidden: 403,
  cross_site_request: 403,
  not_found: 404,
  route_not_found: 404,
  version_conflict: 409,
  conflict: 409,
  action_wrong_state: 409,
  action_request_pending: 409,
  action_no_request: 409,
  duplicate: 409,
  setup_done: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldProblem {
  /** Dotted path of the field in the request body or query, e.g. "name" or "members.0.userId". */
  path: string;
  /** A message key from i18n.ts ("field.required", …) with its parameters. */
  key: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldProblem[];
  readonly params: Record<string, string | number> | undefined;

  constructor(code: ErrorCode, opts: { fields?: FieldProblem[]; params?: Record<string, string | number>; cause?: unknown } = {}) {
    super(code, { cause: opts.cause });
    this.code = code;
    this.fields = opts.fields ?? [];
    this.params = opts.params;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');

/** A 400 naming one field. */
export function fieldError(path: string, key: string, params?: Record<string, string | number>): AppError {
  return new AppError('validation_failed', { fields: [{ path, key, ...(params ? { params } : {}) }] });
}

/** PostgreSQL error codes a service may turn into a 409 or 400 instead of a 500. */
export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const c = (e as { constraint?: unknown }).constraint;
    if (typeof c === 'string') return c;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
