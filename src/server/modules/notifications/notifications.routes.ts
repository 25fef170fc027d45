import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES, type Role } from '../../../shared/roles.ts';
import { Id, Name, Nullable, PageQuery, Strict, Text, VersionField } from '../../../shared/schema.ts';
import type { AppServices } from '../../context.ts';
import { IdParams, Ok, VersionQuery, withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { listInbox, markRead } from './notifications.service.ts';
import { createRobotChannel, deleteRobotChannel, listRobotChannels, testRobotChannel, updateRobotChannel } from './robots.service.ts';

/** The in-app inbox (everyone signed in, their own messages only) and the robot channels (system administrator). */

const mine = { access: 'signed_in', roles: [...ROLES] as Role[] } as const;
const admin = { access: 'signed_in', roles: ['sys_admin'] as Role[] } as const;

const Notification = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'problem.assigned, problem.auto_remind, problem.escalate, problem.supervise, …' }),
  title: Type.String(),
  body: Nullable(Type.String()),
  link: Nullable(Type.String({ description: 'the page it is about, e.g. /problems/{id}' })),
  problemId: Nullable(Type.String()),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});
const Inbox = Type.Object({ items: Type.Array(Notification), total: Type.Integer(), unread: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

const RobotKind = Type.Union([Type.Literal('dingtalk'), Type.Literal('wecom')]);
const RobotChannel = Type.Object({
  id: Type.String(),
  kind: RobotKind,
  name: Type.String(),
  webhook: Type.String({ description: 'masked: the access token shows its last 4 characters only' }),
  hasSecret: Type.Boolean(),
  command: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  lastSentAt: Nullable(Type.String()),
  lastStatus: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
});
const Webhook = Text(1000, 1);
const Secret = Text(200);

export async function notificationRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/notifications',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'My inbox, newest first, with the number unread',
        querystring: Strict({ unread: Type.Optional(Type.Boolean()), ...PageQuery }),
        response: withErrors({ 200: Inbox }),
      },
    },
    async (req) => listInbox(s, callerOf(req), { ...req.query, pageSize: Math.min(req.query.pageSize ?? 20, 100) }),
  );

  r.post(
    '/api/notifications/read',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'Mark my messages read: `{ids}` or `{all: true}`',
        body: Strict({ ids: Type.Optional(Type.Array(Id, { maxItems: 500 })), all: Type.Optional(Type.Literal(true)) }),
        response: withErrors({ 200: Type.Object({ updated: Type.Integer(), unread: Type.Integer() }) }),
      },
    },
    async (req) => markRead(s, callerOf(req), req.body),
  );

  const tags = ['robot-channels'];
  r.get(
    '/api/robot-channels',
    { config: admin, schema: { tags, summary: 'DingTalk / WeCom group robots of the zone (webhooks masked)', response: withErrors({ 200: Type.Object({ items: Type.Array(RobotChannel) }) }) } },
    async (req) => listRobotChannels(s, callerOf(req)),
  );

  r.post(
    '/api/robot-channels',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add a group robot: the whole zone (no commandId) or one HQ',
        description: 'The webhook URL and the DingTalk signing secret (加签) are stored encrypted and never shown again.',
        body: Strict({ kind: RobotKind, name: Name, webhook: Webhook, secret: Type.Optional(Nullable(Secret)), commandId: Type.Optional(Nullable(Id)), enabled: Type.Optional(Type.Boolean()) }),
        response: withErrors({ 201: RobotChannel }),
      },
    },
    async (req, reply) => reply.status(201).send(await createRobotChannel(s, callerOf(req), req.body)),
  );

  r.patch(
    '/api/robot-channels/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a group robot (version); leave webhook/secret out to keep them, secret null to remove it',
        params: IdParams,
        body: Strict({ ...VersionField, name: Type.Optional(Name), webhook: Type.Optional(Webhook), secret: Type.Optional(Nullable(Secret)), commandId: Type.Optional(Nullable(Id)), enabled: Type.Optional(Type.Boolean()) }),
        response: withErrors({ 200: RobotChannel }),
      },
    },
    async (req) => updateRobotChannel(s, callerOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/robot-channels/:id',
    { config: admin, schema: { tags, summary: 'Remove a group robot (version)', params: IdParams, querystring: VersionQuery, response: withErrors({ 200: Ok }) } },
    async (req) => deleteRobotChannel(s, callerOf(req), req.params.id, req.query.version),
  );

  r.post(
    '/api/robot-channels/:id/test',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Send a test message now and answer what the robot said',
        params: IdParams,
        body: Strict({}),
        response: withErrors({ 200: Type.Object({ ok: Type.Boolean(), status: Type.String(), error: Nullable(Type.String()) }) }),
      },
    },
    async (req) => testRobotChannel(s, callerOf(req), req.params.id),
  );
}
