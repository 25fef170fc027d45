import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version, zoneId } from '../../db/columns.ts';
import { zones } from '../org/org.schema.ts';

/** Zone-editable value lists (industries, project kinds, problem categories, …) used by forms and Excel templates. */
export const dictionaryEntries = pgTable(
  'dictionary_entries',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    dictionary: text('dictionary').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
    labelEn: text('label_en'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    uniqueIndex('dictionary_entries_code_uq').on(t.zoneId, t.dictionary, t.code),
    uniqueIndex('dictionary_entries_label_uq').on(t.zoneId, t.dictionary, t.label),
    check('dictionary_entries_dictionary_ck', sql`${t.dictionary} in ('industry','project_kind','problem_category')`),
  ],
);
