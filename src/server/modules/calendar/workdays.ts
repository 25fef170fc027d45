import { createRequire } from 'node:module';
import { addDays, weekday } from '../../../shared/days.ts';

/**
 * The official working-day calendar: weekends and public holidays are off, make-up workdays (调休) are on. The
 * data is the maintained `chinese-days` package (pinned), overlaid by a zone's own entries for a year the package
 * does not know yet (a new State Council notice). A day in a year neither knows is counted by weekday alone, and
 * any answer that crosses such a year is provisional.
 */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);
const DATA = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;

/** Years the package covers (2004 … its last year). */
const PACKAGE_YEARS: ReadonlySet<number> = new Set(Object.keys(DATA.holidays).map((d) => Number(d.slice(0, 4))));
export const PACKAGE_LAST_YEAR = Math.max(...PACKAGE_YEARS);

export type OverrideKind = 'workday' | 'holiday';
export interface CalendarOverride {
  day: string;
  kind: OverrideKind;
  note: string | null;
}

export interface WorkdaysAnswer {
  date: string;
  /** True when the count crossed a year for which no official calendar is known. */
  provisional: boolean;
}

export class WorkCalendar {
  private readonly overrides: Map<string, OverrideKind>;
  private readonly knownYears: Set<number>;

  constructor(overrides: readonly CalendarOverride[] = []) {
    this.overrides = new Map(overrides.map((o) => [o.day, o.kind]));
    this.knownYears = new Set([...PACKAGE_YEARS, ...overrides.map((o) => Number(o.day.slice(0, 4)))]);
  }

  isKnownYear(year: number): boolean {
    return this.knownYears.has(year);
  }

  /** Holiday name (zh) of a day off in the package, for display. */
  holidayName(day: string): string | null {
    const v = DATA.holidays[day];
    return v ? (v.split(',')[1] ?? null) : null;
  }

  isWorkday(day: string): boolean {
    const o = this.overrides.get(day);
    if (o) return o === 'workday';
    if (DATA.workdays[day]) return true;
    if (DATA.holidays[day]) return false;
    const w = weekday(day);
    return w !== 0 && w !== 6;
  }

  /** The day n working days after `from` (`from` itself not counted); n < 0 counts back; n = 0 answers `from`. */
  addWorkdays(from: string, n: number): WorkdaysAnswer {
    let day = from;
    let provisional = !this.isKnownYear(Number(from.slice(0, 4)));
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; ) {
      day = addDays(day, step);
      if (!this.isKnownYear(Number(day.slice(0, 4)))) provisional = true;
      if (this.isWorkday(day)) left--;
    }
    return { date: day, provisional };
  }

  /** Working days d with a < d ≤ b (0 when b ≤ a). */
  workdaysBetween(a: string, b: string): number {
    let count = 0;
    for (let day = addDays(a, 1); day <= b; day = addDays(day, 1)) if (this.isWorkday(day)) count++;
    return count;
  }

  /** The days of a year that differ from a plain Mon–Fri week: holidays on weekdays and make-up workdays. */
  specialDays(year: number): { day: string; workday: boolean; name: string | null; source: 'package' | 'zone' }[] {
    const out: { day: string; workday: boolean; name: string | null; source: 'package' | 'zone' }[] = [];
    for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) {
      const w = weekday(day);
      const plain = w !== 0 && w !== 6;
      const work = this.isWorkday(day);
      const fromZone = this.overrides.has(day);
      if (work !== plain || fromZone || DATA.holidays[day]) {
        out.push({ day, workday: work, name: fromZone ? null : this.holidayName(day) ?? (DATA.workdays[day] ? '调休上班' : null), source: fromZone ? 'zone' : 'package' });
      }
    }
    return out;
  }
}
