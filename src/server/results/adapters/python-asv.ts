import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, durationNanos, lines, spread, TIME_UNIT } from './parse-util.js';

// `[ 35.00%] ··· benchmarks.TimeSuite.time_keys      11.2±0.01μs`; `failed` and non-time results are skipped.
const ASV_LINE = new RegExp(
  `^\\[[ \\t]*[0-9.,]+%\\][ \\t]+\u00b7+[ \\t]+([^ \\t]+)[ \\t]+([0-9.,]+)±([0-9.,]+)(${TIME_UNIT})$`,
);

export const pythonAsv = defineAdapter('python_asv', (output, options) => {
  // asv reports the median (± half the interquartile range).
  requireAverage('python_asv', options, ['MEDIAN']);
  const bmf = new BmfBuilder('python_asv');
  for (const line of lines(output)) {
    const m = ASV_LINE.exec(line);
    if (!m) continue;
    const value = durationNanos(m[2], m[4]);
    const delta = durationNanos(m[3], m[4]);
    if (value !== undefined && delta !== undefined) bmf.add(m[1]!, LATENCY, spread(value, delta));
  }
  return bmf.build(
    'no asv timing lines found in the output of python_asv ' +
      '(expected `asv run` lines like `[ 50.00%] ··· benchmarks.TimeSuite.time_keys   11.2±0.01μs`)',
  );
});
