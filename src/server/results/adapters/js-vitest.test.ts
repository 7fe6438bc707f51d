import { describe, expect, it } from 'vitest';
import { jsVitest } from './js-vitest.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('js_vitest', f);

describe('js_vitest', () => {
  it('names benchmarks `<group> > <name>` and reads latency and throughput from real Vitest JSON', () => {
    const bmf = jsVitest.parse(read('fib.json'));
    expect(Object.keys(bmf)).toEqual([
      'fib.bench.ts > top level',
      'fib.bench.ts > fibonacci > fib(10)',
      'fib.bench.ts > fibonacci > fib(15)',
    ]);
    // mean 0.0014692527695338471 ms ± sd 0.1168406992726738 ms; hz ± rme 59.74497001205621 %.
    const mean = 0.0014692527695338471 * 1e6;
    const sd = 0.1168406992726738 * 1e6;
    expectMetric(bmf['fib.bench.ts > fibonacci > fib(10)']!.latency, {
      value: mean,
      lower_value: mean - sd,
      upper_value: mean + sd,
    });
    const hz = 680618.0806569261;
    const error = hz * (59.74497001205621 / 100);
    expectMetric(bmf['fib.bench.ts > fibonacci > fib(10)']!.throughput, {
      value: hz,
      lower_value: hz - error,
      upper_value: hz + error,
    });
  });

  it('reports the median without bounds under MEDIAN; throughput is unchanged', () => {
    const bmf = jsVitest.parse(read('fib.json'), { average: 'MEDIAN' });
    expectMetric(bmf['fib.bench.ts > fibonacci > fib(15)']!.latency, { value: 0.005189999999856809 * 1e6 });
    expect(bmf['fib.bench.ts > fibonacci > fib(15)']!.throughput!.value).toBe(41134.7731683668);
  });

  it('falls back to the bare name for an empty group name', () => {
    const one = { name: 'solo', hz: 1000, mean: 1, median: 0.75, sd: 0.25, rme: 25 };
    const bmf = jsVitest.parse(
      JSON.stringify({ files: [{ groups: [{ fullName: '', benchmarks: [one] }] }] }),
    );
    expect(bmf).toEqual({
      solo: {
        latency: { value: 1_000_000, lower_value: 750_000, upper_value: 1_250_000 },
        throughput: { value: 1000, lower_value: 750, upper_value: 1250 },
      },
    });
  });

  it('refuses other JSON and incomplete benchmarks', () => {
    expectParseError(jsVitest, '{"results": []}', undefined, /"files"/);
    expectParseError(
      jsVitest,
      '{"files": [{"groups": [{"fullName": "g", "benchmarks": [{"name": "x"}]}]}]}',
      undefined,
      /finite/,
    );
    expectParseError(jsVitest, '{"files": []}', undefined, /no benchmarks/);
  });
});
