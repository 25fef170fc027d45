import { and, asc, eq, gt, inArray, isNull, like, lte, max, ne, sql } from 'drizzle-orm';
import { shanghaiDay } from '../../../shared/days.ts';
import type { AppServices } from '../../context.ts';
import { commands, zones } from '../org/org.schema.ts';
import { KIND_LABELS, type ChasingKind } from '../problems/chasing.ts';
import { problemEvents, problems } from '../problems/problems.schema.ts';
import { users } from '../users/users.schema.ts';
import { enqueue, type OutboxItem } from './outbox.ts';
import { notificationOutbox, notifications, robotChannels } from './notifications.schema.ts';
import { fitBytes, type RobotKind } from './robots.ts';

/**
 * Digests: what reached people's inboxes goes out as ONE e-mail per recipient per run, and what the chasing run
 * (and people's own 催办 / 督办) did goes to each robot group as ONE message per run. Both are written to the outbox
 * (outbox.ts) and delivered by the sender.
 */

/** Inbox messages older than this are not mailed any more (a mail server configured late sends no backlog). */
export const EMAIL_LOOKBACK_MS = 3 * 24 * 3_600_000;
const EMAIL_MAX_ITEMS = 5_000;

const fmtTime = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

function absolute(s: AppServices, link: string | null): string | null {
  if (!link) return null;
  return s.config.publicUrl ? `${s.config.publicUrl}${link}` : null;
}

/**
 * Gathers every unread inbox message of the zone not yet mailed (recipient active, with an e-mail address) into
 * one e-mail per recipient. The messages are marked `emailed_at` in the same transaction as their outbox row is
 * written, under FOR UPDATE SKIP LOCKED: two passes at once never put one message into two e-mails. Messages read
 * in the app before the pass are not mailed. Without an SMTP server nothing is marked.
 */
export async function buildEmailDigests(s: AppServices, zoneId: string, now: Date, runKey: string): Promise<number> {
  if (!s.config.smtpUrl) return 0;
  return s.db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: notifications.id,
        userId: notifications.userId,
        title: notifications.title,
        body: notifications.body,
        link: notifications.link,
        createdAt: notifications.createdAt,
        email: users.email,
        displayName: users.displayName,
      })
      .from(notifications)
      .innerJoin(users, and(eq(users.zoneId, notifications.zoneId), eq(users.id, notifications.userId)))
      .where(
        and(
          eq(notifications.zoneId, zoneId),
          isNull(notifications.emailedAt),
          isNull(notifications.readAt),
          // No upper bound: notices written during this run (stamped a moment after `now`) belong in it.
          gt(notifications.createdAt, new Date(now.getTime() - EMAIL_LOOKBACK_MS)),
          eq(users.disabled, false),
          sql`coalesce(${users.email}, '') <> ''`,
        ),
      )
      .orderBy(asc(notifications.createdAt))
      .limit(EMAIL_MAX_ITEMS)
      .for('update', { of: notifications, skipLocked: true });
    if (!rows.length) return 0;
    await tx
      .update(notifications)
      .set({ emailedAt: now })
      .where(and(eq(notifications.zoneId, zoneId), inArray(notifications.id, rows.map((r) => r.id))));
    const [zone] = await tx.select({ name: zones.name }).from(zones).where(eq(zones.id, zoneId));
    const byUser = new Map<string, typeof rows>();
    for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
    const items: OutboxItem[] = [];
    for (const [userId, list] of byUser) {
      const first = list[0]!;
      const lines = list.map((n, i) => {
        const url = absolute(s, n.link);
        return [`${i + 1}. ${n.title}`, n.body ? `   ${n.body}` : null, `   ${fmtTime(n.createdAt)}${url ? `  ${url}` : ''}`].filter(Boolean).join('\n');
      });
      const body = [
        `${first.displayName}：`,
        '',
        `您在“${zone?.name ?? '起步'}”有 ${list.length} 条新消息：`,
        '',
        lines.join('\n\n'),
        '',
        `请登录平台查看和办理${s.config.publicUrl ? `：${s.config.publicUrl}/notifications` : '。'}`,
        '',
        '—— 起步 Qibu（系统自动发送，请勿回复；已在平台上阅读的消息不再发送邮件）',
      ].join('\n');
      items.push({ zoneId, channel: 'email', target: first.email!, runKey: `${runKey}:${userId}`, subject: `【起步】您有${list.length}条新消息：${first.title}`.slice(0, 200), body });
    }
    return enqueue(tx, now, items);
  });
}

