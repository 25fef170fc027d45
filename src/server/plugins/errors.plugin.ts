import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldProblem } from '../errors.ts';
import { t, type Lang } from '../i18n.ts';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Maps a JSON-schema validation error to a field path and a message key. */
export function fieldFromAjv(e: AjvError, context: string | undefined): FieldProblem {
  const base = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const join = (name: unknown) => (base ? `${base}.${String(name)}` : String(name));
  const prefix = context && context !== 'body' ? `${context}.` : '';
  switch (e.keyword) {
    case 'required':
      return { path: prefix + join(e.params.missingProperty), key: 'field.required' };
    case 'additionalProperties':
      return { path: prefix + join(e.params.additionalProperty), key: 'field.unknown' };
    case 'minLength':
      return { path: prefix + base, key: Number(e.params.limit) === 1 ? 'field.required' : 'field.min_length', params: { limit: Number(e.params.limit) } };
    case 'maxLength':
      return { path: prefix + base, key: 'field.max_length', params: { limit: Number(e.params.limit) } };
    case 'minimum':
      return { path: prefix + base, key: 'field.minimum', params: { limit: Number(e.params.limit) } };
    case 'maximum':
      return { path: prefix + base, key: 'field.maximum', params: { limit: Number(e.params.limit) } };
    case 'minItems':
      return { path: prefix + base, key: 'field.min_items', params: { limit: Number(e.params.limit) } };
    case 'maxItems':
      return { path: prefix + base, key: 'field.max_items', params: { limit: Number(e.params.limit) } };
    case 'type':
      return { path: prefix + base, key: 'field.type', params: { type: String(e.params.type) } };
    case 'pattern':
      return { path: prefix + base, key: 'field.pattern' };
    case 'format':
      return { path: prefix + base, key: 'field.format', params: { format: String(e.params.format) } };
    case 'enum':
    case 'const':
    case 'anyOf':
      return { path: prefix + base, key: 'field.enum' };
    default:
      return { path: prefix + base, key: 'field.invalid' };
  }
}

export function errorBody(lang: Lang, err: AppError) {
  return {
    error: {
      code: err.code,
      message: t(lang, err.code, err.params),
      fields: err.fields.map((f) => ({ path: f.path, message: t(lang, f.key, f.params) })),
    },
  };
}

function toAppError(error: FastifyError & { validation?: AjvError[]; validationContext?: string }): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const seen = new Set<string>();
    const fields = error.validation
      .map((v) => fieldFromAjv(v, error.validationContext))
      // anyOf/union branches repeat the same path; keep the first message per path.
      .filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
    return new AppError('validation_failed', { fields });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) return new AppError('payload_too_large');
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) return new AppError('unsupported_media_type');
  if (error.statusCode === 429) return new AppError('rate_limited');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError('bad_request');
  return new AppError('internal', { cause: error });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') req.log.error({ err: error }, 'unhandled error');
    return reply.status(appError.status).send(errorBody(req.lang, appError));
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.status(404).send(errorBody(req.lang, new AppError('route_not_found')));
    return reply.status(404).send(errorBody(req.lang, new AppError('route_not_found')));
  });
}
