/**
 * Months of the ledger (YYYY-MM; days are Asia/Shanghai calendar days YYYY-MM-DD) and exact ratios. Pure functions,
 * shared by the reports, the metrics and the demo ledger. 序时进度 itself lives in projects.schedule.ts.
 */

/** The month (YYYY-MM) a day falls in. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The first day of a month: 2023-04 → 2023-04-01 (how monthly_reports.month stores it). */
export function monthStart(month: string): string {
  return `${month}-01`;
}

/** The last day of a month: 2024-02 → 2024-02-29. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}`;
}

/** The month before: 2026-01 → 2025-12. */
export function previousMonth(month: string): string {
  return addMonths(month, -1);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** n / d to `places` decimals, rounded half up, exactly (bigint): ratio(13n, 16n) → "0.8125". Null when d is 0. */
export function ratio(n: bigint, d: bigint, places = 4): string | null {
  if (d === 0n) return null;
  const negative = n < 0n !== d < 0n && n !== 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const scale = 10n ** BigInt(places);
  const q = (an * scale * 2n + ad) / (ad * 2n);
  const whole = q / scale;
  const frac = (q % scale).toString().padStart(places, '0');
  return `${negative ? '-' : ''}${whole}${places > 0 ? '.' + frac : ''}`;
}
