import { describe, expect, it } from 'vitest';
import { goBench } from './go-bench.js';
import { expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('go_bench', f);

describe('go_bench', () => {
  it('parses ns/op of real go test -bench output, sub-benchmarks included', () => {
    const bmf = goBench.parse(read('plain.txt'));
    expect(Object.keys(bmf)).toEqual([
      'BenchmarkFib10-2',
      'BenchmarkFib20-2',
      'BenchmarkFibTable/n=5-2',
      'BenchmarkFibTable/n=15-2',
      'BenchmarkFibAux-2',
      'BenchmarkAlloc-2',
    ]);
    expect(bmf['BenchmarkFib20-2']).toEqual({ latency: { value: 41_401 } });
    expect(bmf['BenchmarkFibAux-2']).toEqual({ latency: { value: 861.8 } });
  });

  it('ignores -benchmem columns and keeps the last of repeated runs', () => {
    expect(goBench.parse(read('benchmem.txt'))['BenchmarkFibTable/n=15-2']).toEqual({
      latency: { value: 3518 },
    });
    expect(goBench.parse(read('count.txt'))).toEqual({
      'BenchmarkFib10-2': { latency: { value: 280.4 } },
      'BenchmarkFib20-2': { latency: { value: 39_994 } },
    });
  });

  it('refuses MEDIAN and non-benchmark output', () => {
    expectParseError(goBench, read('plain.txt'), { average: 'MEDIAN' });
    expectParseError(goBench, 'PASS\nok  \texample.com/fib\t0.1s\n', undefined, /ns\/op/);
  });
});
