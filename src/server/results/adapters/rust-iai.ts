import { defineAdapter, requireAverage } from './adapter.js';
import { ESTIMATED_CYCLES, INSTRUCTIONS, L1_ACCESSES, L2_ACCESSES, RAM_ACCESSES } from './measures.js';
import { BmfBuilder, lines, parseNumber } from './parse-util.js';

/** iai prints a name line followed by exactly these five counters, in this order. */
const COUNTERS: [label: string, slug: string][] = [
  ['Instructions', INSTRUCTIONS],
  ['L1 Accesses', L1_ACCESSES],
  ['L2 Accesses', L2_ACCESSES],
  ['RAM Accesses', RAM_ACCESSES],
  ['Estimated Cycles', ESTIMATED_CYCLES],
];

const COUNTER_LINES = COUNTERS.map(
  ([label]) => new RegExp(`^[ \\t]*${label}:[ \\t]+([0-9,]+)(?:[ \\t]+\\((?:No change|[+-][0-9.,]+%)\\))?$`),
);

export const rustIai = defineAdapter('rust_iai', (output, options) => {
  // Counts are exact; there is no mean or median to choose.
  requireAverage('rust_iai', options, []);
  const bmf = new BmfBuilder('rust_iai');
  const all = lines(output);
  for (let i = 0; i + COUNTERS.length < all.length; i++) {
    const values = COUNTER_LINES.map((re, k) => {
      const m = re.exec(all[i + 1 + k]!);
      return m ? parseNumber(m[1]!) : undefined;
    });
    if (values.some((v) => v === undefined)) continue;
    const name = all[i]!.trim();
    if (!name) continue;
    for (const [k, [, slug]] of COUNTERS.entries()) bmf.add(name, slug, { value: values[k]! });
  }
  return bmf.build(
    'no iai result blocks found in the output of rust_iai (expected a benchmark name line followed by ' +
      '`Instructions:`, `L1 Accesses:`, `L2 Accesses:`, `RAM Accesses:` and `Estimated Cycles:` lines)',
  );
});
