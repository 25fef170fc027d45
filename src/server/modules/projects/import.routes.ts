import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse, Id, Strict } from '../../../shared/schema.ts';
import type { AppServices } from '../../context.ts';
import { ensureMultipart, receiveXlsx } from '../../lib/upload.ts';
import { sendXlsx, todayStamp } from '../../lib/xlsx.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf, XlsxFile } from '../org/org.http.ts';
import { PROJECT_WRITE_ROLES } from './projects.policy.ts';
import { assertImportCapacity, confirmImport, getImport, importErrorsXlsx, importTemplate, startImport } from './import.service.ts';

/** Excel import of the ledger (docs/api-projects.md "Excel import"): whoever may create projects may import them. */
const write = { access: 'signed_in', roles: PROJECT_WRITE_ROLES } as const;
const tags = ['projects'];

const ImportParams = Strict({ id: Id });
const Status = Type.Union([Type.Literal('validating'), Type.Literal('ready'), Type.Literal('failed'), Type.Literal('applied')]);
const Summary = Type.Object({
  valid: Type.Integer(),
  invalid: Type.Integer(),
  creates: Type.Integer(),
  updates: Type.Integer(),
  unchanged: Type.Integer({ description: 'valid update rows that change nothing (not applied)' }),
  errorCount: Type.Integer({ description: 'all bad cells; `errors` lists the first 200' }),
});
const ImportStarted = Type.Object({ id: Type.String(), status: Status });
const ImportView = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  status: Status,
  totalRows: Type.Integer(),
  processedRows: Type.Integer(),
  summary: Summary,
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), value: Type.String(), message: Type.String() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Applied = Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() });

export async function importRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  await ensureMultipart(app);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/projects/import/template.xlsx',
    { config: write, schema: { tags, summary: 'The import template: Chinese headers, drop-downs from the zone’s data, a 说明 sheet', response: withErrors({ 200: XlsxFile }) } },
    async (req, reply) => sendXlsx(reply, `重点项目台账导入模板_${todayStamp(s.now())}.xlsx`, await importTemplate(s, callerOf(req))),
  );

  r.post(
    '/api/projects/import',
    {
      config: write,
      schema: {
        tags,
        summary: 'Upload a ledger (multipart `file`, xlsx ≤ 10 MB); it is checked in the background — poll GET /api/projects/import/{id}',
        consumes: ['multipart/form-data'],
        response: withErrors({ 202: ImportStarted, 413: ErrorResponse, 415: ErrorResponse, 429: ErrorResponse }),
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      // Decided before a byte of the file is read.
      await assertImportCapacity(s, caller);
      const file = await receiveXlsx(req);
      return reply.status(202).send(await startImport(s, caller, file));
    },
  );

  r.get(
    '/api/projects/import/:id',
    { config: write, schema: { tags, summary: 'Progress and result of an import (the first 200 bad cells)', params: ImportParams, response: withErrors({ 200: ImportView }) } },
    async (req) => getImport(s, callerOf(req), req.params.id, req.lang),
  );

  r.get(
    '/api/projects/import/:id/errors.xlsx',
    { config: write, schema: { tags, summary: 'Every bad cell of an import: 行号, 列, 填写内容, 问题', params: ImportParams, response: withErrors({ 200: XlsxFile }) } },
    async (req, reply) => {
      const { fileName, body } = await importErrorsXlsx(s, callerOf(req), req.params.id, req.lang);
      return sendXlsx(reply, fileName, body);
    },
  );

  r.post(
    '/api/projects/import/:id/confirm',
    {
      config: write,
      schema: {
        tags,
        summary: 'Apply every valid row in one transaction (create, or update by 项目编号); a second confirm answers 409',
        params: ImportParams,
        response: withErrors({ 200: Applied }),
      },
    },
    async (req) => confirmImport(s, callerOf(req), req.params.id),
  );
}
