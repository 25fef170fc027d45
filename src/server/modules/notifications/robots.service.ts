import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import { decrypt, encrypt } from '../../crypto.ts';
import type { Db } from '../../db/client.ts';
import { fieldError, notFound } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { commands } from '../org/org.schema.ts';
import { notificationOutbox, robotChannels } from './notifications.schema.ts';
import { enqueue, sendPending } from './outbox.ts';
import { isWebhookUrl, maskWebhook, type RobotKind } from './robots.ts';

/**
 * Robot channels (群机器人), kept by the system administrator (configuration, 三员分立). The webhook URL (it carries
 * the access token) and the signing secret are stored SM4-encrypted and never returned: the API shows the URL
 * masked and whether a secret is set. Audit rows carry the masked URL only.
 */

const ENTITY = 'robot_channel';

export interface RobotChannelInput {
  kind: RobotKind;
  name: string;
  webhook: string;
  secret?: string | null;
  commandId?: string | null;
  enabled?: boolean;
}

export interface RobotChannelPatch {
  version: number;
  name?: string;
  webhook?: string;
  secret?: string | null;
  commandId?: string | null;
  enabled?: boolean;
}

type Row = typeof robotChannels.$inferSelect;

function snapshot(s: AppServices, r: Row) {
  return { kind: r.kind, name: r.name, webhook: maskWebhook(decrypt(s.keys, r.webhookEnc)), hasSecret: r.secretEnc !== null, commandId: r.commandId, enabled: r.enabled, version: r.version };
}

async function requireCommand(db: Db, zoneId: string, commandId: string | null | undefined): Promise<void> {
  if (!commandId) return;
  const [c] = await db.select({ id: commands.id }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, commandId)));
  if (!c) throw fieldError('commandId', 'field.not_found');
}

function checkWebhook(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const v = url.trim();
  if (!isWebhookUrl(v)) throw fieldError('webhook', 'field.webhook');
  return v;
}

export async function present(s: AppServices, rows: Row[]) {
  const ids = rows.map((r) => r.id);
  const names = new Map<string, string>();
  const commandIds = [...new Set(rows.map((r) => r.commandId).filter((c): c is string => c !== null))];
  if (commandIds.length) {
    const cs = await s.db.select({ id: commands.id, name: commands.name }).from(commands).where(and(eq(commands.zoneId, rows[0]!.zoneId), inArray(commands.id, commandIds)));
    for (const c of cs) names.set(c.id, c.name);
  }
  const last = new Map<string, { at: Date | null; status: string; error: string | null }>();
  if (ids.length) {
    const recent = await s.db
      .select({ target: notificationOutbox.target, sentAt: notificationOutbox.sentAt, status: notificationOutbox.status, lastError: notificationOutbox.lastError })
      .from(notificationOutbox)
      .where(and(eq(notificationOutbox.zoneId, rows[0]!.zoneId), inArray(notificationOutbox.target, ids), inArray(notificationOutbox.channel, ['dingtalk', 'wecom'])))
      .orderBy(desc(notificationOutbox.createdAt))
      .limit(200);
    for (const r of recent) if (!last.has(r.target)) last.set(r.target, { at: r.sentAt, status: r.status, error: r.lastError });
  }
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as RobotKind,
    name: r.name,
    webhook: maskWebhook(decrypt(s.keys, r.webhookEnc)),
    hasSecret: r.secretEnc !== null,
    command: r.commandId ? { id: r.commandId, name: names.get(r.commandId) ?? '' } : null,
    enabled: r.enabled,
    version: r.version,
    lastSentAt: last.get(r.id)?.at?.toISOString() ?? null,
    lastStatus: last.get(r.id)?.status ?? null,
    lastError: last.get(r.id)?.error ?? null,
  }));
}

export async function listRobotChannels(s: AppServices, caller: Caller) {
  const rows = await s.db.select().from(robotChannels).where(eq(robotChannels.zoneId, caller.zoneId)).orderBy(asc(robotChannels.createdAt), asc(robotChannels.name));
  return { items: await present(s, rows) };
}

async function loadOne(db: Db, zoneId: string, id: string): Promise<Row> {
  const [row] = await db.select().from(robotChannels).where(and(eq(robotChannels.zoneId, zoneId), eq(robotChannels.id, id)));
  if (!row) throw notFound();
  return row;
}

