import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LIGHT_LABELS, PRIORITY_LABELS, SOURCE_LABELS, STATE_LABELS } from '../../../shared/problem-flow.ts';
import type { AppServices } from '../../context.ts';
import { fieldError } from '../../errors.ts';
import { auditEvent } from '../../lib/audited.ts';
import { buildXlsx, sendXlsx, type XlsxColumn } from '../../lib/xlsx.ts';
import { registerFileOwner } from '../files/files.owners.ts';
import { registerOwnerFileRoutes } from '../files/files.routes.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf, exportFileName, XlsxFile } from '../org/org.http.ts';
import { ActionBody, ExportQuery, ProblemCreate, ProblemDetail, ProblemIdParams, ProblemList, ProblemQuery, type ProblemListItemDto } from './problems.api.ts';
import { PROBLEM_ROLES } from './problems.policy.ts';
import { getProblem, listProblems, problemsForExport } from './problems.read.ts';
import { actOnProblem, loadProblemInScope, raiseProblem } from './problems.service.ts';

/** The closed loop's endpoints (docs/api-problems.md). Route roles let problem people in; the policy scopes records. */
const access = { access: 'signed_in', roles: PROBLEM_ROLES } as const;
const tags = ['problems'];
const EXPORT_MAX = 20_000;

registerFileOwner('problem', {
  async resolve(s, caller, ownerId) {
    const { relations } = await loadProblemInScope(s.db, caller, ownerId);
    // Whoever takes part in the loop may add photos; a read-only viewer may not.
    const write = ['hq', 'lead_unit', 'cooperating', 'verifier'].some((r) => relations.has(r as never));
    return { canWrite: write, auditRef: { problemId: ownerId } };
  },
});

const label = (m: Record<string, { zh: string }>, k: string | null) => (k ? (m[k]?.zh ?? k) : '');

/** Export columns by list-item key (the web sends the keys of the columns it shows). */
export const PROBLEM_COLUMNS: Record<string, XlsxColumn<ProblemListItemDto>> = {
  code: { header: '问题编号', width: 16, value: (p) => p.code },
  title: { header: '问题', width: 40, value: (p) => p.title },
  state: { header: '状态', width: 10, value: (p) => label(STATE_LABELS, p.state) },
  light: { header: '灯色', width: 8, value: (p) => label(LIGHT_LABELS, p.light) },
  priority: { header: '优先级', width: 8, value: (p) => label(PRIORITY_LABELS, p.priority) },
  category: { header: '类别', width: 12, value: (p) => p.categoryLabel ?? p.category },
  source: { header: '来源', width: 12, value: (p) => label(SOURCE_LABELS, p.source) },
  command: { header: '指挥部', width: 24, value: (p) => p.command.name },
  leadUnit: { header: '承办单位', width: 18, value: (p) => p.leadUnit?.name ?? '' },
  project: { header: '关联项目', width: 30, value: (p) => p.project?.name ?? '' },
  deadline: { header: '办理时限', width: 12, value: (p) => (p.deadline ? `${p.deadline}${p.deadlineProvisional ? '（暂定）' : ''}` : '') },
  workdaysLeft: { header: '剩余工作日', width: 10, value: (p) => p.workdaysLeft },
  raisedOn: { header: '提报日期', width: 12, value: (p) => p.raisedOn },
  raisedByName: { header: '提报人', width: 10, value: (p) => p.raisedByName },
  closedOn: { header: '销号日期', width: 12, value: (p) => p.closedOn },
  supervisionLevel: { header: '督办级别', width: 10, value: (p) => ['', '指挥长督办', '领导督办'][p.supervisionLevel] ?? '' },
  returnCount: { header: '退回次数', width: 8, value: (p) => p.returnCount },
  pendingRequest: { header: '待批申请', width: 10, value: (p) => (p.pendingRequest === 'extension' ? '延期申请' : p.pendingRequest === 'suspension' ? '挂起申请' : '') },
};

function exportColumns(text: string | undefined): string[] {
  if (!text?.trim()) return Object.keys(PROBLEM_COLUMNS);
  const keys = [...new Set(text.split(',').map((k) => k.trim()).filter(Boolean))];
  if (!keys.length || keys.some((k) => !(k in PROBLEM_COLUMNS))) throw fieldError('columns', 'field.enum');
  return keys;
}

export async function problemRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/problems',
    {
      config: access,
      schema: {
        tags,
        summary: 'Raise a problem (and, for HQ people and leaders, assign it at once)',
        description: 'Photos are uploaded afterwards to /api/problems/{id}/files. Accepts Idempotency-Key.',
        body: ProblemCreate,
        response: withErrors({ 201: ProblemDetail }),
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const id = await s.db.transaction((tx) => raiseProblem(tx, s, caller, req.body));
      return reply.status(201).send(await getProblem(s, caller, id));
    },
  );

  r.get(
    '/api/problems',
    { config: access, schema: { tags, summary: 'Problems in my scope: filters, Chinese search, my to-do, paging', querystring: ProblemQuery, response: withErrors({ 200: ProblemList }) } },
    async (req) => listProblems(s, callerOf(req), req.query),
  );

  r.get(
    '/api/problems/export.xlsx',
    {
      config: access,
      schema: { tags, summary: 'The filtered list as a spreadsheet with the columns asked for (audited)', querystring: ExportQuery, response: withErrors({ 200: XlsxFile }) },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { columns: columnText, page: _p, pageSize: _ps, ...filters } = req.query;
      const keys = exportColumns(columnText);
      const items = await problemsForExport(s, caller, filters, EXPORT_MAX);
      await auditEvent(s, caller, { action: 'problem.export', entityType: 'problem', after: { count: items.length, filters, columns: keys } });
      return sendXlsx(reply, exportFileName(s, '问题台账'), await buildXlsx('问题台账', keys.map((k) => PROBLEM_COLUMNS[k]!), items));
    },
  );

  r.get(
    '/api/problems/:id',
    { config: access, schema: { tags, summary: 'One problem with its timeline and the actions I may take now', params: ProblemIdParams, response: withErrors({ 200: ProblemDetail }) } },
    async (req) => getProblem(s, callerOf(req), req.params.id),
  );

  r.post(
    '/api/problems/:id/actions',
    {
      config: access,
      schema: {
        tags,
        summary: 'Take an action of the closed loop (assign, accept, hand_back, …, close) on the version I saw',
        description: 'What each action needs: src/shared/problem-flow.ts ACTIONS. A stale version answers 409 naming who acted. Accepts Idempotency-Key.',
        params: ProblemIdParams,
        body: ActionBody,
        response: withErrors({ 200: ProblemDetail }),
      },
    },
    async (req) => {
      const caller = callerOf(req);
      await actOnProblem(s, caller, req.params.id, req.body);
      return getProblem(s, caller, req.params.id);
    },
  );

  await registerOwnerFileRoutes(app, s, { url: '/api/problems/:id/files', ownerType: 'problem', readRoles: PROBLEM_ROLES, writeRoles: PROBLEM_ROLES, ownerLabel: 'problem' });
}
