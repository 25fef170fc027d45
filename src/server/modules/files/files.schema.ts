import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, zoneId } from '../../db/columns.ts';
import { zones } from '../org/org.schema.ts';

/**
 * Uploaded files (one upload path for everything). The bytes live under <dataDir>/files/<zone>/<id> with a
 * server-generated name; the type is what the content says, not the name.
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: id(),
    zoneId: zoneId().references(() => zones.id),
    /** What it belongs to: ('project', id), ('monthly_report', id), later ('problem', id) … */
    ownerType: text('owner_type').notNull(),
    ownerId: uuid('owner_id').notNull(),
    originalName: text('original_name').notNull(),
    mime: text('mime').notNull(),
    kind: text('kind').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    /** For images: a re-encoded copy without metadata (GPS), shown outside the zone. */
    cleanId: uuid('clean_id'),
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.zoneId, t.id] }),
    index('stored_files_owner_idx').on(t.zoneId, t.ownerType, t.ownerId),
    check('stored_files_kind_ck', sql`${t.kind} in ('image','document')`),
  ],
);
