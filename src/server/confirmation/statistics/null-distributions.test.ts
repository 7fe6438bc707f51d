import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mannWhitneyPmf,
  signedRankPmf,
  signFlipDistribution,
  subsetSumDistribution,
} from './null-distributions.js';

describe('null distributions', () => {
  it('the hand-written sign-flip table equals @stdlib’s signed-rank distribution for untied ranks', () => {
    for (const n of [1, 2, 5, 13, 30, 50]) {
      const stdlib = signedRankPmf(n);
      const dp = signFlipDistribution(Array.from({ length: n }, (_, i) => i + 1));
      expect(dp.length).toBe(stdlib.length);
      dp.forEach((p, t) => {
        expect(Math.abs(p - stdlib[t])).toBeLessThanOrEqual(1e-15 + 1e-12 * p);
      });
    }
  });

  it('past n = 50 the table comes from the same recursion and still sums to 1', () => {
    const pmf = signedRankPmf(60);
    expect(pmf.length).toBe(1831);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(pmf[0]).toBe(2 ** -60);
  });

  it('Mann–Whitney tables are symmetric probabilities that count C(m+n, m) draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (m, n) => {
        const pmf = mannWhitneyPmf(m, n);
        expect(pmf.length).toBe(m * n + 1);
        expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        pmf.forEach((p, u) => {
          expect(p).toBeCloseTo(pmf[m * n - u], 14);
        });
        let combinations = 1;
        for (let i = 1; i <= m; i++) combinations = (combinations * (n + i)) / i;
        expect(pmf[0] * combinations).toBeCloseTo(1, 9);
      }),
    );
  });

  it('the subset-sum table counts every draw of tied weights', () => {
    // Weights 2, 2, 2 (one tied group), draw 2: every draw sums to 4.
    expect(Array.from(subsetSumDistribution([2, 2, 2], 2))).toEqual([0, 0, 0, 0, 1, 0, 0]);
    // Weights 1, 2, 3, draw 1: sums 1, 2, 3 each a third.
    expect(Array.from(subsetSumDistribution([1, 2, 3], 1)).slice(1)).toEqual([1 / 3, 1 / 3, 1 / 3, 0, 0, 0]);
  });
});
