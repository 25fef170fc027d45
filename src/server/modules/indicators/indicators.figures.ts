import { and, eq, inArray, sql } from 'drizzle-orm';
import { writeAuditBatch, type AuditEntry } from '../../audit/audit.ts';
import { auditActorOf, type AppServices, type Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { versionConflict } from '../../lib/audited.ts';
import { users } from '../users/users.schema.ts';
import type { FigureDto } from './indicators.api.ts';
import { compareDecimal, fixDecimal, trimDecimal, yoyGrowth } from './indicators.rules.ts';
import { indicatorDistricts, indicators, indicatorValues } from './indicators.schema.ts';

/**
 * Writing figures: the one path manual entry and the import share. In the caller's transaction: every figure
 * written (inserted, updated, deleted), then the computed growths that depend on them refreshed (the same period
 * of this year and of next year), then one audit row per figure changed, with before and after.
 */

export type FigureRow = typeof indicatorValues.$inferSelect;

export const ENTITY = 'indicator_value';

export interface FigureWrite {
  indicatorId: string;
  districtId: string;
  year: number;
  month: number;
  /** Decimal strings as validated (value ≤ 4 decimals, growth ≤ 2), or null. */
  value: string | null;
  growth: string | null;
  /** Manual entry: the version the edit was based on (undefined for a new figure). */
  version?: number | undefined;
}

export interface WriteOutcome {
  /** Final rows of the figures written (not the deleted ones), in the order given. */
  rows: FigureRow[];
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  recomputed: number;
}

export const keyOf = (f: { indicatorId: string; districtId: string; year: number; month: number }) => `${f.indicatorId}|${f.districtId}|${f.year}|${f.month}`;

/** Names for audit rows: indicator code, district name. */
export interface Names {
  indicator: Map<string, string>;
  district: Map<string, string>;
}

export async function loadNames(db: Db, zoneId: string): Promise<Names> {
  const [inds, dists] = await Promise.all([
    db.select({ id: indicators.id, code: indicators.code }).from(indicators).where(eq(indicators.zoneId, zoneId)),
    db.select({ id: indicatorDistricts.id, name: indicatorDistricts.name }).from(indicatorDistricts).where(eq(indicatorDistricts.zoneId, zoneId)),
  ]);
  return { indicator: new Map(inds.map((i) => [i.id, i.code])), district: new Map(dists.map((d) => [d.id, d.name])) };
}

function snapshot(names: Names, r: FigureRow) {
  return {
    indicator: names.indicator.get(r.indicatorId) ?? r.indicatorId,
    district: names.district.get(r.districtId) ?? r.districtId,
    year: r.year,
    month: r.month,
    value: r.value === null ? null : trimDecimal(r.value),
    growth: r.growth,
    growthSource: r.growthSource,
    source: r.source,
    version: r.version,
  };
}

const sameDecimal = (a: string | null, b: string | null) => (a === null || b === null ? a === b : compareDecimal(a, b) === 0);

/** Whether writing `w` over `current` would change nothing. */
function unchangedBy(current: FigureRow, w: FigureWrite): boolean {
  if (!sameDecimal(current.value, w.value)) return false;
  if (w.growth === null) return current.growthSource !== 'entered';
  return current.growthSource === 'entered' && sameDecimal(current.growth, w.growth);
}

/** The figures of the zone in the given years (small: indicators × districts × 12 per year). */
async function rowsOfYears(tx: Db, zoneId: string, years: number[], lock: boolean): Promise<FigureRow[]> {
  if (years.length === 0) return [];
  const q = tx
    .select()
    .from(indicatorValues)
    .where(and(eq(indicatorValues.zoneId, zoneId), inArray(indicatorValues.year, years)));
  return lock ? q.for('update') : q;
}

/**
 * Writes the figures in `tx` (the caller's transaction) and audits each change. With `checkVersions` (manual entry)
 * a figure that exists must be named with its current version, and a new one without: otherwise 409 naming who
 * changed it last. The import writes over whatever is there (its audit rows say what it replaced).
 */
export async function writeFigures(
  tx: Db,
  s: AppServices,
  caller: Caller,
  writes: FigureWrite[],
  opts: { source: 'manual' | 'import'; checkVersions: boolean; names: Names },
): Promise<WriteOutcome> {
  const { zoneId } = caller;
  const now = s.now();
  const years = [...new Set(writes.map((w) => w.year))];
  const existing = new Map((await rowsOfYears(tx, zoneId, years, true)).map((r) => [keyOf(r), r]));
  const audits: AuditEntry[] = [];
  const out: WriteOutcome = { rows: [], created: 0, updated: 0, unchanged: 0, deleted: 0, recomputed: 0 };
  const touched: string[] = [];
  /** Figures inserted or updated here (their own computed growth is part of this write, not a recompute). */
  const written = new Set<string>();

  for (const w of writes) {
    const current = existing.get(keyOf(w));
    if (opts.checkVersions) {
      if (current && w.version !== current.version) throw await versionConflict(tx, zoneId, ENTITY, current.id);
      if (!current && w.version !== undefined) throw new AppError('version_conflict', { params: { by: '', at: '' } });
    }
    if (w.value === null && w.growth === null) {
      if (!current) continue;
      await tx.delete(indicatorValues).where(and(eq(indicatorValues.zoneId, zoneId), eq(indicatorValues.id, current.id), eq(indicatorValues.version, current.version)));
      audits.push({ action: 'indicator_value.delete', entityType: ENTITY, entityId: current.id, before: snapshot(opts.names, current) });
      existing.delete(keyOf(w));
      out.deleted++;
      touched.push(keyOf(w));
      continue;
    }
    const value = w.value === null ? null : fixDecimal(w.value, 4);
    const growth = w.growth === null ? null : fixDecimal(w.growth, 2);
    const growthSource = growth === null ? null : 'entered';
    if (current) {
      if (unchangedBy(current, w)) {
        out.unchanged++;
        touched.push(keyOf(w));
        continue;
      }
      const [row] = await tx
        .update(indicatorValues)
        .set({ value, growth, growthSource, source: opts.source, updatedBy: caller.userId, updatedAt: now, version: sql`${indicatorValues.version} + 1` })
        .where(and(eq(indicatorValues.zoneId, zoneId), eq(indicatorValues.id, current.id), eq(indicatorValues.version, current.version)))
        .returning();
      if (!row) throw await versionConflict(tx, zoneId, ENTITY, current.id);
      audits.push({ action: 'indicator_value.update', entityType: ENTITY, entityId: row.id, before: snapshot(opts.names, current), after: snapshot(opts.names, row) });
      existing.set(keyOf(w), row);
      written.add(keyOf(w));
      out.updated++;
    } else {
      const [row] = await tx
        .insert(indicatorValues)
        .values({ zoneId, indicatorId: w.indicatorId, districtId: w.districtId, year: w.year, month: w.month, value, growth, growthSource, source: opts.source, updatedBy: caller.userId, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning();
      // Someone else entered the same figure meanwhile.
      if (!row) throw new AppError('version_conflict', { params: { by: '', at: '' } });
      audits.push({ action: 'indicator_value.create', entityType: ENTITY, entityId: row.id, after: snapshot(opts.names, row) });
      existing.set(keyOf(w), row);
      written.add(keyOf(w));
      out.created++;
    }
    touched.push(keyOf(w));
  }

  // Computed growths: the figures written (a growth left out is computed) and next year's same periods.
  const refreshed = await refreshComputedGrowth(tx, zoneId, writes, written, now);
  for (const { before, after, own } of refreshed) {
    existing.set(keyOf(after), after);
    const i = audits.findIndex((a) => a.entityId === after.id && a.action !== 'indicator_value.delete');
    if (own && i >= 0) {
      // The figure's own growth was computed as part of this write: one audit row with the final state.
      audits[i] = { ...audits[i]!, after: snapshot(opts.names, after) };
    } else {
      audits.push({ action: 'indicator_value.recompute', entityType: ENTITY, entityId: after.id, before: snapshot(opts.names, before), after: snapshot(opts.names, after) });
      if (!own) out.recomputed++;
    }
  }
  await writeAuditBatch(tx, s.keys.auditKey, auditActorOf(caller), audits);
  out.rows = touched.map((k) => existing.get(k)).filter((r): r is FigureRow => r !== undefined);
  return out;
}

/**
 * Recomputes the computed growths that depend on the figures of `keys`: the figures themselves (when their growth is
 * not entered) and the same period of the following year. growth = yoyGrowth(value, last year's value), or none.
 * Returns each row whose growth changed; `own` marks the figures just inserted or updated (`written`): their version
 * was already moved by the write.
 */
async function refreshComputedGrowth(
  tx: Db,
  zoneId: string,
  keys: { indicatorId: string; districtId: string; year: number; month: number }[],
  own: Set<string>,
  now: Date,
): Promise<{ before: FigureRow; after: FigureRow; own: boolean }[]> {
  if (keys.length === 0) return [];
  const targets = new Set([...keys.map(keyOf), ...keys.map((k) => keyOf({ ...k, year: k.year + 1 }))]);
  const years = [...new Set(keys.flatMap((k) => [k.year - 1, k.year, k.year + 1]))];
  const rows = await rowsOfYears(tx, zoneId, years, false);
  const byKey = new Map(rows.map((r) => [keyOf(r), r]));
  const changed: { before: FigureRow; after: FigureRow; own: boolean }[] = [];
  for (const r of rows) {
    if (!targets.has(keyOf(r)) || r.growthSource === 'entered' || r.value === null) continue;
    const previous = byKey.get(keyOf({ ...r, year: r.year - 1 }));
    const growth = yoyGrowth(r.value, previous?.value ?? null);
    // Stored growths are numeric(7,2) text ("11.57"), as yoyGrowth gives them.
    if (growth === r.growth) continue;
    const [after] = await tx
      .update(indicatorValues)
      .set({
        growth,
        growthSource: growth === null ? null : 'computed',
        // A figure recomputed keeps who entered it; its time and version move.
        ...(own.has(keyOf(r)) ? {} : { updatedAt: now }),
        version: own.has(keyOf(r)) ? r.version : sql`${indicatorValues.version} + 1`,
      })
      .where(and(eq(indicatorValues.zoneId, zoneId), eq(indicatorValues.id, r.id)))
      .returning();
    if (after) changed.push({ before: r, after, own: own.has(keyOf(r)) });
  }
  return changed;
}

// Presenting ---------------------------------------------------------------------------------------------------------

export async function presentFigures(db: Db, zoneId: string, rows: FigureRow[]): Promise<FigureDto[]> {
  const ids = [...new Set(rows.map((r) => r.updatedBy).filter((u): u is string => u !== null))];
  const people = ids.length
    ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(and(eq(users.zoneId, zoneId), inArray(users.id, ids)))
    : [];
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  return rows.map((r) => ({
    id: r.id,
    indicatorId: r.indicatorId,
    districtId: r.districtId,
    year: r.year,
    month: r.month,
    value: r.value === null ? null : trimDecimal(r.value),
    growth: r.growth,
    growthSource: r.growthSource as FigureDto['growthSource'],
    source: r.source as FigureDto['source'],
    updatedBy: r.updatedBy ? { id: r.updatedBy, displayName: nameOf.get(r.updatedBy) ?? '' } : null,
    updatedAt: new Date(r.updatedAt).toISOString(),
    version: r.version,
  }));
}
