import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';

export async function setupRoutes(_app: FastifyInstance, _s: AppServices): Promise<void> {
  // filled in by the setup module
}
