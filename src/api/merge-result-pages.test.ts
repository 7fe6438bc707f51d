import { describe, expect, it } from 'vitest';
import { mergeResultPages } from './merge-result-pages.js';

describe('mergeResultPages', () => {
  it('joins pages of benchmarks per iteration, in page order', () => {
    const bench = (name: string) => ({ benchmark: { id: name, name }, measures: [] });
    const first = [
      { iteration: 0, benchmarks: [bench('a'), bench('b')] },
      { iteration: 1, benchmarks: [bench('a'), bench('b')] },
    ];
    const merged = mergeResultPages([
      first,
      [
        { iteration: 0, benchmarks: [bench('c')] },
        { iteration: 1, benchmarks: [bench('c')] },
      ],
    ]);
    expect(merged.map((it) => [it.iteration, it.benchmarks.map((b) => b.benchmark.name)])).toEqual([
      [0, ['a', 'b', 'c']],
      [1, ['a', 'b', 'c']],
    ]);
    // The console merges again on each page that arrives: the pages it keeps stay as they came.
    expect(first[0].benchmarks).toHaveLength(2);
  });
});
