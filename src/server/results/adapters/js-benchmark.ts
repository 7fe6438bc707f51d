import { defineAdapter, requireAverage } from './adapter.js';
import { THROUGHPUT } from './measures.js';
import { BmfBuilder, lines, parseNumber, trailingTokens } from './parse-util.js';

/** `<name> x 1,431,759 ops/sec ±0.74% (93 runs sampled)` — benchmark.js's `String(bench)`. */
function parseLine(line: string): { name: string; hz: number; percent: number } | undefined {
  const t = trailingTokens(line, 7);
  if (!t) return undefined;
  const [x, hz, unit, rme, runs, word, sampled] = t.tokens;
  if (x !== 'x' || unit !== 'ops/sec' || word !== 'runs' || sampled !== 'sampled)') return undefined;
  if (!/^\([0-9,]+$/.test(runs!)) return undefined;
  const pm = /^±([0-9.,]+)%$/.exec(rme!);
  const value = parseNumber(hz!);
  const percent = pm ? parseNumber(pm[1]!) : undefined;
  const name = t.head.trim();
  if (value === undefined || percent === undefined || !name) return undefined;
  return { name, hz: value, percent };
}

export const jsBenchmark = defineAdapter('js_benchmark', (output, options) => {
  // Bencher treats benchmark.js's figure as a median, so MEAN is refused.
  requireAverage('js_benchmark', options, ['MEDIAN']);
  const bmf = new BmfBuilder('js_benchmark');
  for (const line of lines(output)) {
    const r = parseLine(line);
    if (!r) continue;
    const error = r.hz * (r.percent / 100);
    bmf.add(r.name, THROUGHPUT, { value: r.hz, lower_value: r.hz - error, upper_value: r.hz + error });
  }
  return bmf.build(
    'no benchmark.js result lines found in the output of js_benchmark ' +
      '(expected lines like `fib(10) x 1,431,759 ops/sec ±0.74% (93 runs sampled)`)',
  );
});
