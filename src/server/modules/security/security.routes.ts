import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';

export async function securityRoutes(_app: FastifyInstance, _s: AppServices): Promise<void> {
  // filled in by the security module
}
