/** Times are shown in the zone's time zone whatever the browser's is. */
export const ZONE_TZ = 'Asia/Shanghai';

const dateTimeFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "2026-03-01 09:05:07" in Asia/Shanghai. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(dateTimeFmt.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export function dash(value: string | number | null | undefined): string | number {
  return value === null || value === undefined || value === '' ? '—' : value;
}

const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE_TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Asia/Shanghai, "YYYY-MM-DD" (whatever the browser's time zone). */
export function todayInZone(): string {
  return dayFmt.format(new Date());
}

export function thisMonthInZone(): string {
  return todayInZone().slice(0, 7);
}

export function thisYearInZone(): number {
  return Number(todayInZone().slice(0, 4));
}
