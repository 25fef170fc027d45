import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createZone, getHarness, signIn, type Client, type TestZone } from '../../test/harness.ts';
import { fieldsOf } from '../org/org.testkit.ts';
import { must, resetClock, setNow } from '../problems/problems.testkit.ts';

interface Meeting {
  id: string;
  title: string;
  number: number;
  status: string;
  version: number;
  seriesId: string | null;
  minutesVersion: number;
  minutesChanged: boolean;
  agenda: { id: string; kind: string; refId: string | null; title: string; minutes: string | null }[];
  attendanceByUnit: { unit: { name: string } | null; present: number; absent: number; substitute: number }[];
  decisions: { id: string; seq: number; kind: string; open: boolean; deadline: string; problem: { id: string; code: string; state: string } | null; version: number }[];
  followUp: { meeting: { title: string }; decision: { id: string; open: boolean } }[];
  suggestions: { kind: string; refId: string; title: string }[];
  minutesVersions: { minutesVersion: number; documentNumber: string; reason: string | null }[];
  can: { update: boolean; decide: boolean; issue: boolean };
}

beforeAll(async () => {
  await getHarness();
});
afterEach(resetClock);

async function plan(client: Client, zone: TestZone, startsAt: string, extra: Record<string, unknown> = {}): Promise<Meeting> {
  const res = await client.post('/api/meetings', { commandId: zone.commands.cuizhai, type: 'regular', startsAt, place: '崔寨指挥部会议室', chairUserId: zone.users['hq.cuizhai'], ...extra });
  if (res.statusCode !== 201) throw new Error(`plan failed ${res.statusCode} ${res.body}`);
  return res.json() as Meeting;
}

