import type { LightMyRequestResponse } from 'fastify';
import { getHarness, type Client, type TestZone } from '../../test/harness.ts';

/** Test helpers of the closed loop (not a test file itself). */

export interface Detail {
  id: string;
  code: string;
  state: string;
  light: string | null;
  deadline: string | null;
  deadlineProvisional: boolean;
  workdaysLeft: number | null;
  version: number;
  actions: string[];
  closedOnTime: boolean | null;
  workdaysToClose: number | null;
  returnCount: number;
  pendingRequest: string | null;
  suspendedOn: string | null;
  mergedInto: { id: string; code: string } | null;
  mergedFrom: { id: string; code: string }[];
  leadUnit: { id: string; name: string } | null;
  cooperatingUnits: { id: string; name: string }[];
  timeline: { action: string; actorName: string; toState: string; light: string | null; text: string | null; files: { id: string }[]; data: Record<string, unknown> }[];
}

/** Moves the shared app's clock so that "now" is `iso` (restore with `resetClock`). */
export async function setNow(iso: string): Promise<void> {
  const h = await getHarness();
  h.clock.offsetMs = Date.parse(iso) - Date.now();
}

export async function resetClock(): Promise<void> {
  (await getHarness()).clock.offsetMs = 0;
}

/** Raises a problem for 崔寨片区建设指挥部 as `client`, optionally assigning it to a unit of the zone. */
export async function raise(client: Client, zone: TestZone, extra: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  return client.post('/api/problems', {
    title: '凤凰黄河大桥下桥口北侧大棚扇墙拆除',
    category: 'site_clearing',
    source: 'field',
    commandId: zone.commands.cuizhai,
    ...extra,
  });
}

export async function raiseAssigned(client: Client, zone: TestZone, days = 5, extra: Record<string, unknown> = {}): Promise<Detail> {
  const res = await raise(client, zone, { assign: { leadUnitId: zone.units.cuizhai, deadlineWorkdays: days }, ...extra });
  if (res.statusCode !== 201) throw new Error(`raise failed: ${res.statusCode} ${res.body}`);
  return res.json() as Detail;
}

/** Takes an action on the problem's current version; returns the response. */
export async function act(client: Client, p: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  return client.post(`/api/problems/${p.id}/actions`, { action, version: p.version, ...extra });
}

/** Takes an action that must succeed and returns the problem after it. */
export async function must(client: Client, p: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}): Promise<Detail> {
  const res = await act(client, p, action, extra);
  if (res.statusCode !== 200) throw new Error(`${action} failed: ${res.statusCode} ${res.body}`);
  return res.json() as Detail;
}

export async function detail(client: Client, id: string): Promise<Detail> {
  const res = await client.get(`/api/problems/${id}`);
  if (res.statusCode !== 200) throw new Error(`get failed: ${res.statusCode} ${res.body}`);
  return res.json() as Detail;
}
