import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices, Caller } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { sendXlsx, todayStamp } from '../../lib/xlsx.ts';
import {
  CreateUserBody,
  IdParams,
  ResetPasswordBody,
  RevealBody,
  RevealResponse,
  UpdateUserBody,
  UserDto,
  UserExportQuery,
  UserListQuery,
  UserPage,
  VersionBody,
} from './users.dto.ts';
import { resetPassword, revealUserField, setDisabled } from './users.account.ts';
import { DIRECTORY_ROLES, MANAGE_ROLES, REVEAL_ROLES } from './users.policy.ts';
import { createUser, exportUsers, getUser, listUsers, updateUser } from './users.service.ts';

const tags = ['users'];
const read = { access: 'signed_in', roles: DIRECTORY_ROLES } as const;
const manage = { access: 'signed_in', roles: MANAGE_ROLES } as const;

function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('unauthenticated');
  return req.caller;
}

/** /api/users: the system admin manages accounts and roles; the zone's business roles read the directory. */
export async function userRoutes(scope: FastifyInstance, s: AppServices): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/users',
    { config: read, schema: { tags, summary: 'List the users of my zone (phone masked)', querystring: UserListQuery, response: { 200: UserPage } } },
    async (req) => listUsers(s, callerOf(req), req.query),
  );

  app.get(
    '/api/users/export.xlsx',
    { config: read, schema: { tags, summary: 'Export the user list (same filters; phone masked; audited)', querystring: UserExportQuery } },
    async (req, reply) => sendXlsx(reply, `用户_${todayStamp(s.now())}.xlsx`, await exportUsers(s, callerOf(req), req.query)),
  );

  app.post(
    '/api/users',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a user (password policy applies; the user changes the password at first sign-in)',
        description: 'An admin role (sys_admin, sec_admin, audit_admin) cannot be combined with any other role (三员分立). Usernames are unique across the deployment, case-insensitive.',
        body: CreateUserBody,
        response: { 201: UserDto },
      },
    },
    async (req, reply) => reply.status(201).send(await createUser(s, callerOf(req), req.body)),
  );

  app.get(
    '/api/users/:id',
    { config: read, schema: { tags, summary: 'One user of my zone (phone masked)', params: IdParams, response: { 200: UserDto } } },
    async (req) => getUser(s, callerOf(req), req.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      config: manage,
      schema: { tags, summary: 'Edit a user (version required; an admin cannot change their own roles)', params: IdParams, body: UpdateUserBody, response: { 200: UserDto } },
    },
    async (req) => updateUser(s, callerOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/users/:id/disable',
    { config: manage, schema: { tags, summary: "Disable a user (ends the user's sessions)", params: IdParams, body: VersionBody, response: { 200: UserDto } } },
    async (req) => setDisabled(s, callerOf(req), req.params.id, req.body.version, true),
  );

  app.post(
    '/api/users/:id/enable',
    { config: manage, schema: { tags, summary: 'Enable a disabled user', params: IdParams, body: VersionBody, response: { 200: UserDto } } },
    async (req) => setDisabled(s, callerOf(req), req.params.id, req.body.version, false),
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      config: manage,
      schema: { tags, summary: "Set a new password: the user must change it at next sign-in; ends the user's sessions", params: IdParams, body: ResetPasswordBody, response: { 200: UserDto } },
    },
    async (req) => resetPassword(s, callerOf(req), req.params.id, req.body.password),
  );

  app.post(
    '/api/users/:id/reveal',
    {
      config: { access: 'signed_in', roles: REVEAL_ROLES },
      schema: { tags, summary: "Show a user's phone number in clear (audited)", params: IdParams, body: RevealBody, response: { 200: RevealResponse } },
    },
    async (req) => revealUserField(s, callerOf(req), req.params.id, req.body.field),
  );
}
