import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, durationNanos, lines, spread, trailingTokens } from './parse-util.js';

/** `<name>   <samples> <iterations> <estimated> <unit>` — the first row of a Catch2 benchmark. */
function nameRow(line: string): string | undefined {
  const t = trailingTokens(line, 4);
  if (!t || !/^[0-9,]+$/.test(t.tokens[0]!) || !/^[0-9,]+$/.test(t.tokens[1]!)) return undefined;
  if (durationNanos(t.tokens[2], t.tokens[3]) === undefined) return undefined;
  return t.head.trim() || undefined;
}

/** `   <d> <unit> <d> <unit> <d> <unit>` — mean row (mean, low, high) or std-dev row. First column wins. */
function firstDuration(line: string): number | undefined {
  const t = trailingTokens(line, 6);
  // These rows are indented and hold only the six tokens.
  if (t?.head.trim() !== '' || !/^[ \t]/.test(line)) return undefined;
  for (let k = 0; k < 6; k += 2) {
    if (durationNanos(t.tokens[k], t.tokens[k + 1]) === undefined) return undefined;
  }
  return durationNanos(t.tokens[0], t.tokens[1]);
}

export const cppCatch2 = defineAdapter('cpp_catch2', (output, options) => {
  requireAverage('cpp_catch2', options, ['MEAN']);
  const bmf = new BmfBuilder('cpp_catch2');
  const all = lines(output);
  for (let i = 0; i + 2 < all.length; i++) {
    const stdDev = firstDuration(all[i + 2]!);
    if (stdDev === undefined) continue;
    const mean = firstDuration(all[i + 1]!);
    const name = mean === undefined ? undefined : nameRow(all[i]!);
    if (name !== undefined && mean !== undefined) bmf.add(name, LATENCY, spread(mean, stdDev));
  }
  return bmf.build(
    'no Catch2 benchmark tables found in the output of cpp_catch2 (expected the default console ' +
      'reporter with its three rows per benchmark: name/samples, mean, std dev; `--benchmark-no-analysis` ' +
      'output has no std dev and cannot be used)',
  );
});
