import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';

export async function userRoutes(_app: FastifyInstance, _s: AppServices): Promise<void> {
  // filled in by the users module
}
