import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { mannWhitneyU } from './mann-whitney.js';

// Cases and the exact scipy calls that made them: fixtures/scipy-reference.py (section "Mann–Whitney U").
const reference: {
  mannWhitney: {
    x: number[];
    y: number[];
    alternative: 'greater' | 'less';
    statistic: number;
    pValue: number;
    method: string;
  }[];
} = JSON.parse(readFileSync(new URL('./fixtures/scipy-reference.json', import.meta.url), 'utf8'));

describe('mannWhitneyU', () => {
  it("matches scipy.stats.mannwhitneyu(method='exact') without ties, 1×1 to 30×30", () => {
    const cases = reference.mannWhitney.filter((c) => c.method === 'exact');
    expect(cases.length).toBeGreaterThan(50);
    for (const c of cases) {
      const result = mannWhitneyU(c.x, c.y, c.alternative);
      expect(result.ties).toBe(false);
      expect(result.statistic).toBe(c.statistic);
      expect(Math.abs(result.pValue - c.pValue)).toBeLessThan(1e-12 + 1e-9 * c.pValue);
    }
  });

  it('matches scipy’s exhaustive permutation p-value with ties', () => {
    for (const c of reference.mannWhitney.filter((c) => c.method === 'permutation')) {
      const result = mannWhitneyU(c.x, c.y, c.alternative);
      expect(result.ties).toBe(true);
      expect(result.statistic).toBe(c.statistic);
      expect(result.pValue).toBeCloseTo(c.pValue, 12);
    }
  });

  it('reaches 1/C(2R, R) with complete separation: 1/252 at five rounds a side', () => {
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5], 'greater').pValue).toBeCloseTo(1 / 252, 15);
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5], 'less').pValue).toBeCloseTo(1, 14);
    expect(mannWhitneyU([1, 1, 1], [1, 1, 1], 'greater').pValue).toBeCloseTo(1, 14);
    expect(mannWhitneyU([], [1, 2], 'greater')).toEqual({ statistic: 0, pValue: 1, ties: false });
  });

  it('swapping the samples swaps the alternatives; U(x) + U(y) = m·n', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const xy = mannWhitneyU(x, y, 'greater');
        const yx = mannWhitneyU(y, x, 'less');
        expect(yx.pValue).toBeCloseTo(xy.pValue, 12);
        expect(xy.statistic + yx.statistic).toBe(x.length * y.length);
      }),
    );
  });

  it('refuses non-finite values and oversized samples with BAD_INPUT', () => {
    expect(() => mannWhitneyU([1, Number.NaN], [2], 'greater')).toThrowError(BenchlineError);
    expect(() => mannWhitneyU([1], [Number.NEGATIVE_INFINITY], 'less')).toThrowError(/y\[0\]/);
    const big = Array.from({ length: 31 }, (_, i) => i);
    expect(() => mannWhitneyU(big, big, 'less')).toThrowError(/at most 60/);
  });
});
