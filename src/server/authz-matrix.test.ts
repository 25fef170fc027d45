import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../shared/roles.ts';
import type { RouteInfo } from './app.ts';
import { eq } from 'drizzle-orm';
import { dictionaryEntries } from './modules/dictionaries/dictionaries.schema.ts';
import { indicatorDistricts, indicators } from './modules/indicators/indicators.schema.ts';
import { anonymous, Client, createZone, getHarness, signIn, signInAs, type TestZone } from './test/harness.ts';

/**
 * The authorization matrix, generated from the route table: every API route × every role, against records of
 * the caller's own zone (in scope and out of scope) and of another zone. A new route that declares no roles, or
 * whose resource or sample body this file does not know, fails here until someone decides who may call it.
 */

/** Records beforeAll creates per zone (by zone id, then resource), for resources zones are not seeded with. */
const made = new Map<string, Record<string, Record<string, string>>>();

/** One project under the 崔寨 HQ (with a milestone) and one under the 氢能 HQ, created through the API. */
async function addLedger(zone: TestZone): Promise<void> {
  const { services } = await getHarness();
  const cuizhai = await signIn(zone, 'hq.cuizhai');
  const base = { level: 'district', totalInvestment: '100000000' };
  const a = await cuizhai.post('/api/projects', { ...base, code: 'M-1', name: '矩阵测试崔寨项目', commandId: zone.commands.cuizhai, leadUnitId: zone.units.cuizhai, enterpriseId: zone.enterprises.solar });
  const b = await (await signIn(zone, 'hq.hydrogen')).post('/api/projects', { ...base, code: 'M-2', name: '矩阵测试氢能项目', commandId: zone.commands.hydrogen, enterpriseId: zone.enterprises.hydrogen });
  const m = await cuizhai.post(`/api/projects/${a.json().id}/milestones`, { name: '矩阵测试节点', plannedOn: '2024-01-01' });
  const [entry] = await services.db.select({ id: dictionaryEntries.id }).from(dictionaryEntries).where(eq(dictionaryEntries.zoneId, zone.zoneId)).limit(1);
  if (a.statusCode !== 201 || b.statusCode !== 201 || m.statusCode !== 201 || !entry) throw new Error(`authz matrix: ledger setup failed ${a.body} ${b.body} ${m.body}`);
  made.set(zone.zoneId, { projects: { cuizhai: a.json().id, hydrogen: b.json().id }, milestones: { first: m.json().id }, dictionaryEntries: { first: entry.id } });
}

/** A monthly report of the 崔寨 project and a batch of both projects (after addLedger), created through the API. */
async function addReportAndBatch(zone: TestZone): Promise<void> {
  const entry = made.get(zone.zoneId);
  const projectIds = Object.values(entry?.projects ?? {});
  const r = await (await signIn(zone, 'hq.cuizhai')).post(`/api/projects/${entry?.projects?.cuizhai}/reports`, { month: '2024-01', completedInvestment: '1.00', fundsInPlace: '1.00', progress: '矩阵测试' });
  const b = await (await signIn(zone, 'leader')).post('/api/batches', { kind: 'groundbreaking', name: '矩阵测试批次', heldOn: '2024-01-01', projectIds });
  if (!entry || r.statusCode !== 201 || b.statusCode !== 201) throw new Error(`authz matrix: report/batch setup failed ${r.body} ${b.body}`);
  made.set(zone.zoneId, { ...entry, reports: { first: r.json().id }, batches: { first: b.json().id } });
}

/** Two problems through the API: one of 崔寨 HQ assigned to 崔寨街道, one of the 氢能 HQ (after addLedger). */
async function addProblems(zone: TestZone): Promise<void> {
  const entry = made.get(zone.zoneId);
  const a = await (await signIn(zone, 'hq.cuizhai')).post('/api/problems', {
    title: '矩阵测试问题',
    category: 'other',
    source: 'field',
    commandId: zone.commands.cuizhai,
    assign: { leadUnitId: zone.units.cuizhai, deadlineWorkdays: 5 },
  });
  const b = await (await signIn(zone, 'hq.hydrogen')).post('/api/problems', { title: '矩阵测试氢能问题', category: 'other', source: 'field', commandId: zone.commands.hydrogen });
  if (!entry || a.statusCode !== 201 || b.statusCode !== 201) throw new Error(`authz matrix: problem setup failed ${a.body} ${b.body}`);
  made.set(zone.zoneId, { ...entry, problems: { cuizhai: a.json().id, hydrogen: b.json().id } });
}

