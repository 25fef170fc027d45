import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../audit/audit.schema.ts';
import { createZone, getHarness, signIn } from '../../test/harness.ts';
import { png, upload } from '../files/files.testkit.ts';
import { fieldsOf, readSheet } from '../org/org.testkit.ts';
import { notifications } from '../notifications/notifications.schema.ts';
import { act, detail, must, raise, raiseAssigned, resetClock, setNow, type Detail } from './problems.testkit.ts';

beforeAll(async () => {
  await getHarness();
});
afterEach(resetClock);

describe('the closed loop through the API', () => {
  it('raise → assign (5 working days over National Day 2025) → accept → progress with a photo → submit → return → submit → close', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const street = await signIn(zone, 'staff.cuizhai');
    await setNow('2025-09-30T02:00:00Z');

    let p = await raiseAssigned(hq, zone, 5);
    expect(p.code).toBe('WT-2025-0001');
    expect(p).toMatchObject({ state: 'assigned', deadline: '2025-10-14', deadlineProvisional: false, light: 'green', workdaysLeft: 5 });
    expect(p.timeline.map((e) => e.action)).toEqual(['raise', 'assign']);
    // The street is told, in its inbox.
    const { services } = await getHarness();
    const inbox = await services.db.select().from(notifications).where(and(eq(notifications.zoneId, zone.zoneId), eq(notifications.userId, zone.users['staff.cuizhai']!)));
    expect(inbox.map((n) => n.kind)).toEqual(['problem.assigned']);

    expect((await detail(street, p.id)).actions).toEqual(['accept', 'hand_back']);
    p = await must(street, p, 'accept');
    expect(p.state).toBe('in_progress');

    const photo = await upload(street, `/api/problems/${p.id}/files`, 'site.png', await png(), 'image/png');
    expect(photo.statusCode, photo.body).toBe(201);
    p = await must(street, p, 'report_progress', { text: '已完成一半拆除', fileIds: [photo.json().id] });
    expect(p.timeline.at(-1)!.files.map((f) => f.id)).toEqual([photo.json().id]);

    await setNow('2025-10-09T02:00:00Z');
    p = await must(street, p, 'submit', { text: '扇墙已全部拆除' });
    expect(p.state).toBe('submitted');
    expect(p.actions).toEqual([]);

    await setNow('2025-10-11T02:00:00Z'); // a make-up workday, 2 working days before the deadline
    const returned = await must(hq, p, 'return', { reason: '现场仍有建筑垃圾未清运' });
    expect(returned).toMatchObject({ state: 'in_progress', returnCount: 1, light: 'yellow', workdaysLeft: 2 });

    await setNow('2025-10-13T02:00:00Z');
    p = await must(street, returned, 'submit', { text: '垃圾已清运' });
    await setNow('2025-10-15T02:00:00Z');
    p = await must(hq, p, 'close', { text: '现场核验无误，同意销号' });
    expect(p).toMatchObject({ state: 'closed', light: null, closedOnTime: true, workdaysToClose: 6, actions: ['reopen'] });
    expect(p.timeline.map((e) => e.action)).toEqual(['raise', 'assign', 'accept', 'report_progress', 'submit', 'return', 'submit', 'close']);
    expect(p.timeline.map((e) => e.light)).toEqual([null, 'green', 'green', 'green', 'green', 'yellow', 'yellow', null]);

    const trail = await services.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.zoneId, zone.zoneId), eq(auditLog.entityId, p.id)));
    expect(trail.map((a) => a.action)).toEqual(expect.arrayContaining(['problem.raise', 'problem.assign', 'problem.accept', 'problem.return', 'problem.close']));
  });

  it('turns red after the deadline and counts working days overdue', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    await setNow('2026-02-13T02:00:00Z'); // the Friday before the Spring Festival holiday 2026
    const p = await raiseAssigned(hq, zone, 3);
    expect(p.deadline).toBe('2026-02-25'); // 14th is a make-up workday; 15th–23rd off
    await setNow('2026-02-26T02:00:00Z');
    const later = await detail(hq, p.id);
    expect(later).toMatchObject({ light: 'red', workdaysLeft: -1 });
    const red = (await hq.get('/api/problems?light=red')).json() as { items: { id: string }[] };
    expect(red.items.map((i) => i.id)).toEqual([p.id]);
  });

  it('only the people of each step may take it; out of scope is 404, not theirs is 403', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const street = await signIn(zone, 'staff.cuizhai');
    const otherStreet = await signIn(zone, 'staff.daqiao');
    const otherHq = await signIn(zone, 'hq.fuzhongxin');
    const leader = await signIn(zone, 'leader');
    const enterprise = await signIn(zone, 'ent.hydrogen');

    const raised = (await raise(street, zone)).json() as Detail; // a street raises in the field: it may not assign
    expect(raised.actions).toEqual([]);
    expect((await act(street, raised, 'assign', { assignment: { leadUnitId: zone.units.cuizhai, deadlineWorkdays: 3 } })).statusCode).toBe(403);
    expect((await otherStreet.get(`/api/problems/${raised.id}`)).statusCode).toBe(404);
    expect((await otherHq.get(`/api/problems/${raised.id}`)).statusCode).toBe(404);
    expect((await enterprise.get('/api/problems')).statusCode).toBe(403);
    expect((await leader.get(`/api/problems/${raised.id}`)).json().actions).toEqual(expect.arrayContaining(['assign', 'merge']));

    const p = await must(hq, raised, 'assign', { assignment: { leadUnitId: zone.units.cuizhai, cooperatingUnitIds: [zone.units.daqiao], deadlineWorkdays: 3 } });
    // The cooperating street now sees it and may add its part once it is being handled, but not accept it.
    expect((await detail(otherStreet, p.id)).actions).toEqual([]);
    const accepted = await must(street, p, 'accept');
    expect((await detail(otherStreet, p.id)).actions).toEqual(['report_progress']);
    const part = await must(otherStreet, accepted, 'report_progress', { text: '大桥街道已协调运输车辆' });
    // The raiser is of the lead unit: they do not verify their own work.
    const submitted = await must(street, part, 'submit', { text: '完成' });
    expect(submitted.actions).toEqual([]);
    expect((await act(street, submitted, 'close')).statusCode).toBe(403);
    // HQ staff verify; only the commander or a leader reopens.
    const staff = await signIn(zone, 'hqstaff.cuizhai');
    const closed = await must(staff, submitted, 'close');
    expect((await act(staff, closed, 'reopen', { reason: '复发' })).statusCode).toBe(403);
    const reopened = await must(hq, closed, 'reopen', { reason: '大棚扇墙又被搭起' });
    expect(reopened).toMatchObject({ state: 'in_progress', closedOnTime: null });
  });

  it('two people acting at once: one wins, the other gets 409 naming who acted', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const staff = await signIn(zone, 'hqstaff.cuizhai');
    const street = await signIn(zone, 'staff.cuizhai');
    const p = await must(street, await raiseAssigned(hq, zone), 'accept');
    const submitted = await must(street, p, 'submit', { text: '完成' });
    const [a, b] = await Promise.all([act(hq, submitted, 'close'), act(staff, submitted, 'return', { reason: '不合格' })]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.code).toBe('version_conflict');
    expect(loser.json().error.message).toMatch(/赵振华|褚明/);
    // An action that is not possible in the current state says why.
    const now = await detail(hq, p.id);
    const wrong = await act(street, now, 'accept');
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.code).toBe('action_wrong_state');
  });

  it('hand back → reassign or insist; extension and suspension requests; resume moves the deadline by the paused working days', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const street = await signIn(zone, 'staff.cuizhai');
    const daqiao = await signIn(zone, 'staff.daqiao');
    await setNow('2025-09-22T02:00:00Z');
    let p = await raiseAssigned(hq, zone, 5); // 9-28 is a make-up workday (Sunday)
    expect(p.deadline).toBe('2025-09-28');

    p = await must(street, p, 'hand_back', { reason: '属大桥街道辖区' });
    expect(p.state).toBe('handed_back');
    expect((await detail(hq, p.id)).actions).toEqual(expect.arrayContaining(['reassign', 'insist']));
    p = await must(hq, p, 'reassign', { leadUnitId: zone.units.daqiao, deadlineWorkdays: 5 });
    expect(p).toMatchObject({ state: 'assigned', leadUnit: { id: zone.units.daqiao } });
    expect((await street.get(`/api/problems/${p.id}`)).statusCode).toBe(404); // no longer theirs
    p = await must(daqiao, p, 'hand_back', { reason: '不是我们的' });
    p = await must(hq, p, 'insist', { reason: '经核实属大桥街道' });
    p = await must(daqiao, p, 'accept');

    const missingDate = await act(daqiao, p, 'request_extension', { reason: '需要协调' });
    expect(missingDate.statusCode).toBe(400);
    expect(fieldsOf(missingDate)).toHaveProperty('newDeadline');
    p = await must(daqiao, p, 'request_extension', { reason: '需省市部门协调', newDeadline: '2025-10-20' });
    expect(p.pendingRequest).toBe('extension');
    expect((await act(daqiao, p, 'request_suspension', { reason: 'x' })).json().error.code).toBe('action_request_pending');
    p = await must(hq, p, 'approve_request');
    expect(p).toMatchObject({ deadline: '2025-10-20', pendingRequest: null });

    await setNow('2025-09-26T02:00:00Z');
    p = await must(daqiao, p, 'request_suspension', { reason: '等待规划调整' });
    p = await must(hq, p, 'approve_request');
    expect(p).toMatchObject({ state: 'suspended', suspendedOn: '2025-09-26' });
    await setNow('2025-10-10T02:00:00Z'); // paused: 9-28 (Sun, make-up), 9-29, 9-30, 10-9, 10-10 = 5 working days
    p = await must(daqiao, p, 'resume');
    expect(p).toMatchObject({ state: 'in_progress', suspendedOn: null, deadline: '2025-10-27' });
    expect(p.timeline.at(-1)!.data).toMatchObject({ pausedWorkdays: 5 });
  });

  it('merges a duplicate into another open problem, both linked', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const a = await raiseAssigned(hq, zone);
    const b = (await raise(hq, zone, { title: '大棚扇墙（重复上报）' })).json() as Detail;
    const bad = await act(hq, b, 'merge', { targetId: b.id });
    expect(fieldsOf(bad)).toHaveProperty('targetId');
    const merged = await must(hq, b, 'merge', { targetId: a.id });
    expect(merged).toMatchObject({ state: 'merged', mergedInto: { id: a.id, code: a.code }, actions: [] });
    const target = await detail(hq, a.id);
    expect(target.mergedFrom).toEqual([{ id: b.id, code: b.code }]);
    expect(target.timeline.at(-1)!.action).toBe('merged_in');
  });

  it('refuses bad input field by field, in zh-CN and en', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const en = await signIn(zone, 'hq.cuizhai', 'en');
    await setNow('2026-03-02T02:00:00Z');
    const both = await raise(hq, zone, { assign: { leadUnitId: zone.units.cuizhai, deadlineWorkdays: 3, deadline: '2026-03-10' } });
    expect(both.statusCode).toBe(400);
    expect(fieldsOf(both)['assignment.deadlineWorkdays']).toMatch(/二者选一/);
    const past = await raise(en, zone, { assign: { leadUnitId: zone.units.cuizhai, deadline: '2026-03-01' } });
    expect(fieldsOf(past)['assignment.deadline']).toMatch(/past/);
    expect(fieldsOf(await raise(hq, zone, { category: 'nope' }))).toHaveProperty('category');
    expect(fieldsOf(await raise(hq, zone, { extra: 1 }))).toHaveProperty('extra');
    const coop = await raise(hq, zone, { assign: { leadUnitId: zone.units.cuizhai, cooperatingUnitIds: [zone.units.cuizhai], deadlineWorkdays: 3 } });
    expect(fieldsOf(coop)).toHaveProperty(['assignment.cooperatingUnitIds']);
    // Nothing half-written: no problem, no code used.
    const list = (await hq.get('/api/problems')).json() as { total: number };
    expect(list.total).toBe(0);
    const ok = await raiseAssigned(hq, zone, 3);
    expect(ok.code).toBe('WT-2026-0001');
    // A date beyond the known calendar years is provisional.
    const far = await raiseAssigned(hq, zone, 250);
    expect(far.deadlineProvisional).toBe(true);
  });

  it('numbers codes per zone and year, also when raised at the same time', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    await setNow('2024-06-03T02:00:00Z');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => raise(hq, zone, { title: `并发问题${i}` })));
    const codes = results.map((r) => r.json().code as string).sort();
    expect(codes).toEqual(['WT-2024-0001', 'WT-2024-0002', 'WT-2024-0003', 'WT-2024-0004', 'WT-2024-0005', 'WT-2024-0006']);
  });

  it('a retried raise with the same Idempotency-Key answers the first result', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const body = { title: '离线草稿', category: 'other', source: 'field', commandId: zone.commands.cuizhai };
    const first = await hq.post('/api/problems', body, { 'idempotency-key': 'draft-1' });
    const again = await hq.post('/api/problems', body, { 'idempotency-key': 'draft-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect((await hq.get('/api/problems')).json().total).toBe(1);
  });

  it('lists my to-do, filters, searches two-character words and exports the visible columns', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const street = await signIn(zone, 'staff.cuizhai');
    const a = await raiseAssigned(hq, zone, 5, { title: '氢能加注站用电接入' , category: 'utilities' });
    const b = (await raise(hq, zone, { title: '光伏组件厂房规划调整', category: 'planning' })).json() as Detail;
    const c = await raiseAssigned(hq, zone, 5, { title: '道路征迁清表', category: 'site_clearing' });
    await must(street, c, 'accept');

    const todo = (await street.get('/api/problems?todo=true')).json() as { items: { id: string }[] };
    expect(todo.items.map((i) => i.id).sort()).toEqual([a.id, c.id].sort());
    const hqTodo = (await hq.get('/api/problems?todo=true')).json() as { items: { id: string }[] };
    expect(hqTodo.items.map((i) => i.id)).toEqual([b.id]); // to assign
    expect((await hq.get('/api/problems?q=氢能')).json().items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect((await hq.get('/api/problems?q=光伏')).json().items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    expect((await hq.get('/api/problems?state=raised&state=in_progress')).json().total).toBe(2);
    expect((await hq.get('/api/problems?category=planning')).json().total).toBe(1);
    expect((await hq.get(`/api/problems?leadUnitId=${zone.units.cuizhai}&light=green`)).json().total).toBe(2);
    expect((await hq.get('/api/problems?raisedFrom=2030-01-01&raisedTo=2029-01-01')).statusCode).toBe(400);

    const xlsx = await hq.get('/api/problems/export.xlsx?columns=code,title,leadUnit&category=utilities');
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const rows = await readSheet(xlsx);
    expect(rows[0]).toEqual(['问题编号', '问题', '承办单位']);
    expect(rows[1]).toEqual([a.code, '氢能加注站用电接入', '崔寨街道']);
    expect((await hq.get('/api/problems/export.xlsx?columns=nope')).statusCode).toBe(400);
  });

  it('reminds (yellow) and a leader supervises; both notify the lead unit', async () => {
    const zone = await createZone();
    const hq = await signIn(zone, 'hq.cuizhai');
    const leader = await signIn(zone, 'leader');
    let p = await raiseAssigned(hq, zone, 10);
    expect(p.light).toBe('green');
    p = await must(hq, p, 'remind', { text: '请加快进度' });
    expect(p.light).toBe('yellow');
    expect((await act(hq, p, 'supervise', { text: 'x' })).statusCode).toBe(403);
    p = await must(leader, p, 'supervise', { text: '请崔寨街道三日内拆除到位' });
    const { services } = await getHarness();
    const inbox = await services.db.select().from(notifications).where(and(eq(notifications.zoneId, zone.zoneId), eq(notifications.userId, zone.users['staff.cuizhai']!)));
    expect(inbox.map((n) => n.kind).sort()).toEqual(['problem.assigned', 'problem.remind', 'problem.supervise']);
    const commander = await services.db.select().from(notifications).where(and(eq(notifications.zoneId, zone.zoneId), eq(notifications.userId, zone.users['hq.cuizhai']!)));
    expect(commander.map((n) => n.kind)).toEqual(['problem.supervise']);
  });
});

