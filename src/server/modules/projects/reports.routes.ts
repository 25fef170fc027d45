import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { PROJECT_READ_ROLES, PROJECT_WRITE_ROLES } from './projects.policy.ts';
import { MissingQuery, MissingReports, ProjectIdParams, Report, ReportCreate, ReportIdParams, ReportList, ReportPatch } from './reports.api.ts';
import { createReport, listReports, missingReports, updateReport } from './reports.service.ts';

/** Monthly progress reports (docs/api-projects.md). Every route also applies the project scope (projects.policy.ts). */
const read = { access: 'signed_in', roles: PROJECT_READ_ROLES } as const;
const write = { access: 'signed_in', roles: PROJECT_WRITE_ROLES } as const;
const tags = ['project reports'];

export async function reportRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // A static path: find-my-way prefers it to the core's /api/projects/:id.
  r.get(
    '/api/projects/reports/missing',
    {
      config: read,
      schema: {
        tags,
        summary: 'Projects in my scope that owe a report for a month, by lead unit',
        description: 'Signed, started or operating projects (signed or started by the end of that month) without a report for `month` (default: last month).',
        querystring: MissingQuery,
        response: withErrors({ 200: MissingReports }),
      },
    },
    async (req) => missingReports(s, callerOf(req), req.query.month),
  );

  r.get(
    '/api/projects/:id/reports',
    { config: read, schema: { tags, summary: "A project's monthly reports with running totals, newest first", params: ProjectIdParams, response: withErrors({ 200: ReportList }) } },
    async (req) => ({ items: await listReports(s, callerOf(req), req.params.id) }),
  );

  r.post(
    '/api/projects/:id/reports',
    {
      config: write,
      schema: {
        tags,
        summary: "Report a month's completed investment, funds in place and progress (one per month, not a future month)",
        params: ProjectIdParams,
        body: ReportCreate,
        response: withErrors({ 201: Report }),
      },
    },
    async (req, reply) => reply.status(201).send(await createReport(s, callerOf(req), req.params.id, req.body)),
  );

  r.patch(
    '/api/projects/:id/reports/:reportId',
    { config: write, schema: { tags, summary: 'Correct a monthly report', params: ReportIdParams, body: ReportPatch, response: withErrors({ 200: Report }) } },
    async (req) => updateReport(s, callerOf(req), req.params.id, req.params.reportId, req.body),
  );
}