const MANUAL_LABELS: Record<string, string> = { remind: '催办', supervise: '领导督办' };

/** Robot digests are recognised by their run key, so a test message does not move a robot's window. */
export const ROBOT_DIGEST_PREFIX = 'robots:';

/**
 * One message per enabled robot with the zone's automatic reminders and escalations and people's own 催办 / 督办
 * since that robot's previous digest (an HQ's robot: only that HQ's problems). The robot's row is locked while its
 * window is read and its message queued, so the same event never goes to one robot twice.
 */
export async function buildRobotDigests(s: AppServices, zoneId: string, now: Date, runKey: string): Promise<number> {
  const channels = await s.db
    .select({ id: robotChannels.id })
    .from(robotChannels)
    .where(and(eq(robotChannels.zoneId, zoneId), eq(robotChannels.enabled, true)));
  let queued = 0;
  for (const { id } of channels) {
    queued += await s.db.transaction(async (tx) => {
      const [ch] = await tx.select().from(robotChannels).where(and(eq(robotChannels.zoneId, zoneId), eq(robotChannels.id, id))).for('update');
      if (!ch || !ch.enabled) return 0;
      const [last] = await tx
        .select({ at: max(notificationOutbox.createdAt) })
        .from(notificationOutbox)
        .where(and(eq(notificationOutbox.zoneId, zoneId), eq(notificationOutbox.target, ch.id), like(notificationOutbox.runKey, `${ROBOT_DIGEST_PREFIX}%`), ne(notificationOutbox.channel, 'email')));
      const since = last?.at ? new Date(last.at) : ch.createdAt;
      const events = await tx
        .select({ at: problemEvents.at, action: problemEvents.action, text: problemEvents.text, data: problemEvents.data, code: problems.code, title: problems.title, problemId: problems.id })
        .from(problemEvents)
        .innerJoin(problems, and(eq(problems.zoneId, problemEvents.zoneId), eq(problems.id, problemEvents.problemId)))
        .where(
          and(
            eq(problemEvents.zoneId, zoneId),
            inArray(problemEvents.action, ['auto_remind', 'escalate', 'remind', 'supervise']),
            gt(problemEvents.at, since),
            lte(problemEvents.at, now),
            ch.commandId ? eq(problems.commandId, ch.commandId) : undefined,
          ),
        )
        .orderBy(asc(problemEvents.at), asc(problems.code));
      if (!events.length) return 0;
      let scope = '';
      if (ch.commandId) {
        const [c] = await tx.select({ name: commands.name }).from(commands).where(and(eq(commands.zoneId, zoneId), eq(commands.id, ch.commandId)));
        scope = c?.name ?? '';
      } else {
        const [z] = await tx.select({ name: zones.name }).from(zones).where(eq(zones.id, zoneId));
        scope = z?.name ?? '';
      }
      const day = shanghaiDay(now);
      const title = `催办督办 ${day}`;
      const lines = events.map((e) => {
        const kind = (e.data as { kind?: string }).kind;
        const label = kind && kind in KIND_LABELS ? KIND_LABELS[kind as ChasingKind].zh : (MANUAL_LABELS[e.action] ?? e.action);
        const note = (e.text ?? '').replace(/\s+/g, ' ').slice(0, 80);
        const url = absolute(s, `/problems/${e.problemId}`);
        const name = url ? `[${e.code}](${url})` : e.code;
        return `- **${label}** ${name} ${e.title.slice(0, 40)}${note ? `：${note}` : ''}`;
      });
      const head = `#### ${title}${scope ? `（${scope}）` : ''}`;
      const foot = `共 ${events.length} 项${s.config.publicUrl ? `，[登录平台查看](${s.config.publicUrl}/problems)` : '，请登录平台查看'}`;
      const text = [head, '', fitBytes([...lines, '', foot])].join('\n');
      return enqueue(tx, now, [{ zoneId, channel: ch.kind as RobotKind, target: ch.id, runKey: `${ROBOT_DIGEST_PREFIX}${runKey}`, subject: title, body: text }]);
    });
  }
  return queued;
}
