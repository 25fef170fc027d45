import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { AppServices } from './context.ts';
import { deriveKeys, loadMasterSecret } from './crypto.ts';
import type { Database } from './db/client.ts';
import { registerAuth, type RouteAccess } from './auth/auth.plugin.ts';
import type { Role } from '../shared/roles.ts';
import { registerErrorHandling } from './plugins/errors.plugin.ts';
import { registerIdempotency } from './plugins/idempotency.plugin.ts';
import { routeModules } from './routes.ts';

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export type App = FastifyInstance;

export interface RouteInfo {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  roles: readonly Role[] | 'any' | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with who may call it: the authorization matrix test walks this table. */
    routeTable: RouteInfo[];
  }
}

/**
 * Records every route as it is added. The web app's files and the API docs are public by nature, so routes
 * outside /api and under /api/docs default to public; every other route must say who may call it.
 */
function recordRoutes(app: FastifyInstance): RouteInfo[] {
  const table: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    const isPublicByNature = !route.url.startsWith('/api/') || route.url.startsWith('/api/docs');
    if (isPublicByNature && !route.config?.access) route.config = { ...route.config, access: 'public' };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      table.push({ method, url: route.url, access: route.config?.access, roles: route.config?.roles });
    }
  });
  return table;
}

export interface BuildOptions {
  config: Config;
  database: Database;
  now?: () => Date;
  logger?: boolean;
}

export function makeServices(opts: BuildOptions): AppServices {
  const keys = deriveKeys(loadMasterSecret({ secretKey: opts.config.secretKey, dataDir: opts.config.dataDir }));
  return { database: opts.database, db: opts.database.db, keys, config: opts.config, now: opts.now ?? (() => new Date()) };
}

/** Builds the app without listening (tests call app.inject; main.ts listens). */
export async function buildApp(opts: BuildOptions): Promise<{ app: App; services: AppServices }> {
  const services = makeServices(opts);
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: opts.config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization'],
            // Calendar feed links carry a personal token in the query: it never reaches the logs.
            serializers: {
              req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
                method: req.method,
                url: req.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]'),
                hostname: req.hostname,
                remoteAddress: req.ip,
              }),
            },
          },
    trustProxy: opts.config.trustProxy,
    bodyLimit: 1_048_576,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true, useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time; scripts stay strict.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The big screen's optional map tiles (QIBU_MAP_TILE_URL) come from the tile server's origin.
        imgSrc: ["'self'", 'data:', 'blob:', ...tileSources(opts.config.mapTileUrl)],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: opts.config.cookieSecure,
  });
  // Only routes that opt in are limited; preHandler so a route's key can use its parsed body (sign-in name).
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Qibu 起步 API', version: '0.1.0', description: '起步区指挥部工作平台 API. Errors: {"error":{"code","message","fields"}}.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'qibu_sid' } } },
      security: [{ session: [] }],
    },
  });
  registerErrorHandling(app);
  app.decorate('routeTable', recordRoutes(app));
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Swagger UI injects <style> elements; inline styles are allowed, inline scripts never are.
    transformStaticCSP: (header) => header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'"),
    uiConfig: { deepLinking: true, docExpansion: 'list' },
  });

  registerAuth(app, services);
  registerIdempotency(app, services);

  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Health check' } },
    async () => {
      await services.db.execute(sql`select 1`);
      return { status: 'ok', db: services.database.kind };
    },
  );

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  for (const register of routeModules) await app.register(async (scope) => register(scope, services));

  if (fs.existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false });
    const indexHtml = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/api/')) return reply.callNotFound();
      // Hashed assets are served by fastify-static; anything else is a client-side route of the single-page app.
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    });
  }

  await app.ready();
  return { app, services };
}

/**
 * The CSP source of an XYZ tile URL template (https://t{s}.example.com/{z}/{x}/{y}.png → https://*.example.com):
 * placeholders in the first host label become a wildcard; anywhere else, the scheme alone. None without a template.
 */
export function tileSources(template: string | undefined): string[] {
  if (!template) return [];
  const m = /^(https?):\/\/([^/?#]+)/i.exec(template);
  if (!m) return [];
  const scheme = m[1]!.toLowerCase();
  const labels = m[2]!.split('.');
  if (!labels.some((l) => l.includes('{'))) return [`${scheme}://${m[2]}`];
  if (labels.slice(1).every((l) => !l.includes('{')) && labels.length > 2) return [`${scheme}://*.${labels.slice(1).join('.')}`];
  return [`${scheme}:`];
}
