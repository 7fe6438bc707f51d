import { describe, expect, it } from 'vitest';
import { foldIterations, foldMetrics } from './fold.js';

describe('foldMetrics', () => {
  const metrics = [
    { value: 3, lower_value: 2, upper_value: 4 },
    { value: 1, lower_value: 0.5, upper_value: 1.5 },
    { value: 2 },
    { value: 10, lower_value: 9, upper_value: 11 },
  ];

  it('MIN and MAX pick the whole metric of the extreme iteration', () => {
    expect(foldMetrics(metrics, 'MIN')).toEqual({ value: 1, lower_value: 0.5, upper_value: 1.5 });
    expect(foldMetrics(metrics, 'MAX')).toEqual({ value: 10, lower_value: 9, upper_value: 11 });
  });

  it('MEAN and MEDIAN combine each component over the iterations that have it', () => {
    expect(foldMetrics(metrics, 'MEAN')).toEqual({ value: 4, lower_value: 11.5 / 3, upper_value: 16.5 / 3 });
    expect(foldMetrics(metrics, 'MEDIAN')).toEqual({ value: 2.5, lower_value: 2, upper_value: 4 });
    expect(foldMetrics(metrics.slice(0, 3), 'MEDIAN').value).toBe(2);
  });

  it('leaves a single metric as it is', () => {
    expect(foldMetrics([{ value: 7 }], 'MEAN')).toEqual({ value: 7 });
  });
});

describe('foldIterations', () => {
  it('folds every benchmark and measure over the iterations that report it', () => {
    const folded = foldIterations(
      [
        { a: { latency: { value: 1 } }, b: { latency: { value: 5 } } },
        { a: { latency: { value: 3 }, throughput: { value: 7 } } },
      ],
      'MEAN',
    );
    expect(folded).toEqual({
      a: { latency: { value: 2 }, throughput: { value: 7 } },
      b: { latency: { value: 5 } },
    });
    expect(Object.keys(folded)).toEqual(['a', 'b']);
  });

  it('keeps a benchmark named __proto__ as data', () => {
    const bmf = JSON.parse('{"__proto__": {"latency": {"value": 1}}}');
    const folded = foldIterations([bmf, bmf], 'MAX');
    expect(Object.keys(folded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(folded)).toBe(Object.prototype);
  });
});
