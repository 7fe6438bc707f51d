import { describe, expect, it } from 'vitest';
import { jsBenchmark } from './js-benchmark.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('js_benchmark', f);

describe('js_benchmark', () => {
  it('parses ops/sec ± relative margin as throughput', () => {
    const bmf = jsBenchmark.parse(read('four.txt'));
    expect(Object.keys(bmf)).toEqual([
      'RegExp#test',
      'String#indexOf',
      'array x 2 reduce',
      'slow path with spaces',
    ]);
    expectMetric(bmf['String#indexOf']!.throughput, {
      value: 31_002_118,
      lower_value: 31_002_118 * (1 - 0.0105),
      upper_value: 31_002_118 * (1 + 0.0105),
    });
    expectMetric(bmf['array x 2 reduce']!.throughput, {
      value: 1250.5,
      lower_value: 1225.49,
      upper_value: 1275.51,
    });
  });

  it('parses a single line and skips chatter', () => {
    expectMetric(jsBenchmark.parse(read('one.txt'))['fib(25)']!.throughput, {
      value: 3300,
      lower_value: 3296.7,
      upper_value: 3303.3,
    });
    expect(Object.keys(jsBenchmark.parse(read('noise.txt')))).toEqual(['utf8 encode', 'utf16 encode']);
  });

  it('refuses MEAN and output without results', () => {
    expectParseError(jsBenchmark, read('one.txt'), { average: 'MEAN' });
    expectParseError(jsBenchmark, 'Fastest is fib\n', undefined, /ops\/sec/);
  });
});

describe('js_benchmark on real benchmark.js 2.1.4 output', () => {
  it('reads each cycle line as throughput ± its relative margin of error, and nothing else', () => {
    const bmf = jsBenchmark.parse(fixture('js_benchmark', 'real.txt'));
    expect(Object.keys(bmf)).toEqual(['Array#sort 1000', 'RegExp#test', 'String#indexOf']);
    expect(bmf['Array#sort 1000']!.throughput!.value).toBe(899);
    // Bencher's arithmetic: error = value × (percent / 100), bounds value ∓ error.
    const regexp = bmf['RegExp#test']!.throughput!;
    expect(regexp.value).toBe(5_964_535);
    expect(regexp.lower_value).toBeCloseTo(5_964_535 - 5_964_535 * 0.307, 3);
    expect(regexp.upper_value).toBeCloseTo(5_964_535 + 5_964_535 * 0.307, 3);
    expect(bmf['String#indexOf']!.throughput!.lower_value).toBeCloseTo(103_689_630 * (1 - 0.1563), 3);
  });
});
