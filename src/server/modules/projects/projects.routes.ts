import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Strict } from '../../../shared/schema.ts';
import type { AppServices } from '../../context.ts';
import { AppError, fieldError } from '../../errors.ts';
import { buildXlsx, sendXlsx } from '../../lib/xlsx.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf, exportFileName, XlsxFile } from '../org/org.http.ts';
import {
  Gantt,
  Milestone,
  MilestoneCreate,
  MilestoneList,
  MilestoneParams,
  MilestonePatch,
  Ok,
  PhaseChangeList,
  PhaseMove,
  Project,
  ProjectCreate,
  ProjectExportQuery,
  ProjectGanttQuery,
  ProjectIdParams,
  ProjectListQuery,
  ProjectPage,
  ProjectPatch,
  Timeline,
  VersionQuery,
  Year,
} from './projects.dto.ts';
import { createMilestone, deleteMilestone, listMilestones, milestonesOf, updateMilestone } from './projects.milestones.ts';
import { PROJECT_READ_ROLES, PROJECT_WRITE_ROLES, projectCan } from './projects.policy.ts';
import { presentMilestone, presentProject, PROJECT_COLUMN_KEYS, PROJECT_COLUMNS } from './projects.presenters.ts';
import {
  createProject,
  deleteProject,
  exportProjects,
  ganttProjects,
  getProject,
  listPhaseChanges,
  listProjects,
  moveProjectPhase,
  updateProject,
} from './projects.service.ts';
import { asPhase } from './projects.rules.ts';
import { projectTimeline } from './projects.timeline.ts';

/**
 * The ledger's project endpoints (docs/api-projects.md "Projects" and "Milestones"). Static paths under
 * /api/projects (export.xlsx, gantt here; metrics, reports/missing, import/… in the other ledger route files) are
 * static routes, which the router always prefers to /api/projects/:id, and :id must be a uuid anyway.
 */
const read = { access: 'signed_in', roles: PROJECT_READ_ROLES } as const;
const write = { access: 'signed_in', roles: PROJECT_WRITE_ROLES } as const;
const tags = ['projects'];
const YearQuery = Strict({ year: Type.Optional(Year) });

/**
 * Money is a decimal string; the validator would quietly turn a JSON number (a float on the client) into one, so a
 * number is refused before validation.
 */
const MONEY_FIELDS = ['totalInvestment', 'yearPlannedInvestment'] as const;
async function refuseNumericMoney(req: FastifyRequest): Promise<void> {
  const body = req.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') return;
  const bad = MONEY_FIELDS.filter((k) => typeof body[k] === 'number');
  if (bad.length) throw new AppError('validation_failed', { fields: bad.map((path) => ({ path, key: 'field.type', params: { type: 'string' } })) });
}

/** `columns=code,name,…` → the column keys in the order asked (default: all); an unknown key is a 400. */
function exportColumns(text: string | undefined): string[] {
  if (!text?.trim()) return PROJECT_COLUMN_KEYS;
  const keys = [...new Set(text.split(',').map((k) => k.trim()).filter(Boolean))];
  if (keys.length === 0 || keys.some((k) => !(k in PROJECT_COLUMNS))) throw fieldError('columns', 'field.enum');
  return keys;
}

