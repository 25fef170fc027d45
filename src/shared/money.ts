/**
 * Money is exact: integer cents (fen) as bigint in code, numeric(18,2) in the database, and a decimal string in
 * yuan in JSON ("48650000000.00"). Never a float.
 */
const YUAN = /^(-)?(\d{1,16})(?:\.(\d{1,2}))?$/;

export function parseYuan(text: string): bigint | null {
  const m = YUAN.exec(text.trim());
  if (!m) return null;
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -cents : cents;
}

export function formatYuan(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const yuan = abs / 100n;
  const fen = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${fen}`;
}

/** 亿元 (100 million yuan) with up to 4 decimals, for display: 48650000000.00 → "486.5". */
export function formatYi(cents: bigint, decimals = 4): string {
  const per = 10_000_000_000n; // cents in one 亿
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const scale = 10n ** BigInt(decimals);
  const scaled = (abs * scale + per / 2n) / per;
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/** 亿元 / 万元 as typed in ledgers ("486.5", "1,200") to cents. */
export function parseAmountIn(text: string, unit: 'yuan' | 'wan' | 'yi'): bigint | null {
  const clean = text.replaceAll(',', '').replaceAll('，', '').trim();
  const m = /^(-)?(\d{1,14})(?:\.(\d{1,8}))?$/.exec(clean);
  if (!m) return null;
  const digits = (m[3] ?? '').length;
  const factor = unit === 'yuan' ? 100n : unit === 'wan' ? 1_000_000n : 10_000_000_000n;
  const scaled = BigInt(m[2]! + (m[3] ?? '')) * factor;
  const divisor = 10n ** BigInt(digits);
  if (scaled % divisor !== 0n) return null; // finer than a fen
  const cents = scaled / divisor;
  return m[1] ? -cents : cents;
}

export const MONEY_PATTERN = '^-?\\d{1,16}(\\.\\d{1,2})?$';

// ---- display (web pages and generated documents alike, so a briefing prints what the cockpit shows) ----

export const CENTS_PER = { yuan: 100n, wan: 1_000_000n, yi: 10_000_000_000n } as const;
export type MoneyUnit = keyof typeof CENTS_PER;

/** cents → "486.5" in the unit, rounded half up to `decimals` places, trailing zeros dropped, thousands grouped. */
export function formatIn(cents: bigint, unit: MoneyUnit, decimals: number): string {
  const per = CENTS_PER[unit];
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const scale = 10n ** BigInt(decimals);
  const scaled = (abs * scale + per / 2n) / per;
  const whole = (scaled / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = decimals ? (scaled % scale).toString().padStart(decimals, '0').replace(/0+$/, '') : '';
  return `${negative && scaled !== 0n ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/** A yuan string from the API in 亿元 ("48650000000.00" → "486.5"); null/invalid → "—". */
export function yi(yuan: string | null | undefined, decimals = 4): string {
  const c = yuan == null ? null : parseYuan(yuan);
  return c === null ? '—' : formatIn(c, 'yi', decimals);
}

/** A yuan string from the API in 万元 ("1234500.00" → "123.45"). */
export function wan(yuan: string | null | undefined, decimals = 2): string {
  const c = yuan == null ? null : parseYuan(yuan);
  return c === null ? '—' : formatIn(c, 'wan', decimals);
}

/** A 4-place decimal rate string ("0.8125") → "81.25%"; null → "—". String arithmetic, no float. */
export function percent(rate: string | null | undefined): string {
  if (rate == null) return '—';
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!m) return rate;
  const frac = (m[3] ?? '').padEnd(4, '0');
  const basis = BigInt(m[2]!) * 10000n + BigInt(frac.slice(0, 4)); // in 1/10000
  const whole = basis / 100n;
  const cents = (basis % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${m[1] ?? ''}${whole}${cents ? '.' + cents : ''}%`;
}

