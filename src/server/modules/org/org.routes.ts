import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';

export async function orgRoutes(_app: FastifyInstance, _s: AppServices): Promise<void> {
  // filled in by the org module
}
