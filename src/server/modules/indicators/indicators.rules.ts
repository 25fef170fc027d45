/**
 * The arithmetic of economic indicators, exact (decimal strings in, decimal strings out, bigint inside; never a
 * float). Pure: used by the service, the import and the demo, and tested with hand-computed cases.
 */

/** A decimal as a scaled integer: 120.50 → { units: 12050n, scale: 2 }. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** "120.50" → { 12050n, 2 }; null for anything that is not a plain decimal number. */
export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ?? '';
  const units = BigInt(m[2]! + frac);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

/** a − b as a sign (−1, 0, 1), exactly. */
export function compareDecimal(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) throw new Error(`not decimals: ${a}, ${b}`);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d === 0n ? 0 : d > 0n ? 1 : -1;
}

/** n / d to `places` decimals, rounded half up (away from zero for negatives), exactly. Null when d is 0. */
export function divide(n: bigint, d: bigint, places: number): string | null {
  if (d === 0n) return null;
  const negative = n < 0n !== d < 0n && n !== 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const scale = 10n ** BigInt(places);
  const q = (an * scale * 2n + ad) / (ad * 2n);
  const whole = q / scale;
  const frac = (q % scale).toString().padStart(places, '0');
  const text = `${whole}${places > 0 ? '.' + frac : ''}`;
  return negative && q !== 0n ? `-${text}` : text;
}

/**
 * Year-on-year growth in percent, to 2 decimals rounded half up: (current − previous) / previous × 100.
 * 120.50 against 108.00 → "11.57". Null when there is no base to compare with (previous ≤ 0) or a figure is missing.
 */
export function yoyGrowth(current: string | null | undefined, previous: string | null | undefined): string | null {
  if (current == null || previous == null) return null;
  const c = parseDecimal(current);
  const p = parseDecimal(previous);
  if (!c || !p || p.units <= 0n) return null;
  const scale = Math.max(c.scale, p.scale);
  const cu = rescale(c, scale);
  const pu = rescale(p, scale);
  return divide((cu - pu) * 100n, pu, 2);
}

/**
 * Competition ranking, highest first ("1224"): equal figures share a rank and the next rank skips. Missing
 * figures (null) get no rank. [12.3, 8.1, 12.3, 5.0] → [1, 3, 1, 4].
 */
export function rankDescending(figures: readonly (string | null | undefined)[]): (number | null)[] {
  const present = figures.flatMap((f, i) => (f == null ? [] : [{ f, i }]));
  return figures.map((f) => {
    if (f == null) return null;
    return 1 + present.filter((o) => compareDecimal(o.f, f) > 0).length;
  });
}

/** A decimal string without trailing zeros: "120.5000" → "120.5", "8.00" → "8". For display and Excel. */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Normalises a decimal to exactly `places` decimals (no rounding: callers check the precision first). */
export function fixDecimal(text: string, places: number): string {
  const d = parseDecimal(text);
  if (!d || d.scale > places) throw new Error(`cannot fix ${text} to ${places} decimals`);
  const u = rescale(d, places);
  const negative = u < 0n;
  const abs = (negative ? -u : u).toString().padStart(places + 1, '0');
  const whole = abs.slice(0, abs.length - places);
  const frac = abs.slice(abs.length - places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? '.' + frac : ''}`;
}

// Periods ----------------------------------------------------------------------------------------------------------

/** The cumulative period 1..month of a year as the bureau writes it: 2023年1-5月, and 2023年1月 for January. */
export function periodLabel(year: number, month: number): string {
  return month === 1 ? `${year}年1月` : `${year}年1-${month}月`;
}

export function periodLabelEn(year: number, month: number): string {
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return month === 1 ? `Jan ${year}` : `Jan–${names[month - 1]} ${year}`;
}

export type PeriodParse = { ok: true; year: number; month: number } | { ok: false; reason: 'not_period' | 'not_cumulative' | 'out_of_range' };

const PERIOD = /(\d{4})\s*年\s*(\d{1,2})\s*(?:(?:-|－|—|–|~|～|至|到)+\s*(\d{1,2})\s*)?月/;

/**
 * Reads a cumulative period in a sheet name or title: "2023年1-5月", "2023年1—5月", "2023年1～5月主要经济指标",
 * "2023年1月". A single later month ("2023年5月") is not cumulative and is refused; so is a range not starting in January.
 */
export function parsePeriod(text: string): PeriodParse {
  const m = PERIOD.exec(text.normalize('NFKC'));
  if (!m) return { ok: false, reason: 'not_period' };
  const year = Number(m[1]);
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (year < 2000 || year > 2100 || from < 1 || to > 12 || to < from) return { ok: false, reason: 'out_of_range' };
  if (from !== 1) return { ok: false, reason: 'not_cumulative' };
  return { ok: true, year, month: to };
}

/**
 * A month column of the long layout: 5, "5", "5月", "1-5月", "1—5月". Null when it is not one; a range must start
 * in January.
 */
export function parseMonthCell(text: string): number | null {
  const clean = text.normalize('NFKC').replace(/\s+/g, '');
  const m = /^(?:(\d{1,2})(?:-|－|—|–|~|～|至|到)+)?(\d{1,2})月?$/.exec(clean);
  if (!m) return null;
  if (m[1] !== undefined && Number(m[1]) !== 1) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? month : null;
}
