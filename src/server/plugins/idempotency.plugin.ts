import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../context.ts';
import { AppError } from '../errors.ts';
import { idempotencyKeys } from './idempotency.schema.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

const HEADER = 'idempotency-key';
/** A first request that never finished (its process died) stops blocking retries after this long. */
const PENDING_EXPIRY_MS = 60_000;

function requestHash(req: FastifyRequest): string {
  return createHash('sm3')
    .update(`${req.method} ${req.url}\n`)
    .update(JSON.stringify(req.body ?? null))
    .digest('hex');
}

/**
 * A multipart upload is read by its route after the hook, so its bytes cannot be hashed here: the address and the
 * body's length stand for them (a retry of the same file from the same client has the same length; another file
 * almost never does). The key itself is the client's promise that it names one file.
 */
function uploadHash(req: FastifyRequest): string {
  return createHash('sm3')
    .update(`${req.method} ${req.url}\nmultipart ${String(req.headers['content-length'] ?? '')}`)
    .digest('hex');
}

const isMultipart = (req: FastifyRequest) => String(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');

/**
 * POSTs may carry an Idempotency-Key: the same key with the same request returns the first answer; the same key
 * with a different request is refused (422); a retry while the first is still running gets 409.
 */
export function registerIdempotency(app: FastifyInstance, services: AppServices): void {
  app.decorateRequest('idempotencyKey', null);

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers[HEADER];
    if (req.method !== 'POST' || typeof key !== 'string' || !req.caller) return;
    if (key.length === 0 || key.length > 200) throw new AppError('validation_failed', { fields: [{ path: 'Idempotency-Key', key: 'field.invalid' }] });
    const { zoneId, userId } = req.caller;
    // An upload retried with its key (a photo sent again after a lost answer) returns the first file, not a copy.
    const hash = isMultipart(req) ? uploadHash(req) : requestHash(req);
    const where = and(eq(idempotencyKeys.zoneId, zoneId), eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
    await services.db
      .delete(idempotencyKeys)
      .where(and(where, lt(idempotencyKeys.createdAt, new Date(services.now().getTime() - PENDING_EXPIRY_MS)), eq(idempotencyKeys.status, 0)));
    const inserted = await services.db
      .insert(idempotencyKeys)
      .values({ zoneId, userId, key, requestHash: hash, status: 0, createdAt: services.now() })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      req.idempotencyKey = key;
      return;
    }
    const [first] = await services.db.select().from(idempotencyKeys).where(where);
    if (!first) throw new AppError('conflict');
    if (first.requestHash !== hash) throw new AppError('idempotency_mismatch');
    if (!first.status) throw new AppError('conflict');
    return reply.status(first.status).header('idempotent-replay', 'true').send(first.body);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = req.idempotencyKey;
    if (!key || !req.caller) return payload;
    const where = and(eq(idempotencyKeys.zoneId, req.caller.zoneId), eq(idempotencyKeys.userId, req.caller.userId), eq(idempotencyKeys.key, key));
    if (reply.statusCode >= 500) {
      // A failed attempt changed nothing (one transaction), so the client may retry it for real.
      await services.db.delete(idempotencyKeys).where(where);
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string') {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload;
      }
    }
    await services.db.update(idempotencyKeys).set({ status: reply.statusCode, body }).where(where);
    return payload;
  });
}
