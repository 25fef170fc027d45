import type { FastifyInstance } from 'fastify';
import type { AppServices } from './context.ts';
import { authRoutes } from './auth/auth.routes.ts';

/** Every module's routes, registered by buildApp. A new module adds its line here. */
export const routeModules: ((app: FastifyInstance, services: AppServices) => Promise<void>)[] = [authRoutes];
