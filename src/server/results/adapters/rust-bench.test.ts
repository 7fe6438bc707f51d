import { describe, expect, it } from 'vitest';
import { rustBench } from './rust-bench.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('rust_bench', f);

describe('rust_bench', () => {
  it('parses real cargo bench output: median ± spread, in ns', () => {
    const bmf = rustBench.parse(read('many.txt'));
    expect(Object.keys(bmf)).toEqual(['tests::bench_add', 'tests::bench_fib_10', 'tests::bench_fib_20']);
    expectMetric(bmf['tests::bench_fib_20']!.latency, {
      value: 19_428.86,
      lower_value: 19_428.86 - 5_766.59,
      upper_value: 19_428.86 + 5_766.59,
    });
    expectMetric(bmf['tests::bench_add']!.latency, { value: 0.58, lower_value: 0.53, upper_value: 0.63 });
  });

  it('parses a single benchmark and ignores cargo log lines', () => {
    expectMetric(rustBench.parse(read('one.txt'))['tests::bench_fib_10']!.latency, {
      value: 184.72,
      lower_value: 148.65,
      upper_value: 220.79,
    });
    expect(Object.keys(rustBench.parse(read('with_cargo_log.txt')))).toEqual([
      'tests::bench_fib_10',
      'tests::bench_fib_20',
    ]);
  });

  it('converts units and integer output of older toolchains', () => {
    const bmf = rustBench.parse(
      'test a ... bench:       5,280 ns/iter (+/- 333)\ntest b ... bench: 2 ms/iter (+/- 1)',
    );
    expectMetric(bmf.a!.latency, { value: 5280, lower_value: 4947, upper_value: 5613 });
    expectMetric(bmf.b!.latency, { value: 2e6, lower_value: 1e6, upper_value: 3e6 });
  });

  it('accepts MEDIAN but refuses MEAN, as libtest reports a median', () => {
    expect(rustBench.parse(read('one.txt'), { average: 'MEDIAN' })).toHaveProperty('tests::bench_fib_10');
    expectParseError(rustBench, read('one.txt'), { average: 'MEAN' }, /median only/);
  });

  it('rejects output without bench lines', () => {
    expectParseError(rustBench, '', undefined, /empty/);
    expectParseError(rustBench, 'test tests::it_works ... ignored\n', undefined, /no `test … bench:` lines/);
    expectParseError(rustBench, 'test x ... bench: 12 parsecs/iter (+/- 1)');
  });
});
