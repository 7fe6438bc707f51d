import { describe, expect, it } from 'vitest';
import { elixirBenchee } from './elixir-benchee.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('elixir_benchee', f);

describe('elixir_benchee', () => {
  it('reads the average ± deviation and the ips of each job', () => {
    const bmf = elixirBenchee.parse(read('two.txt'));
    expect(Object.keys(bmf)).toEqual(['flat_map', 'map.flatten']);
    const spread = (416_670 * 9.69) / 100;
    expectMetric(bmf.flat_map!.latency, {
      value: 416_670,
      lower_value: 416_670 - spread,
      upper_value: 416_670 + spread,
    });
    expectMetric(bmf['map.flatten']!.throughput, { value: 1240 });
  });

  it('reads count suffixes and time units, the median under MEDIAN, and ignores the memory table', () => {
    const bmf = elixirBenchee.parse(read('units.txt'), { average: 'MEDIAN' });
    expect(Object.keys(bmf)).toEqual(['fast', 'slow']);
    expectMetric(bmf.fast!.throughput, { value: 12_500_000 });
    expectMetric(bmf.fast!.latency, { value: 70 });
    expectMetric(bmf.slow!.throughput, { value: 800.25 });
    expectMetric(bmf.slow!.latency, { value: 1_240_000 });
  });

  it('refuses output without a run-time table', () => {
    expectParseError(
      elixirBenchee,
      'flat_map  2.40 K  416.67 μs  ±9.69%  410.50 μs  570.88 μs\n',
      undefined,
      /header/,
    );
  });
});
