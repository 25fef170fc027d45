import { createHmac } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeServices } from '../../app.ts';
import { auditLog } from '../../audit/audit.schema.ts';
import type { AppServices } from '../../context.ts';
import { openDatabase } from '../../db/client.ts';
import { createZone, getHarness, signIn, signInAs, type TestZone } from '../../test/harness.ts';
import { users } from '../users/users.schema.ts';
import { buildEmailDigests } from './digest.ts';
import { notificationOutbox, notifications } from './notifications.schema.ts';
import { notify } from './notifications.service.ts';
import { enqueue, sendPending } from './outbox.ts';
import { maskWebhook } from './robots.ts';
import { giveEmails, resetClock, setClock, startSmtp, startWebhook, withSmtp, type SmtpListener, type WebhookListener } from './notifications.testkit.ts';

// The run's one database is created by whichever file asks first: in a hook (2 min), not inside a 30 s test.
beforeAll(async () => {
  await getHarness();
});

async function send(s: AppServices, zone: TestZone, who: string[], title: string, body = '正文') {
  await s.db.transaction((tx) => notify(tx, s, { zoneId: zone.zoneId, userIds: who.map((u) => zone.users[u]!), kind: 'problem.assigned', title, body, link: '/problems/x' }));
}

async function addRobot(zone: TestZone, hook: WebhookListener, kind: 'dingtalk' | 'wecom', extra: Record<string, unknown> = {}) {
  const admin = await signInAs(zone, 'sys_admin');
  const res = await admin.post('/api/robot-channels', {
    kind,
    name: `${kind} 群`,
    webhook: kind === 'dingtalk' ? `${hook.base}/robot/send?access_token=token-${zone.prefix}abcdef` : `${hook.base}/cgi-bin/webhook/send?key=key-${zone.prefix}abcdef`,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; webhook: string; hasSecret: boolean };
}

async function outboxOf(s: AppServices, zone: TestZone) {
  return s.db.select().from(notificationOutbox).where(eq(notificationOutbox.zoneId, zone.zoneId)).orderBy(asc(notificationOutbox.createdAt));
}

describe('inbox API', () => {
  it('lists my own messages newest first with the unread count, and marks them read', async () => {
    const { services: s } = await getHarness();
    const zone = await createZone();
    await send(s, zone, ['staff.cuizhai'], '第一条');
    await send(s, zone, ['staff.cuizhai', 'staff.daqiao'], '第二条');
    await send(s, zone, ['staff.cuizhai'], '第三条');
    const me = await signIn(zone, 'staff.cuizhai');
    const list = await me.get('/api/notifications');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body).toMatchObject({ total: 3, unread: 3, page: 1 });
    expect(body.items.map((n: { title: string }) => n.title)).toEqual(['第三条', '第二条', '第一条']);

    const other = await signIn(zone, 'staff.daqiao');
    const theirs = (await other.get('/api/notifications')).json();
    expect(theirs.items.map((n: { title: string }) => n.title)).toEqual(['第二条']);

    // Someone else's id is ignored, not an error.
    const ignored = await me.post('/api/notifications/read', { ids: [theirs.items[0].id] });
    expect(ignored.json()).toEqual({ updated: 0, unread: 3 });
    const one = await me.post('/api/notifications/read', { ids: [body.items[0].id] });
    expect(one.json()).toEqual({ updated: 1, unread: 2 });
    expect((await me.get('/api/notifications?unread=true')).json()).toMatchObject({ total: 2, unread: 2 });
    expect((await me.post('/api/notifications/read', { all: true })).json()).toEqual({ updated: 2, unread: 0 });
    expect((await other.get('/api/notifications')).json().unread).toBe(1);

    expect((await me.post('/api/notifications/read', {})).statusCode).toBe(400);
    expect((await me.post('/api/notifications/read', { all: true, ids: [] })).statusCode).toBe(400);
    expect((await me.post('/api/notifications/read', { all: false })).statusCode).toBe(400);
    // Every role has an inbox, the admins too.
    expect((await (await signInAs(zone, 'audit_admin')).get('/api/notifications')).statusCode).toBe(200);
  });
});

