import type { Rank } from '../../api/indicators.ts';

/** Display helpers for indicator figures (decimal strings from the API; never parsed into floats for display). */

/** "120.5000" → "120.5"; null → "—". */
export function figure(value: string | null | undefined): string {
  if (value == null) return '—';
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** A growth in percent: "11.57" → "11.57%", "-3.20" → "-3.2%". */
export function growthText(value: string | null | undefined): string {
  return value == null ? '—' : `${figure(value)}%`;
}

/** Colour of a growth: red up, green down (the Chinese convention for figures going up and down). */
export function growthColor(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  return value.startsWith('-') ? '#389e0d' : '#cf1322';
}

export function rankText(r: Rank | null | undefined, t: (key: 'indicators.rank', o: { rank: number; of: number }) => string): string {
  if (!r || r.rank == null) return '—';
  return t('indicators.rank', { rank: r.rank, of: r.of });
}

/** For charts only (ECharts wants numbers): null stays null. */
export function chartNumber(value: string | null | undefined): number | null {
  if (value == null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A form field's text as the API wants it: trimmed, "" → null. */
export function decimalOrNull(text: string | null | undefined): string | null {
  const v = (text ?? '').trim().replace(/[,，]/g, '').replace(/%$/, '');
  return v === '' ? null : v;
}

export const VALUE_RE = /^\d{1,16}(\.\d{1,4})?$/;
export const GROWTH_RE = /^-?\d{1,5}(\.\d{1,2})?$/;

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The cumulative months of a period: 1—5月 / Jan–May (1月 / Jan for January). */
export function monthsText(lang: 'zh-CN' | 'en', month: number): string {
  if (lang === 'en') return month === 1 ? 'Jan' : `Jan–${EN_MONTHS[month - 1]}`;
  return month === 1 ? '1月' : `1—${month}月`;
}

/** 2023年1—5月 / Jan–May 2023. */
export function periodText(lang: 'zh-CN' | 'en', year: number, month: number): string {
  return lang === 'en' ? `${monthsText(lang, month)} ${year}` : `${year}年${monthsText(lang, month)}`;
}
