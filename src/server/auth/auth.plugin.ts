import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../shared/roles.ts';
import { writeAudit } from '../audit/audit.ts';
import type { AppServices, Caller } from '../context.ts';
import { AppError } from '../errors.ts';
import { pickLang, type Lang } from '../i18n.ts';
import { resolveSession, SESSION_COOKIE, type ResolvedSession } from './sessions.ts';

/**
 * Who may call a route. Every route declares it in `config`; the authorization matrix test fails on a route
 * that does not. `public`: anyone. `pending`: signed in, even while a password change or TOTP enrolment is owed.
 * `signed_in` (with `roles`): signed in, holding one of the roles.
 */
export type RouteAccess = 'public' | 'pending' | 'signed_in';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    roles?: readonly Role[] | 'any';
  }
  interface FastifyRequest {
    lang: Lang;
    caller: Caller | null;
    session: ResolvedSession | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** CSRF defence for cookie sessions: a browser's cross-site write carries a foreign Origin or Sec-Fetch-Site. */
function isCrossSite(req: FastifyRequest): boolean {
  if (!UNSAFE.has(req.method)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

export function callerOf(session: ResolvedSession, req: FastifyRequest): Caller {
  return {
    zoneId: session.zoneId,
    userId: session.userId,
    username: session.username,
    displayName: session.displayName,
    roles: session.roles,
    unitId: session.unitId,
    enterpriseId: session.enterpriseId,
    commandIds: session.commandIds,
    ledCommandIds: session.ledCommandIds,
    sessionId: session.sessionId,
    ip: req.ip ?? null,
    requestId: String(req.id),
  };
}

/** Permission denials are audited in their own transaction: the request itself is refused. */
export async function auditDenial(services: AppServices, caller: Caller, req: FastifyRequest, entityType: string, entityId: string | null) {
  await services.db.transaction(async (tx) => {
    await writeAudit(
      tx,
      services.keys.auditKey,
      { zoneId: caller.zoneId, actorId: caller.userId, actorName: caller.displayName, actorRole: caller.roles.join(','), ip: caller.ip, requestId: caller.requestId },
      { action: 'access.denied', entityType, entityId, result: 'denied', after: { method: req.method, route: req.routeOptions.url ?? req.url } },
    );
  });
}

export function registerAuth(app: FastifyInstance, services: AppServices): void {
  app.decorateRequest('lang', 'zh-CN');
  app.decorateRequest('caller', null);
  app.decorateRequest('session', null);

  app.addHook('onRequest', async (req: FastifyRequest) => {
    req.lang = pickLang(req.headers['accept-language']);
    if (isCrossSite(req)) throw new AppError('cross_site_request');
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await resolveSession(services.db, token, services.now());
    if (!session) return;
    req.session = session;
    req.caller = callerOf(session, req);
  });

  // preValidation, not preHandler: who may call a route is decided before its body is looked at.
  app.addHook('preValidation', async (req: FastifyRequest, _reply: FastifyReply) => {
    const config = req.routeOptions.config;
    const access = config.access ?? 'signed_in';
    if (access === 'public') return;
    const session = req.session;
    const caller = req.caller;
    if (!session || !caller) throw new AppError('unauthenticated');
    if (access === 'pending') return;
    if (session.mustChangePassword) throw new AppError('password_change_required');
    if (session.mustEnrollTotp) throw new AppError('second_factor_setup_required');
    const roles = config.roles;
    if (!roles) throw new Error(`route ${req.routeOptions.url} declares no roles`);
    if (roles !== 'any' && !caller.roles.some((r) => roles.includes(r))) {
      await auditDenial(services, caller, req, 'route', req.routeOptions.url ?? null);
      throw new AppError('forbidden');
    }
  });
}
