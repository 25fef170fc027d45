import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../../shared/schema.ts';
import type { AppServices } from '../../context.ts';
import { ensureMultipart, receiveXlsx } from '../../lib/upload.ts';
import { sendXlsx, todayStamp } from '../../lib/xlsx.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf, XlsxFile } from '../org/org.http.ts';
import {
  Definitions,
  District,
  DistrictCreate,
  DistrictPatch,
  EntryBody,
  EntryResult,
  FigureList,
  IdParams,
  ImportQuery,
  ImportReport,
  Indicator,
  IndicatorCreate,
  IndicatorPatch,
  Overview,
  PeriodQuery,
  ValuesQuery,
} from './indicators.api.ts';
import { importErrorsXlsx, importIndicators, INDICATOR_XLSX_LIMITS } from './indicators.importer.ts';
import { INDICATOR_READ_ROLES, INDICATOR_WRITE_ROLES } from './indicators.policy.ts';
import { periodLabel } from './indicators.rules.ts';
import { createDistrict, createIndicator, listDefinitions, listFigures, overview, resolvePeriod, saveEntries, updateDistrict, updateIndicator } from './indicators.service.ts';
import { indicatorsExport, indicatorsTemplate } from './indicators.xlsx.ts';

/** Economic indicators (docs/api-indicators.md). */
const read = { access: 'signed_in', roles: INDICATOR_READ_ROLES } as const;
const write = { access: 'signed_in', roles: INDICATOR_WRITE_ROLES } as const;
const tags = ['indicators'];

export async function indicatorRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  await ensureMultipart(app);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/indicators',
    {
      config: read,
      schema: {
        tags,
        summary: 'The indicators of a period (1—N月): the zone’s value and growth, the months of the year, every district and the zone’s rank',
        description: 'Without `year` and `month`: the latest period with a figure of the zone. Ranks: 1 = highest, ties share a rank, districts without a figure are left out (`missing`).',
        querystring: PeriodQuery,
        response: withErrors({ 200: Overview }),
      },
    },
    async (req) => overview(s, callerOf(req), req.query),
  );

  r.post(
    '/api/indicators',
    {
      config: write,
      schema: {
        tags,
        summary: 'Enter figures (one or several, all or none): value and/or growth per indicator, district and period; an existing figure needs its version',
        body: EntryBody,
        response: withErrors({ 200: EntryResult }),
      },
    },
    async (req) => saveEntries(s, callerOf(req), req.body.entries),
  );

  r.get(
    '/api/indicators/values',
    { config: read, schema: { tags, summary: 'Every figure of one period, with versions (for the entry form)', querystring: ValuesQuery, response: withErrors({ 200: FigureList }) } },
    async (req) => listFigures(s, callerOf(req), req.query),
  );

  r.get(
    '/api/indicators/definitions',
    { config: read, schema: { tags, summary: 'The indicators and the districts compared, inactive ones included', response: withErrors({ 200: Definitions }) } },
    async (req) => listDefinitions(s, callerOf(req)),
  );

  r.post(
    '/api/indicators/definitions',
    { config: write, schema: { tags, summary: 'Add an indicator', body: IndicatorCreate, response: withErrors({ 201: Indicator }) } },
    async (req, reply) => reply.status(201).send(await createIndicator(s, callerOf(req), req.body)),
  );

  r.patch(
    '/api/indicators/definitions/:id',
    { config: write, schema: { tags, summary: 'Change an indicator (its code never changes; deactivate instead of deleting)', params: IdParams, body: IndicatorPatch, response: withErrors({ 200: Indicator }) } },
    async (req) => updateIndicator(s, callerOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/indicators/districts',
    { config: write, schema: { tags, summary: 'Add a district to compare with', body: DistrictCreate, response: withErrors({ 201: District }) } },
    async (req, reply) => reply.status(201).send(await createDistrict(s, callerOf(req), req.body)),
  );

  r.patch(
    '/api/indicators/districts/:id',
    { config: write, schema: { tags, summary: 'Change a district (deactivate instead of deleting)', params: IdParams, body: DistrictPatch, response: withErrors({ 200: District }) } },
    async (req) => updateDistrict(s, callerOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/indicators/template.xlsx',
    { config: write, schema: { tags, summary: 'The import template: last month’s sheet in the bureau’s layout, the one-row-per-figure layout, a 说明 sheet', response: withErrors({ 200: XlsxFile }) } },
    async (req, reply) => sendXlsx(reply, `经济指标导入模板_${todayStamp(s.now())}.xlsx`, await indicatorsTemplate(s, callerOf(req))),
  );

  r.get(
    '/api/indicators/export.xlsx',
    {
      config: read,
      schema: { tags, summary: 'The figures of a year up to a month, one sheet per month in the bureau’s layout (the import reads it back)', querystring: PeriodQuery, response: withErrors({ 200: XlsxFile }) },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { year, month } = await resolvePeriod(s.db, caller.zoneId, req.query, s.now());
      return sendXlsx(reply, `经济指标_${periodLabel(year, month)}.xlsx`, await indicatorsExport(s, caller, year, month));
    },
  );


  r.post(
    '/api/indicators/import',
    {
      config: write,
      schema: {
        tags,
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        summary: 'Import figures from the bureau’s workbook (multipart `file`, xlsx ≤ 2 MB): every cell checked; written in one transaction when all are good, or with `applyValid`',
        response: withErrors({ 200: ImportReport, 413: ErrorResponse, 415: ErrorResponse }),
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const file = await receiveXlsx(req, INDICATOR_XLSX_LIMITS);
      return importIndicators(s, caller, file, { dryRun: req.query.dryRun ?? false, applyValid: req.query.applyValid ?? false }, req.lang);
    },
  );

  r.post(
    '/api/indicators/import/errors.xlsx',
    {
      config: write,
      schema: {
        tags,
        consumes: ['multipart/form-data'],
        summary: 'The same file checked again, every bad cell as a workbook (工作表, 行号, 列, 栏目, 填写内容, 问题); writes nothing',
        response: withErrors({ 200: XlsxFile, 413: ErrorResponse, 415: ErrorResponse }),
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const file = await receiveXlsx(req, INDICATOR_XLSX_LIMITS);
      const { fileName, body } = await importErrorsXlsx(s, caller, file, req.lang);
      return sendXlsx(reply, fileName, body);
    },
  );
}
