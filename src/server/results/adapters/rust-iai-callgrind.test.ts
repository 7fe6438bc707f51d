import { describe, expect, it } from 'vitest';
import { rustGungraun, rustIaiCallgrind } from './rust-iai-callgrind.js';
import { expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('rust_iai_callgrind', f);

describe('rust_iai_callgrind / rust_gungraun', () => {
  it('reads the current value of every Callgrind metric under Bencher slugs', () => {
    for (const adapter of [rustIaiCallgrind, rustGungraun]) {
      const bmf = adapter.parse(read('two.txt'));
      expect(Object.keys(bmf)).toEqual([
        'my_crate::fib_group::bench_fib short:10',
        'my_crate::fib_group::bench_fib long:30',
      ]);
      expect(bmf['my_crate::fib_group::bench_fib short:10']).toEqual({
        instructions: { value: 1800 },
        'l1-hits': { value: 2400 },
        'l2-hits': { value: 1 },
        'ram-hits': { value: 4 },
        'total-read-write': { value: 2405 },
        'estimated-cycles': { value: 2545 },
      });
      // Compared with an old run: the current value (left of `|`) counts.
      expect(bmf['my_crate::fib_group::bench_fib long:30']!.instructions).toEqual({ value: 26_000_000 });
    }
  });

  it('reads tool sections, drops unknown labels and strips ANSI colours', () => {
    const bmf = rustIaiCallgrind.parse(read('tools.txt'));
    expect(bmf).toEqual({
      'my_crate::fib_group::bench_fib short:10': {
        instructions: { value: 1800 },
        'global-bus-events': { value: 2 },
        'total-bytes': { value: 29000 },
        'at-t-gmax-bytes': { value: 378 },
        'memcheck-errors': { value: 0 },
        'memcheck-contexts': { value: 1 },
      },
    });
  });

  it('refuses an average and output without results', () => {
    expectParseError(rustIaiCallgrind, read('two.txt'), { average: 'MEAN' });
    expectParseError(rustGungraun, 'running 0 tests\n', undefined, /rust_gungraun/);
  });
});

describe('rust_gungraun JSON (--output-format=json)', () => {
  it('reads every profile of every benchmark as Bencher does: new value, known keys, <module_path>::<id>', () => {
    for (const adapter of [rustGungraun, rustIaiCallgrind]) {
      expect(adapter.parse(read('summary.json'))).toEqual({
        'my_crate::fib_group::bench_fib::short': {
          instructions: { value: 1800 },
          'l1-hits': { value: 2400 },
          'll-hits': { value: 1 },
          'ram-hits': { value: 4 },
          'total-read-write': { value: 2405 },
          'estimated-cycles': { value: 2545 },
          'l1-hit-rate': { value: 99.79 },
          'total-bytes': { value: 29000 },
          'at-t-gmax-bytes': { value: 378 },
          'maximum-blocks': { value: 3 },
          'memcheck-errors': { value: 0 },
          'memcheck-contexts': { value: 1 },
        },
        // Compared with an old run: the new value (the first of `Both`).
        'my_crate::fib_group::bench_fib::long': {
          instructions: { value: 26_000_000 },
          'estimated-cycles': { value: 26_000_120 },
        },
        // No id: Bencher refuses the whole output; the module path alone names it.
        'my_crate::fib_group::bench_noid': { instructions: { value: 42 } },
      });
    }
  });

  it('refuses an entry that is not a benchmark summary, and an array with no known metric', () => {
    expectParseError(rustGungraun, '[{"id": "x"}]', undefined, /module_path/);
    expectParseError(rustGungraun, '[]', undefined, /no metric Bencher knows/);
    expectParseError(rustGungraun, read('summary.json'), { average: 'MEDIAN' });
  });
});
