import { describe, expect, it } from 'vitest';
import { PERF_MAX_NAMES, PERF_MAX_POINTS, perfGroups } from '../../src/cli/run/results.js';

const benchmarks = (count: number, measures: (i: number) => string[]) =>
  new Map(Array.from({ length: count }, (_, i) => [`b${i}`, new Set(measures(i))]));

describe('perfGroups: one perf request per group, within the server’s limits', () => {
  it('asks for everything at once when it fits', () => {
    expect(
      perfGroups(
        benchmarks(3, () => ['m1', 'm2']),
        12,
      ),
    ).toEqual([{ benchmarks: ['b0', 'b1', 'b2'], measures: ['m1', 'm2'] }]);
  });

  it('names at most 100 benchmarks and 100 measures a request, and keeps every benchmark once, in order', () => {
    const many = perfGroups(
      benchmarks(250, () => ['m']),
      12,
    );
    expect(many.map((g) => g.benchmarks.length)).toEqual([100, 100, 50]);
    expect(many.flatMap((g) => g.benchmarks)).toEqual([...benchmarks(250, () => []).keys()]);
    // Each benchmark with measures of its own: the request crosses them, so fewer benchmarks fit.
    const distinct = perfGroups(
      benchmarks(60, (i) => [`m${2 * i}`, `m${2 * i + 1}`]),
      12,
    );
    expect(distinct.length).toBeGreaterThan(1);
    expect(distinct.flatMap((g) => g.benchmarks)).toHaveLength(60);
    for (const g of distinct) {
      expect(g.measures.length).toBeLessThanOrEqual(PERF_MAX_NAMES);
      expect(g.benchmarks.length * g.measures.length * 12).toBeLessThanOrEqual(PERF_MAX_POINTS);
    }
  });

  it('keeps the points a request can answer within the server’s cap (benchmarks × measures × last)', () => {
    const groups = perfGroups(
      benchmarks(100, () => Array.from({ length: 16 }, (_, j) => `m${j}`)),
      20,
    );
    for (const g of groups) {
      expect(g.benchmarks.length * g.measures.length * 20).toBeLessThanOrEqual(PERF_MAX_POINTS);
    }
    expect(groups.flatMap((g) => g.benchmarks)).toHaveLength(100);
  });
});
