import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices, Caller } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { LockedUserList, Ok, SessionHandleParams, SessionList, SettingsDto, UpdateSettingsBody, UserIdParams } from './security.dto.ts';
import { listLockedUsers, readSettings, unlockUser, updateSettings } from './security.service.ts';
import { listSessions, revokeSessionByHandle } from './security.sessions.ts';

const tags = ['security'];
const secAdmin = { access: 'signed_in', roles: ['sec_admin'] } as const;

const SETTINGS_DESCRIPTION =
  'Password composition (passwordMinClasses) and rotation (passwordMaxAgeDays) are configurable because the standards ' +
  'disagree: OWASP ASVS 5.0 discourages composition rules and forced rotation (set both to 0), while 等保2.0 (GB/T 22239-2019) ' +
  'asks for complexity and periodic change (e.g. 3 classes, 90 days). Changes apply from the next request or sign-in; ' +
  'absoluteTimeoutHours applies to sessions opened afterwards.';

function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('unauthenticated');
  return req.caller;
}

/** /api/security: the security admin's settings, locked accounts and live sessions (三员分立). */
export async function securityRoutes(scope: FastifyInstance, s: AppServices): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/security/settings',
    { config: secAdmin, schema: { tags, summary: "My zone's security settings", description: SETTINGS_DESCRIPTION, response: { 200: SettingsDto } } },
    async (req) => readSettings(s, callerOf(req)),
  );

  app.patch(
    '/api/security/settings',
    {
      config: secAdmin,
      schema: { tags, summary: 'Change security settings (version required; audited)', description: SETTINGS_DESCRIPTION, body: UpdateSettingsBody, response: { 200: SettingsDto } },
    },
    async (req) => updateSettings(s, callerOf(req), req.body),
  );

  app.get(
    '/api/security/locked-users',
    { config: secAdmin, schema: { tags, summary: 'Accounts locked by failed sign-ins', response: { 200: LockedUserList } } },
    async (req) => listLockedUsers(s, callerOf(req)),
  );

  app.post(
    '/api/security/users/:id/unlock',
    { config: secAdmin, schema: { tags, summary: 'Unlock an account (clears the failed sign-ins; audited)', params: UserIdParams, response: { 200: Ok } } },
    async (req) => {
      await unlockUser(s, callerOf(req), req.params.id);
      return { ok: true };
    },
  );

  app.get(
    '/api/security/sessions',
    { config: secAdmin, schema: { tags, summary: 'Live sessions of my zone (id is a short handle, not the token)', response: { 200: SessionList } } },
    async (req) => listSessions(s, callerOf(req)),
  );

  app.post(
    '/api/security/sessions/:id/revoke',
    { config: secAdmin, schema: { tags, summary: 'End a session by its handle (audited)', params: SessionHandleParams, response: { 200: Ok } } },
    async (req) => {
      await revokeSessionByHandle(s, callerOf(req), req.params.id);
      return { ok: true };
    },
  );
}