describe('meetings', () => {
  it('numbers meetings per HQ and type, also when two are planned at once', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const staff = await signIn(zone, 'hqstaff.cuizhai');
    const [a, b] = await Promise.all([plan(hq, zone, '2023-05-02T01:30:00Z'), plan(staff, zone, '2023-05-09T01:30:00Z')]);
    expect([a.number, b.number].sort()).toEqual([1, 2]);
    const second = [a, b].find((m) => m.number === 2)!;
    expect(second.title).toBe('崔寨片区建设指挥部第二次例会');
    const special = await plan(hq, zone, '2023-05-10T01:30:00Z', { type: 'special', subject: '征迁清表' });
    expect(special.title).toBe('崔寨片区建设指挥部第一次专题推进会（征迁清表）');
    // Another HQ counts from one; an HQ cannot plan another HQ's meeting; the leading group holds its own type.
    const other = await signIn(zone, 'hq.fuzhongxin');
    expect((await other.post('/api/meetings', { commandId: zone.commands.cuizhai, type: 'regular', startsAt: '2023-05-09T01:30:00Z' })).statusCode).toBe(403);
    const own = (await other.post('/api/meetings', { commandId: zone.commands.fuzhongxin, type: 'regular', startsAt: '2023-05-09T01:30:00Z' })).json() as Meeting;
    expect(own.number).toBe(1);
    expect(fieldsOf(await hq.post('/api/meetings', { commandId: zone.commands.cuizhai, type: 'leading_group', startsAt: '2023-05-09T01:30:00Z' }))).toHaveProperty('type');
    const leader = await signIn(zone, 'leader');
    const lg = await leader.post('/api/meetings', { groupId: zone.groups.leading, type: 'leading_group', startsAt: '2023-04-18T01:00:00Z' });
    expect(lg.json().title).toBe('济南起步区城市副中心示范区建设领导小组第一次会议');
  });

  it('plans a weekly series, numbered in date order', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const first = await plan(hq, zone, '2026-01-06T01:30:00Z', { repeat: { untilOn: '2026-01-27' } });
    const all = (await hq.get(`/api/meetings?commandId=${zone.commands.cuizhai}`)).json() as { items: (Meeting & { heldOn: string })[] };
    expect(all.items.map((m) => [m.heldOn, m.number])).toEqual([
      ['2026-01-06', 1],
      ['2026-01-13', 2],
      ['2026-01-20', 3],
      ['2026-01-27', 4],
    ]);
    expect(new Set(all.items.map((m) => m.seriesId))).toEqual(new Set([first.seriesId]));
    expect(first.seriesId).not.toBeNull();
  });

  it('agenda from suggestions, attendance per unit, a decision that becomes a problem in 崔寨街道 to-do, frozen minutes, follow-up at the next meeting', async () => {
    const zone = await createZone({ ledger: true });
    const hq = await signIn(zone, 'hq.cuizhai');
    const street = await signIn(zone, 'staff.cuizhai');
    await setNow('2026-03-02T01:00:00Z');
    // An overdue problem of this HQ is suggested for the agenda.
    const old = (await hq.post('/api/problems', { title: '逾期的清表问题', category: 'site_clearing', source: 'field', commandId: zone.commands.cuizhai, assign: { leadUnitId: zone.units.cuizhai, deadline: '2026-03-03' } })).json();
    await setNow('2026-03-10T01:00:00Z');
    let m = await plan(hq, zone, '2026-03-10T06:00:00Z');
    expect(m.suggestions.map((x) => x.refId)).toContain(old.id);
    expect(m.suggestions.some((x) => x.kind === 'project')).toBe(true);
    const agenda = m.suggestions.slice(0, 2).map((x) => ({ kind: x.kind, refId: x.refId, title: x.title, minutesAllowed: 10 }));
    let res = await hq.patch(`/api/meetings/${m.id}`, { version: m.version, agenda: [...agenda, { kind: 'custom', title: '其他事项', presenterUnitId: zone.units.cuizhai }] });
    expect(res.statusCode, res.body).toBe(200);
    m = res.json() as Meeting;
    expect(m.agenda.map((a) => a.kind)).toEqual([...agenda.map((a) => a.kind), 'custom']);
    expect(m.suggestions.map((x) => x.refId)).not.toContain(agenda[0]!.refId);

    res = await hq.patch(`/api/meetings/${m.id}`, {
      version: m.version,
      attendance: [
        { userId: zone.users['hq.cuizhai'], status: 'present' },
        { userId: zone.users['staff.cuizhai'], status: 'present' },
        { userId: zone.users['staff.daqiao'], status: 'absent', reason: '外出招商' },
        { userId: zone.users['hqstaff.cuizhai'], status: 'substitute', substituteName: '刘代会（演示）' },
      ],
    });
    m = res.json() as Meeting;
    expect(m.status).toBe('held');
    const cuizhai = m.attendanceByUnit.find((u) => u.unit?.name === '崔寨街道')!;
    expect(cuizhai).toMatchObject({ present: 2, absent: 0, substitute: 0 });
    expect(fieldsOf(await hq.patch(`/api/meetings/${m.id}`, { version: m.version, attendance: [{ userId: zone.users['staff.daqiao'], status: 'absent' }] }))).toHaveProperty(['attendance.0.reason']);

    res = await hq.post(`/api/meetings/${m.id}/decisions`, { text: '凤凰黄河大桥下桥口北侧大棚扇墙由崔寨街道牵头拆除。', kind: 'problem', category: 'site_clearing', leadUnitId: zone.units.cuizhai, deadlineWorkdays: 5 });
    expect(res.statusCode, res.body).toBe(201);
    const { decision, problem } = res.json() as { decision: Meeting['decisions'][number]; problem: { id: string; source: string; sourceId: string; sourceNote: string; deadline: string; state: string } };
    expect(problem).toMatchObject({ source: 'meeting', sourceId: m.id, sourceNote: '崔寨片区建设指挥部第一次例会', deadline: '2026-03-17', state: 'assigned' });
    expect(decision).toMatchObject({ seq: 1, kind: 'problem', deadline: '2026-03-17', open: true, problem: { id: problem.id } });
    const todo = (await street.get('/api/problems?todo=true')).json() as { items: { id: string }[] };
    expect(todo.items.map((i) => i.id)).toContain(problem.id);
    // And the link back: the problem's meeting lists it.
    expect((await street.get(`/api/problems?sourceId=${m.id}`)).json().items.map((i: { id: string }) => i.id)).toEqual([problem.id]);
    const task = await hq.post(`/api/meetings/${m.id}/decisions`, { text: '下周例会前报送片区道路网施工计划。', kind: 'task', leadUnitId: zone.units.cuizhai, deadlineWorkdays: 3 });
    expect(task.json().decision).toMatchObject({ seq: 2, kind: 'task', deadline: '2026-03-13', problem: null, open: true });

    m = (await hq.get(`/api/meetings/${m.id}`)).json() as Meeting;
    res = await hq.post(`/api/meetings/${m.id}/issue`, { version: m.version });
    expect(res.statusCode, res.body).toBe(200);
    m = res.json() as Meeting;
    expect(m).toMatchObject({ status: 'minutes_issued', minutesVersion: 1, minutesVersions: [{ minutesVersion: 1, documentNumber: '崔寨片区指挥部纪〔2026〕1号' }] });
    expect(m.can.issue).toBe(false);
    // Frozen: a change needs a reason, and becomes version 2 when issued again.
    const frozen = await hq.patch(`/api/meetings/${m.id}`, { version: m.version, summary: '补充会议纪要' });
    expect(fieldsOf(frozen)).toHaveProperty('revisionReason');
    m = (await hq.patch(`/api/meetings/${m.id}`, { version: m.version, summary: '补充会议纪要', revisionReason: '补充领导讲话要点' })).json() as Meeting;
    expect(m).toMatchObject({ status: 'held', minutesChanged: true, minutesVersion: 1 });
    m = (await hq.post(`/api/meetings/${m.id}/issue`, { version: m.version })).json() as Meeting;
    expect(m.minutesVersions.map((v) => [v.minutesVersion, v.reason])).toEqual([
      [1, null],
      [2, '补充领导讲话要点'],
    ]);

    // The next meeting follows up: the open decisions are listed and suggested again.
    const next = await plan(hq, zone, '2026-03-17T06:00:00Z');
    expect(next.followUp.map((f) => [f.meeting.title, f.decision.open])).toEqual([
      ['崔寨片区建设指挥部第一次例会', true],
      ['崔寨片区建设指挥部第一次例会', true],
    ]);
    expect(next.suggestions.filter((x) => x.kind === 'decision')).toHaveLength(2);
    // The street handles the task; the problem runs the loop; the follow-up shows it.
    const taskDecision = m.decisions.find((d) => d.kind === 'task')!;
    expect((await street.post(`/api/meetings/${m.id}/decisions/${taskDecision.id}/done`, { version: taskDecision.version, result: '计划已报送' })).statusCode).toBe(200);
    const p = await must(street, { id: problem.id, version: (await street.get(`/api/problems/${problem.id}`)).json().version }, 'accept');
    await must(street, p, 'submit', { text: '已拆除' });
    const after = (await hq.get(`/api/meetings/${next.id}`)).json() as Meeting;
    expect(after.followUp.map((f) => f.decision.open)).toEqual([true, false]);
  });

  it('shows a street only the meetings it is invited to or must act on', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const invited = await plan(hq, zone, '2026-04-07T01:30:00Z', { invitees: { unitIds: [zone.units.daqiao] } });
    const notInvited = await plan(hq, zone, '2026-04-14T01:30:00Z');
    const daqiao = await signIn(zone, 'staff.daqiao');
    const list = (await daqiao.get('/api/meetings')).json() as { items: { id: string }[] };
    expect(list.items.map((m) => m.id)).toEqual([invited.id]);
    expect((await daqiao.get(`/api/meetings/${notInvited.id}`)).statusCode).toBe(404);
    const seen = (await daqiao.get(`/api/meetings/${invited.id}`)).json() as Meeting;
    expect(seen.can).toEqual({ update: false, decide: false, issue: false });
    expect((await daqiao.patch(`/api/meetings/${invited.id}`, { version: seen.version, place: 'x' })).statusCode).toBe(403);
    expect((await (await signIn(zone, 'ent.hydrogen')).get('/api/meetings')).statusCode).toBe(403);
  });
});