/** A meeting of 崔寨 HQ with a task decision, through the API. */
async function addMeeting(zone: TestZone): Promise<void> {
  const entry = made.get(zone.zoneId);
  const hq = await signIn(zone, 'hq.cuizhai');
  const m = await hq.post('/api/meetings', { commandId: zone.commands.cuizhai, type: 'regular', startsAt: '2026-03-10T06:00:00Z' });
  const d = await hq.post(`/api/meetings/${m.json().id}/decisions`, { text: '矩阵测试任务', kind: 'task', leadUnitId: zone.units.cuizhai, deadlineWorkdays: 3 });
  if (!entry || m.statusCode !== 201 || d.statusCode !== 201) throw new Error(`authz matrix: meeting setup failed ${m.body} ${d.body}`);
  made.set(zone.zoneId, { ...entry, meetings: { cuizhai: m.json().id }, decisions: { first: d.json().decision.id } });
}

/** The first indicator and district of a zone (every zone is seeded with the default lists). */
async function addIndicators(zone: TestZone): Promise<void> {
  const { services } = await getHarness();
  const [i] = await services.db.select({ id: indicators.id }).from(indicators).where(eq(indicators.zoneId, zone.zoneId)).limit(1);
  const [d] = await services.db.select({ id: indicatorDistricts.id }).from(indicatorDistricts).where(eq(indicatorDistricts.zoneId, zone.zoneId)).limit(1);
  if (!i || !d) throw new Error('authz matrix: the zone has no indicators');
  made.set(zone.zoneId, { ...made.get(zone.zoneId), indicators: { first: i.id }, indicatorDistricts: { first: d.id } });
}

/** Two briefings through the API: the zone's (leader) and 崔寨 HQ's (its commander). */
async function addBriefings(zone: TestZone): Promise<void> {
  const entry = made.get(zone.zoneId);
  const period = { from: '2026-01-01', to: '2026-01-31' };
  const a = await (await signIn(zone, 'leader')).post('/api/briefings', period);
  const b = await (await signIn(zone, 'hq.cuizhai')).post('/api/briefings', { ...period, commandId: zone.commands.cuizhai });
  if (!entry || a.statusCode !== 201 || b.statusCode !== 201) throw new Error(`authz matrix: briefing setup failed ${a.body} ${b.body}`);
  made.set(zone.zoneId, { ...entry, briefings: { zone: a.json().id, cuizhai: b.json().id } });
}

/** Routes whose path parameter names a fixed list or a day, not a record: they answer like routes without parameters. */
const NOT_RECORDS = new Set([
  'GET /api/dictionaries/:dictionary',
  'POST /api/dictionaries/:dictionary',
  'GET /api/calendar/years/:year',
  // A zone's own calendar entry for a day (PUT runs first, so DELETE finds it).
  'PUT /api/calendar/overrides/:day',
  'DELETE /api/calendar/overrides/:day',
]);

