import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { commands, zones } from '../org/org.schema.ts';
import { users } from '../users/users.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The in-app inbox: one row per recipient and message. E-mail and robots get digests of these (see outbox). */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    userId: uuid('user_id').notNull(),
    /** problem.assigned, problem.remind, problem.supervise, problem.escalate, problem.returned, … */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** The page it is about, e.g. /problems/{id}. */
    link: text('link'),
    problemId: uuid('problem_id'),
    createdAt: createdAt(),
    readAt: ts('read_at'),
    /** Set when an e-mail digest carried it (each message goes out by e-mail at most once). */
    emailedAt: ts('emailed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.userId], foreignColumns: [users.zoneId, users.id] }).onDelete('cascade'),
    index('notifications_user_idx').on(t.zoneId, t.userId, t.createdAt),
    index('notifications_unemailed_idx').on(t.zoneId, t.emailedAt).where(sql`${t.emailedAt} is null`),
  ],
);

/** DingTalk / WeCom group robots (群机器人): a zone's, or an HQ's group. The secret signs DingTalk calls. */
export const robotChannels = pgTable(
  'robot_channels',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** SM4-encrypted (the webhook URL carries the access token). */
    webhookEnc: text('webhook_enc').notNull(),
    secretEnc: text('secret_enc'),
    /** The HQ whose problems it hears about; null: the whole zone. */
    commandId: uuid('command_id'),
    enabled: boolean('enabled').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }),
    check('robot_channels_kind_ck', sql`${t.kind} in ('dingtalk','wecom')`),
  ],
);

/**
 * Digests waiting to go out by e-mail or robot: one row per recipient per run (`run_key`), claimed with
 * FOR UPDATE SKIP LOCKED, retried with backoff, never sent twice.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    channel: text('channel').notNull(),
    /** An e-mail address, or robot_channels.id. */
    target: text('target').notNull(),
    runKey: text('run_key').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('notification_outbox_run_uq').on(t.zoneId, t.channel, t.target, t.runKey),
    index('notification_outbox_due_idx').on(t.status, t.nextAttemptAt),
    check('notification_outbox_channel_ck', sql`${t.channel} in ('email','dingtalk','wecom')`),
    check('notification_outbox_status_ck', sql`${t.status} in ('pending','sent','failed')`),
  ],
);

/**
 * The persistent scheduler: one row per zone and job, claimed with FOR UPDATE SKIP LOCKED when due. A restart
 * loses nothing (the next due time is in the database); two instances never run the same job at once.
 */
export const scheduledJobs = pgTable(
  'scheduled_jobs',
  {
    zoneId: zoneId().references(() => zones.id),
    name: text('name').notNull(),
    nextRunAt: ts('next_run_at').notNull(),
    lastRunAt: ts('last_run_at'),
    lastError: text('last_error'),
    runs: integer('runs').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.zoneId, t.name] }), index('scheduled_jobs_due_idx').on(t.nextRunAt)],
);