describe('a monthly report raises problems', () => {
  it('each obstacle of the report enters the loop, linked to the report and its project; a bad one writes nothing', async () => {
    const zone = await createZone({ ledger: true });
    const street = await signIn(zone, 'staff.cuizhai');
    const hq = await signIn(zone, 'hq.cuizhai');
    const projects = (await street.get('/api/projects?pageSize=200')).json() as { items: { id: string; name: string; leadUnit: { id: string } | null; command: { id: string } | null; phase: string }[] };
    const project = projects.items.find((p) => p.leadUnit?.id === zone.units.cuizhai && p.command?.id === zone.commands.cuizhai && p.phase === 'started')!;
    expect(project).toBeDefined();
    const month = new Date().toISOString().slice(0, 7);
    const bad = await street.post(`/api/projects/${project.id}/reports`, {
      month,
      completedInvestment: '100.00',
      fundsInPlace: '0',
      progress: '主体施工',
      problems: [{ title: '临时用电容量不足', category: 'no_such_category' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toHaveProperty(['problems.0.category']);
    expect((await street.get(`/api/projects/${project.id}/reports`)).json().items.filter((r: { month: string }) => r.month === month)).toEqual([]);

    const res = await street.post(`/api/projects/${project.id}/reports`, {
      month,
      completedInvestment: '100.00',
      fundsInPlace: '0',
      progress: '主体施工',
      problems: [{ title: '临时用电容量不足', description: '塔吊和焊机同时作业时跳闸', category: 'utilities', priority: 'high' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json() as { id: string; problems: { id: string; code: string; state: string }[] };
    expect(report.problems).toHaveLength(1);
    const p = (await hq.get(`/api/problems/${report.problems[0]!.id}`)).json() as Detail & { source: string; sourceId: string; sourceTitle: string; project: { id: string } };
    expect(p).toMatchObject({ state: 'raised', source: 'report', sourceId: report.id, project: { id: project.id } });
    expect(p.sourceTitle).toBe(`${project.name} ${month} 月报`);
    expect(p.actions).toContain('assign');
    expect((await hq.get('/api/problems?todo=true')).json().items.map((i: { id: string }) => i.id)).toContain(p.id);
  });
});