export async function createRobotChannel(s: AppServices, caller: Caller, input: RobotChannelInput) {
  const webhook = checkWebhook(input.webhook)!;
  const row = await s.db.transaction(async (tx) => {
    await requireCommand(tx, caller.zoneId, input.commandId);
    const now = s.now();
    const [r] = await tx
      .insert(robotChannels)
      .values({
        zoneId: caller.zoneId,
        kind: input.kind,
        name: input.name.trim(),
        webhookEnc: encrypt(s.keys, webhook),
        secretEnc: input.secret?.trim() ? encrypt(s.keys, input.secret.trim()) : null,
        commandId: input.commandId ?? null,
        enabled: input.enabled ?? true,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, s, caller, { action: 'robot_channel.create', entityType: ENTITY, entityId: r!.id, after: snapshot(s, r!) });
    return r!;
  });
  return (await present(s, [row]))[0]!;
}

export async function updateRobotChannel(s: AppServices, caller: Caller, id: string, input: RobotChannelPatch) {
  const webhook = checkWebhook(input.webhook);
  const row = await s.db.transaction(async (tx) => {
    const before = await loadOne(tx, caller.zoneId, id);
    if (input.commandId !== undefined) await requireCommand(tx, caller.zoneId, input.commandId);
    const [r] = await tx
      .update(robotChannels)
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(webhook !== undefined ? { webhookEnc: encrypt(s.keys, webhook) } : {}),
        ...(input.secret !== undefined ? { secretEnc: input.secret?.trim() ? encrypt(s.keys, input.secret.trim()) : null } : {}),
        ...(input.commandId !== undefined ? { commandId: input.commandId } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        version: before.version + 1,
        updatedAt: s.now(),
      })
      .where(and(eq(robotChannels.zoneId, caller.zoneId), eq(robotChannels.id, id), eq(robotChannels.version, input.version)))
      .returning();
    if (!r) throw await versionConflict(tx, caller.zoneId, ENTITY, id);
    await audit(tx, s, caller, { action: 'robot_channel.update', entityType: ENTITY, entityId: id, before: snapshot(s, before), after: snapshot(s, r) });
    return r;
  });
  return (await present(s, [row]))[0]!;
}

export async function deleteRobotChannel(s: AppServices, caller: Caller, id: string, version: number) {
  await s.db.transaction(async (tx) => {
    const before = await loadOne(tx, caller.zoneId, id);
    const [gone] = await tx
      .delete(robotChannels)
      .where(and(eq(robotChannels.zoneId, caller.zoneId), eq(robotChannels.id, id), eq(robotChannels.version, version)))
      .returning({ id: robotChannels.id });
    if (!gone) throw await versionConflict(tx, caller.zoneId, ENTITY, id);
    await audit(tx, s, caller, { action: 'robot_channel.delete', entityType: ENTITY, entityId: id, before: snapshot(s, before), after: null });
  });
  return { ok: true };
}

/**
 * Sends a test message now, through the outbox (so it counts against the robot's 20 a minute) and answers what
 * the robot said. A test over the limit waits in the outbox and goes out with the next sender pass.
 */
export async function testRobotChannel(s: AppServices, caller: Caller, id: string) {
  const robot = await loadOne(s.db, caller.zoneId, id);
  const now = s.now();
  const time = now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const runKey = `test:${randomUUID()}`;
  await s.db.transaction(async (tx) => {
    await enqueue(tx, now, [
      {
        zoneId: caller.zoneId,
        channel: robot.kind as RobotKind,
        target: robot.id,
        runKey,
        subject: '起步 Qibu 测试消息',
        body: `#### 起步 Qibu 测试消息\n\n这是“${robot.name}”的测试消息（催办督办通知），由${caller.displayName}于 ${time} 发送。收到即表示机器人配置正确。`,
      },
    ]);
    await audit(tx, s, caller, { action: 'robot_channel.test', entityType: ENTITY, entityId: robot.id, after: { name: robot.name } });
  });
  const [row] = await s.db
    .select({ id: notificationOutbox.id })
    .from(notificationOutbox)
    .where(and(eq(notificationOutbox.zoneId, caller.zoneId), eq(notificationOutbox.target, robot.id), eq(notificationOutbox.runKey, runKey)));
  await sendPending(s, caller.zoneId, now, { onlyIds: [row!.id] });
  const mine = and(eq(notificationOutbox.zoneId, caller.zoneId), eq(notificationOutbox.id, row!.id));
  let [after] = await s.db.select().from(notificationOutbox).where(mine);
  // A test that the robot refused is not retried: the administrator is looking at the answer now.
  if (after && after.status === 'pending' && after.attempts > 0) {
    [after] = await s.db.update(notificationOutbox).set({ status: 'failed' }).where(mine).returning();
  }
  return { ok: after?.status === 'sent', status: (after?.status ?? 'pending') as 'sent' | 'pending' | 'failed', error: after?.lastError ?? null };
}
