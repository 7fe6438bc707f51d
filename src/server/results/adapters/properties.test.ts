import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdapterParseError } from './adapter.js';
import type { Bmf } from './bmf.js';
import { ADAPTER_NAMES, getAdapter } from './index.js';

// Fragments of every format, so random strings get deep into the parsers rather than failing at once.
const FRAGMENTS = [
  'test a ... bench:',
  ' 1,234.5 ',
  ' ns/iter (+/- 5)',
  '   time:   [1 ns 2 µs 3 ms]',
  '  thrpt:  [1 Melem/s',
  '  Instructions:  12',
  'BenchmarkX-8   100   5 ns/op',
  ' x 1,000 ops/sec ±1.5% (90 runs sampled)',
  ': 12ms - timer ended',
  '[ 50.00%] ··· ',
  '1.0±0.1μs',
  '       user     system      total        real',
  ' 0.1 0.2 0.3 (  0.4)',
  '{"context":{"caches":[]},"benchmarks":[',
  '{"results":[{"command":"x"',
  '{"a":{"latency":{"value":1}}}',
  '[{"benchmark":"b","primaryMetric":{"score":1,"scoreUnit":"ops/s"}}]',
  '\n',
  '\t',
  '   ',
];

const noisyOutput = fc
  .array(fc.oneof(fc.string(), fc.constantFrom(...FRAGMENTS)), { maxLength: 30 })
  .map((parts) => parts.join(''));

function parsesOrRejects(
  name: (typeof ADAPTER_NAMES)[number],
  output: string,
  average?: 'MEAN' | 'MEDIAN',
): void {
  try {
    const bmf = getAdapter(name).parse(output, average ? { average } : undefined);
    for (const measures of Object.values(bmf)) {
      for (const metric of Object.values(measures)) {
        for (const n of Object.values(metric)) expect(Number.isFinite(n)).toBe(true);
      }
    }
  } catch (err) {
    expect(err).toBeInstanceOf(AdapterParseError);
  }
}

describe('adapter properties', () => {
  it.each(ADAPTER_NAMES)('%s either parses or throws AdapterParseError', (name) => {
    fc.assert(
      fc.property(
        noisyOutput,
        fc.constantFrom(undefined, 'MEAN' as const, 'MEDIAN' as const),
        (output, avg) => parsesOrRejects(name, output, avg),
      ),
      { numRuns: 300 },
    );
  });

  it.each(ADAPTER_NAMES)('%s stays fast on adversarial long lines', (name) => {
    const long = [
      ' '.repeat(200_000),
      `${'time:'.repeat(20_000)} `,
      `test ${'a '.repeat(50_000)}`,
      `[${' '.repeat(100_000)}1%] ${'·'.repeat(50_000)}`,
      `x${'\t '.repeat(100_000)}x`,
      `${'1,'.repeat(100_000)}`,
      '['.repeat(100_000),
    ].join('\n');
    const started = performance.now();
    parsesOrRejects(name, long);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('round-trips generated BMF through the json adapter', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const name = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);
    // lower_value ≤ upper_value when both are given: BMF with them the other way round is refused.
    const metric = fc
      .record({ value: finite, lower_value: finite, upper_value: finite }, { requiredKeys: ['value'] })
      .filter(
        (m) => m.lower_value === undefined || m.upper_value === undefined || m.lower_value <= m.upper_value,
      );
    const bmf = fc.dictionary(name, fc.dictionary(name, metric, { minKeys: 1, maxKeys: 4 }), {
      minKeys: 1,
      maxKeys: 6,
    });
    fc.assert(
      fc.property(bmf, (original: Bmf) => {
        const parsed = getAdapter('json').parse(JSON.stringify(original));
        // Compared as JSON text: key order must survive, JSON has no -0, and keys such as `constructor`
        // confuse structural matchers.
        expect(JSON.stringify(parsed)).toBe(JSON.stringify(original));
        expect(parsed).toEqual(JSON.parse(JSON.stringify(original)));
      }),
      { numRuns: 300 },
    );
  });
});
