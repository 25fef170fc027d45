import type { FastifyInstance } from 'fastify';
import type { AppServices } from './context.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { orgRoutes } from './modules/org/org.routes.ts';
import { securityRoutes } from './modules/security/security.routes.ts';
import { setupRoutes } from './modules/setup/setup.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';

/** Every module's routes, registered by buildApp. A new module adds its line here. */
export const routeModules: ((app: FastifyInstance, services: AppServices) => Promise<void>)[] = [
  authRoutes,
  setupRoutes,
  orgRoutes,
  userRoutes,
  securityRoutes,
  auditRoutes,
];
