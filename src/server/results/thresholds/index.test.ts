import { describe, expect, it } from 'vitest';
import { checkMetric, computeLimits, type Limits, type ModelParams } from './index.js';

function params(overrides: Partial<ModelParams>): ModelParams {
  return {
    test: 'PERCENTAGE',
    minSampleSize: null,
    maxSampleSize: null,
    windowSeconds: null,
    lowerBoundary: 0.1,
    upperBoundary: 0.1,
    ...overrides,
  };
}

describe('computeLimits', () => {
  it('returns null below the min sample size and limits from it on', () => {
    const p = params({ minSampleSize: 3 });
    expect(computeLimits(p, [100, 100])).toBeNull();
    expect(computeLimits(p, [100, 100, 100])).toEqual({ baseline: 100, lowerLimit: 90, upperLimit: 110 });
  });

  it('uses only the newest maxSampleSize points', () => {
    // Newest first: the trailing 1000s are older than the max sample size reaches.
    const limits = computeLimits(params({ maxSampleSize: 2 }), [100, 200, 1000, 1000]);
    expect(limits?.baseline).toBe(150);
  });

  it('applies the max before checking the min', () => {
    const limits = computeLimits(params({ minSampleSize: 2, maxSampleSize: 2 }), [10, 20, 30]);
    expect(limits?.baseline).toBe(15);
  });

  it('static needs no history and ignores sample sizes', () => {
    const p = params({ test: 'STATIC', lowerBoundary: 1, upperBoundary: null, minSampleSize: 5 });
    expect(computeLimits(p, [])).toEqual({ baseline: null, lowerLimit: 1, upperLimit: null });
  });

  it('returns null with no history even without a min sample size', () => {
    expect(computeLimits(params({}), [])).toBeNull();
    expect(computeLimits(params({ test: 'IQR', lowerBoundary: 1 }), [])).toBeNull();
  });

  it('returns null when the model cannot describe the data', () => {
    expect(
      computeLimits(params({ test: 'Z_SCORE', lowerBoundary: 0.9, upperBoundary: 0.9 }), [1]),
    ).toBeNull();
    expect(computeLimits(params({ test: 'T_TEST', lowerBoundary: 0.9, upperBoundary: 0.9 }), [1])).toBeNull();
    expect(computeLimits(params({ test: 'DELTA_IQR', lowerBoundary: 1, upperBoundary: 1 }), [1])).toBeNull();
    const logNormal = params({ test: 'LOG_NORMAL', lowerBoundary: 0.9, upperBoundary: 0.9 });
    expect(computeLimits(logNormal, [1, 0, 3])).toBeNull();
  });

  it('leaves a side with no boundary unlimited', () => {
    expect(computeLimits(params({ lowerBoundary: null }), [100])).toEqual({
      baseline: 100,
      lowerLimit: null,
      upperLimit: 110,
    });
    expect(computeLimits(params({ upperBoundary: null }), [100])).toEqual({
      baseline: 100,
      lowerLimit: 90,
      upperLimit: null,
    });
  });

  it('does not modify the caller’s history', () => {
    const history = [3, 1, 2];
    computeLimits(params({ test: 'IQR', lowerBoundary: 1, upperBoundary: 1 }), history);
    expect(history).toEqual([3, 1, 2]);
  });
});

describe('checkMetric', () => {
  const limits: Limits = { baseline: 100, lowerLimit: 90, upperLimit: 110 };

  it('flags the side that was crossed', () => {
    expect(checkMetric(89.99, limits)).toBe('LOWER');
    expect(checkMetric(110.01, limits)).toBe('UPPER');
    expect(checkMetric(100, limits)).toBeNull();
  });

  it('does not alert exactly at a limit', () => {
    expect(checkMetric(90, limits)).toBeNull();
    expect(checkMetric(110, limits)).toBeNull();
  });

  it('never alerts on a side without a limit', () => {
    expect(checkMetric(-1e9, { ...limits, lowerLimit: null })).toBeNull();
    expect(checkMetric(1e9, { ...limits, upperLimit: null })).toBeNull();
    expect(checkMetric(5, null)).toBeNull();
  });
});
