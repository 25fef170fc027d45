import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { isValidDay } from '../../../shared/days.ts';
import type { AppServices, Caller } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { fieldError, notFound } from '../../errors.ts';
import { audit } from '../../lib/audited.ts';
import { calendarOverrides } from './calendar.schema.ts';
import { WorkCalendar, type OverrideKind } from './workdays.ts';

/**
 * The zone's working-day calendar, read fresh on each use (the override table is tiny, and several app instances
 * must agree at once without cache invalidation).
 */
export async function loadCalendar(db: Db, zoneId: string): Promise<WorkCalendar> {
  const rows = await db
    .select({ day: calendarOverrides.day, kind: calendarOverrides.kind, note: calendarOverrides.note })
    .from(calendarOverrides)
    .where(eq(calendarOverrides.zoneId, zoneId));
  return new WorkCalendar(rows.map((r) => ({ day: r.day, kind: r.kind as OverrideKind, note: r.note })));
}

export async function addWorkdays(s: AppServices, caller: Caller, from: string, days: number) {
  if (!isValidDay(from)) throw fieldError('from', 'field.format', { format: 'YYYY-MM-DD' });
  const cal = await loadCalendar(s.db, caller.zoneId);
  return { from, days, ...cal.addWorkdays(from, days) };
}

export async function calendarYear(s: AppServices, caller: Caller, year: number) {
  const cal = await loadCalendar(s.db, caller.zoneId);
  const overrides = await s.db
    .select({ day: calendarOverrides.day, kind: calendarOverrides.kind, note: calendarOverrides.note })
    .from(calendarOverrides)
    .where(and(eq(calendarOverrides.zoneId, caller.zoneId), gte(calendarOverrides.day, `${year}-01-01`), lt(calendarOverrides.day, `${year + 1}-01-01`)))
    .orderBy(asc(calendarOverrides.day));
  return { year, known: cal.isKnownYear(year), days: cal.specialDays(year), overrides: overrides.map((o) => ({ ...o, kind: o.kind as OverrideKind })) };
}

export async function putOverride(s: AppServices, caller: Caller, day: string, input: { kind: OverrideKind; note?: string | null }) {
  if (!isValidDay(day)) throw fieldError('day', 'field.format', { format: 'YYYY-MM-DD' });
  return s.db.transaction(async (tx) => {
    const [before] = await tx.select().from(calendarOverrides).where(and(eq(calendarOverrides.zoneId, caller.zoneId), eq(calendarOverrides.day, day)));
    const values = { kind: input.kind, note: input.note?.trim() || null, updatedBy: caller.userId, updatedAt: s.now() };
    const [row] = await tx
      .insert(calendarOverrides)
      .values({ zoneId: caller.zoneId, day, ...values })
      .onConflictDoUpdate({ target: [calendarOverrides.zoneId, calendarOverrides.day], set: values })
      .returning();
    await audit(tx, s, caller, {
      action: before ? 'calendar.override.update' : 'calendar.override.create',
      entityType: 'calendar_override',
      entityId: day,
      before: before ? { kind: before.kind, note: before.note } : null,
      after: { kind: row!.kind, note: row!.note },
    });
    return { day: row!.day, kind: row!.kind as OverrideKind, note: row!.note };
  });
}

export async function deleteOverride(s: AppServices, caller: Caller, day: string) {
  return s.db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(calendarOverrides)
      .where(and(eq(calendarOverrides.zoneId, caller.zoneId), eq(calendarOverrides.day, day)))
      .returning();
    if (!gone) throw notFound();
    await audit(tx, s, caller, { action: 'calendar.override.delete', entityType: 'calendar_override', entityId: day, before: { kind: gone.kind, note: gone.note }, after: null });
    return { ok: true };
  });
}
