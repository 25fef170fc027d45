import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../context.ts';
import { withErrors } from '../org/org.api.ts';
import { callerOf } from '../org/org.http.ts';
import { BatchCreate, BatchDetail, BatchIdParams, BatchList, BatchListQuery, BatchPatch } from './batches.api.ts';
import { createBatch, getBatch, listBatches, updateBatch } from './batches.service.ts';
import { BATCH_WRITE_ROLES, PROJECT_READ_ROLES } from './projects.policy.ts';

/** Groundbreaking and signing batches (docs/api-projects.md "Batches"). */
const read = { access: 'signed_in', roles: PROJECT_READ_ROLES } as const;
const write = { access: 'signed_in', roles: BATCH_WRITE_ROLES } as const;
const tags = ['batches'];

export async function batchRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/batches',
    { config: read, schema: { tags, summary: 'Groundbreaking and signing batches with their derived totals', querystring: BatchListQuery, response: withErrors({ 200: BatchList }) } },
    async (req) => ({ items: await listBatches(s, callerOf(req), req.query.kind) }),
  );

  r.get(
    '/api/batches/:id',
    {
      config: read,
      schema: { tags, summary: 'One batch: totals of the whole batch, and its projects in my scope', params: BatchIdParams, response: withErrors({ 200: BatchDetail }) },
    },
    async (req) => getBatch(s, callerOf(req), req.params.id),
  );

  r.post(
    '/api/batches',
    { config: write, schema: { tags, summary: 'Record a groundbreaking or signing batch', body: BatchCreate, response: withErrors({ 201: BatchDetail }) } },
    async (req, reply) => reply.status(201).send(await createBatch(s, callerOf(req), req.body)),
  );

  r.patch(
    '/api/batches/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Edit a batch; projectIds replaces the projects I can see (others stay)',
        params: BatchIdParams,
        body: BatchPatch,
        response: withErrors({ 200: BatchDetail }),
      },
    },
    async (req) => updateBatch(s, callerOf(req), req.params.id, req.body),
  );
}
