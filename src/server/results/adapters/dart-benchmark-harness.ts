import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, lines } from './parse-util.js';

/** `<name>(RunTime): <microseconds> us.` — benchmark_harness's PrintEmitter. */
const LINE = /^(.*?)\(RunTime\):[ \t]*([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)[ \t]+us\.[ \t]*$/;

/** Dart `benchmark_harness`, as Bencher reads it: one latency (the mean) per line, no bounds. */
export const dartBenchmarkHarness = defineAdapter('dart_benchmark_harness', (output, options) => {
  requireAverage('dart_benchmark_harness', options, ['MEAN']);
  const bmf = new BmfBuilder('dart_benchmark_harness');
  for (const line of lines(output)) {
    const m = LINE.exec(line);
    if (m) bmf.add(m[1]!, LATENCY, { value: Number(m[2]) * 1_000 });
  }
  return bmf.build(
    'no benchmark_harness lines found in the output of dart_benchmark_harness (expected lines like ' +
      '`Template(RunTime): 1.0 us.`)',
  );
});
