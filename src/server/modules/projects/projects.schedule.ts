import type { ProjectPhase } from '../../../shared/project-phase.ts';

/**
 * 序时进度 (progress against the time-proportional plan), as pure functions so the list (per-project `schedule`)
 * and the metrics module (zone-wide lagging list) apply exactly the same rule. Money is integer fen (bigint);
 * nothing here goes through a float.
 *
 *   monthsElapsed  = months of `year` that have fully passed by `asOf` (a month counts once its last day is ≤ asOf)
 *   expectedByNow  = yearPlanned × monthsElapsed / 12
 *   ahead          completed > expected      on_track  completed = expected      lagging  completed < expected
 *   no_plan        no plan > 0 for the year, or a phase that is not measured (only signed/started/operating are)
 */

/** The phases whose investment is measured against the time-proportional plan. */
export const SCHEDULED_PHASES: readonly ProjectPhase[] = ['signed', 'started', 'operating'];

/** Today's date (YYYY-MM-DD) in Asia/Shanghai. */
export function shanghaiDate(now: Date): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

export function shanghaiYear(now: Date): number {
  return Number(shanghaiDate(now).slice(0, 4));
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Months of `year` (0..12) whose last day is on or before `asOf` (YYYY-MM-DD). */
export function monthsElapsed(year: number, asOf: string): number {
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7));
  const d = Number(asOf.slice(8, 10));
  if (y < year) return 0;
  if (y > year) return 12;
  return d >= lastDayOfMonth(y, m) ? m : m - 1;
}

/** monthsElapsed / 12 as a decimal string with 4 places, rounded half up ("0.8333"). */
export function timeElapsed(months: number): string {
  const scaled = (BigInt(months) * 10000n * 2n + 12n) / 24n; // round half up of months*10000/12
  return `${scaled / 10000n}.${(scaled % 10000n).toString().padStart(4, '0')}`;
}

/** yearPlanned × months / 12 in fen, rounded half up to the fen (for display; comparisons use exact products). */
export function expectedByNow(plannedFen: bigint, months: number): bigint {
  return (plannedFen * BigInt(months) * 2n + 12n) / 24n;
}

export type ScheduleStatus = 'ahead' | 'on_track' | 'lagging' | 'no_plan';

export interface ScheduleInput {
  phase: ProjectPhase;
  /** The year's planned investment, null when there is no plan. */
  plannedFen: bigint | null;
  /** Completed investment reported for months of the year up to asOf. */
  completedFen: bigint;
  months: number;
}

/** The project's standing against 序时进度; exact: completed × 12 against planned × months. */
export function scheduleOf(p: ScheduleInput): ScheduleStatus {
  if (p.plannedFen === null || p.plannedFen <= 0n || !SCHEDULED_PHASES.includes(p.phase)) return 'no_plan';
  const done = p.completedFen * 12n;
  const due = p.plannedFen * BigInt(p.months);
  return done > due ? 'ahead' : done === due ? 'on_track' : 'lagging';
}

/** expected − completed in fen (positive when behind), from the rounded expectation. */
export function scheduleGap(plannedFen: bigint, completedFen: bigint, months: number): bigint {
  return expectedByNow(plannedFen, months) - completedFen;
}
