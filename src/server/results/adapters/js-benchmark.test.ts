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
