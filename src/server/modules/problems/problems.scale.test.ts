import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/roles.ts';
import type { Caller } from '../../context.ts';
import { queryRows } from '../../db/client.ts';
import { createZone, getHarness, signIn, type Client, type TestZone } from '../../test/harness.ts';
import { searchMatches } from '../projects/projects.search.ts';
import { problemReadWhere, problemScope, type ProblemScope } from './problems.policy.ts';
import { problems } from './problems.schema.ts';
import { must, raise, raiseAssigned, type Detail } from './problems.testkit.ts';

/**
 * My to-do and search answer from other SQL than the plain list (problems.repository.ts: todoPageIds reads the to-do
 * sets from their indexes, a search takes its ids and total in one pass and its scope as a row condition). Their
 * answers must be exactly those of the definitions (docs/api-problems.md): the same rows, in the same order, with the
 * same total, on every page — checked here against a reference written out plainly, for people of every kind, on the
 * demo's open spread plus the tricky cases (cooperating units, a raiser outside the lead unit, a merged problem).
 */

const PEOPLE = ['staff.cuizhai', 'staff.daqiao', 'hq.cuizhai', 'hqstaff.cuizhai', 'hq.fuzhongxin', 'leader', 'agent.approval'] as const;

interface Listed {
  items: { id: string }[];
  total: number;
}

async function callerOf(zone: TestZone, demoUsername: string): Promise<Caller> {
  const { services } = await getHarness();
  const userId = zone.users[demoUsername]!;
  const [user] = await queryRows<{ unit_id: string | null; display_name: string }>(
    services.db,
    sql`select unit_id, display_name from users where zone_id = ${zone.zoneId} and id = ${userId}`,
  );
  const roles = await queryRows<{ role: Role }>(services.db, sql`select role from user_roles where zone_id = ${zone.zoneId} and user_id = ${userId}`);
  const members = await queryRows<{ command_id: string; member_role: string }>(
    services.db,
    sql`select command_id, member_role from command_members where zone_id = ${zone.zoneId} and user_id = ${userId}`,
  );
  return {
    zoneId: zone.zoneId,
    userId,
    username: zone.username(demoUsername),
    displayName: user!.display_name,
    roles: roles.map((r) => r.role),
    unitId: user!.unit_id,
    enterpriseId: null,
    commandIds: members.map((m) => m.command_id),
    ledCommandIds: members.filter((m) => m.member_role !== 'staff').map((m) => m.command_id),
    sessionId: 'test',
    ip: null,
    requestId: 'test',
  };
}

/** The to-do as the contract words it, one OR on the row (with EXISTS for the cooperating units), inside the scope. */
function todoReference(scope: ProblemScope): SQL {
  const arms: SQL[] = [];
  const ids = (xs: string[]) => sql.join(xs.map((x) => sql`${x}::uuid`), sql`, `);
  if (scope.commandIds.length) {
    arms.push(
      sql`(${problems.commandId} in (${ids(scope.commandIds)}) and (${problems.state} in ('raised','handed_back','submitted') or (${problems.state} = 'in_progress' and ${problems.pendingRequest} is not null)))`,
    );
  }
  if (scope.unitIds.length) {
    arms.push(sql`(${problems.leadUnitId} in (${ids(scope.unitIds)}) and ${problems.state} in ('assigned','in_progress'))`);
    arms.push(
      sql`(${problems.state} = 'in_progress' and exists (select 1 from problem_cooperating_units c where c.zone_id = ${problems.zoneId} and c.problem_id = ${problems.id} and c.unit_id in (${ids(scope.unitIds)})))`,
    );
  }
  arms.push(sql`(${problems.raisedBy} = ${scope.userId} and ${problems.state} = 'submitted')`);
  if (scope.leader) arms.push(sql`(${problems.supervisionLevel} >= 2 and ${problems.state} in ('assigned','in_progress','handed_back','suspended'))`);
  return sql`(${sql.join(arms, sql` or `)})`;
}

async function reference(zone: TestZone, who: string, what: { todo?: boolean; q?: string; order?: 'asc' | 'desc' }): Promise<string[]> {
  const { services } = await getHarness();
  const scope = await problemScope(services.db, await callerOf(zone, who));
  const parts: (SQL | undefined)[] = [eq(problems.zoneId, zone.zoneId), problemReadWhere(scope, 'union')];
  if (what.todo) parts.push(todoReference(scope));
  if (what.q) parts.push(searchMatches(problems.searchDoc, what.q));
  const rows = await services.db
    .select({ id: problems.id })
    .from(problems)
    .where(and(...parts))
    .orderBy(sql`${problems.deadline} ${sql.raw(what.order === 'desc' ? 'desc' : 'asc')} nulls last`, asc(problems.raisedAt), asc(problems.id));
  return rows.map((r) => r.id);
}

