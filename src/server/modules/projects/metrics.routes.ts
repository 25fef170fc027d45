import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { Metrics, MetricsQuery } from './metrics.api.ts';
import { ledgerMetrics } from './metrics.service.ts';
import { PROJECT_READ_ROLES } from './projects.policy.ts';

const read = { access: 'signed_in', roles: PROJECT_READ_ROLES } as const;

/** Ledger metrics over the projects in my scope (docs/api-projects.md "Ledger metrics"). */
export async function metricsRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // A static path: find-my-way prefers it to the core's /api/projects/:id.
  r.get(
    '/api/projects/metrics',
    {
      config: read,
      schema: {
        tags: ['project metrics'],
        summary: 'The four rates, totals by phase and level, and the lagging projects, for the list filters',
        description:
          '`year` defaults to this year, `asOf` to today (or the end of a past year). Rates are numerator ÷ denominator to 4 decimals, null when the denominator is 0.',
        querystring: MetricsQuery,
        response: withErrors({ 200: Metrics }),
      },
    },
    async (req) => ledgerMetrics(s, callerOf(req), req.query),
  );
}
