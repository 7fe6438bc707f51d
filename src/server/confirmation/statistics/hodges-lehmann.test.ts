import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BenchlineError } from '../../errors.js';
import { hodgesLehmannOneSample, hodgesLehmannTwoSample } from './hodges-lehmann.js';
import { mannWhitneyU } from './mann-whitney.js';
import { wilcoxonSignedRank } from './signed-rank.js';

// scipy has no Hodges–Lehmann interval: fixtures/scipy-reference.py (section "Hodges–Lehmann") takes
// numpy's median of the Walsh averages / pairwise differences and picks k from null distributions it
// enumerates by brute force (all 2^n sign vectors, all C(m+n, m) subsets).
interface Case {
  confidence: number;
  estimate: number;
  lower: number | null;
  upper: number | null;
  achieved: number;
}
const reference: {
  hodgesLehmannOneSample: (Case & { diffs: number[] })[];
  hodgesLehmannTwoSample: (Case & { x: number[]; y: number[] })[];
} = JSON.parse(readFileSync(new URL('./fixtures/scipy-reference.json', import.meta.url), 'utf8'));

function expectMatches(actual: ReturnType<typeof hodgesLehmannOneSample>, expected: Case) {
  expect(actual.estimate).toBeCloseTo(expected.estimate, 12);
  expect(actual.lower).toBe(expected.lower);
  expect(actual.upper).toBe(expected.upper);
  expect(actual.confidence).toBeCloseTo(expected.achieved, 12);
  if (expected.lower !== null) expect(actual.confidence).toBeGreaterThanOrEqual(expected.confidence);
}

describe('Hodges–Lehmann', () => {
  it('one sample: estimate and interval match the brute-force reference (bounded and unbounded)', () => {
    const cases = reference.hodgesLehmannOneSample;
    expect(cases.some((c) => c.lower === null) && cases.some((c) => c.lower !== null)).toBe(true);
    for (const c of cases) expectMatches(hodgesLehmannOneSample(c.diffs, c.confidence), c);
  });

  it('two samples: estimate and interval match the brute-force reference', () => {
    const cases = reference.hodgesLehmannTwoSample;
    expect(cases.some((c) => c.lower === null) && cases.some((c) => c.lower !== null)).toBe(true);
    for (const c of cases) expectMatches(hodgesLehmannTwoSample(c.x, c.y, c.confidence), c);
  });

  it('a known case: 1…10 shifted by 0.5 has Walsh-average median 6 and the 95 % interval [3.5, 8.5] (k = 9)', () => {
    // 10 untied values: P(T+ ≤ 8) = 0.0244 ≤ 0.025 < P(T+ ≤ 9) = 0.0322 (Hollander & Wolfe, table A.4).
    const result = hodgesLehmannOneSample(
      Array.from({ length: 10 }, (_, i) => i + 1.5),
      0.95,
    );
    expect(result.estimate).toBe(6);
    expect(result.lower).toBe(3.5);
    expect(result.upper).toBe(8.5);
    expect(result.confidence).toBeCloseTo(1 - 2 * (25 / 1024), 12);
  });

  it('the interval inverts the exact test: a shift just outside it is rejected one-sided at (1 − c)/2', () => {
    // Distinct integers, shifts 0.01 off a half-integer: no ties, where the inversion is exact.
    const values = fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 6, maxLength: 14 });
    const eps = 0.01;
    fc.assert(
      fc.property(values, values, (x, y) => {
        const paired = hodgesLehmannOneSample(x, 0.9);
        expect(paired.lower).not.toBeNull();
        const lower = paired.lower!;
        const upper = paired.upper!;
        expect(
          wilcoxonSignedRank(
            x.map((d) => d - (lower - eps)),
            'greater',
          ).pValue,
        ).toBeLessThanOrEqual(0.05);
        expect(
          wilcoxonSignedRank(
            x.map((d) => d - (upper + eps)),
            'less',
          ).pValue,
        ).toBeLessThanOrEqual(0.05);
        // …and a shift just inside it is not.
        expect(
          wilcoxonSignedRank(
            x.map((d) => d - (lower + eps)),
            'greater',
          ).pValue,
        ).toBeGreaterThan(0.05);
        expect(lower).toBeLessThanOrEqual(paired.estimate);
        expect(paired.estimate).toBeLessThanOrEqual(upper);

        const shift = hodgesLehmannTwoSample(x, y, 0.9);
        const [sLower, sUpper] = [shift.lower!, shift.upper!];
        expect(
          mannWhitneyU(
            x.map((v) => v - (sLower - eps)),
            y,
            'greater',
          ).pValue,
        ).toBeLessThanOrEqual(0.05);
        expect(
          mannWhitneyU(
            x.map((v) => v - (sUpper + eps)),
            y,
            'less',
          ).pValue,
        ).toBeLessThanOrEqual(0.05);
        expect(
          mannWhitneyU(
            x.map((v) => v - (sLower + eps)),
            y,
            'greater',
          ).pValue,
        ).toBeGreaterThan(0.05);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses empty samples, non-finite values and a confidence outside (0, 1)', () => {
    expect(() => hodgesLehmannOneSample([], 0.95)).toThrowError(BenchlineError);
    expect(() => hodgesLehmannOneSample([1, Number.NaN], 0.95)).toThrowError(/diffs\[1\]/);
    expect(() => hodgesLehmannOneSample([1, 2], 1)).toThrowError(/confidence/);
    expect(() => hodgesLehmannTwoSample([1], [], 0.95)).toThrowError(BenchlineError);
  });
});
