import { createHmac } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeServices } from '../../app.ts';
import { auditLog } from '../../audit/audit.schema.ts';
import { verifyAudit } from '../../audit/audit.ts';
import type { AppServices } from '../../context.ts';
import { openDatabase } from '../../db/client.ts';
import { createZone, getHarness, signInAs, type TestZone } from '../../test/harness.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { buildEmailDigests } from '../notifications/digest.ts';
import { notificationOutbox, notifications, scheduledJobs } from '../notifications/notifications.schema.ts';
import { sendPending } from '../notifications/outbox.ts';
import { registeredJobs, runDueJobs } from '../notifications/scheduler.ts';

/** The scheduler's jobs but the weekly briefing (Mondays 08:00, its own robot message): these tests count chasing messages. */
const jobs = registeredJobs().filter((j) => j.name !== 'briefings.weekly');
import {
  giveEmails,
  insertProblem,
  problemRows,
  resetClock,
  setClock,
  startSmtp,
  startWebhook,
  withSmtp,
  type SmtpListener,
  type WebhookListener,
} from '../notifications/notifications.testkit.ts';
import { DEFAULT_SETTINGS, dueKinds, runChasing } from './chasing.ts';
import { problemEvents, problemReminders } from './problems.schema.ts';

/**
 * Chasing (催办 / 督办) through the scheduler on a controllable clock, across the 2025 National Day holiday
 * (Oct 1–8 off; Sun Sep 28 and Sat Oct 11 are make-up workdays), with a real SMTP listener and a real webhook
 * listener on loopback.
 */

// The run's one database is created by whichever file asks first: in a hook (2 min), not inside a 30 s test.
beforeAll(async () => {
  await getHarness();
});

const DING_SECRET = 'SECtest0123456789abcdef';

async function createRobots(zone: TestZone, hook: WebhookListener) {
  const admin = await signInAs(zone, 'sys_admin');
  const ding = await admin.post('/api/robot-channels', {
    kind: 'dingtalk',
    name: '起步区催办群',
    webhook: `${hook.base}/robot/send?access_token=ding-zone-token-123456`,
    secret: DING_SECRET,
  });
  const wecom = await admin.post('/api/robot-channels', {
    kind: 'wecom',
    name: '崔寨指挥部群',
    webhook: `${hook.base}/cgi-bin/webhook/send?key=wecom-cuizhai-key-7890`,
    commandId: zone.commands.cuizhai,
  });
  expect(ding.statusCode, ding.body).toBe(201);
  expect(wecom.statusCode, wecom.body).toBe(201);
  return { ding: ding.json().id as string, wecom: wecom.json().id as string };
}

function dingHits(hook: WebhookListener) {
  return hook.hits.filter((h) => h.path === '/robot/send');
}
function wecomHits(hook: WebhookListener) {
  return hook.hits.filter((h) => h.path === '/cgi-bin/webhook/send');
}

