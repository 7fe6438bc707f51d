import { describe, expect, it } from 'vitest';
import { cppCatch2 } from './cpp-catch2.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('cpp_catch2', f);

describe('cpp_catch2', () => {
  it('parses mean ± std dev of real Catch2 output', () => {
    const bmf = cppCatch2.parse(read('four.txt'));
    // Named `<test case>: <benchmark>`, as Bencher joins them.
    expect(Object.keys(bmf)).toEqual([
      'Fibonacci: Fibonacci 10',
      'Fibonacci: Fibonacci 20',
      'Sleepy: Fibonacci~ 5!',
      'Sleepy: Fibonacci-15_bench',
    ]);
    expectMetric(bmf['Fibonacci: Fibonacci 10']!.latency, {
      value: 112.467,
      lower_value: 112.467 - 5.89683,
      upper_value: 112.467 + 5.89683,
    });
    // µs mean with an ns standard deviation.
    expectMetric(bmf['Fibonacci: Fibonacci 20']!.latency, {
      value: 9044.33,
      lower_value: 9044.33 - 366.937,
      upper_value: 9044.33 + 366.937,
    });
  });

  it('parses a second real run', () => {
    expect(Object.keys(cppCatch2.parse(read('two.txt')))).toEqual([
      'Fibonacci: Fibonacci 10',
      'Fibonacci: Fibonacci 20',
    ]);
  });

  it('prefixes the sections and joins a wrapped long name back together', () => {
    const bmf = cppCatch2.parse(read('sections.txt'));
    expect(Object.keys(bmf)).toEqual([
      'Fibonacci: Fibonacci 10',
      'Parsing small input: Fibonacci 10',
      'Parsing large input: Fibonacci 15 with a rather long benchmark name that wraps',
    ]);
    // Same benchmark name in two test cases: two benchmarks, each with its own numbers.
    expectMetric(bmf['Parsing small input: Fibonacci 10']!.latency, {
      value: 431.862,
      lower_value: 431.862 - 1133.21,
      upper_value: 431.862 + 1133.21,
    });
    expectMetric(
      bmf['Parsing large input: Fibonacci 15 with a rather long benchmark name that wraps']!.latency,
      {
        value: 702.6,
        lower_value: 702.6 - 31.7707,
        upper_value: 702.6 + 31.7707,
      },
    );
  });

  it('rejects --benchmark-no-analysis output and MEDIAN', () => {
    expectParseError(cppCatch2, read('no_analysis.txt'), undefined, /no Catch2 benchmark tables/);
    expectParseError(cppCatch2, read('four.txt'), { average: 'MEDIAN' });
  });
});

describe('cpp_catch2, a long name continued on the numbers rows (Catch2 v3, Bencher issue 351)', () => {
  it('appends what precedes the mean and std dev to the name, as Bencher does', () => {
    const rule = '-'.repeat(79);
    // Hand-made in the layout of Bencher's tool_output/cpp/catch2/issue_351.txt.
    const output = [
      rule,
      'Even More Fibonacci With a long name',
      rule,
      '/tmp/bench.cpp:40',
      '.'.repeat(79),
      '',
      'benchmark name                       samples       iterations    estimated',
      '                                     mean          low mean      high mean',
      '                                     std dev       low std dev   high std dev',
      rule,
      'Fibonacci 10                                   100           208     7.1968 ms ',
      'with a long name                        344 ns       341 ns       349 ns ',
      '                                         19 ns        11 ns        29 ns ',
      '',
      '='.repeat(79),
    ].join('\n');
    expect(cppCatch2.parse(output)).toEqual({
      'Even More Fibonacci With a long name: Fibonacci 10 with a long name': {
        latency: { value: 344, lower_value: 325, upper_value: 363 },
      },
    });
  });
});
