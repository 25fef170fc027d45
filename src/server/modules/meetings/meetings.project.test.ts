import { beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn, type Client, type TestZone } from '../../test/harness.ts';
import { fieldsOf } from '../org/org.testkit.ts';

/**
 * `GET /api/meetings?projectId=` (a project's 会议 tab): the meetings that touch a project, within the caller's
 * meeting scope. In the demo only 崔寨片区道路网一期工程 is on meeting agendas (the first regular meeting and the one a
 * week ago), and the greenhouse-wall decision raised a problem with no project: the test links the demo's 崔寨 meetings
 * to two other demo projects through the API, one way each, and checks each way alone.
 */

interface Item {
  id: string;
  title: string;
  heldOn: string;
  startsAt: string;
  status: string;
  decisionCount: number;
  version: number;
}

beforeAll(async () => {
  await getHarness();
});

const ids = async (client: Client, query: string): Promise<string[]> => {
  const res = await client.get(`/api/meetings?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Item[] }).items.map((m) => m.id);
};

/** A day `days` from now at 14:30 in Asia/Shanghai. */
const inDays = (days: number) => `${new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })}T14:30:00+08:00`;

describe('meetings of a project', () => {
  let zone: TestZone;
  let hq: Client;
  let leader: Client;
  /** 崔寨街道安置区二期项目 (崔寨 HQ, lead 崔寨街道) and 泽康生物医药产业园项目 (崔寨 HQ). */
  let anzhi: string;
  let zekang: string;
  /** The demo's 崔寨 meetings: the next regular one (planned), the one a week ago, the first and second ones (2023). */
  let upcoming: Item;
  let recent: Item;
  let wallMeeting: Item;
  let first: Item;
  /** Planned here: one with 安置区二期's land problem on the agenda, one with a problem of 泽康 on it. */
  let onProblem: Item;
  let other: Item;

  beforeAll(async () => {
    zone = await createZone({ problems: true });
    hq = await signIn(zone, 'hq.cuizhai');
    leader = await signIn(zone, 'leader');
    const projects = (await leader.get('/api/projects?pageSize=100')).json().items as { id: string; code: string }[];
    const byCode = new Map(projects.map((p) => [p.code, p.id]));
    anzhi = byCode.get('QB-2023-022')!;
    zekang = byCode.get('QB-2023-020')!;
    expect(anzhi && zekang).toBeTruthy();

    const all = (await hq.get(`/api/meetings?commandId=${zone.commands.cuizhai}`)).json().items as Item[];
    upcoming = all.find((m) => m.status === 'planned')!;
    wallMeeting = all.find((m) => m.title === '崔寨片区建设指挥部第二次例会')!;
    first = all.find((m) => m.title === '崔寨片区建设指挥部第一次例会')!;
    recent = all.filter((m) => m.status === 'minutes_issued' && m.heldOn > '2024-01-01').at(-1)!;
    expect(upcoming && wallMeeting && first && recent).toBeTruthy();
    // The demo as it is: no meeting touches either project.
    expect(await ids(leader, `projectId=${anzhi}`)).toEqual([]);
    expect(await ids(leader, `projectId=${zekang}`)).toEqual([]);

    // 1. The project itself on the agenda of the next regular meeting.
    let res = await hq.patch(`/api/meetings/${upcoming.id}`, { version: upcoming.version, agenda: [{ kind: 'project', refId: anzhi, title: '崔寨街道安置区二期项目推进情况', minutesAllowed: 15 }] });
    expect(res.statusCode, res.body).toBe(200);

    // 2. A decision of last week's meeting raises a problem of the project (the minutes were issued: a revision).
    res = await hq.post(`/api/meetings/${recent.id}/decisions`, {
      text: '崔寨街道牵头协调安置区二期项目施工用水接入，规划建设部配合。',
      kind: 'problem',
      category: 'utilities',
      projectId: anzhi,
      leadUnitId: zone.units.cuizhai,
      deadlineWorkdays: 5,
      revisionReason: '补充议定事项',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().problem).toMatchObject({ project: { id: anzhi } });

    // 3. A special meeting (only 规划建设部 invited) with one of the project's problems on its agenda.
    const land = ((await leader.get(`/api/problems?projectId=${anzhi}&pageSize=50`)).json().items as { id: string; title: string }[]).find((p) => p.title === '崔寨街道安置区二期项目土地组卷报批')!;
    expect(land).toBeTruthy();
    res = await hq.post('/api/meetings', { commandId: zone.commands.cuizhai, type: 'special', subject: '安置区用地', startsAt: inDays(40), invitees: { unitIds: [zone.units.planning] } });
    expect(res.statusCode, res.body).toBe(201);
    onProblem = res.json() as Item;
    res = await hq.patch(`/api/meetings/${onProblem.id}`, { version: onProblem.version, agenda: [{ kind: 'problem', refId: land.id, title: '安置区二期项目土地组卷报批复盘' }] });
    expect(res.statusCode, res.body).toBe(200);

    // 4. Another project, 泽康 (signed 2023-03-28): added to the agenda of the demo's first regular meeting
    //    (2023-04-27, minutes issued: a revision), and one of 泽康's problems on a meeting to come.
    const firstDetail = (await hq.get(`/api/meetings/${first.id}`)).json() as Item & { agenda: { id: string; kind: string; refId: string | null; title: string; presenterUnit: { id: string } | null; minutesAllowed: number | null; minutes: string | null }[] };
    res = await hq.patch(`/api/meetings/${first.id}`, {
      version: firstDetail.version,
      agenda: [
        ...firstDetail.agenda.map((a) => ({ id: a.id, kind: a.kind, refId: a.refId, title: a.title, presenterUnitId: a.presenterUnit?.id ?? null, minutesAllowed: a.minutesAllowed, minutes: a.minutes })),
        { kind: 'project', refId: zekang, title: '泽康生物医药产业园项目开工准备' },
      ],
      revisionReason: '补充议题',
    });
    expect(res.statusCode, res.body).toBe(200);
    const zekangProblem = ((await leader.get(`/api/problems?projectId=${zekang}&pageSize=50`)).json().items as { id: string; title: string }[])[0]!;
    expect(zekangProblem).toBeTruthy();
    res = await hq.post('/api/meetings', { commandId: zone.commands.cuizhai, type: 'special', subject: '生物医药产业园', startsAt: inDays(50), invitees: { unitIds: [zone.units.cuizhai] } });
    expect(res.statusCode, res.body).toBe(201);
    other = res.json() as Item;
    res = await hq.patch(`/api/meetings/${other.id}`, { version: other.version, agenda: [{ kind: 'problem', refId: zekangProblem.id, title: zekangProblem.title }] });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('lists the meetings with the project on the agenda, a decision raising one of its problems, or one of its problems on the agenda; newest first on request', async () => {
    // the three ways, in start order by default, newest first with order=desc
    expect(await ids(hq, `projectId=${anzhi}`)).toEqual([recent.id, upcoming.id, onProblem.id]);
    expect(await ids(hq, `projectId=${anzhi}&order=desc`)).toEqual([onProblem.id, upcoming.id, recent.id]);
    expect(await ids(leader, `projectId=${anzhi}&order=desc`)).toEqual([onProblem.id, upcoming.id, recent.id]);
    const items = (await hq.get(`/api/meetings?projectId=${anzhi}&order=desc`)).json().items as Item[];
    expect(items.find((m) => m.id === recent.id)).toMatchObject({ status: 'held', decisionCount: 3 });
  });

  it('covers every date when from and to are left out: 2023 and weeks ahead', async () => {
    expect(await ids(hq, `projectId=${zekang}&order=desc`)).toEqual([other.id, first.id]);
    expect(first.heldOn).toBe('2023-04-27');
  });

  it('does not list meetings about another project, nor the greenhouse-wall meeting (its problem has no project)', async () => {
    const listed = await ids(hq, `projectId=${anzhi}`);
    expect(listed).not.toContain(other.id);
    expect(listed).not.toContain(first.id);
    expect(listed).not.toContain(wallMeeting.id);
    // an unknown project: nothing
    expect(await ids(hq, 'projectId=00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('combines with the other filters', async () => {
    expect(await ids(hq, `projectId=${anzhi}&status=planned`)).toEqual([upcoming.id, onProblem.id]);
    expect(await ids(hq, `projectId=${anzhi}&status=held&status=minutes_issued`)).toEqual([recent.id]);
    expect(await ids(hq, `projectId=${anzhi}&type=special`)).toEqual([onProblem.id]);
    expect(await ids(hq, `projectId=${anzhi}&from=${recent.heldOn}&to=${recent.heldOn}`)).toEqual([recent.id]);
    expect(await ids(hq, `projectId=${anzhi}&from=${upcoming.heldOn}`)).toEqual([upcoming.id, onProblem.id]);
    expect(await ids(leader, `projectId=${anzhi}&commandId=${zone.commands.hydrogen}`)).toEqual([]);
    expect(await ids(leader, `projectId=${anzhi}&groupId=${zone.groups.leading}`)).toEqual([]);
  });

  it('lists only the meetings the caller may see', async () => {
    // 崔寨街道 is invited to the regular meetings (and carries the new decision), not to the special one
    expect(await ids(await signIn(zone, 'staff.cuizhai'), `projectId=${anzhi}`)).toEqual([recent.id, upcoming.id]);
    // 规划建设部 is invited to all three
    expect(await ids(await signIn(zone, 'staff.planning'), `projectId=${anzhi}`)).toEqual([recent.id, upcoming.id, onProblem.id]);
    // 大桥街道 to none of them; another HQ's commander sees none of 崔寨's meetings
    expect(await ids(await signIn(zone, 'staff.daqiao'), `projectId=${anzhi}`)).toEqual([]);
    expect(await ids(await signIn(zone, 'hq.hydrogen'), `projectId=${anzhi}`)).toEqual([]);
    // roles outside the meetings answer 403 as for the whole list
    expect((await (await signIn(zone, 'ent.hydrogen')).get(`/api/meetings?projectId=${anzhi}`)).statusCode).toBe(403);
  });

  it('answers 400 with field errors for a projectId that is not a uuid, or an unknown order', async () => {
    const bad = await hq.get('/api/meetings?projectId=QB-2023-022');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(fieldsOf(bad))).toEqual(['querystring.projectId']);
    const order = await hq.get(`/api/meetings?projectId=${anzhi}&order=newest`);
    expect(order.statusCode).toBe(400);
    expect(Object.keys(fieldsOf(order))).toEqual(['querystring.order']);
  });

  it('the demo: 崔寨片区道路网一期工程 was taken up by the first regular meeting and the one a week ago', async () => {
    const projects = (await leader.get('/api/projects?pageSize=100')).json().items as { id: string; code: string }[];
    const road = projects.find((p) => p.code === 'QB-2023-018')!.id;
    expect(await ids(leader, `projectId=${road}&order=desc`)).toEqual([recent.id, first.id]);
  });
});
