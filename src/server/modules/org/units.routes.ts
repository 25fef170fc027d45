import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { auditEvent } from '../../lib/audited.ts';
import { buildXlsx, sendXlsx } from '../../lib/xlsx.ts';
import { IdParams, Ok, Unit, UnitCreate, UnitPatch, VersionQuery, withErrors } from './org.api.ts';
import { callerOf, exportFileName, XlsxFile } from './org.http.ts';
import { ORG_READ_ROLES, ORG_WRITE_ROLES } from './org.policy.ts';
import { presentUnit, UNIT_COLUMNS } from './org.presenters.ts';
import { createUnit, deleteUnit, getUnit, listUnits, updateUnit } from './units.service.ts';

const read = { access: 'signed_in', roles: ORG_READ_ROLES } as const;
const write = { access: 'signed_in', roles: ORG_WRITE_ROLES } as const;
const tags = ['org'];

export function registerUnitRoutes(app: FastifyInstance, s: AppServices): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/units',
    { config: read, schema: { tags, summary: 'The unit tree of the zone, flat', response: withErrors({ 200: Type.Object({ items: Type.Array(Unit) }) }) } },
    async (req) => {
      const caller = callerOf(req);
      return { items: (await listUnits(s, caller)).map((u) => presentUnit(caller, u)) };
    },
  );

  r.get(
    '/api/units/export.xlsx',
    { config: read, schema: { tags, summary: 'The unit tree as a spreadsheet (audited)', response: withErrors({ 200: XlsxFile }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      const rows = await listUnits(s, caller);
      const names = new Map(rows.map((u) => [u.id, u.name]));
      const body = await buildXlsx(
        '单位',
        UNIT_COLUMNS,
        rows.map((unit) => ({ unit, parentName: unit.parentId ? (names.get(unit.parentId) ?? null) : null })),
      );
      await auditEvent(s, caller, { action: 'unit.export', entityType: 'unit', after: { count: rows.length, filters: {} } });
      return sendXlsx(reply, exportFileName(s, '单位'), body);
    },
  );

  r.post(
    '/api/units',
    { config: write, schema: { tags, summary: 'Create a unit under a parent of a fitting kind', body: UnitCreate, response: withErrors({ 201: Unit }) } },
    async (req, reply) => {
      const caller = callerOf(req);
      const unit = await createUnit(s, caller, req.body, req.lang);
      return reply.status(201).send(presentUnit(caller, unit));
    },
  );

  r.get('/api/units/:id', { config: read, schema: { tags, summary: 'One unit', params: IdParams, response: withErrors({ 200: Unit }) } }, async (req) => {
    const caller = callerOf(req);
    return presentUnit(caller, await getUnit(s, caller, req.params.id));
  });

  r.patch(
    '/api/units/:id',
    {
      config: write,
      schema: { tags, summary: 'Edit a unit; a new parentId moves it (no cycles, kind rules apply)', params: IdParams, body: UnitPatch, response: withErrors({ 200: Unit }) },
    },
    async (req) => {
      const caller = callerOf(req);
      return presentUnit(caller, await updateUnit(s, caller, req.params.id, req.body, req.lang));
    },
  );

  r.delete(
    '/api/units/:id',
    {
      config: write,
      schema: { tags, summary: 'Delete a unit without sub-units that nothing refers to', params: IdParams, querystring: VersionQuery, response: withErrors({ 200: Ok }) },
    },
    async (req) => {
      await deleteUnit(s, callerOf(req), req.params.id, req.query.version);
      return { ok: true };
    },
  );
}