describe('chasing through the scheduler, across a holiday', () => {
  let smtp: SmtpListener;
  let hook: WebhookListener;
  let zone: TestZone;
  let s: AppServices;
  let emails: Record<string, string>;
  let a: { id: string; code: string }[];
  let b: { id: string; code: string };
  let quiet: { id: string; code: string }[];

  beforeAll(async () => {
    smtp = await startSmtp();
    hook = await startWebhook();
    const h = await getHarness();
    s = withSmtp(h.services, smtp.url);
    zone = await createZone();
    emails = await giveEmails(zone, ['staff.cuizhai', 'staff.daqiao', 'hq.cuizhai', 'hq.fuzhongxin', 'leader']);
    await setClock('2025-09-26T00:00:00Z'); // Fri 08:00 in Shanghai
    await createRobots(zone, hook);
    a = [
      await insertProblem(zone, { deadline: '2025-09-30', title: '道路积水' }),
      await insertProblem(zone, { deadline: '2025-09-30', title: '路灯不亮', state: 'assigned' }),
      await insertProblem(zone, { deadline: '2025-09-30', title: '围挡破损' }),
    ];
    b = await insertProblem(zone, { deadline: '2025-10-14', command: 'fuzhongxin', leadUnit: 'daqiao', title: '施工噪声' });
    quiet = [
      await insertProblem(zone, { deadline: '2025-09-30', state: 'suspended', title: '挂起的问题' }),
      await insertProblem(zone, { deadline: '2025-09-30', state: 'submitted', title: '待核验的问题' }),
      await insertProblem(zone, { deadline: '2025-09-30', state: 'handed_back', title: '已退单的问题' }),
    ];
  });
  afterEach(resetClock);
  afterAll(async () => {
    await resetClock();
    await smtp.close();
    await hook.close();
  });

  /** The day's tick at 09:05 Shanghai: runs whatever is due (the chasing run at 09:00, digests, the sender). */
  async function day(d: string) {
    const mails = smtp.mails.length;
    const hits = hook.hits.length;
    const now = await setClock(`${d}T01:05:00Z`);
    const outcomes = await runDueJobs(s, now, { zoneIds: [zone.zoneId], jobs });
    for (const o of outcomes) expect(o.error ?? null, `${o.name} on ${d}`).toBeNull();
    return { mails: smtp.mails.slice(mails), hits: hook.hits.slice(hits), ran: outcomes.map((o) => o.name) };
  }

  const mailTo = (mails: SmtpListener['mails'], who: string) => mails.filter((m) => m.to.includes(emails[who]!));

  it('reminds, escalates and sends digests on the right working days', async () => {
    // The first tick of a new zone creates its job rows; the chasing run is due at 09:00.
    const first = await runDueJobs(s, s.now(), { zoneIds: [zone.zoneId], jobs });
    expect(first).toEqual([]);
    const [job] = await s.db.select().from(scheduledJobs).where(and(eq(scheduledJobs.zoneId, zone.zoneId), eq(scheduledJobs.name, 'problems.chasing')));
    expect(job!.nextRunAt.toISOString()).toBe('2025-09-26T01:00:00.000Z');

    // Fri 26th, Sat 27th, Sun 28th (a make-up workday): too early for a deadline on Tue 30th.
    for (const d of ['2025-09-26', '2025-09-27', '2025-09-28']) {
      const r = await day(d);
      expect(r.ran, d).toContain('problems.chasing');
      expect(r.mails, d).toEqual([]);
      expect(r.hits, d).toEqual([]);
    }

    // Mon 29th: one working day before the deadline, the lead unit is reminded of all three.
    const d29 = await day('2025-09-29');
    expect(d29.mails).toHaveLength(1);
    const m29 = mailTo(d29.mails, 'staff.cuizhai');
    expect(m29).toHaveLength(1);
    expect(m29[0]!.subject).toContain('【起步】您有3条新消息');
    for (const p of a) expect(m29[0]!.text).toContain(p.code);
    expect(m29[0]!.text).toContain('距办理时限（2025-09-30）还有1个工作日');
    expect(m29[0]!.text).toContain(`https://qibu.test/problems/${a[0]!.id}`);
    // One message per robot: the zone's DingTalk group (signed) and the 崔寨 HQ's WeCom group.
    expect(dingHits(hook).length).toBe(1);
    expect(wecomHits(hook).length).toBe(1);
    const ding = dingHits(hook)[0]!;
    expect(ding.body.msgtype).toBe('markdown');
    expect(ding.body.markdown?.title).toBe('催办督办 2025-09-29');
    for (const p of a) expect(ding.body.markdown?.text).toContain(p.code);
    expect(ding.query.get('access_token')).toBe('ding-zone-token-123456');
    const ts = Number(ding.query.get('timestamp'));
    expect(Math.abs(ts - ding.at)).toBeLessThan(60_000);
    expect(ding.query.get('sign')).toBe(createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64'));
    const wecom = wecomHits(hook)[0]!;
    expect(wecom.query.get('key')).toBe('wecom-cuizhai-key-7890');
    expect(wecom.query.has('sign')).toBe(false);
    expect(Object.keys(wecom.body.markdown ?? {})).toEqual(['content']);
    for (const p of a) expect(wecom.body.markdown?.content).toContain(p.code);
    expect(wecom.body.markdown?.content).not.toContain(b.code);

    const rows = await problemRows(zone, a.map((p) => p.id));
    for (const r of rows) {
      expect(r.remindedAt).not.toBeNull();
      expect(r.supervisionLevel).toBe(0);
      expect(r.version).toBe(2);
    }

    // Tue 30th (the deadline) and Wed Oct 1st (a holiday, already red): nothing new.
    for (const d of ['2025-09-30', '2025-10-01', '2025-10-05', '2025-10-08']) {
      const r = await day(d);
      expect(r.mails, d).toEqual([]);
      expect(r.hits, d).toEqual([]);
    }

    // Thu Oct 9th, the first working day after the deadline: overdue, and 1 working day overdue → the commander.
    const d09 = await day('2025-10-09');
    expect(d09.mails).toHaveLength(2);
    const lead09 = mailTo(d09.mails, 'staff.cuizhai')[0]!;
    expect(lead09.subject).toContain('6条');
    expect(lead09.text).toContain('已超过办理时限（2025-09-30）1个工作日');
    const hq09 = mailTo(d09.mails, 'hq.cuizhai')[0]!;
    expect(hq09.subject).toContain('3条');
    expect(hq09.text).toContain('提请指挥长督办');
    expect(d09.hits).toHaveLength(2);
    expect(dingHits(hook).at(-1)!.body.markdown?.text).toContain('提级督办（指挥长）');
    expect((await problemRows(zone, [a[0]!.id]))[0]!.supervisionLevel).toBe(1);

    // Fri 10th: 2 working days overdue, nothing new. Sat 11th (make-up workday): 3 → the zone leaders.
    expect((await day('2025-10-10')).mails).toEqual([]);
    const d11 = await day('2025-10-11');
    expect(mailTo(d11.mails, 'leader')).toHaveLength(1);
    expect(mailTo(d11.mails, 'leader')[0]!.text).toContain('已超过办理时限（2025-09-30）3个工作日，提请区领导督办');
    expect(mailTo(d11.mails, 'hq.cuizhai')).toHaveLength(0);
    expect((await problemRows(zone, [a[0]!.id]))[0]!.supervisionLevel).toBe(2);

    // Mon 13th: the 副中心 HQ's problem (deadline Tue 14th) is reminded; the 崔寨 robot does not hear of it.
    const wecomBefore = wecomHits(hook).length;
    const d13 = await day('2025-10-13');
    expect(d13.mails.map((m) => m.to)).toEqual([[emails['staff.daqiao']]]);
    expect(dingHits(hook).at(-1)!.body.markdown?.text).toContain(b.code);
    expect(wecomHits(hook).length).toBe(wecomBefore);

    // The timeline of one problem: four system entries with the light after each.
    const events = await s.db
      .select()
      .from(problemEvents)
      .where(and(eq(problemEvents.zoneId, zone.zoneId), eq(problemEvents.problemId, a[0]!.id)))
      .orderBy(asc(problemEvents.at));
    expect(events.map((e) => [e.action, (e.data as { kind: string }).kind, e.light, e.actorName, e.actorId])).toEqual([
      ['auto_remind', 'before_deadline', 'yellow', '系统', null],
      ['auto_remind', 'overdue', 'red', '系统', null],
      ['escalate', 'escalate_commander', 'red', '系统', null],
      ['escalate', 'escalate_leader', 'red', '系统', null],
    ]);
    expect(events[1]!.data).toMatchObject({ workdaysOverdue: 1 });
    expect(events[3]!.data).toMatchObject({ workdaysOverdue: 3 });
    expect((await problemRows(zone, [a[0]!.id]))[0]!.version).toBe(4);

    // Audited as the system, and the zone's chains still verify.
    const audits = await s.db.select().from(auditLog).where(and(eq(auditLog.zoneId, zone.zoneId), eq(auditLog.entityId, a[0]!.id))).orderBy(asc(auditLog.at));
    expect(audits.map((r) => [r.action, r.actorName, r.actorRole])).toEqual([
      ['problem.auto_remind', 'qibu', 'system'],
      ['problem.escalate', 'qibu', 'system'],
      ['problem.escalate', 'qibu', 'system'],
    ]);
    expect((await verifyAudit(s.db, s.keys.auditKey, zone.zoneId)).problems).toEqual([]);

    // Suspended, submitted and closed problems were never chased.
    const claims = await s.db.select().from(problemReminders).where(and(eq(problemReminders.zoneId, zone.zoneId), inArray(problemReminders.problemId, quiet.map((q) => q.id))));
    expect(claims).toEqual([]);

    // In-app: the lead unit's staff got every reminder in their inbox (and they were e-mailed once).
    const staff = await signInAs(zone, 'unit_staff');
    const inbox = (await staff.get('/api/notifications?pageSize=100')).json();
    expect(inbox.items.filter((n: { kind: string }) => n.kind === 'problem.auto_remind')).toHaveLength(6);
    const unmailed = await s.db.select().from(notifications).where(and(eq(notifications.zoneId, zone.zoneId), eq(notifications.userId, zone.users['staff.cuizhai']!)));
    expect(unmailed.every((n) => n.emailedAt !== null)).toBe(true);

    // A second run on the same day changes nothing.
    const again = await runChasing(s, zone.zoneId, s.now());
    expect(again.chased).toEqual([]);
  });
});

describe('chasing rules', () => {
  it('computes which reminders are due from working days', async () => {
    const { services } = await getHarness();
    const zone = await createZone();
    const cal = await loadCalendar(services.db, zone.zoneId);
    const set = { ...DEFAULT_SETTINGS, version: 0 };
    const p = { deadline: '2025-09-30', supervisionLevel: 0 };
    expect(dueKinds(p, '2025-09-26', cal, set).kinds).toEqual([]);
    expect(dueKinds(p, '2025-09-29', cal, set)).toMatchObject({ kinds: ['before_deadline'], workdaysLeft: 1 });
    expect(dueKinds(p, '2025-09-30', cal, set)).toMatchObject({ kinds: ['before_deadline'], workdaysLeft: 0 });
    // Over the holiday the working days overdue stay 0 … until Oct 9th.
    expect(dueKinds(p, '2025-10-08', cal, set)).toMatchObject({ kinds: ['overdue'], workdaysOverdue: 0 });
    expect(dueKinds(p, '2025-10-09', cal, set)).toMatchObject({ kinds: ['overdue', 'escalate_commander'], workdaysOverdue: 1 });
    expect(dueKinds(p, '2025-10-11', cal, set)).toMatchObject({ kinds: ['overdue', 'escalate_commander', 'escalate_leader'], workdaysOverdue: 3 });
    // Already escalated (or supervised by a leader): not again.
    expect(dueKinds({ ...p, supervisionLevel: 2 }, '2025-10-11', cal, set).kinds).toEqual(['overdue']);
    // Three working days before: Fri 26th (29th, the make-up Sunday 28th, 26th).
    expect(dueKinds(p, '2025-09-26', cal, { ...set, remindBeforeWorkdays: 3 }).kinds).toEqual(['before_deadline']);
    expect(dueKinds(p, '2025-09-25', cal, { ...set, remindBeforeWorkdays: 3 }).kinds).toEqual([]);
  });
});

describe('two instances on one database', () => {
  let smtp: SmtpListener;
  let hook: WebhookListener;
  beforeAll(async () => {
    smtp = await startSmtp();
    hook = await startWebhook();
  });
  afterAll(async () => {
    await resetClock();
    await smtp.close();
    await hook.close();
  });

  it('never send the same reminder, e-mail or robot message twice', async () => {
    const h = await getHarness();
    const s1 = withSmtp(h.services, smtp.url);
    const zone = await createZone();
    await giveEmails(zone, ['staff.cuizhai', 'hq.cuizhai', 'leader']);
    await setClock('2025-10-08T12:00:00Z');
    await createRobots(zone, hook);
    const probs = [];
    for (let i = 0; i < 6; i++) probs.push(await insertProblem(zone, { deadline: i < 3 ? '2025-09-30' : '2025-10-10', title: `并发测试${i}` }));
    const pg = h.services.database.kind === 'postgres';
    const db2 = pg ? await openDatabase({ databaseUrl: process.env.QIBU_TEST_DATABASE_URL, dataDir: h.services.config.dataDir, poolSize: 6 }) : null;
    const s2: AppServices = db2 ? { ...makeServices({ config: s1.config, database: db2, now: h.services.now }) } : { ...s1 };
    try {
      const opts = { zoneIds: [zone.zoneId], jobs };
      await runDueJobs(s1, s1.now(), opts); // rows; chasing due Thu 9th 09:00
      const now = await setClock('2025-10-09T01:05:00Z');

      // Layer by layer, each run twice at once: the claims decide, not the scheduler.
      const chased = await Promise.all([runChasing(s1, zone.zoneId, now), runChasing(s2, zone.zoneId, now), runChasing(s1, zone.zoneId, now), runChasing(s2, zone.zoneId, now)]);
      const kinds = chased.flatMap((c) => c.chased.flatMap((p) => p.kinds.map((k) => `${p.code}/${k}`)));
      expect(kinds.length).toBe(new Set(kinds).size);
      expect(kinds).toHaveLength(3 * 2 + 3); // 3 overdue + escalated; 3 reminded one working day before the 10th
      const claims = await s1.db.select().from(problemReminders).where(eq(problemReminders.zoneId, zone.zoneId));
      expect(claims).toHaveLength(9);
      const events = await s1.db.select().from(problemEvents).where(eq(problemEvents.zoneId, zone.zoneId));
      expect(events).toHaveLength(9);

      const queued = await Promise.all([buildEmailDigests(s1, zone.zoneId, now, 'race'), buildEmailDigests(s2, zone.zoneId, now, 'race2')]);
      expect(queued[0] + queued[1]).toBe(2); // the lead unit's staff and the commander: one e-mail each
      await Promise.all([sendPending(s1, zone.zoneId, now), sendPending(s2, zone.zoneId, now), sendPending(s1, zone.zoneId, now)]);
      expect(smtp.mails).toHaveLength(2);
      expect(new Set(smtp.mails.map((m) => m.to[0])).size).toBe(2);

      // And the whole tick from both instances at once (the robot digests come with the chasing job).
      const [o1, o2] = await Promise.all([runDueJobs(s1, now, opts), runDueJobs(s2, now, opts)]);
      expect([...o1, ...o2].filter((o) => o.name === 'problems.chasing')).toHaveLength(1);
      expect([...o1, ...o2].every((o) => o.ok)).toBe(true);
      expect(dingHits(hook)).toHaveLength(1);
      expect(wecomHits(hook)).toHaveLength(1);
      expect(smtp.mails).toHaveLength(2);
      const sentRows = await s1.db.select().from(notificationOutbox).where(eq(notificationOutbox.zoneId, zone.zoneId));
      expect(sentRows.map((r) => r.status).sort()).toEqual(['sent', 'sent', 'sent', 'sent']);
      expect(sentRows.every((r) => r.attempts === 1)).toBe(true);
    } finally {
      await db2?.close();
    }
  });
});

describe('chasing settings API', () => {
  afterEach(resetClock);

  it('reads defaults, lets commanders and leaders change them (version), and moves the daily run', async () => {
    const { services } = await getHarness();
    const zone = await createZone();
    const now = await setClock('2025-09-29T03:00:00Z'); // 11:00 Shanghai
    const commander = await signInAs(zone, 'hq_commander');
    const got = await commander.get('/api/problems/settings');
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ remindBeforeWorkdays: 1, escalateCommanderAfter: 1, escalateLeaderAfter: 3, digestHour: 9, version: 0, nextRunAt: null, canEdit: true });

    await runDueJobs(services, now, { zoneIds: [zone.zoneId], jobs });
    expect((await commander.get('/api/problems/settings')).json().nextRunAt).toBe('2025-09-30T01:00:00.000Z');

    const body = { version: 0, remindBeforeWorkdays: 2, escalateCommanderAfter: 2, escalateLeaderAfter: 5, digestHour: 16 };
    const put = await commander.request({ method: 'PUT', url: '/api/problems/settings', payload: body });
    expect(put.statusCode, put.body).toBe(200);
    // 16:00 today is still ahead: the run moves there.
    expect(put.json()).toMatchObject({ ...body, version: 1, nextRunAt: '2025-09-29T08:00:00.000Z' });

    const stale = await commander.request({ method: 'PUT', url: '/api/problems/settings', payload: body });
    expect(stale.statusCode).toBe(409);
    const wrongOrder = await (await signInAs(zone, 'zone_leader')).request({ method: 'PUT', url: '/api/problems/settings', payload: { ...body, version: 1, escalateLeaderAfter: 1 } });
    expect(wrongOrder.statusCode).toBe(400);
    expect(wrongOrder.json().error.fields[0].path).toBe('escalateLeaderAfter');

    const staff = await signInAs(zone, 'hq_staff');
    expect((await staff.get('/api/problems/settings')).json().canEdit).toBe(false);
    expect((await staff.request({ method: 'PUT', url: '/api/problems/settings', payload: { ...body, version: 1 } })).statusCode).toBe(403);
    expect((await (await signInAs(zone, 'unit_staff')).get('/api/problems/settings')).statusCode).toBe(403);

    const audits = await services.db.select().from(auditLog).where(and(eq(auditLog.zoneId, zone.zoneId), eq(auditLog.action, 'problem_settings.update')));
    expect(audits).toHaveLength(1);
  });
});
