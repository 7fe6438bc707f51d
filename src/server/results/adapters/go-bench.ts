import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, durationNanos, lines, TIME_UNIT } from './parse-util.js';

// Extra `value unit` pairs (-benchmem, b.ReportMetric) may follow ns/op and are ignored, as in Bencher.
const GO_LINE = new RegExp(
  `^([^ \\t]+)[ \\t]+[0-9,]+[ \\t]+([0-9.,]+)[ \\t]+(${TIME_UNIT})/op(?:[ \\t]+[0-9.,]+[ \\t]+.*)?$`,
);

export const goBench = defineAdapter('go_bench', (output, options) => {
  requireAverage('go_bench', options, ['MEAN']);
  const bmf = new BmfBuilder('go_bench');
  for (const line of lines(output)) {
    const m = GO_LINE.exec(line);
    if (!m) continue;
    const value = durationNanos(m[2], m[3]);
    if (value !== undefined) bmf.add(m[1]!, LATENCY, { value });
  }
  return bmf.build(
    'no `Benchmark… N … ns/op` lines found in the output of go_bench ' +
      '(expected lines like `BenchmarkFib10-8   5000000   325 ns/op` from `go test -bench`)',
  );
});
