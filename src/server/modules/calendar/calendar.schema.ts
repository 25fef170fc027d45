import { sql } from 'drizzle-orm';
import { check, date, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, zoneId } from '../../db/columns.ts';
import { zones } from '../org/org.schema.ts';

/**
 * A zone's own calendar entries, over the `chinese-days` package: a new year's State Council notice before the
 * package knows it, or a local day off. A year with any entry here counts as known (deadlines in it are firm).
 */
export const calendarOverrides = pgTable(
  'calendar_overrides',
  {
    zoneId: zoneId().references(() => zones.id),
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    note: text('note'),
    updatedBy: uuid('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.zoneId, t.day] }), check('calendar_overrides_kind_ck', sql`${t.kind} in ('workday','holiday')`)],
);
