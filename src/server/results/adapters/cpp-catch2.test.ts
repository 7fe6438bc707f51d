import { describe, expect, it } from 'vitest';
import { cppCatch2 } from './cpp-catch2.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('cpp_catch2', f);

describe('cpp_catch2', () => {
  it('parses mean ± std dev of real Catch2 output', () => {
    const bmf = cppCatch2.parse(read('four.txt'));
    expect(Object.keys(bmf)).toEqual(['Fibonacci 10', 'Fibonacci 20', 'Fibonacci~ 5!', 'Fibonacci-15_bench']);
    expectMetric(bmf['Fibonacci 10']!.latency, {
      value: 112.467,
      lower_value: 112.467 - 5.89683,
      upper_value: 112.467 + 5.89683,
    });
    // µs mean with an ns standard deviation.
    expectMetric(bmf['Fibonacci 20']!.latency, {
      value: 9044.33,
      lower_value: 9044.33 - 366.937,
      upper_value: 9044.33 + 366.937,
    });
  });

  it('parses a second real run', () => {
    expect(Object.keys(cppCatch2.parse(read('two.txt')))).toEqual(['Fibonacci 10', 'Fibonacci 20']);
  });

  it('rejects --benchmark-no-analysis output and MEDIAN', () => {
    expectParseError(cppCatch2, read('no_analysis.txt'), undefined, /no Catch2 benchmark tables/);
    expectParseError(cppCatch2, read('four.txt'), { average: 'MEDIAN' });
  });
});
