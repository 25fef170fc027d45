import { addDays, isValidDay, weekday } from '../../../shared/days.ts';

/** The cockpit's period: this week / month / year (to today), or a custom range; kept in the URL. */
export const PERIODS = ['week', 'month', 'year', 'custom'] as const;
export type PeriodKey = (typeof PERIODS)[number];

export interface Period {
  key: PeriodKey;
  from: string;
  to: string;
}

export const mondayOf = (day: string) => addDays(day, -((weekday(day) + 6) % 7));

export function periodOf(key: PeriodKey, today: string, custom?: { from?: string | null; to?: string | null }): Period {
  switch (key) {
    case 'week':
      return { key, from: mondayOf(today), to: today };
    case 'month':
      return { key, from: `${today.slice(0, 7)}-01`, to: today };
    case 'custom': {
      const from = custom?.from && isValidDay(custom.from) ? custom.from : `${today.slice(0, 4)}-01-01`;
      const to = custom?.to && isValidDay(custom.to) && custom.to >= from ? custom.to : today < from ? from : today;
      return { key, from, to };
    }
    default:
      return { key: 'year', from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/** The period in a URL query (`period`, and `from`/`to` when custom); this year by default. */
export function periodFromParams(sp: URLSearchParams, today: string): Period {
  const raw = sp.get('period');
  const key: PeriodKey = (PERIODS as readonly string[]).includes(raw ?? '') ? (raw as PeriodKey) : 'year';
  return periodOf(key, today, { from: sp.get('from'), to: sp.get('to') });
}
