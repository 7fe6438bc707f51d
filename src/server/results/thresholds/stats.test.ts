import { describe, expect, it } from 'vitest';
import { relativeChanges } from './delta-iqr.js';
import { mean, quantileSorted, quartiles, sampleStdDev } from './stats.js';

describe('stats', () => {
  it('mean and sample standard deviation (n − 1)', () => {
    expect(mean([1, 2, 3, 4, 5])).toBe(3);
    expect(sampleStdDev([1, 2, 3, 4, 5])).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(sampleStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935299395, 14);
    expect(sampleStdDev([7])).toBeNaN();
  });

  it('keeps precision on a large offset', () => {
    expect(sampleStdDev([1e9 + 1, 1e9 + 2, 1e9 + 3])).toBeCloseTo(1, 10);
  });

  // Reference values are R's quantile(type = 7) / NumPy's default, as also used by Bencher.
  it.each([
    [[1], 1, 1, 1],
    [[1, 2], 1.25, 1.5, 1.75],
    [[1, 2, 3], 1.5, 2, 2.5],
    [[5, 4, 3, 2, 1], 2, 3, 4],
    [[-6, -6, 1, 1, 9, 9], -4.25, 1, 7],
    [[7, 15, 36, 39, 40, 41], 20.25, 37.5, 39.75],
  ])('quartiles of %j by linear interpolation', (data, q1, q2, q3) => {
    expect(quartiles(data)).toEqual({ q1, q2, q3 });
  });

  it('quantileSorted hits the extremes exactly', () => {
    expect(quantileSorted([1, 2, 3], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3], 1)).toBe(3);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('relative changes follow the newest-first order (Bencher delta quartiles)', () => {
    expect(relativeChanges([5, 4, 3, 2, 1])).toEqual([0.2, 0.25, 1 / 3, 0.5]);
    const dq = quartiles(relativeChanges([5, 4, 3, 2, 1]));
    expect(dq.q1).toBeCloseTo(0.2375, 14);
    expect(dq.q2).toBeCloseTo(0.29166666666666663, 14);
    expect(dq.q3).toBeCloseTo(0.375, 14);
    expect(relativeChanges([7])).toEqual([]);
  });
});
