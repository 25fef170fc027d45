import { and, asc, eq, sql } from 'drizzle-orm';
import type { AppServices, Caller } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import { translateDbError, type ConstraintFields } from '../org/org.errors.ts';
import { dictionaryEntries } from './dictionaries.schema.ts';

/**
 * Zone-editable value lists (industry, project_kind): read by every business role and the system admin, edited by
 * the system admin. A code is what projects store, so it never changes; an entry nobody should pick any more is
 * made inactive instead of deleted (old projects keep showing its label).
 */

export const DICTIONARIES = ['industry', 'project_kind', 'problem_category'] as const;
export type Dictionary = (typeof DICTIONARIES)[number];
export type DictionaryEntryRow = typeof dictionaryEntries.$inferSelect;

const ENTITY = 'dictionary_entry';
const CONSTRAINTS: ConstraintFields = { unique: { dictionary_entries_code_uq: 'code', dictionary_entries_label_uq: 'label' } };

function snapshot(e: DictionaryEntryRow) {
  const { dictionary, code, label, labelEn, sortOrder, active, version } = e;
  return { dictionary, code, label, labelEn, sortOrder, active, version };
}

const required = (path: string, value: string): string => {
  const v = value.trim();
  if (!v) throw new AppError('validation_failed', { fields: [{ path, key: 'field.required' }] });
  return v;
};
const optional = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

export async function listEntries(s: AppServices, caller: Caller, dictionary: Dictionary): Promise<DictionaryEntryRow[]> {
  return s.db
    .select()
    .from(dictionaryEntries)
    .where(and(eq(dictionaryEntries.zoneId, caller.zoneId), eq(dictionaryEntries.dictionary, dictionary)))
    .orderBy(asc(dictionaryEntries.sortOrder), asc(dictionaryEntries.code));
}

export async function createEntry(
  s: AppServices,
  caller: Caller,
  dictionary: Dictionary,
  input: { code: string; label: string; labelEn?: string | null | undefined; sortOrder?: number | undefined },
): Promise<DictionaryEntryRow> {
  const code = required('code', input.code);
  const label = required('label', input.label);
  try {
    return await s.db.transaction(async (tx) => {
      const taken = await tx
        .select({ code: dictionaryEntries.code, label: dictionaryEntries.label })
        .from(dictionaryEntries)
        .where(and(eq(dictionaryEntries.zoneId, caller.zoneId), eq(dictionaryEntries.dictionary, dictionary), sql`(${dictionaryEntries.code} = ${code} or ${dictionaryEntries.label} = ${label})`));
      const fields = [
        ...(taken.some((t) => t.code === code) ? [{ path: 'code', key: 'field.taken' }] : []),
        ...(taken.some((t) => t.label === label) ? [{ path: 'label', key: 'field.taken' }] : []),
      ];
      if (fields.length) throw new AppError('validation_failed', { fields });
      const [row] = await tx
        .insert(dictionaryEntries)
        .values({ zoneId: caller.zoneId, dictionary, code, label, labelEn: optional(input.labelEn) ?? null, sortOrder: input.sortOrder ?? 0 })
        .returning();
      if (!row) throw new Error('dictionary insert returned nothing');
      await audit(tx, s, caller, { action: 'dictionary.create', entityType: ENTITY, entityId: row.id, after: snapshot(row) });
      return row;
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

export async function updateEntry(
  s: AppServices,
  caller: Caller,
  dictionary: Dictionary,
  id: string,
  input: { version: number; label?: string | undefined; labelEn?: string | null | undefined; sortOrder?: number | undefined; active?: boolean | undefined },
): Promise<DictionaryEntryRow> {
  const { zoneId } = caller;
  const label = input.label === undefined ? undefined : required('label', input.label);
  try {
    return await s.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(dictionaryEntries)
        .where(and(eq(dictionaryEntries.zoneId, zoneId), eq(dictionaryEntries.dictionary, dictionary), eq(dictionaryEntries.id, id)))
        .for('update');
      if (!current) throw notFound();
      if (current.version !== input.version) throw await versionConflict(tx, zoneId, ENTITY, id);
      if (label !== undefined && label !== current.label) {
        const [clash] = await tx
          .select({ id: dictionaryEntries.id })
          .from(dictionaryEntries)
          .where(and(eq(dictionaryEntries.zoneId, zoneId), eq(dictionaryEntries.dictionary, dictionary), eq(dictionaryEntries.label, label)));
        if (clash) throw new AppError('validation_failed', { fields: [{ path: 'label', key: 'field.taken' }] });
      }
      const [row] = await tx
        .update(dictionaryEntries)
        .set({
          ...(label !== undefined ? { label } : {}),
          ...(input.labelEn !== undefined ? { labelEn: optional(input.labelEn) ?? null } : {}),
          ...(input.sortOrder !== undefined ? { sortOrder: input.sortOrder } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
          version: sql`${dictionaryEntries.version} + 1`,
          updatedAt: s.now(),
        })
        .where(and(eq(dictionaryEntries.zoneId, zoneId), eq(dictionaryEntries.id, id), eq(dictionaryEntries.version, input.version)))
        .returning();
      if (!row) throw await versionConflict(tx, zoneId, ENTITY, id);
      await audit(tx, s, caller, { action: 'dictionary.update', entityType: ENTITY, entityId: id, before: snapshot(current), after: snapshot(row) });
      return row;
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}
