import { and, asc, eq, sql } from 'drizzle-orm';
import { UNIT_CHILD_KINDS, UNIT_KIND_LABELS, UNIT_KINDS, type UnitKind } from '../../../shared/org.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { fieldError, notFound } from '../../errors.ts';
import type { Lang } from '../../i18n.ts';
import { audit, versionConflict } from '../../lib/audited.ts';
import type { UnitCreateInput, UnitPatchInput } from './org.api.ts';
import { cannotDelete, translateDbError, translateDeleteError, type ConstraintFields } from './org.errors.ts';
import { unitSubtreeIds } from './org.policy.ts';
import { units } from './org.schema.ts';
import { cleanText, oneOf, requiredText } from './org.values.ts';

export type UnitRow = typeof units.$inferSelect;

const ENTITY = 'unit';
/** Only these may stand at the top of the tree. */
const ROOT_KINDS: readonly UnitKind[] = ['committee', 'external'];

const CONSTRAINTS: ConstraintFields = {
  unique: { units_zone_parent_name_uq: 'name' },
  foreignKey: { units_zone_id_parent_id_units_zone_id_id_fk: 'parentId' },
};

export const asUnitKind = (kind: string): UnitKind => oneOf(UNIT_KINDS, kind);

const kindLabel = (kind: UnitKind, lang: Lang) => (lang === 'en' ? UNIT_KIND_LABELS[kind].en.toLowerCase() : UNIT_KIND_LABELS[kind].zh);

function kindError(path: string, parent: UnitKind, child: UnitKind, lang: Lang) {
  return fieldError(path, 'field.parent_kind', { parent: kindLabel(parent, lang), child: kindLabel(child, lang) });
}

/** What the audit trail keeps of a unit. */
function snapshot(u: UnitRow) {
  const { parentId, kind, name, shortName, description, establishedOn, sortOrder, active, version } = u;
  return { parentId, kind, name, shortName, description, establishedOn, sortOrder, active, version };
}

async function findUnit(db: Db, zoneId: string, id: string): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(units).where(and(eq(units.zoneId, zoneId), eq(units.id, id)));
  return row;
}

export function listUnits(s: AppServices, caller: Caller): Promise<UnitRow[]> {
  return s.db.select().from(units).where(eq(units.zoneId, caller.zoneId)).orderBy(asc(units.sortOrder), asc(units.name));
}

export async function getUnit(s: AppServices, caller: Caller, id: string): Promise<UnitRow> {
  const row = await findUnit(s.db, caller.zoneId, id);
  if (!row) throw notFound();
  return row;
}

/** The parent a unit would sit under, checked for existence and kind. `path` names the field that decided it. */
async function checkParent(db: Db, zoneId: string, parentId: string | null, kind: UnitKind, path: 'parentId' | 'kind', lang: Lang): Promise<void> {
  if (parentId === null) {
    if (!ROOT_KINDS.includes(kind)) throw fieldError('parentId', 'field.required');
    return;
  }
  const parent = await findUnit(db, zoneId, parentId);
  if (!parent) throw fieldError('parentId', 'field.not_found');
  const parentKind = asUnitKind(parent.kind);
  if (!UNIT_CHILD_KINDS[parentKind].includes(kind)) throw kindError(path, parentKind, kind, lang);
}

