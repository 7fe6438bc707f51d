import { describe, expect, it } from 'vitest';
import { deltaIqrLimits } from './delta-iqr.js';
import { iqrLimits } from './iqr.js';
import { logNormalLimits } from './log-normal.js';
import type { ModelParams, ModelTest } from './model.js';
import { percentageLimits } from './percentage.js';
import { staticLimits } from './static.js';
import { tTestLimits } from './t-test.js';
import { zScoreLimits } from './z-score.js';

const Z_975 = 1.959963984540054;

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

describe('static', () => {
  it('returns the boundaries as limits and no baseline, whatever the history', () => {
    expect(staticLimits([1, 2, 3], model('STATIC', -5, 5))).toEqual({
      baseline: null,
      lowerLimit: -5,
      upperLimit: 5,
    });
    expect(staticLimits([], model('STATIC', null, 7))).toEqual({
      baseline: null,
      lowerLimit: null,
      upperLimit: 7,
    });
  });
});

describe('percentage', () => {
  it('applies each side on its own', () => {
    expect(percentageLimits([1], model('PERCENTAGE', 5, null))).toEqual({
      baseline: 1,
      lowerLimit: -4,
      upperLimit: null,
    });
    expect(percentageLimits([1], model('PERCENTAGE', null, 5))).toEqual({
      baseline: 1,
      lowerLimit: null,
      upperLimit: 6,
    });
  });

  it('a zero boundary pins the limit to the mean', () => {
    expect(percentageLimits([10, 20], model('PERCENTAGE', 0, 0))).toEqual({
      baseline: 15,
      lowerLimit: 15,
      upperLimit: 15,
    });
  });
});

describe('z_score', () => {
  it('mirrors the lower limit about the mean', () => {
    // μ 0, s 1 from [-1, 0, 1]
    const limits = zScoreLimits([-1, 0, 1], model('Z_SCORE', 0.975, 0.975));
    expect(limits.baseline).toBe(0);
    expect(limits.upperLimit).toBeCloseTo(Z_975, 9);
    expect(limits.lowerLimit).toBeCloseTo(-Z_975, 9);
  });

  it('uses each side its own probability', () => {
    const limits = zScoreLimits([-1, 0, 1], model('Z_SCORE', 0.5, 0.975));
    expect(limits.lowerLimit).toBeCloseTo(0, 12);
    expect(limits.upperLimit).toBeCloseTo(Z_975, 9);
  });

  it('a constant history is a point mass: both limits at the mean', () => {
    expect(zScoreLimits([5, 5, 5], model('Z_SCORE', 0.99, 0.99))).toEqual({
      baseline: 5,
      lowerLimit: 5,
      upperLimit: 5,
    });
  });

  it('needs two points for a spread', () => {
    expect(zScoreLimits([5], model('Z_SCORE', 0.99, 0.99)).baseline).toBeNull();
  });
});

describe('t_test', () => {
  it('widens the z interval by the t quantile and √(1 + 1/n)', () => {
    // n = 2, μ 0, s √2: df 1 is Cauchy, whose 0.75 quantile is exactly 1.
    const limits = tTestLimits([-1, 1], model('T_TEST', 0.75, 0.75));
    expect(limits.baseline).toBe(0);
    const scale = Math.SQRT2 * Math.sqrt(1.5);
    expect(limits.upperLimit).toBeCloseTo(scale, 9);
    expect(limits.lowerLimit).toBeCloseTo(-scale, 9);
  });

  it('leaves a side without a boundary unlimited', () => {
    const limits = tTestLimits([-1, 1], model('T_TEST', null, 0.75));
    expect(limits.lowerLimit).toBeNull();
    expect(limits.upperLimit).not.toBeNull();
  });
});

describe('log_normal', () => {
  it('fits ln x and mirrors the lower limit arithmetically about the geometric mean', () => {
    // ln values 4.6 and 4.4: location 4.5, sample sd 0.2/√2.
    const history = [Math.exp(4.6), Math.exp(4.4)];
    const limits = logNormalLimits(history, model('LOG_NORMAL', 0.975, 0.975));
    const baseline = Math.exp(4.5);
    const upper = Math.exp(4.5 + (0.2 / Math.SQRT2) * Z_975);
    expect(limits.baseline).toBeCloseTo(baseline, 10);
    expect(limits.upperLimit).toBeCloseTo(upper, 8);
    expect(limits.lowerLimit).toBeCloseTo(2 * baseline - upper, 8);
    expect(limits.upperLimit?.toFixed(2)).toBe('118.77');
    expect(limits.lowerLimit?.toFixed(2)).toBe('61.27');
  });

  it('a constant history collapses to the baseline', () => {
    const limits = logNormalLimits([4, 4, 4], model('LOG_NORMAL', 0.9, 0.9));
    expect(limits.baseline).toBeCloseTo(4, 12);
    expect(limits.lowerLimit).toBeCloseTo(4, 12);
    expect(limits.upperLimit).toBeCloseTo(4, 12);
  });

  it('cannot describe non-positive data', () => {
    expect(logNormalLimits([1, 0, 2], model('LOG_NORMAL', 0.9, 0.9)).baseline).toBeNull();
    expect(logNormalLimits([1, -2, 2], model('LOG_NORMAL', 0.9, 0.9)).baseline).toBeNull();
  });
});

describe('iqr', () => {
  it('matches Bencher on 1..5 with ×1.5', () => {
    // Q1 2, Q2 3, Q3 4
    expect(iqrLimits([5, 1, 4, 2, 3], model('IQR', 1.5, 1.5))).toEqual({
      baseline: 3,
      lowerLimit: 0,
      upperLimit: 6,
    });
  });

  it('one-sided', () => {
    expect(iqrLimits([5, 1, 4, 2, 3], model('IQR', null, 1))).toEqual({
      baseline: 3,
      lowerLimit: null,
      upperLimit: 5,
    });
  });
});

describe('delta_iqr', () => {
  it('scales the IQR of relative changes by the median', () => {
    // median 3; changes 0.2 .25 .333 .5 → dQ1 .2375, dQ3 .375
    const limits = deltaIqrLimits([5, 4, 3, 2, 1], model('DELTA_IQR', 2, 2));
    expect(limits.baseline).toBe(3);
    expect(limits.lowerLimit).toBeCloseTo(3 - 3 * 0.1375 * 2, 12);
    expect(limits.upperLimit).toBeCloseTo(3 + 3 * 0.1375 * 2, 12);
  });

  it('gives no limits when a zero makes a relative change undefined', () => {
    expect(deltaIqrLimits([0, 0, 5, 5], model('DELTA_IQR', 2, 2))).toEqual({
      baseline: 2.5,
      lowerLimit: null,
      upperLimit: null,
    });
  });

  it('needs two points for a change', () => {
    expect(deltaIqrLimits([5], model('DELTA_IQR', 2, 2)).baseline).toBeNull();
  });
});
