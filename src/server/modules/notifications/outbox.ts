import { and, asc, eq, gt, inArray, lte, ne, sql } from 'drizzle-orm';
import type { AppServices } from '../../context.ts';
import { decrypt, decryptOptional } from '../../crypto.ts';
import type { Db } from '../../db/client.ts';
import { openMailer, type Mailer } from './email.ts';
import { notificationOutbox, robotChannels } from './notifications.schema.ts';
import { postToRobot, ROBOT_PER_MINUTE, type RobotKind } from './robots.ts';

/**
 * The outbox: every e-mail digest and robot message is a row first (unique per zone, channel, target and run, so
 * a run re-done never queues one twice), then a sender pass delivers it.
 *
 * A pass claims due `pending` rows with FOR UPDATE SKIP LOCKED and, before committing, stamps each claimed row
 * (`sent_at` = this attempt, `attempts` + 1, `next_attempt_at` = now + lease): another instance skips it while the
 * claim is open and finds it not due afterwards. Delivery happens outside the transaction; success marks it
 * `sent`, failure puts it back to `pending` after a backoff, or `failed` after QIBU_NOTIFY_MAX_ATTEMPTS. A process
 * that dies mid-send leaves the row to be retried when its lease runs out (at least once; the window is one HTTP
 * call or one SMTP transaction).
 *
 * Robots: at most ROBOT_PER_MINUTE attempts in any 60 s per robot, counted in the database (`sent_at` of its rows
 * in the last minute), with the robot's row locked while counting and claiming, so several instances share one
 * budget. Rows over the budget wait until the oldest attempt of the window is a minute old.
 */

/** `sent_at` holds the latest attempt; `status` says whether it was accepted. */
const LEASE_MS = 5 * 60_000;
const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 60 * 60_000];
const CLAIM_LIMIT = 100;

export function backoffMs(attempts: number): number {
  return BACKOFF_MS[Math.min(Math.max(attempts, 1), BACKOFF_MS.length) - 1]!;
}

export interface OutboxItem {
  zoneId: string;
  channel: 'email' | RobotKind;
  target: string;
  runKey: string;
  subject: string;
  body: string;
}

/** Queues messages in the caller's transaction; a (zone, channel, target, run) already queued is left alone. */
export async function enqueue(tx: Db, now: Date, items: readonly OutboxItem[]): Promise<number> {
  if (!items.length) return 0;
  const rows = await tx
    .insert(notificationOutbox)
    .values(items.map((i) => ({ ...i, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now })))
    .onConflictDoNothing()
    .returning({ id: notificationOutbox.id });
  return rows.length;
}

interface Claimed {
  id: string;
  channel: string;
  target: string;
  subject: string;
  body: string;
  attempts: number;
  robot?: { kind: RobotKind; webhook: string; secret: string | null };
  /** Set when the row cannot be sent at all (robot removed or disabled). */
  refuse?: string;
}

export interface SendReport {
  sent: number;
  retried: number;
  failed: number;
  /** Robot messages held back by the per-minute limit. */
  deferred: number;
}

