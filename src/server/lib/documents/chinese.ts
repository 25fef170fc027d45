/** Chinese forms of dates and numbers as official documents write them (GB/T 9704). */

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 … 99 in Chinese numerals: 十, 十一, 二十, 二十七. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`chineseNumber: ${n} is not an integer 0..99`);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

function dayOf(date: string | Date): string {
  if (typeof date === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
    return date.slice(0, 10);
  }
  return date.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

/**
 * 成文日期 in Chinese numerals: 2026-11-27 → 二〇二六年十一月二十七日 (the year digit by digit, month and day as
 * numbers). A Date is taken as the day it is in Asia/Shanghai.
 */
export function chineseDate(date: string | Date): string {
  const [y, m, d] = dayOf(date).split('-');
  const year = [...y!].map((c) => DIGITS[Number(c)]).join('');
  return `${year}年${chineseNumber(Number(m))}月${chineseNumber(Number(d))}日`;
}

/** 2026-11-27 → 2026年11月27日 (Arabic numerals, as tables and forms write dates). */
export function numericDate(date: string | Date): string {
  const [y, m, d] = dayOf(date).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** A moment as 2026年11月27日 09:05 in Asia/Shanghai. */
export function numericDateTime(at: Date): string {
  const time = at.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
  return `${numericDate(at)} ${time}`;
}

/**
 * 发文字号: 机关代字 + 〔年份〕 + 序号 + 号, e.g. 起步指挥交〔2026〕12号. GB/T 9704 §7.2.3: the year in full within
 * 六角括号, the sequence number without leading zeros and without 第.
 */
export function documentNumber(agencyCode: string, year: number, seq: number): string {
  if (!Number.isInteger(year) || !Number.isInteger(seq) || seq < 1) throw new RangeError('documentNumber: year and a positive sequence number');
  return `${agencyCode}〔${year}〕${seq}号`;
}
