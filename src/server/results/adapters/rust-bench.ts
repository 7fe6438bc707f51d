import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, durationNanos, lines, spread, TIME_UNIT } from './parse-util.js';

// Anchored and built from disjoint classes, so matching is linear in the line length.
const BENCH_LINE = new RegExp(
  `^test[ \\t]+([^ \\t]+)[ \\t]+\\.\\.\\.[ \\t]+bench:[ \\t]+([0-9.,]+)[ \\t]+(${TIME_UNIT})/iter[ \\t]+` +
    '\\(\\+/-[ \\t]+([0-9.,]+)\\)$',
);

/** libtest's `#[bench]` output: the median per iteration, ± the max–min spread. */
export const rustBench = defineAdapter('rust_bench', (output, options) => {
  // libtest reports the median, so only MEDIAN (or no preference) fits.
  requireAverage('rust_bench', options, ['MEDIAN']);
  const bmf = new BmfBuilder('rust_bench');
  for (const line of lines(output)) {
    const m = BENCH_LINE.exec(line);
    if (!m) continue;
    const value = durationNanos(m[2], m[3]);
    const dev = durationNanos(m[4], m[3]);
    if (value === undefined || dev === undefined) continue;
    bmf.add(m[1]!, LATENCY, spread(value, dev));
  }
  return bmf.build(
    'no `test … bench:` lines found in the output of rust_bench ' +
      '(expected lines like `test tests::fib ... bench:  1,234 ns/iter (+/- 56)` from `cargo bench`)',
  );
});
