import { Type } from 'typebox';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { ROLES } from '../../shared/roles.ts';
import { Nullable, Strict } from '../../shared/schema.ts';
import type { AppServices } from '../context.ts';
import { AppError } from '../errors.ts';
import { commands, units, zones } from '../modules/org/org.schema.ts';
import { changePassword, beginTotpEnrolment, confirmTotpEnrolment, disableTotp, login, logout, type ClientInfo } from './auth.service.ts';
import { SESSION_COOKIE } from './sessions.ts';

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const MeResponse = Type.Object({
  user: Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() }),
  roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r)))),
  zone: Type.Object({ id: Type.String(), name: Type.String(), shortName: Type.String(), isDemo: Type.Boolean() }),
  unit: Nullable(Ref),
  enterpriseId: Nullable(Type.String()),
  commands: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), leads: Type.Boolean() })),
  mustChangePassword: Type.Boolean(),
  mustEnrollTotp: Type.Boolean(),
  totpEnabled: Type.Boolean(),
});

function clientOf(req: FastifyRequest): ClientInfo {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null, requestId: String(req.id) };
}

export function setSessionCookie(reply: FastifyReply, services: AppServices, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: services.config.cookieSecure });
}

export async function authRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  app.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: {
          max: s.config.authRateLimit,
          timeWindow: 60_000,
          keyGenerator: (req: FastifyRequest) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in (sets the HttpOnly session cookie)',
        security: [],
        body: Strict({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
          totpCode: Type.Optional(Type.String({ maxLength: 12 })),
        }),
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      const body = req.body as { username: string; password: string; totpCode?: string };
      const { token } = await login(s, body, clientOf(req));
      setSessionCookie(reply, s, token);
      return { ok: true };
    },
  );

  app.post('/api/auth/logout', { config: { access: 'pending' }, schema: { tags: ['auth'], summary: 'Sign out' } }, async (req, reply) => {
    if (req.caller) await logout(s, req.caller);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get(
    '/api/auth/me',
    { config: { access: 'pending' }, schema: { tags: ['auth'], summary: 'The signed-in user, roles, zone and unit', response: { 200: MeResponse } } },
    async (req) => {
      const session = req.session;
      if (!session) throw new AppError('unauthenticated');
      const [zone] = await s.db.select().from(zones).where(eq(zones.id, session.zoneId));
      const [unit] = session.unitId
        ? await s.db.select({ id: units.id, name: units.name }).from(units).where(and(eq(units.zoneId, session.zoneId), eq(units.id, session.unitId)))
        : [];
      const hqs = session.commandIds.length
        ? await s.db
            .select({ id: commands.id, name: commands.name })
            .from(commands)
            .where(and(eq(commands.zoneId, session.zoneId), inArray(commands.id, session.commandIds)))
        : [];
      return {
        user: { id: session.userId, username: session.username, displayName: session.displayName },
        roles: session.roles,
        zone: { id: zone?.id ?? session.zoneId, name: zone?.name ?? '', shortName: zone?.shortName ?? '', isDemo: zone?.isDemo ?? false },
        unit: unit ?? null,
        enterpriseId: session.enterpriseId,
        commands: hqs.map((c) => ({ ...c, leads: session.ledCommandIds.includes(c.id) })),
        mustChangePassword: session.mustChangePassword,
        mustEnrollTotp: session.mustEnrollTotp,
        totpEnabled: session.totpEnabled,
      };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'pending', rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (ends all my other sessions)',
        body: Strict({ currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) }),
      },
    },
    async (req, reply) => {
      if (!req.caller) throw new AppError('unauthenticated');
      const token = await changePassword(s, req.caller, req.body as { currentPassword: string; newPassword: string }, clientOf(req));
      setSessionCookie(reply, s, token);
      return { ok: true };
    },
  );

  app.post(
    '/api/auth/totp/setup',
    {
      config: { access: 'pending' },
      schema: {
        tags: ['auth'],
        summary: 'Begin TOTP enrolment: a secret and its QR code',
        response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() }) },
      },
    },
    async (req) => {
      if (!req.caller) throw new AppError('unauthenticated');
      const { secret, otpauthUrl } = await beginTotpEnrolment(s, req.caller);
      return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 }) };
    },
  );

  app.post(
    '/api/auth/totp/confirm',
    { config: { access: 'pending' }, schema: { tags: ['auth'], summary: 'Confirm TOTP enrolment with a code', body: Strict({ code: Type.String({ pattern: '^\\d{6}$' }) }) } },
    async (req) => {
      if (!req.caller) throw new AppError('unauthenticated');
      await confirmTotpEnrolment(s, req.caller, (req.body as { code: string }).code);
      return { ok: true };
    },
  );

  app.post(
    '/api/auth/totp/disable',
    { config: { access: 'signed_in', roles: 'any' }, schema: { tags: ['auth'], summary: 'Turn TOTP off (not for admins outside the demo zone)', body: Strict({ code: Type.String({ pattern: '^\\d{6}$' }) }) } },
    async (req) => {
      if (!req.caller) throw new AppError('unauthenticated');
      const [zone] = await s.db.select({ isDemo: zones.isDemo }).from(zones).where(eq(zones.id, req.caller.zoneId));
      await disableTotp(s, req.caller, (req.body as { code: string }).code, zone?.isDemo ?? false);
      return { ok: true };
    },
  );
}
