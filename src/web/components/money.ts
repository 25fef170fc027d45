/**
 * Money on screen: the API carries yuan decimal strings; the ledger speaks 亿元 (totals) and 万元 (monthly figures).
 * Everything goes through bigint cents (src/shared/money.ts) — never a JS float. The display formats (yi, wan,
 * percent) live in src/shared/money.ts, so generated documents print exactly what the pages show.
 */
import { CENTS_PER, formatYuan, parseYuan, type MoneyUnit } from '../../shared/money.ts';

export { formatIn, percent, wan, yi, type MoneyUnit } from '../../shared/money.ts';

/** The exact value of a yuan string in a unit, for prefilling an input (no rounding, no grouping): "1234567.89" → "123.456789" 万. */
export function exactIn(yuan: string | null | undefined, unit: MoneyUnit): string {
  const c = yuan == null ? null : parseYuan(yuan);
  if (c === null) return '';
  const per = CENTS_PER[unit];
  const negative = c < 0n;
  const abs = negative ? -c : c;
  const digits = per.toString().length - 1;
  const frac = (abs % per).toString().padStart(digits, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / per}${frac ? '.' + frac : ''}`;
}

/**
 * What the user typed in a unit ("1,200.5" 万元) → cents, exactly; null when it is not an amount or finer than a fen.
 * Like shared parseAmountIn, but with as many decimals as a fen needs in the unit (10 in 亿元), so that any stored
 * amount shown by exactIn can be typed back unchanged.
 */
export function parseIn(text: string, unit: MoneyUnit): bigint | null {
  const clean = text.replaceAll(',', '').replaceAll('，', '').trim();
  const m = /^(-)?(\d{1,14})(?:\.(\d{1,12}))?$/.exec(clean);
  if (!m) return null;
  const frac = m[3] ?? '';
  const scaled = BigInt(m[2]! + frac) * CENTS_PER[unit];
  const divisor = 10n ** BigInt(frac.length);
  if (scaled % divisor !== 0n) return null;
  const cents = scaled / divisor;
  return m[1] ? -cents : cents;
}

/** What the user typed in a unit → the API's yuan string, exactly; null when it is not an amount or finer than a fen. */
export function toYuan(text: string | null | undefined, unit: MoneyUnit): string | null {
  if (text == null || text.trim() === '') return null;
  const c = parseIn(text, unit);
  return c === null ? null : formatYuan(c);
}

/** A rate string as a number 0–100 for a progress bar (display only, never money). */
export function percentNumber(rate: string | null | undefined): number {
  if (rate == null) return 0;
  const n = Number(rate);
  return Number.isFinite(n) ? Math.max(0, Math.min(100, Math.round(n * 10000) / 100)) : 0;
}

/** Whether a figure is money (a decimal string) rather than a count. */
export function looksLikeMoney(value: string): boolean {
  return /^-?\d+\.\d{2}$/.test(value);
}
