import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';
import { registerCommandRoutes } from './commands.routes.ts';
import { registerEnterpriseRoutes } from './enterprises.routes.ts';
import { registerGroupRoutes } from './groups.routes.ts';
import { registerUnitRoutes } from './units.routes.ts';

/** The org model (units, HQs, leading group and task forces) and enterprises: docs/api-foundation.md. */
export async function orgRoutes(app: FastifyInstance, s: AppServices): Promise<void> {
  registerUnitRoutes(app, s);
  registerCommandRoutes(app, s);
  registerGroupRoutes(app, s);
  registerEnterpriseRoutes(app, s);
}
