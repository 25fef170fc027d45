import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, zoneId } from '../../db/columns.ts';
import { commands, zones } from '../org/org.schema.ts';
import { users } from '../users/users.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * 工作简报 (issue 6 point 4): one row per issue, generated from the cockpit's figures for a period and a scope (the
 * whole zone, or one HQ). The figures are frozen in `content` at generation and the docx and PDF rendered then and
 * stored as files of the zone (stored_files, owner 'briefing'), so an issue reads the same for ever.
 *
 * Numbering: each series (the zone's, or one HQ's) counts its issues per year from 1 (第N期); `series` is 'zone' or
 * the HQ's id, so the unique index can hold it without nulls.
 */
export const briefings = pgTable(
  'briefings',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    series: text('series').notNull(),
    commandId: uuid('command_id'),
    year: integer('year').notNull(),
    issueNo: integer('issue_no').notNull(),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    /** The day open counts and lights are measured on (Asia/Shanghai). */
    asOf: date('as_of').notNull(),
    /** 'manual' (someone pressed 生成) or 'weekly' (the scheduler). */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    issuingBody: text('issuing_body').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    docxFileId: uuid('docx_file_id').notNull(),
    pdfFileId: uuid('pdf_file_id').notNull(),
    generatedBy: uuid('generated_by'),
    generatedByName: text('generated_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('briefings_issue_uq').on(t.zoneId, t.series, t.year, t.issueNo),
    index('briefings_zone_created_idx').on(t.zoneId, t.createdAt),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }),
    check('briefings_kind_ck', sql`${t.kind} in ('manual','weekly')`),
    check('briefings_series_ck', sql`(${t.series} = 'zone') = (${t.commandId} is null)`),
    check('briefings_period_ck', sql`${t.periodFrom} <= ${t.periodTo}`),
  ],
);

/**
 * Who receives the weekly briefing of a series: in the inbox (and so in the e-mail digest). The zone's and an HQ's
 * group robots receive the link of their series' weekly issue without a row here.
 */
export const briefingSubscriptions = pgTable(
  'briefing_subscriptions',
  {
    zoneId: zoneId().references(() => zones.id),
    userId: uuid('user_id').notNull(),
    series: text('series').notNull(),
    commandId: uuid('command_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.userId, t.series] }),
    index('briefing_subscriptions_series_idx').on(t.zoneId, t.series),
    foreignKey({ columns: [t.zoneId, t.userId], foreignColumns: [users.zoneId, users.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.zoneId, t.commandId], foreignColumns: [commands.zoneId, commands.id] }).onDelete('cascade'),
    check('briefing_subscriptions_series_ck', sql`(${t.series} = 'zone') = (${t.commandId} is null)`),
  ],
);