export async function projectRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/projects',
    {
      config: read,
      schema: {
        tags,
        summary: 'The ledger in my scope: filters, sort, paging, Chinese search (q)',
        querystring: ProjectListQuery,
        response: withErrors({ 200: ProjectPage }),
      },
    },
    async (req) => {
      const { page = 1, pageSize = 50, ...filters } = req.query;
      const { scope, window, items, total } = await listProjects(s, callerOf(req), filters, page, pageSize);
      return { items: items.map((p) => presentProject(scope, p, window)), total, page, pageSize };
    },
  );

  r.get(
    '/api/projects/export.xlsx',
    {
      config: read,
      schema: {
        tags,
        summary: 'The filtered ledger as a spreadsheet, with the columns the user sees (audited)',
        querystring: ProjectExportQuery,
        response: withErrors({ 200: XlsxFile }),
      },
    },
    async (req, reply) => {
      const { columns: columnText, page: _page, pageSize: _pageSize, ...filters } = req.query;
      const keys = exportColumns(columnText);
      const { scope, window, items } = await exportProjects(s, callerOf(req), filters, keys);
      const dtos = items.map((p) => presentProject(scope, p, window));
      return sendXlsx(
        reply,
        exportFileName(s, '重点项目台账'),
        await buildXlsx(
          '重点项目台账',
          keys.map((k) => PROJECT_COLUMNS[k]!),
          dtos,
        ),
      );
    },
  );

  r.get(
    '/api/projects/gantt',
    {
      config: read,
      schema: { tags, summary: 'Milestones of the filtered projects (at most 300)', querystring: ProjectGanttQuery, response: withErrors({ 200: Gantt }) },
    },
    async (req) => {
      const caller = callerOf(req);
      const { scope, items, today } = await ganttProjects(s, caller, req.query);
      const all = await milestonesOf(
        s.db,
        caller.zoneId,
        items.map((p) => p.row.id),
      );
      return {
        items: items.map(({ row: p }) => {
          const canEdit = projectCan(scope, p).update;
          return {
            project: {
              id: p.id,
              code: p.code,
              name: p.name,
              phase: asPhase(p.phase),
              startedOn: p.startedOn,
              plannedStartOn: p.plannedStartOn,
              plannedCompletionOn: p.plannedCompletionOn,
              completedOn: p.completedOn,
            },
            milestones: all.filter((m) => m.projectId === p.id).map((m) => presentMilestone(m, today, canEdit)),
          };
        }),
      };
    },
  );

  r.post(
    '/api/projects',
    { config: write, preValidation: refuseNumericMoney, schema: { tags, summary: 'Add a project (code unique in the zone)', body: ProjectCreate, response: withErrors({ 201: Project }) } },
    async (req, reply) => {
      const { scope, window, record } = await createProject(s, callerOf(req), req.body);
      return reply.status(201).send(presentProject(scope, record, window));
    },
  );

  r.get(
    '/api/projects/:id',
    { config: read, schema: { tags, summary: 'One project (figures of ?year=, default this year)', params: ProjectIdParams, querystring: YearQuery, response: withErrors({ 200: Project }) } },
    async (req) => {
      const { scope, window, record } = await getProject(s, callerOf(req), req.params.id, req.query.year);
      return presentProject(scope, record, window);
    },
  );

  r.patch(
    '/api/projects/:id',
    {
      config: write,
      preValidation: refuseNumericMoney,
      schema: { tags, summary: 'Edit a project (version; stale → 409)', params: ProjectIdParams, body: ProjectPatch, response: withErrors({ 200: Project }) },
    },
    async (req) => {
      const { scope, window, record } = await updateProject(s, callerOf(req), req.params.id, req.body);
      return presentProject(scope, record, window);
    },
  );

  r.delete(
    '/api/projects/:id',
    { config: write, schema: { tags, summary: 'Delete a project still in the pipeline', params: ProjectIdParams, querystring: VersionQuery, response: withErrors({ 200: Ok }) } },
    async (req) => {
      await deleteProject(s, callerOf(req), req.params.id, req.query.version);
      return { ok: true };
    },
  );

  r.post(
    '/api/projects/:id/phase',
    { config: write, schema: { tags, summary: 'Move the project to another phase', params: ProjectIdParams, body: PhaseMove, response: withErrors({ 200: Project }) } },
    async (req) => {
      const { scope, window, record } = await moveProjectPhase(s, callerOf(req), req.params.id, req.body);
      return presentProject(scope, record, window);
    },
  );

  r.get(
    '/api/projects/:id/phases',
    { config: read, schema: { tags, summary: 'Phase history, newest first', params: ProjectIdParams, response: withErrors({ 200: PhaseChangeList }) } },
    async (req) => ({ items: await listPhaseChanges(s, callerOf(req), req.params.id) }),
  );

  r.get(
    '/api/projects/:id/timeline',
    {
      config: read,
      schema: { tags, summary: 'Every change of the project and of its records, from the audit trail, newest first', params: ProjectIdParams, response: withErrors({ 200: Timeline }) },
    },
    async (req) => ({ items: await projectTimeline(s, callerOf(req), req.params.id, req.lang) }),
  );

  r.get(
    '/api/projects/:id/milestones',
    { config: read, schema: { tags, summary: 'Milestones (status computed)', params: ProjectIdParams, response: withErrors({ 200: MilestoneList }) } },
    async (req) => ({ items: await listMilestones(s, callerOf(req), req.params.id) }),
  );

  r.post(
    '/api/projects/:id/milestones',
    { config: write, schema: { tags, summary: 'Add a milestone', params: ProjectIdParams, body: MilestoneCreate, response: withErrors({ 201: Milestone }) } },
    async (req, reply) => reply.status(201).send(await createMilestone(s, callerOf(req), req.params.id, req.body)),
  );

  r.patch(
    '/api/projects/:id/milestones/:milestoneId',
    { config: write, schema: { tags, summary: 'Edit a milestone (version)', params: MilestoneParams, body: MilestonePatch, response: withErrors({ 200: Milestone }) } },
    async (req) => updateMilestone(s, callerOf(req), req.params.id, req.params.milestoneId, req.body),
  );

  r.delete(
    '/api/projects/:id/milestones/:milestoneId',
    { config: write, schema: { tags, summary: 'Delete a milestone', params: MilestoneParams, querystring: VersionQuery, response: withErrors({ 200: Ok }) } },
    async (req) => {
      await deleteMilestone(s, callerOf(req), req.params.id, req.params.milestoneId, req.query.version);
      return { ok: true };
    },
  );
}