/** Robot attempts in the minute before `now` (rows of this robot whose latest attempt is in the window). */
async function robotAttemptsInWindow(tx: Db, zoneId: string, robotId: string, now: Date): Promise<{ used: number; oldest: Date | null }> {
  const [row] = await tx
    .select({ used: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${notificationOutbox.sentAt})` })
    .from(notificationOutbox)
    .where(
      and(
        eq(notificationOutbox.zoneId, zoneId),
        eq(notificationOutbox.target, robotId),
        inArray(notificationOutbox.channel, ['dingtalk', 'wecom']),
        gt(notificationOutbox.sentAt, new Date(now.getTime() - 60_000)),
      ),
    );
  return { used: Number(row?.used ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}

async function claim(s: AppServices, zoneId: string, now: Date, onlyIds?: readonly string[]): Promise<{ claimed: Claimed[]; deferred: number }> {
  return s.db.transaction(async (tx) => {
    const conds = [eq(notificationOutbox.zoneId, zoneId), eq(notificationOutbox.status, 'pending'), lte(notificationOutbox.nextAttemptAt, now)];
    if (onlyIds) conds.push(inArray(notificationOutbox.id, [...onlyIds]));
    // An instance without an SMTP server leaves e-mails to the instances that have one.
    if (!s.config.smtpUrl) conds.push(ne(notificationOutbox.channel, 'email'));
    const due = await tx
      .select({
        id: notificationOutbox.id,
        channel: notificationOutbox.channel,
        target: notificationOutbox.target,
        subject: notificationOutbox.subject,
        body: notificationOutbox.body,
        attempts: notificationOutbox.attempts,
      })
      .from(notificationOutbox)
      .where(and(...conds))
      .orderBy(asc(notificationOutbox.nextAttemptAt), asc(notificationOutbox.createdAt))
      .limit(CLAIM_LIMIT)
      .for('update', { skipLocked: true });
    const claimed: Claimed[] = [];
    let deferred = 0;
    const byRobot = new Map<string, typeof due>();
    for (const row of due) {
      if (row.channel === 'email') claimed.push(row);
      else byRobot.set(row.target, [...(byRobot.get(row.target) ?? []), row]);
    }
    // Robots in a fixed order, each locked while its window is counted: instances take turns per robot.
    for (const robotId of [...byRobot.keys()].sort()) {
      const rows = byRobot.get(robotId)!;
      const [robot] = await tx
        .select()
        .from(robotChannels)
        .where(and(eq(robotChannels.zoneId, zoneId), sql`${robotChannels.id}::text = ${robotId}`))
        .for('update');
      if (!robot || !robot.enabled) {
        claimed.push(...rows.map((r) => ({ ...r, refuse: robot ? 'robot disabled' : 'robot removed' })));
        continue;
      }
      const { used, oldest } = await robotAttemptsInWindow(tx, zoneId, robotId, now);
      const free = Math.max(0, ROBOT_PER_MINUTE - used);
      const robotInfo = { kind: robot.kind as RobotKind, webhook: decrypt(s.keys, robot.webhookEnc), secret: decryptOptional(s.keys, robot.secretEnc) };
      claimed.push(...rows.slice(0, free).map((r) => ({ ...r, robot: robotInfo })));
      const held = rows.slice(free);
      if (held.length) {
        deferred += held.length;
        // Wait until the window has room: the oldest attempt in it turns a minute old (or a minute from now).
        const windowStart = free > 0 || !oldest ? now : oldest;
        const retryAt = new Date(Math.max(windowStart.getTime() + 60_000, now.getTime() + 1_000));
        await tx.update(notificationOutbox).set({ nextAttemptAt: retryAt }).where(and(eq(notificationOutbox.zoneId, zoneId), inArray(notificationOutbox.id, held.map((h) => h.id))));
      }
    }
    const stamp = claimed.filter((c) => !c.refuse).map((c) => c.id);
    if (stamp.length) {
      await tx
        .update(notificationOutbox)
        .set({ attempts: sql`${notificationOutbox.attempts} + 1`, sentAt: now, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
        .where(and(eq(notificationOutbox.zoneId, zoneId), inArray(notificationOutbox.id, stamp)));
    }
    const refused = claimed.filter((c) => c.refuse);
    for (const r of refused) {
      await tx
        .update(notificationOutbox)
        .set({ status: 'failed', lastError: r.refuse! })
        .where(and(eq(notificationOutbox.zoneId, zoneId), eq(notificationOutbox.id, r.id)));
    }
    return { claimed: claimed.filter((c) => !c.refuse), deferred };
  });
}

async function deliver(c: Claimed, mailer: () => Mailer | null): Promise<void> {
  if (c.channel === 'email') {
    const m = mailer();
    if (!m) throw new Error('no SMTP server configured');
    await m.send(c.target, c.subject, c.body);
    return;
  }
  const r = c.robot!;
  await postToRobot(r.kind, r.webhook, r.secret, c.subject, c.body);
}

/**
 * One sender pass for a zone: claims due rows (or only `onlyIds`), delivers them, records the outcome. Loops until
 * nothing due is left or only rate-limited rows remain.
 */
export async function sendPending(s: AppServices, zoneId: string, now: Date, opts: { onlyIds?: readonly string[] } = {}): Promise<SendReport> {
  const report: SendReport = { sent: 0, retried: 0, failed: 0, deferred: 0 };
  let mailer: Mailer | null | undefined;
  const getMailer = () => (mailer === undefined ? (mailer = openMailer(s.config)) : mailer);
  try {
    for (let round = 0; round < 20; round++) {
      const { claimed, deferred } = await claim(s, zoneId, now, opts.onlyIds);
      report.deferred += deferred;
      if (!claimed.length) break;
      for (const c of claimed) {
        try {
          await deliver(c, getMailer);
          await s.db
            .update(notificationOutbox)
            .set({ status: 'sent', lastError: null })
            .where(and(eq(notificationOutbox.zoneId, zoneId), eq(notificationOutbox.id, c.id)));
          report.sent++;
        } catch (err) {
          const attempts = c.attempts + 1;
          const giveUp = attempts >= s.config.notifyMaxAttempts;
          const message = err instanceof Error ? err.message : String(err);
          await s.db
            .update(notificationOutbox)
            .set({ status: giveUp ? 'failed' : 'pending', lastError: message.slice(0, 500), nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) })
            .where(and(eq(notificationOutbox.zoneId, zoneId), eq(notificationOutbox.id, c.id)));
          if (giveUp) report.failed++;
          else report.retried++;
        }
      }
      if (claimed.length < CLAIM_LIMIT) break;
    }
  } finally {
    mailer?.close();
  }
  return report;
}
