import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { ProblemMetrics, ProblemMetricsQuery } from './metrics.api.ts';
import { problemMetrics } from './metrics.service.ts';
import { PROBLEM_ROLES } from './problems.policy.ts';

const read = { access: 'signed_in', roles: PROBLEM_ROLES } as const;

/** Closed-loop metrics over the problems in my scope (docs/api-problems.md "Metrics"). */
export async function problemMetricsRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // A static path: find-my-way prefers it to the core's /api/problems/:id.
  r.get(
    '/api/problems/metrics',
    {
      config: read,
      schema: {
        tags: ['problem metrics'],
        summary: 'Open / overdue by lead unit, HQ, category and light; on-time closure rate; median days to close; returns; unit ranking; weekly trend',
        description:
          'Scoped like GET /api/problems. `from`/`to` default to 1 January of this year and today (Asia/Shanghai). Open counts and lights are as of today; ' +
          'the rest is for the period. Every figure carries `query`, the GET /api/problems query whose list holds exactly the problems counted ' +
          '(for a rate or median: the problems it is computed over). Rates: 4 decimals, null when the denominator is 0; medians: one decimal.',
        querystring: ProblemMetricsQuery,
        response: withErrors({ 200: ProblemMetrics }),
      },
    },
    async (req) => problemMetrics(s, callerOf(req), req.query, req.lang),
  );
}
