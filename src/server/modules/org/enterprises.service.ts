import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { checkCreditCode } from '../../../shared/credit-code.ts';
import { maskIdNumber, maskPhone } from '../../../shared/masking.ts';
import type { AppServices, Caller } from '../../context.ts';
import { decryptOptional, encryptOptional } from '../../crypto.ts';
import type { Db } from '../../db/client.ts';
import { fieldError, notFound } from '../../errors.ts';
import { audit, auditEvent, versionConflict } from '../../lib/audited.ts';
import { refreshEnterpriseSearchDocs } from '../projects/projects.repository.ts';
import type { EnterpriseCreateInput, EnterpriseFilters, EnterprisePatchInput, RevealableField } from './org.api.ts';
import { translateDbError, translateDeleteError, type ConstraintFields } from './org.errors.ts';
import { enterpriseScope, enterpriseScopeWhere, inEnterpriseScope, unitSubtreeIds } from './org.policy.ts';
import { requireUnit, type NamedRef } from './org.refs.ts';
import { enterprises, units } from './org.schema.ts';
import { cleanText, requiredText } from './org.values.ts';

export type EnterpriseRow = typeof enterprises.$inferSelect;

/** An enterprise as the API shows it: personal data decrypted only to be masked. */
export interface EnterpriseView {
  row: EnterpriseRow;
  unit: NamedRef | null;
  legalRepIdNumber: string | null;
  contactPhone: string | null;
}

const ENTITY = 'enterprise';
/** An export is a spreadsheet, not a dump: beyond this the caller must filter. */
const EXPORT_LIMIT = 50_000;

const CONSTRAINTS: ConstraintFields = {
  unique: { enterprises_zone_credit_code_uq: 'creditCode' },
  foreignKey: { enterprises_zone_id_unit_id_units_zone_id_id_fk: 'unitId' },
};

/** Credit codes are upper case; people type them with spaces and in lower case. */
export function normaliseCreditCode(path: string, code: string): string {
  const normal = code.replace(/\s+/g, '').toUpperCase();
  const problem = checkCreditCode(normal);
  if (problem) throw fieldError(path, `field.credit_code.${problem}`);
  return normal;
}

function present(s: AppServices, row: EnterpriseRow, unitName: string | null): EnterpriseView {
  return {
    row,
    unit: row.unitId && unitName !== null ? { id: row.unitId, name: unitName } : null,
    legalRepIdNumber: maskIdNumber(decryptOptional(s.keys, row.legalRepIdNumberEnc)),
    contactPhone: maskPhone(decryptOptional(s.keys, row.contactPhoneEnc)),
  };
}

/** What the audit trail keeps of an enterprise: personal data only masked. */
function snapshot(view: EnterpriseView) {
  const { name, creditCode, legalRepresentative, contactName, industry, address, unitId, version } = view.row;
  return { name, creditCode, legalRepresentative, legalRepIdNumber: view.legalRepIdNumber, contactName, contactPhone: view.contactPhone, industry, address, unitId, version };
}

/** `%` and `_` in a search are literal characters, not wildcards. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The zone, the caller's scope and the list filters, as one condition. */
async function listWhere(s: AppServices, caller: Caller, filters: EnterpriseFilters): Promise<SQL | undefined> {
  const scope = await enterpriseScope(s.db, caller);
  const q = filters.q?.trim();
  // A filter by a street or cluster includes the areas under it.
  const unitIds = filters.unitId ? await unitSubtreeIds(s.db, caller.zoneId, [filters.unitId]) : undefined;
  return and(
    eq(enterprises.zoneId, caller.zoneId),
    enterpriseScopeWhere(scope),
    q ? or(ilike(enterprises.name, containsPattern(q)), ilike(enterprises.creditCode, containsPattern(q.toUpperCase()))) : undefined,
    unitIds ? (unitIds.length ? inArray(enterprises.unitId, unitIds) : sql`false`) : undefined,
    filters.industry ? eq(enterprises.industry, filters.industry) : undefined,
  );
}

async function selectViews(s: AppServices, db: Db, where: SQL | undefined, page?: { limit: number; offset: number }): Promise<EnterpriseView[]> {
  const query = db
    .select({ enterprise: enterprises, unitName: units.name })
    .from(enterprises)
    .leftJoin(units, and(eq(units.zoneId, enterprises.zoneId), eq(units.id, enterprises.unitId)))
    .where(where)
    .orderBy(asc(enterprises.name), asc(enterprises.id));
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query.limit(EXPORT_LIMIT);
  return rows.map((r) => present(s, r.enterprise, r.unitName));
}

export async function listEnterprises(
  s: AppServices,
  caller: Caller,
  filters: EnterpriseFilters,
  page: number,
  pageSize: number,
): Promise<{ items: EnterpriseView[]; total: number }> {
  const where = await listWhere(s, caller, filters);
  const [counted] = await s.db.select({ n: count() }).from(enterprises).where(where);
  const items = await selectViews(s, s.db, where, { limit: pageSize, offset: (page - 1) * pageSize });
  return { items, total: counted?.n ?? 0 };
}

/** Every matching enterprise (masked), and an audit row saying who took how many with which filters. */
export async function exportEnterprises(s: AppServices, caller: Caller, filters: EnterpriseFilters): Promise<EnterpriseView[]> {
  const views = await selectViews(s, s.db, await listWhere(s, caller, filters));
  await auditEvent(s, caller, { action: 'enterprise.export', entityType: ENTITY, after: { count: views.length, filters } });
  return views;
}