export async function createUnit(s: AppServices, caller: Caller, input: UnitCreateInput, lang: Lang): Promise<UnitRow> {
  const parentId = input.parentId ?? null;
  await checkParent(s.db, caller.zoneId, parentId, input.kind, 'parentId', lang);
  try {
    return await s.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(units)
        .values({
          zoneId: caller.zoneId,
          parentId,
          kind: input.kind,
          name: requiredText('name', input.name),
          shortName: cleanText(input.shortName) ?? null,
          description: cleanText(input.description) ?? null,
          establishedOn: input.establishedOn ?? null,
          sortOrder: input.sortOrder ?? 0,
        })
        .returning();
      if (!row) throw new Error('unit insert returned nothing');
      await audit(tx, s, caller, { action: 'unit.create', entityType: ENTITY, entityId: row.id, after: snapshot(row) });
      return row;
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

/**
 * Moves serialise per zone: two concurrent moves that are each fine alone (A under B, B under A) would otherwise
 * commit a cycle. The lock is held until the transaction ends.
 */
async function lockTree(tx: Db, zoneId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`qibu.units.${zoneId}`}, 0))`);
}

/** Moving under itself or a descendant would cut the subtree off the tree. */
async function checkNoCycle(db: Db, zoneId: string, unitId: string, newParentId: string | null): Promise<void> {
  if (newParentId === null) return;
  const subtree = await unitSubtreeIds(db, zoneId, [unitId]);
  if (subtree.includes(newParentId)) throw fieldError('parentId', 'field.parent_cycle');
}

/** After a kind change, every child must still be allowed under the unit. */
async function checkChildrenFit(db: Db, zoneId: string, unitId: string, kind: UnitKind, lang: Lang): Promise<void> {
  const children = await db.selectDistinct({ kind: units.kind }).from(units).where(and(eq(units.zoneId, zoneId), eq(units.parentId, unitId)));
  const misfit = children.map((c) => asUnitKind(c.kind)).find((k) => !UNIT_CHILD_KINDS[kind].includes(k));
  if (misfit) throw kindError('kind', kind, misfit, lang);
}

async function checkTreeRules(tx: Db, current: UnitRow, parentId: string | null, kind: UnitKind, lang: Lang): Promise<void> {
  const moved = parentId !== current.parentId;
  if (moved) await checkNoCycle(tx, current.zoneId, current.id, parentId);
  await checkParent(tx, current.zoneId, parentId, kind, moved ? 'parentId' : 'kind', lang);
  if (kind !== current.kind) await checkChildrenFit(tx, current.zoneId, current.id, kind, lang);
}

function unitChanges(patch: UnitPatchInput) {
  return {
    ...(patch.parentId !== undefined ? { parentId: patch.parentId } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.name !== undefined ? { name: requiredText('name', patch.name) } : {}),
    ...(patch.shortName !== undefined ? { shortName: cleanText(patch.shortName) ?? null } : {}),
    ...(patch.description !== undefined ? { description: cleanText(patch.description) ?? null } : {}),
    ...(patch.establishedOn !== undefined ? { establishedOn: patch.establishedOn } : {}),
    ...(patch.sortOrder !== undefined ? { sortOrder: patch.sortOrder } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  };
}

/** Edits and moves (a changed parentId) a unit; the audit row says unit.move when it moved. */
export async function updateUnit(s: AppServices, caller: Caller, id: string, patch: UnitPatchInput, lang: Lang): Promise<UnitRow> {
  const { zoneId } = caller;
  try {
    return await s.db.transaction(async (tx) => {
      if (patch.parentId !== undefined) await lockTree(tx, zoneId);
      const current = await findUnit(tx, zoneId, id);
      if (!current) throw notFound();
      if (current.version !== patch.version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const parentId = patch.parentId === undefined ? current.parentId : patch.parentId;
      const kind = patch.kind ?? asUnitKind(current.kind);
      if (parentId !== current.parentId || kind !== current.kind) await checkTreeRules(tx, current, parentId, kind, lang);
      const [row] = await tx
        .update(units)
        .set({ ...unitChanges(patch), version: sql`${units.version} + 1`, updatedAt: s.now() })
        .where(and(eq(units.zoneId, zoneId), eq(units.id, id), eq(units.version, patch.version)))
        .returning();
      if (!row) throw await versionConflict(tx, zoneId, ENTITY, id);
      const action = parentId !== current.parentId ? 'unit.move' : 'unit.update';
      await audit(tx, s, caller, { action, entityType: ENTITY, entityId: id, before: snapshot(current), after: snapshot(row) });
      return row;
    });
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

/** Refused while sub-units exist or anything (users, enterprises, HQs, later records) still points at it. */
export async function deleteUnit(s: AppServices, caller: Caller, id: string, version: number): Promise<void> {
  const { zoneId } = caller;
  try {
    await s.db.transaction(async (tx) => {
      const current = await findUnit(tx, zoneId, id);
      if (!current) throw notFound();
      if (current.version !== version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const [child] = await tx.select({ id: units.id }).from(units).where(and(eq(units.zoneId, zoneId), eq(units.parentId, id))).limit(1);
      if (child) throw cannotDelete('field.has_children');
      const deleted = await tx
        .delete(units)
        .where(and(eq(units.zoneId, zoneId), eq(units.id, id), eq(units.version, version)))
        .returning({ id: units.id });
      if (deleted.length === 0) throw await versionConflict(tx, zoneId, ENTITY, id);
      await audit(tx, s, caller, { action: 'unit.delete', entityType: ENTITY, entityId: id, before: snapshot(current) });
    });
  } catch (err) {
    throw translateDeleteError(err);
  }
}