describe('robot channels API', () => {
  let hook: WebhookListener;
  beforeAll(async () => {
    hook = await startWebhook();
  });
  afterAll(async () => {
    await hook.close();
  });

  it('keeps webhooks and secrets encrypted, shows them masked, and is for the system administrator', async () => {
    const { services: s } = await getHarness();
    const zone = await createZone();
    const admin = await signInAs(zone, 'sys_admin');
    const webhook = `${hook.base}/robot/send?access_token=0123456789secrettoken`;
    const created = await admin.post('/api/robot-channels', { kind: 'dingtalk', name: '指挥部群', webhook, secret: 'SECabcdefgh12345678', commandId: zone.commands.cuizhai });
    expect(created.statusCode, created.body).toBe(201);
    const ch = created.json();
    expect(ch).toMatchObject({ kind: 'dingtalk', name: '指挥部群', hasSecret: true, enabled: true, version: 1, command: { id: zone.commands.cuizhai, name: '崔寨片区建设指挥部' } });
    expect(ch.webhook).toBe(`${hook.base}/robot/send?access_token=****oken`);
    expect(created.body).not.toContain('secrettoken');
    expect(created.body).not.toContain('SECabcdefgh');
    const listed = await admin.get('/api/robot-channels');
    expect(listed.json().items).toHaveLength(1);
    expect(listed.body).not.toContain('secrettoken');

    const patched = await admin.patch(`/api/robot-channels/${ch.id}`, { version: 1, name: '崔寨群', secret: null });
    expect(patched.json()).toMatchObject({ name: '崔寨群', hasSecret: false, version: 2 });
    expect((await admin.patch(`/api/robot-channels/${ch.id}`, { version: 1, name: 'x' })).statusCode).toBe(409);

    const bad = await admin.post('/api/robot-channels', { kind: 'wecom', name: 'x', webhook: 'ftp://example.com/hook' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('webhook');
    const badCommand = await admin.post('/api/robot-channels', { kind: 'wecom', name: 'x', webhook, commandId: '6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b' });
    expect(badCommand.statusCode).toBe(400);
    expect((await admin.post('/api/robot-channels', { kind: 'slack', name: 'x', webhook })).statusCode).toBe(400);

    for (const role of ['hq_commander', 'zone_leader', 'sec_admin'] as const) {
      expect((await (await signInAs(zone, role)).get('/api/robot-channels')).statusCode, role).toBe(403);
    }
    // The audit trail has the masked URL only.
    const audits = await s.db.select().from(auditLog).where(and(eq(auditLog.zoneId, zone.zoneId), eq(auditLog.entityId, ch.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['robot_channel.create', 'robot_channel.update']);
    expect(JSON.stringify(audits)).not.toContain('secrettoken');

    expect((await admin.delete(`/api/robot-channels/${ch.id}?version=1`)).statusCode).toBe(409);
    expect((await admin.delete(`/api/robot-channels/${ch.id}?version=2`)).statusCode).toBe(200);
    expect((await admin.get('/api/robot-channels')).json().items).toEqual([]);
  });

  it('sends a test message (signed for DingTalk) and reports what the robot answered', async () => {
    const zone = await createZone();
    const admin = await signInAs(zone, 'sys_admin');
    const ding = await addRobot(zone, hook, 'dingtalk', { secret: 'SECsign-me-please' });
    const before = hook.hits.length;
    const ok = await admin.post(`/api/robot-channels/${ding.id}/test`, {});
    expect(ok.json()).toEqual({ ok: true, status: 'sent', error: null });
    const hit = hook.hits[before]!;
    expect(hit.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '起步 Qibu 测试消息' } });
    const ts = hit.query.get('timestamp')!;
    expect(hit.query.get('sign')).toBe(createHmac('sha256', 'SECsign-me-please').update(`${ts}\nSECsign-me-please`).digest('base64'));

    hook.reply = () => ({ status: 200, body: { errcode: 310000, errmsg: 'sign not match' } });
    try {
      const refused = await admin.post(`/api/robot-channels/${ding.id}/test`, {});
      expect(refused.json()).toMatchObject({ ok: false, status: 'failed', error: 'errcode 310000: sign not match' });
      const listed = (await admin.get('/api/robot-channels')).json().items[0];
      expect(listed).toMatchObject({ lastStatus: 'failed', lastError: 'errcode 310000: sign not match' });
    } finally {
      hook.reply = () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
    }
    const wecom = await addRobot(zone, hook, 'wecom');
    expect((await admin.post(`/api/robot-channels/${wecom.id}/test`, {})).json().ok).toBe(true);
    const w = hook.hits.at(-1)!;
    expect(w.body.msgtype).toBe('markdown');
    expect(Object.keys(w.body.markdown!)).toEqual(['content']);
    expect(w.query.has('sign')).toBe(false);
  });

  it('masks any query value of a webhook to its last 4 characters', () => {
    expect(maskWebhook('https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789')).toBe('https://oapi.dingtalk.com/robot/send?access_token=****6789');
    expect(maskWebhook('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****7xxx');
    expect(maskWebhook('not a url')).toBe('****');
  });
});

describe('sending: rate limit, retries, e-mail digests', () => {
  let hook: WebhookListener;
  let smtp: SmtpListener;
  beforeAll(async () => {
    hook = await startWebhook();
    smtp = await startSmtp();
  });
  afterEach(async () => {
    hook.reply = () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
    await resetClock();
  });
  afterAll(async () => {
    await hook.close();
    await smtp.close();
  });

  it('sends at most 20 messages a minute to one robot, shared by two instances; the rest go later', async () => {
    const h = await getHarness();
    const s1 = h.services;
    const zone = await createZone();
    const t0 = await setClock('2025-10-09T02:00:00Z');
    const robot = await addRobot(zone, hook, 'wecom');
    await s1.db.transaction((tx) =>
      enqueue(
        tx,
        t0,
        Array.from({ length: 25 }, (_, i) => ({ zoneId: zone.zoneId, channel: 'wecom' as const, target: robot.id, runKey: `rate:${i}`, subject: `消息${i}`, body: `第${i}条` })),
      ),
    );
    const db2 = s1.database.kind === 'postgres' ? await openDatabase({ databaseUrl: process.env.QIBU_TEST_DATABASE_URL, dataDir: s1.config.dataDir, poolSize: 4 }) : null;
    const s2: AppServices = db2 ? makeServices({ config: s1.config, database: db2, now: s1.now }) : { ...s1 };
    try {
      const before = hook.hits.length;
      // Each instance takes a different half of the queue (as SKIP LOCKED would split it); the robot's budget is one.
      const ids = (await outboxOf(s1, zone)).map((r) => r.id);
      const [r1, r2] = await Promise.all([sendPending(s1, zone.zoneId, t0, { onlyIds: ids.slice(0, 12) }), sendPending(s2, zone.zoneId, t0, { onlyIds: ids.slice(12) })]);
      expect(r1.deferred + r2.deferred).toBe(5);
      expect(hook.hits.length - before).toBe(20);
      expect(r1.sent + r2.sent).toBe(20);
      // Half a minute later the window is still full.
      await sendPending(s2, zone.zoneId, new Date(t0.getTime() + 30_000));
      expect(hook.hits.length - before).toBe(20);
      // A minute after the first 20, the other 5 go.
      const later = await sendPending(s1, zone.zoneId, new Date(t0.getTime() + 61_000));
      expect(later.sent).toBe(5);
      expect(hook.hits.length - before).toBe(25);
      const rows = await outboxOf(s1, zone);
      expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
      expect(new Set(hook.hits.slice(before).map((x) => x.body.markdown?.content)).size).toBe(25);
    } finally {
      await db2?.close();
    }
  });

  it('retries a refused message with backoff and gives up after the configured attempts', async () => {
    const { services } = await getHarness();
    const s: AppServices = { ...services, config: { ...services.config, notifyMaxAttempts: 3 } };
    const zone = await createZone();
    const t0 = await setClock('2025-10-09T03:00:00Z');
    const robot = await addRobot(zone, hook, 'dingtalk');
    let calls = 0;
    hook.reply = () => (++calls <= 2 ? { status: 502, body: { error: 'bad gateway' } } : { status: 200, body: { errcode: 0, errmsg: 'ok' } });
    const item = { zoneId: zone.zoneId, channel: 'dingtalk' as const, target: robot.id, subject: '标题', body: '内容' };
    await s.db.transaction((tx) => enqueue(tx, t0, [{ ...item, runKey: 'retry:1' }]));
    // The same run queued again is not a second message.
    expect(await s.db.transaction((tx) => enqueue(tx, t0, [{ ...item, runKey: 'retry:1' }]))).toBe(0);

    expect(await sendPending(s, zone.zoneId, t0)).toMatchObject({ sent: 0, retried: 1 });
    let [row] = await outboxOf(s, zone);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toContain('HTTP 502');
    expect(row!.nextAttemptAt.getTime() - t0.getTime()).toBe(60_000);
    expect(await sendPending(s, zone.zoneId, new Date(t0.getTime() + 30_000))).toMatchObject({ sent: 0, retried: 0 });
    await sendPending(s, zone.zoneId, new Date(t0.getTime() + 61_000));
    [row] = await outboxOf(s, zone);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row!.nextAttemptAt.getTime() - (t0.getTime() + 61_000)).toBe(5 * 60_000);
    expect(await sendPending(s, zone.zoneId, new Date(t0.getTime() + 7 * 60_000))).toMatchObject({ sent: 1 });
    [row] = await outboxOf(s, zone);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });

    // Always refused: failed after 3 attempts, never again.
    hook.reply = () => ({ status: 200, body: { errcode: 130101, errmsg: 'send too fast' } });
    await s.db.transaction((tx) => enqueue(tx, t0, [{ ...item, runKey: 'retry:2' }]));
    let t = t0.getTime();
    for (let i = 0; i < 5; i++) {
      t += 4 * 3_600_000;
      await sendPending(s, zone.zoneId, new Date(t));
    }
    const failed = (await outboxOf(s, zone)).find((r) => r.runKey === 'retry:2')!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastError: 'errcode 130101: send too fast' });

    // A disabled robot's messages are not sent.
    const admin = await signInAs(zone, 'sys_admin');
    await admin.patch(`/api/robot-channels/${robot.id}`, { version: 1, enabled: false });
    await s.db.transaction((tx) => enqueue(tx, new Date(t), [{ ...item, runKey: 'retry:3' }]));
    const hits = hook.hits.length;
    await sendPending(s, zone.zoneId, new Date(t));
    expect(hook.hits.length).toBe(hits);
    expect((await outboxOf(s, zone)).find((r) => r.runKey === 'retry:3')).toMatchObject({ status: 'failed', lastError: 'robot disabled' });
  });

  it('mails one digest per recipient with their unread messages, once, and retries when the mail server is down', async () => {
    const { services } = await getHarness();
    const zone = await createZone();
    const now = await setClock('2025-10-09T04:00:00Z');
    const s = withSmtp(services, smtp.url);
    const emails = await giveEmails(zone, ['staff.cuizhai', 'hq.cuizhai', 'staff.daqiao']);
    await services.db.update(users).set({ disabled: true }).where(and(eq(users.zoneId, zone.zoneId), eq(users.id, zone.users['staff.daqiao']!)));
    await send(s, zone, ['staff.cuizhai', 'hq.cuizhai', 'staff.daqiao', 'leader'], '【新交办】WT-2025-0001 道路积水');
    await send(s, zone, ['staff.cuizhai'], '【核验退回】WT-2025-0002 路灯不亮', '请补充照片');
    await send(s, zone, ['staff.cuizhai'], '【催办】WT-2025-0003 围挡破损');
    // Read in the app before the digest: not mailed.
    const me = await signIn(zone, 'staff.cuizhai');
    const third = (await me.get('/api/notifications')).json().items.find((n: { title: string }) => n.title.includes('0003'));
    await me.post('/api/notifications/read', { ids: [third.id] });

    // The mail server is down first: the digest waits in the outbox.
    const down = withSmtp(services, 'smtp://127.0.0.1:1');
    expect(await buildEmailDigests(down, zone.zoneId, now, 'mail:1')).toBe(2);
    expect(await sendPending(down, zone.zoneId, now)).toMatchObject({ sent: 0, retried: 2 });
    expect((await outboxOf(s, zone)).every((r) => r.status === 'pending' && r.lastError)).toBe(true);

    const before = smtp.mails.length;
    // Nothing new to gather; the retry goes out once the server is back.
    expect(await buildEmailDigests(s, zone.zoneId, now, 'mail:2')).toBe(0);
    expect(await sendPending(s, zone.zoneId, new Date(now.getTime() + 61_000))).toMatchObject({ sent: 2 });
    const mails = smtp.mails.slice(before);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([emails['hq.cuizhai'], emails['staff.cuizhai']].sort());
    const mine = mails.find((m) => m.to[0] === emails['staff.cuizhai'])!;
    expect(mine.subject).toBe('【起步】您有2条新消息：【新交办】WT-2025-0001 道路积水');
    expect(mine.text).toContain('孙晓燕（演示）：');
    expect(mine.text).toContain('1. 【新交办】WT-2025-0001 道路积水');
    expect(mine.text).toContain('2. 【核验退回】WT-2025-0002 路灯不亮');
    expect(mine.text).toContain('请补充照片');
    expect(mine.text).toContain('https://qibu.test/problems/x');
    expect(mine.text).not.toContain('0003');

    // Nobody without an address (the leader), nor a disabled account, is marked as mailed.
    const rows = await services.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.zoneId, zone.zoneId), inArray(notifications.userId, [zone.users.leader!, zone.users['staff.daqiao']!])));
    expect(rows.every((r) => r.emailedAt === null)).toBe(true);
    // A later message makes a new digest; the old ones are not sent again.
    await send(s, zone, ['staff.cuizhai'], '【新交办】WT-2025-0004 井盖缺失');
    expect(await buildEmailDigests(s, zone.zoneId, new Date(now.getTime() + 120_000), 'mail:3')).toBe(1);
    await sendPending(s, zone.zoneId, new Date(now.getTime() + 120_000));
    const last = smtp.mails.at(-1)!;
    expect(last.subject).toContain('1条');
    expect(last.text).toContain('0004');
    expect(last.text).not.toContain('0001');
  });
});
