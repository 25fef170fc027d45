import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../shared/roles.ts';
import type { RouteInfo } from './app.ts';
import { anonymous, Client, createZone, getHarness, signInAs, type TestZone } from './test/harness.ts';

/**
 * The authorization matrix, generated from the route table: every API route × every role, against records of
 * the caller's own zone (in scope and out of scope) and of another zone. A new route that declares no roles, or
 * whose resource or sample body this file does not know, fails here until someone decides who may call it.
 */

/** Which seeded records a path segment refers to. */
const RESOURCES: Record<string, (z: TestZone) => Record<string, string>> = {
  units: (z) => z.units,
  commands: (z) => z.commands,
  groups: (z) => z.groups,
  enterprises: (z) => z.enterprises,
  users: (z) => z.users,
  // Session handles are not seeded; any handle of another zone must be as unknown as a made-up one.
  sessions: () => ({ made_up: '0123456789abcdef' }),
};

/** A valid body for each route that takes an id, so the request gets past validation to the scope check. */
const SAMPLE_BODIES: Record<string, unknown> = {
  'PATCH /api/units/:id': { version: 1, name: '矩阵测试单位' },
  'PATCH /api/commands/:id': { version: 1, name: '矩阵测试指挥部' },
  'PUT /api/commands/:id/members': { version: 1, members: [] },
  'PATCH /api/groups/:id': { version: 1, name: '矩阵测试专班' },
  'PUT /api/groups/:id/members': { version: 1, members: [] },
  'PATCH /api/enterprises/:id': { version: 1, name: '矩阵测试企业' },
  'POST /api/enterprises/:id/reveal': { field: 'contactPhone' },
  'PATCH /api/users/:id': { version: 1, title: '矩阵测试' },
  'POST /api/users/:id/disable': { version: 1 },
  'POST /api/users/:id/enable': { version: 1 },
  'POST /api/users/:id/reset-password': { password: 'Matrix#Pass2026' },
  'POST /api/users/:id/reveal': { field: 'phone' },
  'POST /api/security/users/:id/unlock': {},
  'POST /api/security/sessions/:id/revoke': {},
};

/** Routes whose call would end the caller's own session: only the anonymous case is checked. */
const SELF_ENDING = new Set(['POST /api/auth/logout']);

const keyOf = (r: RouteInfo) => `${r.method} ${r.url}`;
const hasParams = (url: string) => url.includes('/:');

function allowed(route: RouteInfo, role: Role): boolean {
  if (route.access === 'pending') return true;
  return route.roles === 'any' || (route.roles ?? []).includes(role);
}

/** Fills each `:param` with an id of the resource named by the segment before it, taken from `zone`. */
function fillPath(url: string, zone: TestZone): string {
  const parts = url.split('/');
  return parts
    .map((part, i) => {
      if (!part.startsWith(':')) return part;
      const resource = parts[i - 1] ?? '';
      const records = RESOURCES[resource];
      if (!records) throw new Error(`authz matrix: unknown resource "${resource}" in ${url}; add it to RESOURCES`);
      const id = Object.values(records(zone))[0];
      if (!id) throw new Error(`authz matrix: no seeded ${resource}`);
      return id;
    })
    .join('/');
}

async function call(client: Client, route: RouteInfo, url: string) {
  const body = SAMPLE_BODIES[keyOf(route)];
  if (hasParams(route.url) && route.method !== 'GET' && route.method !== 'DELETE' && body === undefined) {
    throw new Error(`authz matrix: give ${keyOf(route)} a sample body in SAMPLE_BODIES`);
  }
  const target = route.method === 'DELETE' ? `${url}?version=1` : url;
  const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : (body ?? {});
  return client.request({ method: route.method as 'GET', url: target, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('authorization matrix', () => {
  let routes: RouteInfo[];
  let home: TestZone;
  let other: TestZone;
  const clients = new Map<Role, Client>();

  beforeAll(async () => {
    const { app } = await getHarness();
    routes = app.routeTable.filter((r) => r.url.startsWith('/api/') && r.access !== 'public');
    home = await createZone();
    other = await createZone();
    for (const role of ROLES) clients.set(role, await signInAs(home, role));
  });

  it('every API route says who may call it', async () => {
    const { app } = await getHarness();
    const undeclared = app.routeTable
      .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))
      .filter((r) => !r.access || (r.access === 'signed_in' && !r.roles))
      .map(keyOf);
    expect(undeclared).toEqual([]);
    expect(routes.length).toBeGreaterThan(10);
  });

  it('answers 401 to anonymous callers of every non-public route', async () => {
    const anon = await anonymous();
    for (const route of routes) {
      const res = await call(anon, route, fillPath(route.url, home));
      expect(res.statusCode, keyOf(route)).toBe(401);
    }
  });

  it('answers 403 to roles a route is not for, and 404 for records of another zone', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (SELF_ENDING.has(keyOf(route))) continue;
      for (const role of ROLES) {
        const client = clients.get(role)!;
        const res = await call(client, route, fillPath(route.url, other));
        const ok = !allowed(route, role)
          ? res.statusCode === 403
          : hasParams(route.url)
            ? res.statusCode === 404
            : ![401, 403, 404].includes(res.statusCode) && res.statusCode < 500;
        if (!ok) failures.push(`${keyOf(route)} as ${role}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets each role read exactly the records its list shows (in scope 200, out of scope 404)', async () => {
    const failures: string[] = [];
    const byKey = new Map(routes.map((r) => [keyOf(r), r]));
    const detailRoutes = routes.filter((r) => r.method === 'GET' && /^\/api\/[a-z]+\/:id$/.test(r.url));
    for (const detail of detailRoutes) {
      const listUrl = detail.url.replace('/:id', '');
      const list = byKey.get(`GET ${listUrl}`);
      if (!list) continue;
      const resource = listUrl.split('/')[2] ?? '';
      const seeded = Object.values(RESOURCES[resource]?.(home) ?? {});
      for (const role of ROLES) {
        if (!allowed(list, role) || !allowed(detail, role)) continue;
        const client = clients.get(role)!;
        let listed = await client.get(listUrl);
        const page = listed.json() as { items: { id: string }[]; total?: number };
        // A paged list may hold more than its first page.
        if (listed.statusCode === 200 && page.total !== undefined && page.total > page.items.length) listed = await client.get(`${listUrl}?pageSize=500`);
        if (listed.statusCode !== 200) {
          failures.push(`GET ${listUrl} as ${role}: ${listed.statusCode}`);
          continue;
        }
        const visible = new Set((listed.json() as { items: { id: string }[] }).items.map((i) => i.id));
        for (const id of seeded) {
          const res = await client.get(`${listUrl}/${id}`);
          const expected = visible.has(id) ? 200 : 404;
          if (res.statusCode !== expected) failures.push(`GET ${listUrl}/${id} as ${role}: ${res.statusCode}, list says ${expected}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
