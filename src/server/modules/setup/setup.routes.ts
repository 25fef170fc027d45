import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';
import { SetupBody, SetupCreated, SetupStatus } from './setup.dto.ts';
import { isSetupNeeded, runSetup } from './setup.service.ts';

const tags = ['setup'];

/** First start without the demo zone (QIBU_DEMO=0): the web asks whether setup is needed, then posts the form. */
export async function setupRoutes(scope: FastifyInstance, s: AppServices): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/setup',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: { tags, summary: 'Whether this instance still needs its first zone', security: [], response: { 200: SetupStatus } },
    },
    async () => ({ needed: await isSetupNeeded(s.db) }),
  );

  app.post(
    '/api/setup',
    {
      // Public until the first zone exists, so it is rate-limited like sign-in.
      config: { access: 'public', rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Create the first zone and its system administrator',
        description: 'Answers 409 setup_done once any zone exists. The administrator must enrol TOTP at first sign-in.',
        security: [],
        body: SetupBody,
        response: { 201: SetupCreated },
      },
    },
    async (req, reply) => {
      const created = await runSetup(s, req.body, { ip: req.ip ?? null, requestId: String(req.id) });
      return reply.status(201).send(created);
    },
  );
}
