import { describe, expect, it } from 'vitest';
import { javaJmh } from './java-jmh.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('java_jmh', f);

describe('java_jmh', () => {
  it('turns ops/<time> scores into throughput per second', () => {
    const bmf = javaJmh.parse(read('throughput.json'));
    expectMetric(bmf['org.example.bench.MapBench.hashMapGet']!.throughput, {
      value: 152_345_500,
      lower_value: 150_000_000,
      upper_value: 154_691_000,
    });
    expectMetric(bmf['org.example.bench.MapBench.treeMapGet']!.throughput, {
      value: 41.25,
      lower_value: 40,
      upper_value: 42.5,
    });
  });

  it('turns <time>/op scores into latency in ns', () => {
    const bmf = javaJmh.parse(read('latency.json'));
    expectMetric(bmf['org.example.bench.StringBench.concat']!.latency, {
      value: 12_500,
      lower_value: 12_000,
      upper_value: 13_000,
    });
    expectMetric(bmf['org.example.bench.StringBench.builder']!.latency, {
      value: 850.25,
      lower_value: 840,
      upper_value: 860.5,
    });
  });

  it('keeps the score when the confidence interval is NaN', () => {
    expect(javaJmh.parse(read('single_shot.json'))).toEqual({
      'org.example.bench.Startup.coldStart': { latency: { value: 750_000_000 } },
    });
  });

  it('rejects unknown units, non-arrays, malformed JSON and MEDIAN', () => {
    const bad = read('latency.json').replace('"us/op"', '"furlongs"');
    expectParseError(javaJmh, bad, undefined, /scoreUnit "furlongs"/);
    expectParseError(javaJmh, '{"benchmark": "x"}', undefined, /JSON array/);
    expectParseError(javaJmh, '[{"benchmark": ', undefined, /not valid JSON/);
    expectParseError(javaJmh, '[]', undefined, /no benchmarks/);
    expectParseError(javaJmh, read('latency.json'), { average: 'MEDIAN' });
  });
});
