import { describe, expect, it } from 'vitest';
import { cppGoogle } from './cpp-google.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('cpp_google', f);

describe('cpp_google', () => {
  it('parses real_time of real Google Benchmark JSON', () => {
    const bmf = cppGoogle.parse(read('two.json'));
    expectMetric(bmf['BM_fib/10']!.latency, { value: 120.63700294452141 });
    expectMetric(bmf['BM_fib/20']!.latency, { value: 15_934.077147341701 });
  });

  it('converts ms and us time units to ns', () => {
    const bmf = cppGoogle.parse(read('units.json'));
    expectMetric(bmf.BM_fib_ms!.latency, { value: 0.20513679083086361 * 1e6 });
    expectMetric(bmf.BM_fib_us!.latency, { value: 1.3192598853637876 * 1e3 });
  });

  it('keeps every aggregate, the coefficient of variation too, as Bencher does', () => {
    const bmf = cppGoogle.parse(read('repetitions.json'));
    expect(Object.keys(bmf)).toEqual([
      'BM_fib/10',
      'BM_fib/10_mean',
      'BM_fib/10_median',
      'BM_fib/10_stddev',
      'BM_fib/10_cv',
    ]);
    expect(bmf['BM_fib/10_cv']!.latency!.value).toBeLessThan(1);
    expectMetric(bmf['BM_fib/10_median']!.latency, { value: 113.07692244154258 });
  });

  it('rejects malformed JSON, other JSON and MEDIAN', () => {
    expectParseError(cppGoogle, read('two.json').slice(0, 200), undefined, /not valid JSON/);
    expectParseError(cppGoogle, '{"benchmarks": []}', undefined, /context/);
    expectParseError(cppGoogle, '{"context": {"caches": []}, "benchmarks": []}', undefined, /no benchmarks/);
    expectParseError(
      cppGoogle,
      '{"context": {"caches": []}, "benchmarks": [{"name": "x", "real_time": 1e999, "time_unit": "ns"}]}',
      undefined,
      /finite/,
    );
    expectParseError(cppGoogle, read('two.json'), { average: 'MEDIAN' });
  });
});