describe('demo meetings', () => {
  it('has the leading group\'s first meeting, 崔寨 HQ\'s second regular meeting with the greenhouse wall decision, and later open and closed decisions', async () => {
    const zone = await createZone({ problems: true });
    const leader = await signIn(zone, 'leader');
    const list = (await leader.get('/api/meetings')).json() as { items: (Meeting & { heldOn: string; openDecisionCount: number; decisionCount: number })[] };
    const titles = list.items.map((m) => m.title);
    expect(titles).toContain('济南起步区城市副中心示范区建设领导小组第一次会议');
    const second = list.items.find((m) => m.title === '崔寨片区建设指挥部第二次例会')!;
    expect(second).toMatchObject({ heldOn: '2023-05-09', status: 'minutes_issued' });
    const detail = (await leader.get(`/api/meetings/${second.id}`)).json() as Meeting;
    expect(detail.decisions).toHaveLength(1);
    expect(detail.decisions[0]!.problem).toMatchObject({ code: 'WT-2023-0001', state: 'closed' });
    expect(list.items.some((m) => m.openDecisionCount > 0)).toBe(true);
    expect(list.items.some((m) => m.status === 'planned')).toBe(true);
    const upcoming = list.items.find((m) => m.status === 'planned')!;
    const next = (await (await signIn(zone, 'hq.cuizhai')).get(`/api/meetings/${upcoming.id}`)).json() as Meeting;
    expect(next.followUp.some((f) => f.decision.open)).toBe(true);
    expect(next.suggestions.length).toBeGreaterThan(0);
  });
});
