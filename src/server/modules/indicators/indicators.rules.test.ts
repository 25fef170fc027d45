import { describe, expect, it } from 'vitest';
import { compareDecimal, fixDecimal, parseMonthCell, parsePeriod, periodLabel, rankDescending, trimDecimal, yoyGrowth } from './indicators.rules.ts';

describe('year-on-year growth (hand-computed)', () => {
  it('2023 1–5月 GDP 120.50 against 2022 1–5月 108.00 is 11.57%', () => {
    // 12.50 / 108.00 = 0.115740… → 11.574…% → 11.57
    expect(yoyGrowth('120.50', '108.00')).toBe('11.57');
  });

  it('rounds half up at the second decimal, away from zero below zero', () => {
    // 100.005 / 100 − 1 = 0.00005 → 0.005% exactly → 0.01
    expect(yoyGrowth('100.005', '100')).toBe('0.01');
    // 100.004 → 0.004% → 0.00
    expect(yoyGrowth('100.004', '100')).toBe('0.00');
    // 99.995 → −0.005% → −0.01
    expect(yoyGrowth('99.995', '100')).toBe('-0.01');
    // 200 / 150 − 1 = 1/3 → 33.333…% → 33.33; 1 / 3 − 1 → −66.666…% → −66.67
    expect(yoyGrowth('200', '150')).toBe('33.33');
    expect(yoyGrowth('1', '3')).toBe('-66.67');
  });

  it('is exact where floats are not', () => {
    // 1234.5678 / 1000 − 1 = 0.2345678 → 23.45678% → 23.46
    expect(yoyGrowth('1234.5678', '1000')).toBe('23.46');
    // 0.3 / 0.1 in floats is 2.9999999999999996; here (0.3 − 0.1) / 0.1 = 2 → 200.00
    expect(yoyGrowth('0.3', '0.1')).toBe('200.00');
    // 95.5 / 100 − 1 = −0.045 → −4.50; the same value → 0.00
    expect(yoyGrowth('95.5', '100.00')).toBe('-4.50');
    expect(yoyGrowth('108.0000', '108.00')).toBe('0.00');
  });

  it('has no growth without a positive base', () => {
    expect(yoyGrowth('10', '0')).toBeNull();
    expect(yoyGrowth('10', '0.00')).toBeNull();
    expect(yoyGrowth('10', null)).toBeNull();
    expect(yoyGrowth(null, '10')).toBeNull();
  });
});

describe('rank by growth (competition ranking)', () => {
  it('ties share a rank and the next rank skips', () => {
    expect(rankDescending(['12.3', '8.1', '12.3', '5.0'])).toEqual([1, 3, 1, 4]);
  });

  it('leaves districts without a figure out', () => {
    expect(rankDescending([null, '5', '5.00', '7'])).toEqual([null, 2, 2, 1]);
    expect(rankDescending([null, null])).toEqual([null, null]);
  });

  it('compares decimals exactly, negatives included', () => {
    expect(rankDescending(['-1.5', '-0.5', '0', '-0.50'])).toEqual([4, 2, 1, 2]);
    expect(rankDescending(['10.10', '10.1', '10.09'])).toEqual([1, 1, 3]);
    expect(compareDecimal('2', '10')).toBe(-1);
  });
});

describe('periods', () => {
  it('reads the bureau’s sheet names', () => {
    expect(parsePeriod('2023年1-5月')).toEqual({ ok: true, year: 2023, month: 5 });
    expect(parsePeriod('2023年1—5月')).toEqual({ ok: true, year: 2023, month: 5 });
    expect(parsePeriod('2023年1～5月主要经济指标')).toEqual({ ok: true, year: 2023, month: 5 });
    expect(parsePeriod('2023年1月')).toEqual({ ok: true, year: 2023, month: 1 });
    expect(parsePeriod('2023年5月')).toEqual({ ok: false, reason: 'not_cumulative' });
    expect(parsePeriod('2023年3-5月')).toEqual({ ok: false, reason: 'not_cumulative' });
    expect(parsePeriod('2023年1-13月')).toEqual({ ok: false, reason: 'out_of_range' });
    expect(parsePeriod('Sheet1')).toEqual({ ok: false, reason: 'not_period' });
    expect(periodLabel(2023, 5)).toBe('2023年1-5月');
    expect(periodLabel(2023, 1)).toBe('2023年1月');
  });

  it('reads a month cell of the long layout', () => {
    expect(parseMonthCell('5')).toBe(5);
    expect(parseMonthCell('5月')).toBe(5);
    expect(parseMonthCell('1-5月')).toBe(5);
    expect(parseMonthCell('1—12月')).toBe(12);
    expect(parseMonthCell('2-5月')).toBeNull();
    expect(parseMonthCell('13')).toBeNull();
    expect(parseMonthCell('五月')).toBeNull();
  });

  it('formats decimals', () => {
    expect(trimDecimal('120.5000')).toBe('120.5');
    expect(trimDecimal('8.00')).toBe('8');
    expect(fixDecimal('-0.5', 2)).toBe('-0.50');
    expect(fixDecimal('12', 4)).toBe('12.0000');
  });
});
