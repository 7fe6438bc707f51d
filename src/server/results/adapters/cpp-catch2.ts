import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, durationNanos, lines, trailingTokens } from './parse-util.js';

/** The rule Catch2's console reporter draws around a test case's name and sections. */
const PAGE_BREAK = '-'.repeat(79);
/** Bencher reads five lines at a time: a test case header (rule, name, ≤2 sections, rule) or a benchmark. */
const WINDOW = 5;

/** `<name>   <samples> <iterations> <estimated> <unit>` — the first row of a Catch2 benchmark. */
function preludeRow(line: string): string | undefined {
  const t = trailingTokens(line, 4);
  if (!t || !/^[0-9]+$/.test(t.tokens[0]!) || !/^[0-9]+$/.test(t.tokens[1]!)) return undefined;
  if (durationNanos(t.tokens[2], t.tokens[3]) === undefined) return undefined;
  return t.head;
}

/**
 * `[name continued]   <d> <unit> <d> <unit> <d> <unit>` — the mean or std dev row; the first column
 * counts. A long benchmark name wraps onto these rows, before the numbers.
 */
function timeRow(line: string): { more: string; nanos: number } | undefined {
  const t = trailingTokens(line, 6);
  if (!t) return undefined;
  for (let k = 0; k < 6; k += 2) {
    if (durationNanos(t.tokens[k], t.tokens[k + 1]) === undefined) return undefined;
  }
  return { more: t.head.trim(), nanos: durationNanos(t.tokens[0], t.tokens[1])! };
}

/** A test case header: rule, the test case, up to two section lines, rule; joined with spaces. */
function testCase(window: readonly string[]): string | undefined {
  if (window[0] !== PAGE_BREAK) return undefined;
  let name = window[1]!.trim();
  for (const line of window.slice(2)) {
    if (line === PAGE_BREAK) return name;
    name += ` ${line.trim()}`;
  }
  return undefined;
}

/**
 * Catch2 v2 wraps a long benchmark name onto the line(s) above its numbers. Bencher keeps only the
 * last part; the whole name is what its author wrote, so the lines above are joined back on.
 */
function wrappedStart(all: readonly string[], prelude: number): string {
  const parts: string[] = [];
  for (let j = prelude - 1; j >= 0 && parts.length < 3; j--) {
    const line = all[j]!;
    if (line.trim() === '' || line === PAGE_BREAK || timeRow(line) || preludeRow(line) !== undefined) break;
    parts.unshift(line.trim());
  }
  return parts.map((p) => `${p} `).join('');
}

/**
 * Catch2's console reporter, as Bencher reads it: each benchmark is named
 * `<test case> [<sections>]: <benchmark>` (a wrapped long name joined with spaces) and its latency is
 * the mean, bounded by ± the standard deviation.
 */
export const cppCatch2 = defineAdapter('cpp_catch2', (output, options) => {
  requireAverage('cpp_catch2', options, ['MEAN']);
  const bmf = new BmfBuilder('cpp_catch2');
  // Padded so that a benchmark in the output's last lines still fills a window (Bencher misses it).
  const all = [...lines(output), '', ''];
  let current: string | undefined;
  for (let i = 0; i + WINDOW <= all.length; i++) {
    const window = all.slice(i, i + WINDOW);
    const header = testCase(window);
    if (header !== undefined) {
      current = header;
      continue;
    }
    if (current === undefined) continue;
    const prelude = preludeRow(window[0]!);
    if (prelude === undefined) continue;
    const mean = timeRow(window[1]!);
    const stdDev = mean && timeRow(window[2]!);
    if (!mean || !stdDev) continue;
    let name = `${current}: ${wrappedStart(all, i)}${prelude.trim()}`;
    if (mean.more) name += ` ${mean.more}`;
    if (stdDev.more) name += ` ${stdDev.more}`;
    bmf.add(name, LATENCY, {
      value: mean.nanos,
      lower_value: mean.nanos - stdDev.nanos,
      upper_value: mean.nanos + stdDev.nanos,
    });
  }
  return bmf.build(
    'no Catch2 benchmark tables found in the output of cpp_catch2 (expected the default console ' +
      'reporter: a test case header, then three rows per benchmark: name/samples, mean, std dev; ' +
      '`--benchmark-no-analysis` output has no std dev and cannot be used)',
  );
});
