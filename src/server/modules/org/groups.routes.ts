import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { auditEvent } from '../../lib/audited.ts';
import { buildXlsx, sendXlsx } from '../../lib/xlsx.ts';
import { createGroup, deleteGroup, getGroup, listGroups, replaceGroupMembers, updateGroup } from './groups.service.ts';
import { Group, GroupCreate, GroupListQuery, GroupMembersPut, GroupPatch, IdParams, Ok, VersionQuery, withErrors } from './org.api.ts';
import { callerOf, exportFileName, XlsxFile } from './org.http.ts';
import { ORG_READ_ROLES, ORG_WRITE_ROLES } from './org.policy.ts';
import { GROUP_COLUMNS, groupExportRows, presentGroup } from './org.presenters.ts';

const read = { access: 'signed_in', roles: ORG_READ_ROLES } as const;
const write = { access: 'signed_in', roles: ORG_WRITE_ROLES } as const;
const tags = ['org'];

const EXPORT_SUBJECT = { leading_group: '领导小组', task_force: '专班' } as const;

export function registerGroupRoutes(app: FastifyInstance, s: AppServices): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/groups',
    {
      config: read,
      schema: { tags, summary: 'The leading group (领导小组) and task forces (专班)', querystring: GroupListQuery, response: withErrors({ 200: Type.Object({ items: Type.Array(Group) }) }) },
    },
    async (req) => {
      const caller = callerOf(req);
      return { items: (await listGroups(s, caller, req.query.kind)).map((g) => presentGroup(caller, g)) };
    },
  );

  r.get(
    '/api/groups/export.xlsx',
    { config: read, schema: { tags, summary: 'Groups as a spreadsheet, one row per member (audited)', querystring: GroupListQuery, response: withErrors({ 200: XlsxFile }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      const kind = req.query.kind;
      const views = await listGroups(s, caller, kind);
      const subject = kind ? EXPORT_SUBJECT[kind] : '领导小组和专班';
      const body = await buildXlsx(subject, GROUP_COLUMNS, groupExportRows(views));
      await auditEvent(s, caller, { action: 'group.export', entityType: 'group', after: { count: views.length, filters: req.query } });
      return sendXlsx(reply, exportFileName(s, subject), body);
    },
  );

  r.post(
    '/api/groups',
    { config: write, schema: { tags, summary: 'Create a leading group or task force', body: GroupCreate, response: withErrors({ 201: Group }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      return reply.status(201).send(presentGroup(caller, await createGroup(s, caller, req.body)));
    },
  );

  r.get('/api/groups/:id', { config: read, schema: { tags, summary: 'One group with its members', params: IdParams, response: withErrors({ 200: Group }) } }, async (req) => {
    const caller = callerOf(req);
    return presentGroup(caller, await getGroup(s, caller, req.params.id));
  });

  r.patch(
    '/api/groups/:id',
    { config: write, schema: { tags, summary: 'Edit a group', params: IdParams, body: GroupPatch, response: withErrors({ 200: Group }) } },
    async (req) => {
      const caller = callerOf(req);
      return presentGroup(caller, await updateGroup(s, caller, req.params.id, req.body));
    },
  );

  r.put(
    '/api/groups/:id/members',
    { config: write, schema: { tags, summary: "Replace a group's member list", params: IdParams, body: GroupMembersPut, response: withErrors({ 200: Group }) } },
    async (req) => {
      const caller = callerOf(req);
      return presentGroup(caller, await replaceGroupMembers(s, caller, req.params.id, req.body));
    },
  );

  r.delete(
    '/api/groups/:id',
    { config: write, schema: { tags, summary: 'Delete a group no HQ reports to', params: IdParams, querystring: VersionQuery, response: withErrors({ 200: Ok }) } },
    async (req) => {
      await deleteGroup(s, callerOf(req), req.params.id, req.query.version);
      return { ok: true };
    },
  );
}
