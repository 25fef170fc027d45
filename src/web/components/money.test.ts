import { describe, expect, it } from 'vitest';
import { exactIn, formatIn, percent, toYuan, wan, yi } from './money.ts';

describe('web money display (no floats)', () => {
  it('shows yuan strings in 亿元 and 万元, rounded half up, grouped', () => {
    expect(yi('48650000000.00')).toBe('486.5');
    expect(yi('1250000000.00', 2)).toBe('12.5');
    expect(yi('392980000.00', 2)).toBe('3.93');
    expect(yi('12345.67')).toBe('0.0001');
    expect(yi('4999.99')).toBe('0');
    expect(yi(null)).toBe('—');
    expect(wan('12345678.00')).toBe('1,234.57');
    expect(wan('0.01', 6)).toBe('0.000001');
    expect(formatIn(-150n, 'yuan', 2)).toBe('-1.5');
  });

  it('converts typed amounts to exact yuan strings and back', () => {
    expect(toYuan('1234.5678', 'wan')).toBe('12345678.00');
    expect(toYuan('1,200', 'wan')).toBe('12000000.00');
    expect(toYuan('0.000001', 'wan')).toBe('0.01');
    expect(toYuan('0.0000001', 'wan')).toBeNull(); // finer than a fen
    expect(toYuan('12.3456', 'yi')).toBe('1234560000.00');
    expect(toYuan('八亿', 'yi')).toBeNull();
    expect(toYuan('', 'yi')).toBeNull();
    // 0.1 + 0.2 is not 0.3 in floats; here it is
    expect(toYuan('0.3', 'wan')).toBe('3000.00');
    expect(exactIn('1234567.89', 'wan')).toBe('123.456789');
    expect(exactIn('48650000000.00', 'yi')).toBe('486.5');
    expect(exactIn('98765432.10', 'yi')).toBe('0.987654321');
    expect(toYuan(exactIn('98765432.10', 'yi'), 'yi')).toBe('98765432.10');
    expect(toYuan(exactIn('0.01', 'yi'), 'yi')).toBe('0.01');
    expect(toYuan('-2.5', 'wan')).toBe('-25000.00');
  });

  it('shows 4-place rate strings as percentages', () => {
    expect(percent('0.8125')).toBe('81.25%');
    expect(percent('1.0000')).toBe('100%');
    expect(percent('0.0000')).toBe('0%');
    expect(percent('0.3938')).toBe('39.38%');
    expect(percent(null)).toBe('—');
  });
});
