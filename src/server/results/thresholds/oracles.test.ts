import { describe, expect, it } from 'vitest';
import { relativeChanges } from './delta-iqr.js';
import { computeLimits, type ModelParams, type ModelTest } from './index.js';
import { mean, quartiles, sampleStdDev } from './stats.js';

// The SPEC §6 oracles, each fed a history constructed to have exactly the stated statistics.

function model(test: ModelTest, lowerBoundary: number | null, upperBoundary: number | null): ModelParams {
  return {
    test,
    minSampleSize: null,
    maxSampleSize: null,
    windowSeconds: null,
    lowerBoundary,
    upperBoundary,
  };
}

/** n points with exactly mean mu and sample standard deviation s (up to rounding). */
function sampleWith(n: number, mu: number, s: number): number[] {
  const base = Array.from({ length: n }, (_, i) => i);
  const m = mean(base);
  const sd = sampleStdDev(base);
  return base.map((x) => mu + (s * (x - m)) / sd);
}

// Sorted: 80 80 100 100 100 100 125 → Q1 90, Q2 100, Q3 100 (type 7), IQR 10.
// Changes (newest first): .25 .2 .25 0 0 .25 → dQ1 .05, dQ3 .25, ΔIQR .2.
const QUARTILE_HISTORY = [80, 100, 80, 100, 100, 100, 125];

describe('SPEC oracles', () => {
  it('percentage 0.10 @ μ100 → 90 / 110', () => {
    const limits = computeLimits(model('PERCENTAGE', 0.1, 0.1), [95, 105, 100, 110, 90]);
    expect(limits?.baseline).toBeCloseTo(100, 10);
    expect(limits?.lowerLimit).toBeCloseTo(90, 10);
    expect(limits?.upperLimit).toBeCloseTo(110, 10);
  });

  it('z_score 0.977 @ μ100 σ10 → lower 80.05', () => {
    const history = sampleWith(30, 100, 10);
    expect(mean(history)).toBeCloseTo(100, 10);
    expect(sampleStdDev(history)).toBeCloseTo(10, 10);
    const limits = computeLimits(model('Z_SCORE', 0.977, 0.977), history);
    expect(limits?.baseline).toBeCloseTo(100, 10);
    expect(limits?.lowerLimit?.toFixed(2)).toBe('80.05');
    expect(limits?.upperLimit?.toFixed(2)).toBe('119.95');
  });

  it('t_test 0.977, n=25, μ100, s10 → 78.54 / 121.46', () => {
    const history = sampleWith(25, 100, 10);
    const limits = computeLimits(model('T_TEST', 0.977, 0.977), history);
    expect(limits?.baseline).toBeCloseTo(100, 10);
    expect(limits?.lowerLimit?.toFixed(2)).toBe('78.54');
    expect(limits?.upperLimit?.toFixed(2)).toBe('121.46');
  });

  it('iqr ×2 @ median 100, IQR 10 → 80 / 120', () => {
    const q = quartiles(QUARTILE_HISTORY);
    expect([q.q2, q.q3 - q.q1]).toEqual([100, 10]);
    const limits = computeLimits(model('IQR', 2, 2), QUARTILE_HISTORY);
    expect(limits).toEqual({ baseline: 100, lowerLimit: 80, upperLimit: 120 });
  });

  it('delta_iqr ×2 @ median 100, IQR 10, ΔIQR 0.2 → 60 / 140', () => {
    const dq = quartiles(relativeChanges(QUARTILE_HISTORY));
    expect(dq.q3 - dq.q1).toBeCloseTo(0.2, 12);
    const limits = computeLimits(model('DELTA_IQR', 2, 2), QUARTILE_HISTORY);
    expect(limits?.baseline).toBe(100);
    expect(limits?.lowerLimit).toBeCloseTo(60, 10);
    expect(limits?.upperLimit).toBeCloseTo(140, 10);
  });
});
