import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { wilcoxonSignedRank } from './signed-rank.js';

// Cases and the exact scipy calls that made them: fixtures/scipy-reference.py (section "Wilcoxon").
const reference: {
  wilcoxon: {
    diffs: number[];
    alternative: 'greater' | 'less';
    statistic: number;
    pValue: number;
    method: string;
  }[];
} = JSON.parse(readFileSync(new URL('./fixtures/scipy-reference.json', import.meta.url), 'utf8'));

describe('wilcoxonSignedRank', () => {
  it('matches scipy.stats.wilcoxon: the exact null without ties (n = 1…50)', () => {
    const cases = reference.wilcoxon.filter((c) => c.method === 'exact');
    expect(cases.length).toBeGreaterThan(50);
    for (const c of cases) {
      const result = wilcoxonSignedRank(c.diffs, c.alternative);
      expect(result.statistic).toBe(c.statistic);
      expect(result.pValue).toBeCloseTo(c.pValue, 12);
      expect(Math.abs(result.pValue - c.pValue) / c.pValue).toBeLessThan(1e-9);
    }
  });

  it('matches scipy’s exhaustive permutation p-value with tied ranks and zeros', () => {
    const cases = reference.wilcoxon.filter((c) => c.method === 'permutation');
    expect(cases.some((c) => c.diffs.includes(0))).toBe(true);
    expect(cases.some((c) => c.diffs.length > 13)).toBe(true);
    for (const c of cases) {
      const result = wilcoxonSignedRank(c.diffs, c.alternative);
      expect(result.statistic).toBe(c.statistic);
      expect(result.pValue).toBeCloseTo(c.pValue, 12);
    }
  });

  it('reaches 1/2^n when every difference points the alternative’s way', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8], 'greater').pValue).toBeCloseTo(1 / 256, 15);
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8], 'less').pValue).toBeCloseTo(1, 14);
    expect(wilcoxonSignedRank([-0.1, -0.2, -0.3, -0.4, -0.5], 'less').pValue).toBeCloseTo(1 / 32, 15);
    expect(wilcoxonSignedRank([0.5, 0.5, 0.5, 0.5], 'greater').pValue).toBeCloseTo(1 / 16, 15);
  });

  it('drops zeros, and with nothing left says p = 1', () => {
    expect(wilcoxonSignedRank([0, 0, 0], 'greater')).toEqual({ statistic: 0, pValue: 1, ties: true });
    expect(wilcoxonSignedRank([], 'less')).toEqual({ statistic: 0, pValue: 1, ties: false });
    expect(wilcoxonSignedRank([0, 1, 2, 3], 'greater').pValue).toBeCloseTo(1 / 8, 15);
  });

  it('is exact past scipy’s n = 50 (no normal approximation): the all-positive p is 2^-n', () => {
    const diffs = Array.from({ length: 60 }, (_, i) => i + 1);
    expect(wilcoxonSignedRank(diffs, 'greater').pValue).toBeCloseTo(2 ** -60, 30);
  });

  it('p(greater) + p(less) = 1 + P(T+ = t), and flipping every sign swaps the alternatives', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 25 }), (ints) => {
        const greater = wilcoxonSignedRank(ints, 'greater');
        const less = wilcoxonSignedRank(ints, 'less');
        expect(greater.pValue + less.pValue).toBeGreaterThanOrEqual(1 - 1e-12);
        const flipped = wilcoxonSignedRank(
          ints.map((d) => -d),
          'less',
        );
        expect(flipped.pValue).toBeCloseTo(greater.pValue, 12);
      }),
    );
  });

  it('refuses NaN, infinities and unknown alternatives with BAD_INPUT', () => {
    for (const diffs of [[1, Number.NaN], [Number.POSITIVE_INFINITY], ['1' as unknown as number]]) {
      expect(() => wilcoxonSignedRank(diffs, 'greater')).toThrowError(BenchlineError);
    }
    expect(() => wilcoxonSignedRank([1, 2], 'two-sided' as 'less')).toThrowError(/alternative/);
    expect(() =>
      wilcoxonSignedRank(
        Array.from({ length: 201 }, (_, i) => i + 1),
        'less',
      ),
    ).toThrowError(/at most 200/);
  });
});