/** One enterprise inside the caller's scope; anything else is 404 as if it did not exist. */
export async function getEnterprise(s: AppServices, caller: Caller, id: string, db: Db = s.db): Promise<EnterpriseView> {
  const [view] = await selectViews(s, db, and(eq(enterprises.zoneId, caller.zoneId), eq(enterprises.id, id)));
  if (!view || !inEnterpriseScope(await enterpriseScope(db, caller), view.row)) throw notFound();
  return view;
}

export async function createEnterprise(s: AppServices, caller: Caller, input: EnterpriseCreateInput): Promise<EnterpriseView> {
  const creditCode = normaliseCreditCode('creditCode', input.creditCode);
  if (input.unitId) await requireUnit(s.db, caller.zoneId, input.unitId, 'unitId');
  try {
    const id = await s.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(enterprises)
        .values({
          zoneId: caller.zoneId,
          name: requiredText('name', input.name),
          creditCode,
          legalRepresentative: cleanText(input.legalRepresentative) ?? null,
          legalRepIdNumberEnc: encryptOptional(s.keys, input.legalRepIdNumber),
          contactName: cleanText(input.contactName) ?? null,
          contactPhoneEnc: encryptOptional(s.keys, input.contactPhone),
          industry: cleanText(input.industry) ?? null,
          address: cleanText(input.address) ?? null,
          unitId: input.unitId ?? null,
        })
        .returning();
      if (!row) throw new Error('enterprise insert returned nothing');
      await audit(tx, s, caller, { action: 'enterprise.create', entityType: ENTITY, entityId: row.id, after: snapshot(present(s, row, null)) });
      return row.id;
    });
    return await getEnterprise(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

function enterpriseChanges(s: AppServices, patch: EnterprisePatchInput, creditCode: string | undefined) {
  return {
    ...(patch.name !== undefined ? { name: requiredText('name', patch.name) } : {}),
    ...(creditCode !== undefined ? { creditCode } : {}),
    ...(patch.legalRepresentative !== undefined ? { legalRepresentative: cleanText(patch.legalRepresentative) ?? null } : {}),
    ...(patch.legalRepIdNumber !== undefined ? { legalRepIdNumberEnc: encryptOptional(s.keys, patch.legalRepIdNumber) } : {}),
    ...(patch.contactName !== undefined ? { contactName: cleanText(patch.contactName) ?? null } : {}),
    ...(patch.contactPhone !== undefined ? { contactPhoneEnc: encryptOptional(s.keys, patch.contactPhone) } : {}),
    ...(patch.industry !== undefined ? { industry: cleanText(patch.industry) ?? null } : {}),
    ...(patch.address !== undefined ? { address: cleanText(patch.address) ?? null } : {}),
    ...(patch.unitId !== undefined ? { unitId: patch.unitId } : {}),
  };
}

export async function updateEnterprise(s: AppServices, caller: Caller, id: string, patch: EnterprisePatchInput): Promise<EnterpriseView> {
  const { zoneId } = caller;
  const creditCode = patch.creditCode === undefined ? undefined : normaliseCreditCode('creditCode', patch.creditCode);
  await getEnterprise(s, caller, id);
  if (patch.unitId) await requireUnit(s.db, zoneId, patch.unitId, 'unitId');
  try {
    await s.db.transaction(async (tx) => {
      const current = await getEnterprise(s, caller, id, tx);
      if (current.row.version !== patch.version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const [row] = await tx
        .update(enterprises)
        .set({ ...enterpriseChanges(s, patch, creditCode), version: sql`${enterprises.version} + 1`, updatedAt: s.now() })
        .where(and(eq(enterprises.zoneId, zoneId), eq(enterprises.id, id), eq(enterprises.version, patch.version)))
        .returning();
      if (!row) throw await versionConflict(tx, zoneId, ENTITY, id);
      // Its projects are found by the enterprise's name (their search documents hold it): keep them findable.
      if (row.name !== current.row.name) await refreshEnterpriseSearchDocs(tx, zoneId, id, row.name);
      await audit(tx, s, caller, { action: 'enterprise.update', entityType: ENTITY, entityId: id, before: snapshot(current), after: snapshot(present(s, row, null)) });
    });
    return await getEnterprise(s, caller, id);
  } catch (err) {
    throw translateDbError(err, CONSTRAINTS);
  }
}

/** Refused (in use) while an enterprise contact or any later record points at it. */
export async function deleteEnterprise(s: AppServices, caller: Caller, id: string, version: number): Promise<void> {
  const { zoneId } = caller;
  await getEnterprise(s, caller, id);
  try {
    await s.db.transaction(async (tx) => {
      const current = await getEnterprise(s, caller, id, tx);
      if (current.row.version !== version) throw await versionConflict(tx, zoneId, ENTITY, id);
      const deleted = await tx
        .delete(enterprises)
        .where(and(eq(enterprises.zoneId, zoneId), eq(enterprises.id, id), eq(enterprises.version, version)))
        .returning({ id: enterprises.id });
      if (deleted.length === 0) throw await versionConflict(tx, zoneId, ENTITY, id);
      await audit(tx, s, caller, { action: 'enterprise.delete', entityType: ENTITY, entityId: id, before: snapshot(current) });
    });
  } catch (err) {
    throw translateDeleteError(err);
  }
}

/** The full value of one personal-data field, for a caller whose role needs it; the reveal itself is audited. */
export async function revealEnterpriseField(s: AppServices, caller: Caller, id: string, field: RevealableField): Promise<string | null> {
  const { row } = await getEnterprise(s, caller, id);
  const encrypted = field === 'contactPhone' ? row.contactPhoneEnc : row.legalRepIdNumberEnc;
  await auditEvent(s, caller, { action: 'enterprise.reveal', entityType: ENTITY, entityId: id, after: { field } });
  return decryptOptional(s.keys, encrypted);
}
