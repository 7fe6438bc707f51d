import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { holm } from './holm.js';

// fixtures/scipy-reference.py, section "Holm": the step-down definition written out in Python.
const reference: { holm: { pValues: number[]; alpha: number; adjusted: number[]; rejected: boolean[] }[] } =
  JSON.parse(readFileSync(new URL('./fixtures/scipy-reference.json', import.meta.url), 'utf8'));

describe('holm', () => {
  it('matches the reference adjusted p-values and rejections', () => {
    for (const c of reference.holm) {
      const result = holm(c.pValues, c.alpha);
      result.adjusted.forEach((p, i) => {
        expect(p).toBeCloseTo(c.adjusted[i], 14);
      });
      expect(result.rejected).toEqual(c.rejected);
    }
  });

  it('steps down: stops rejecting at the first p-value above alpha/(m − j)', () => {
    // Sorted 0.005·4 = 0.02 ✓, 0.01·3 = 0.03 ✓, 0.03·2 = 0.06 ✗ → 0.04 is not rejected either.
    expect(holm([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual({
      adjusted: [0.03, 0.06, 0.06, 0.02],
      rejected: [true, false, false, true],
    });
    expect(holm([], 0.05)).toEqual({ adjusted: [], rejected: [] });
  });

  it('never rejects fewer than Bonferroni nor more than the uncorrected test; adjusted ≥ raw and monotone', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (ps) => {
        const { adjusted, rejected } = holm(ps, 0.05);
        ps.forEach((p, i) => {
          expect(adjusted[i]).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]).toBeLessThanOrEqual(1);
          if (p * ps.length <= 0.05) expect(rejected[i]).toBe(true);
          if (p > 0.05) expect(rejected[i]).toBe(false);
          ps.forEach((q, j) => {
            if (p < q) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]);
          });
        });
      }),
    );
  });

  it('refuses p-values outside [0, 1] and alpha outside (0, 1)', () => {
    expect(() => holm([0.5, Number.NaN], 0.05)).toThrowError(BenchlineError);
    expect(() => holm([1.5], 0.05)).toThrowError(/pValues\[0\]/);
    expect(() => holm([0.5], 0)).toThrowError(/alpha/);
  });
});