/** Every page of a list query, pageSize 3, plus the page after the last (empty, with the same total). */
async function allPages(client: Client, query: string): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  for (let page = 1; ; page++) {
    const res = await client.get(`/api/problems?${query}&pageSize=3&page=${page}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Listed;
    totals.push(body.total);
    if (!body.items.length) break;
    ids.push(...body.items.map((i) => i.id));
  }
  return { ids, totals };
}

describe('my to-do and search at scale answer exactly as defined', () => {
  let zone: TestZone;
  const clients = new Map<string, Client>();

  beforeAll(async () => {
    zone = await createZone({ problems: true });
    for (const u of PEOPLE) clients.set(u, await signIn(zone, u));
    const hq = clients.get('hq.cuizhai')!;
    const daqiao = clients.get('staff.daqiao')!;
    const cuizhai = clients.get('staff.cuizhai')!;
    // 崔寨街道 cooperates on a problem 大桥街道 leads: in its to-do once 大桥 accepts (in progress), not before.
    const coop = { leadUnitId: zone.units.daqiao, cooperatingUnitIds: [zone.units.cuizhai], deadlineWorkdays: 8 };
    const inProgress = (await raise(hq, zone, { title: '排水管网改造协调', assign: coop })).json() as Detail;
    const accepted = await must(daqiao, inProgress, 'accept');
    // …and asks for more time: the HQ must decide (its to-do), the work goes on (still the cooperating unit's).
    await must(daqiao, accepted, 'request_extension', { newDeadline: '2099-12-31', reason: '管线迁改需协调燃气公司' });
    // Two to assign (the HQ's to-do).
    for (let i = 0; i < 2; i++) await raise(hq, zone, { title: `管网巡查待交办${i}` });
    await raise(hq, zone, { title: '供水管网接入协调', assign: coop });
    // Raised in the field by 崔寨街道 staff, led by 大桥街道 and submitted: the raiser verifies it (to-do), the raiser's
    // unit does not lead it.
    const field = (await raise(cuizhai, zone, { title: '雨污管网错接', source: 'field' })).json() as Detail;
    let f = await must(hq, field, 'assign', { assignment: { leadUnitId: zone.units.daqiao, deadlineWorkdays: 5 } });
    f = await must(daqiao, f, 'accept');
    await must(daqiao, f, 'submit', { text: '已整改' });
    // Merged: out of every to-do, still found by a search.
    const target = await raiseAssigned(hq, zone, 6, { title: '燃气管网迁改' });
    const twin = await raiseAssigned(hq, zone, 6, { title: '燃气管网迁改（重复）' });
    await must(hq, twin, 'merge', { targetId: target.id });
    // Equal deadlines and raise times: the order must still be one (the id decides).
    for (let i = 0; i < 4; i++) await raiseAssigned(hq, zone, 7, { title: `同日管网问题${i}` });
  });

  for (const who of PEOPLE) {
    it(`to-do of ${who}: the same rows, order and total on every page, both orders`, async () => {
      const client = clients.get(who)!;
      for (const order of ['asc', 'desc'] as const) {
        const expected = await reference(zone, who, { todo: true, order });
        if (who === 'staff.cuizhai' || who === 'hq.cuizhai') expect(expected.length).toBeGreaterThan(3); // pages of 3: several
        const fast = await allPages(client, `todo=true&order=${order}`);
        expect(fast.ids).toEqual(expected);
        expect(new Set(fast.totals)).toEqual(new Set([expected.length]));
        // The general path (another filter that keeps every to-do row: all of them are open) agrees.
        const general = await allPages(client, `todo=true&open=true&order=${order}`);
        expect(general).toEqual(fast);
      }
    });

    it(`search of ${who}: the same rows, order and total on every page`, async () => {
      const client = clients.get(who)!;
      for (const q of ['管网', '问题', '崔寨']) {
        const expected = await reference(zone, who, { q });
        if (q === '管网' && who !== 'staff.daqiao' && who !== 'hq.fuzhongxin') expect(expected.length, q).toBeGreaterThan(3);
        const found = await allPages(client, `q=${encodeURIComponent(q)}`);
        expect(found.ids, q).toEqual(expected);
        expect(new Set(found.totals)).toEqual(new Set([expected.length]));
      }
    });
  }

  it('the tricky cases are where the definitions put them', async () => {
    const ids = async (who: string, query: string) => ((await clients.get(who)!.get(`/api/problems?${query}&pageSize=500`)).json() as Listed).items.map((i) => i.id);
    const { services } = await getHarness();
    const byTitle = async (title: string) => {
      const [p] = await services.db.select({ id: problems.id }).from(problems).where(and(eq(problems.zoneId, zone.zoneId), eq(problems.title, title)));
      return p!.id;
    };
    const cuizhaiTodo = await ids('staff.cuizhai', 'todo=true');
    expect(cuizhaiTodo).toContain(await byTitle('排水管网改造协调')); // cooperating, in progress
    expect(await ids('hq.cuizhai', 'todo=true')).toContain(await byTitle('排水管网改造协调')); // a request to decide
    expect(cuizhaiTodo).not.toContain(await byTitle('供水管网接入协调')); // cooperating, not accepted yet
    expect(cuizhaiTodo).toContain(await byTitle('雨污管网错接')); // raised by them, submitted
    expect(await ids('staff.daqiao', 'todo=true')).not.toContain(await byTitle('雨污管网错接')); // submitted: the lead unit waits
    const merged = await byTitle('燃气管网迁改（重复）');
    expect(await ids('hq.cuizhai', 'todo=true')).not.toContain(merged);
    expect(await ids('hq.cuizhai', `q=${encodeURIComponent('燃气管网')}`)).toContain(merged);
    // Scope: 大桥街道 staff see what their unit leads, not 崔寨's own work.
    expect(await ids('staff.daqiao', `q=${encodeURIComponent('管网')}`)).not.toContain(await byTitle('同日管网问题0'));
  });
});