/** Which seeded records a path segment refers to. */
const RESOURCES: Record<string, (z: TestZone) => Record<string, string>> = {
  units: (z) => z.units,
  commands: (z) => z.commands,
  groups: (z) => z.groups,
  enterprises: (z) => z.enterprises,
  users: (z) => z.users,
  // Session handles are not seeded; any handle of another zone must be as unknown as a made-up one.
  sessions: () => ({ made_up: '0123456789abcdef' }),
  // Zones are seeded without the ledger: beforeAll adds two projects (崔寨 HQ, 氢能 HQ) and a milestone per zone.
  projects: (z) => made.get(z.zoneId)?.projects ?? { made_up: '6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b' },
  milestones: (z) => made.get(z.zoneId)?.milestones ?? {},
  dictionaries: () => ({ industry: 'industry' }),
  // The entry id in /api/dictionaries/:dictionary/:id (the segment before it is the dictionary's name).
  ':dictionary': (z) => made.get(z.zoneId)?.dictionaryEntries ?? {},
  files: () => ({ made_up: '0b7e5c1a-9d2f-4a6b-8c3e-1f2a3b4c5d6e' }),
  // /api/projects/:id/reports/:reportId and /api/batches/:id: made by addReportAndBatch.
  reports: (z) => made.get(z.zoneId)?.reports ?? {},
  batches: (z) => made.get(z.zoneId)?.batches ?? {},
  // /api/projects/import/:id — an import is its uploader's alone; any id from elsewhere must be as unknown as this one.
  import: () => ({ made_up: '3d9a7c2e-5b1f-4e8a-9c6d-2a4b6c8e0f13' }),
  // /api/robot-channels/:id — zones have none seeded; any id from elsewhere must be as unknown as this one.
  'robot-channels': () => ({ made_up: '8a2d4c6e-1f3b-4d5a-9e7c-0b2d4f6a8c1e' }),
  problems: (z) => made.get(z.zoneId)?.problems ?? {},
  meetings: (z) => made.get(z.zoneId)?.meetings ?? {},
  decisions: (z) => made.get(z.zoneId)?.decisions ?? {},
  // /api/hqs/:id/meetings-feed — an HQ is a command (the .ics itself is public to the hook and checks its caller).
  hqs: (z) => z.commands,
  years: () => ({ y: '2026' }),
  overrides: () => ({ day: '2031-01-02' }),
  // /api/indicators/definitions/:id and /api/indicators/districts/:id: the default lists every zone is seeded with.
  definitions: (z) => made.get(z.zoneId)?.indicators ?? {},
  districts: (z) => made.get(z.zoneId)?.indicatorDistricts ?? {},
  // /api/briefings/:id and /api/briefings/:id.docx|.pdf: made by addBriefings.
  briefings: (z) => made.get(z.zoneId)?.briefings ?? {},
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
  // Multipart in real use; any body will do, the project is looked up before the body is read.
  'POST /api/projects/:id/files': {},
  'PATCH /api/projects/:id': { version: 1, name: '矩阵测试项目' },
  'POST /api/projects/:id/phase': { version: 1, to: 'signed', on: '2023-04-25' },
  'POST /api/projects/:id/milestones': { name: '矩阵测试节点', plannedOn: '2024-01-01' },
  'PATCH /api/projects/:id/milestones/:milestoneId': { version: 1, name: '矩阵测试节点' },
  'POST /api/dictionaries/:dictionary': { code: 'matrix_test', label: '矩阵测试' },
  'PATCH /api/dictionaries/:dictionary/:id': { version: 1, label: '矩阵测试' },
  'POST /api/projects/import/:id/confirm': {},
  'POST /api/projects/:id/reports': { month: '2024-02', completedInvestment: '1.00', fundsInPlace: '1.00', progress: '矩阵测试' },
  'PATCH /api/projects/:id/reports/:reportId': { version: 1, progress: '矩阵测试' },
  'PATCH /api/batches/:id': { version: 1, name: '矩阵测试批次' },
  'PATCH /api/robot-channels/:id': { version: 1, name: '矩阵测试机器人' },
  'POST /api/robot-channels/:id/test': {},
  'POST /api/problems/:id/actions': { action: 'remind', version: 2 },
  'POST /api/problems/:id/files': {},
  'PATCH /api/meetings/:id': { version: 1, place: '矩阵测试会议室' },
  'POST /api/meetings/:id/decisions': { text: '矩阵测试', kind: 'task', leadUnitId: '5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b', deadlineWorkdays: 3 },
  'POST /api/meetings/:id/decisions/:decisionId/done': { version: 1, result: '矩阵测试' },
  'POST /api/meetings/:id/issue': { version: 1 },
  'PUT /api/calendar/overrides/:day': { kind: 'holiday', note: '矩阵测试' },
  'PATCH /api/indicators/definitions/:id': { version: 1, name: '矩阵测试指标' },
  'PATCH /api/indicators/districts/:id': { version: 1, name: '矩阵测试地区' },
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
      // A parameter may carry a suffix (/api/briefings/:id.pdf): only the parameter is replaced.
      const suffix = part.replace(/^:[A-Za-z]+/, '');
      const resource = parts[i - 1] ?? '';
      const records = RESOURCES[resource];
      if (!records) throw new Error(`authz matrix: unknown resource "${resource}" in ${url}; add it to RESOURCES`);
      const id = Object.values(records(zone))[0];
      if (!id) throw new Error(`authz matrix: no seeded ${resource}`);
      return id + suffix;
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
    await addLedger(home);
    await addLedger(other);
    await addReportAndBatch(home);
    await addReportAndBatch(other);
    await addProblems(home);
    await addProblems(other);
    await addMeeting(home);
    await addMeeting(other);
    await addIndicators(home);
    await addIndicators(other);
    await addBriefings(home);
    await addBriefings(other);
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
          : hasParams(route.url) && !NOT_RECORDS.has(keyOf(route))
            ? res.statusCode === 404
            : ![401, 403, 404].includes(res.statusCode) && res.statusCode < 500;
        if (!ok) failures.push(`${keyOf(route)} as ${role}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    // Every route × every role: minutes on a busy machine, not the default 30 s.
  }, 600_000);

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
    // Every route × every role: minutes on a busy machine, not the default 30 s.
  }, 600_000);
});
