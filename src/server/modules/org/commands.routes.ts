import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { auditEvent } from '../../lib/audited.ts';
import { buildXlsx, sendXlsx } from '../../lib/xlsx.ts';
import { createCommand, deleteCommand, getCommand, listCommands, replaceCommandMembers, updateCommand } from './commands.service.ts';
import { Command, CommandCreate, CommandMembersPut, CommandPatch, IdParams, Ok, VersionQuery, withErrors } from './org.api.ts';
import { callerOf, exportFileName, XlsxFile } from './org.http.ts';
import { COMMAND_EDIT_ROLES, ORG_READ_ROLES, ORG_WRITE_ROLES } from './org.policy.ts';
import { COMMAND_COLUMNS, commandExportRows, presentCommand } from './org.presenters.ts';

const read = { access: 'signed_in', roles: ORG_READ_ROLES } as const;
const admin = { access: 'signed_in', roles: ORG_WRITE_ROLES } as const;
/** The system admin, or a commander of this HQ (the service checks which HQ). */
const edit = { access: 'signed_in', roles: COMMAND_EDIT_ROLES } as const;
const tags = ['org'];

export function registerCommandRoutes(app: FastifyInstance, s: AppServices): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/commands',
    { config: read, schema: { tags, summary: 'HQs (指挥部) with their members', response: withErrors({ 200: Type.Object({ items: Type.Array(Command) }) }) } },
    async (req) => {
      const caller = callerOf(req);
      return { items: (await listCommands(s, caller)).map((c) => presentCommand(caller, c)) };
    },
  );

  r.get(
    '/api/commands/export.xlsx',
    { config: read, schema: { tags, summary: 'HQs as a spreadsheet, one row per member (audited)', response: withErrors({ 200: XlsxFile }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      const views = await listCommands(s, caller);
      const body = await buildXlsx('指挥部', COMMAND_COLUMNS, commandExportRows(views));
      await auditEvent(s, caller, { action: 'command.export', entityType: 'command', after: { count: views.length, filters: {} } });
      return sendXlsx(reply, exportFileName(s, '指挥部'), body);
    },
  );

  r.post(
    '/api/commands',
    { config: admin, schema: { tags, summary: 'Create an HQ', body: CommandCreate, response: withErrors({ 201: Command }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      return reply.status(201).send(presentCommand(caller, await createCommand(s, caller, req.body)));
    },
  );

  r.get('/api/commands/:id', { config: read, schema: { tags, summary: 'One HQ with its members', params: IdParams, response: withErrors({ 200: Command }) } }, async (req) => {
    const caller = callerOf(req);
    return presentCommand(caller, await getCommand(s, caller, req.params.id));
  });

  r.patch(
    '/api/commands/:id',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Edit an HQ (system admin; its commander, except area, leading group and active)',
        params: IdParams,
        body: CommandPatch,
        response: withErrors({ 200: Command }),
      },
    },
    async (req) => {
      const caller = callerOf(req);
      return presentCommand(caller, await updateCommand(s, caller, req.params.id, req.body));
    },
  );

  r.put(
    '/api/commands/:id/members',
    {
      config: edit,
      schema: { tags, summary: "Replace an HQ's member list (system admin or its commander)", params: IdParams, body: CommandMembersPut, response: withErrors({ 200: Command }) },
    },
    async (req) => {
      const caller = callerOf(req);
      return presentCommand(caller, await replaceCommandMembers(s, caller, req.params.id, req.body));
    },
  );

  r.delete(
    '/api/commands/:id',
    { config: admin, schema: { tags, summary: 'Delete an HQ nothing refers to', params: IdParams, querystring: VersionQuery, response: withErrors({ 200: Ok }) } },
    async (req) => {
      await deleteCommand(s, callerOf(req), req.params.id, req.query.version);
      return { ok: true };
    },
  );
}
