import { defineAdapter, requireAverage } from './adapter.js';
import type { BmfMetric } from './bmf.js';
import { LATENCY, THROUGHPUT } from './measures.js';
import { BmfBuilder, durationNanos, lines, parseNumber, TIME_UNIT } from './parse-util.js';

const N = '([0-9.,]+)';
const U = `(${TIME_UNIT})`;
const TIME_REST = new RegExp(`^[ \\t]+\\[${N}[ \\t]+${U}[ \\t]+${N}[ \\t]+${U}[ \\t]+${N}[ \\t]+${U}\\]$`);
const ELEM = '((?:K|M|G)?elem/s)';
const THRPT_LINE = new RegExp(
  `^[ \\t]*thrpt:[ \\t]+\\[${N}[ \\t]+${ELEM}[ \\t]+${N}[ \\t]+${ELEM}[ \\t]+${N}[ \\t]+${ELEM}\\]$`,
);
const ELEM_SCALE: Record<string, number> = { 'elem/s': 1, 'Kelem/s': 1e3, 'Melem/s': 1e6, 'Gelem/s': 1e9 };

/** criterion prints `[lower estimate upper]`: the mean's confidence interval. */
function timeMetric(line: string): { name: string; metric: BmfMetric } | undefined {
  // Scan `time:` occurrences instead of a lazy `(.*?)\s+time:` regex, which is quadratic on blank runs.
  for (let at = line.indexOf('time:'); at !== -1; at = line.indexOf('time:', at + 1)) {
    const m = TIME_REST.exec(line.slice(at + 'time:'.length));
    if (!m) continue;
    const before = line.slice(0, at);
    if (!/[ \t]$/.test(before)) continue;
    const lower = durationNanos(m[1], m[2]);
    const value = durationNanos(m[3], m[4]);
    const upper = durationNanos(m[5], m[6]);
    if (lower === undefined || value === undefined || upper === undefined) return undefined;
    return { name: before.trim(), metric: { value, lower_value: lower, upper_value: upper } };
  }
  return undefined;
}

function throughputMetric(line: string | undefined): BmfMetric | undefined {
  const m = line === undefined ? null : THRPT_LINE.exec(line);
  if (!m) return undefined;
  const [lower, value, upper] = [1, 3, 5].map((i) => {
    const n = parseNumber(m[i]!);
    return n === undefined ? undefined : n * ELEM_SCALE[m[i + 1]!]!;
  });
  if (lower === undefined || value === undefined || upper === undefined) return undefined;
  return { value, lower_value: lower, upper_value: upper };
}

export const rustCriterion = defineAdapter('rust_criterion', (output, options) => {
  requireAverage('rust_criterion', options, ['MEAN']);
  const bmf = new BmfBuilder('rust_criterion');
  const all = lines(output);
  all.forEach((line, i) => {
    const found = timeMetric(line);
    if (!found) return;
    // A name too long for criterion's column is printed alone on the line before.
    const name = found.name || (all[i - 1] ?? '').trim();
    if (!name) return;
    bmf.add(name, LATENCY, found.metric);
    const thrpt = throughputMetric(all[i + 1]);
    if (thrpt) bmf.add(name, THROUGHPUT, thrpt);
  });
  return bmf.build(
    'no criterion `time: [low estimate high]` lines found in the output of rust_criterion ' +
      '(expected lines like `fib 20   time:   [26.0 µs 26.2 µs 26.5 µs]` from `cargo bench`)',
  );
});
