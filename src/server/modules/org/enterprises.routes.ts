import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { buildXlsx, sendXlsx } from '../../lib/xlsx.ts';
import {
  createEnterprise,
  deleteEnterprise,
  exportEnterprises,
  getEnterprise,
  listEnterprises,
  revealEnterpriseField,
  updateEnterprise,
} from './enterprises.service.ts';
import {
  Enterprise,
  EnterpriseCreate,
  EnterpriseExportQuery,
  EnterpriseListQuery,
  EnterprisePage,
  EnterprisePatch,
  IdParams,
  Ok,
  RevealAnswer,
  RevealBody,
  VersionQuery,
  withErrors,
} from './org.api.ts';
import { callerOf, exportFileName, XlsxFile } from './org.http.ts';
import { ENTERPRISE_READ_ROLES, ENTERPRISE_REVEAL_ROLES, ENTERPRISE_WRITE_ROLES } from './org.policy.ts';
import { ENTERPRISE_COLUMNS, presentEnterprise } from './org.presenters.ts';

/** Every route below also applies the caller's enterprise scope (org.policy.ts enterpriseScope). */
const read = { access: 'signed_in', roles: ENTERPRISE_READ_ROLES } as const;
const write = { access: 'signed_in', roles: ENTERPRISE_WRITE_ROLES } as const;
const reveal = { access: 'signed_in', roles: ENTERPRISE_REVEAL_ROLES } as const;
const tags = ['enterprises'];

export function registerEnterpriseRoutes(app: FastifyInstance, s: AppServices): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/enterprises',
    {
      config: read,
      schema: { tags, summary: 'Enterprises in my scope (personal data masked)', querystring: EnterpriseListQuery, response: withErrors({ 200: EnterprisePage }) },
    },
    async (req) => {
      const caller = callerOf(req);
      const { page = 1, pageSize = 50, ...filters } = req.query;
      const { items, total } = await listEnterprises(s, caller, filters, page, pageSize);
      return { items: items.map((e) => presentEnterprise(caller, e)), total, page, pageSize };
    },
  );

  r.get(
    '/api/enterprises/export.xlsx',
    {
      config: read,
      schema: { tags, summary: 'Enterprises in my scope as a spreadsheet (masked, audited)', querystring: EnterpriseExportQuery, response: withErrors({ 200: XlsxFile }) },
    },
    async (req, reply) => {
      const views = await exportEnterprises(s, callerOf(req), req.query);
      return sendXlsx(reply, exportFileName(s, '企业'), await buildXlsx('企业', ENTERPRISE_COLUMNS, views));
    },
  );

  r.post(
    '/api/enterprises',
    { config: write, schema: { tags, summary: 'Register an enterprise (credit code checked)', body: EnterpriseCreate, response: withErrors({ 201: Enterprise }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      return reply.status(201).send(presentEnterprise(caller, await createEnterprise(s, caller, req.body)));
    },
  );

  r.get('/api/enterprises/:id', { config: read, schema: { tags, summary: 'One enterprise (masked)', params: IdParams, response: withErrors({ 200: Enterprise }) } }, async (req) => {
    const caller = callerOf(req);
    return presentEnterprise(caller, await getEnterprise(s, caller, req.params.id));
  });

  r.patch(
    '/api/enterprises/:id',
    { config: write, schema: { tags, summary: 'Edit an enterprise', params: IdParams, body: EnterprisePatch, response: withErrors({ 200: Enterprise }) } },
    async (req) => {
      const caller = callerOf(req);
      return presentEnterprise(caller, await updateEnterprise(s, caller, req.params.id, req.body));
    },
  );

  r.delete(
    '/api/enterprises/:id',
    { config: write, schema: { tags, summary: 'Delete an enterprise nothing refers to', params: IdParams, querystring: VersionQuery, response: withErrors({ 200: Ok }) } },
    async (req) => {
      await deleteEnterprise(s, callerOf(req), req.params.id, req.query.version);
      return { ok: true };
    },
  );

  r.post(
    '/api/enterprises/:id/reveal',
    {
      config: reveal,
      schema: { tags, summary: 'The full contact phone or ID number (audited)', params: IdParams, body: RevealBody, response: withErrors({ 200: RevealAnswer }) },
    },
    async (req) => ({ value: await revealEnterpriseField(s, callerOf(req), req.params.id, req.body.field) }),
  );
}
