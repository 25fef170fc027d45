import type { FastifyInstance } from 'fastify';
import type { AppServices } from './context.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { fileRoutes } from './modules/files/files.routes.ts';
import { orgRoutes } from './modules/org/org.routes.ts';
import { problemRoutes } from './modules/problems/problems.routes.ts';
import { meetingRoutes } from './modules/meetings/meetings.routes.ts';
import { calendarRoutes } from './modules/calendar/calendar.routes.ts';
import { cockpitRoutes } from './modules/cockpit/cockpit.routes.ts';
import { briefingRoutes } from './modules/briefings/briefings.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { problemSettingsRoutes } from './modules/problems/settings.routes.ts';
import { dictionaryRoutes } from './modules/dictionaries/dictionaries.routes.ts';
import { projectRoutes } from './modules/projects/projects.routes.ts';
import { batchRoutes } from './modules/projects/batches.routes.ts';
import { importRoutes } from './modules/projects/import.routes.ts';
import { metricsRoutes } from './modules/projects/metrics.routes.ts';
import { problemMetricsRoutes } from './modules/problems/metrics.routes.ts';
import { problemDocumentRoutes } from './modules/problems/documents.routes.ts';
import { meetingDocumentRoutes } from './modules/meetings/documents.routes.ts';
import { reportRoutes } from './modules/projects/reports.routes.ts';
import { indicatorRoutes } from './modules/indicators/indicators.routes.ts';
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
  dictionaryRoutes,
  projectRoutes,
  fileRoutes,
  reportRoutes,
  metricsRoutes,
  batchRoutes,
  importRoutes,
  calendarRoutes,
  problemRoutes,
  meetingRoutes,
  notificationRoutes,
  problemSettingsRoutes,
  problemMetricsRoutes,
  problemDocumentRoutes,
  meetingDocumentRoutes,
  cockpitRoutes,
  briefingRoutes,
  indicatorRoutes,
];
