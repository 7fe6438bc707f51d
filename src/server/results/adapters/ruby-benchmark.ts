import { defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, lines, parseNumber, trailingTokens } from './parse-util.js';

const HEADER = /^[ \t]+user[ \t]+system[ \t]+total[ \t]+real[ \t]*$/;
const NANOS_PER_SECOND = 1e9;

/** `<label>  0.95  0.00  0.95 (  0.952039)`; only the wall-clock `real` column is kept. */
function realSeconds(line: string): { name: string; seconds: number } | undefined {
  // Ruby pads the real time inside the parentheses, but a wide value can fill them: `(12.345678)`.
  const spaced = trailingTokens(line, 5);
  if (spaced && spaced.tokens[3] === '(') {
    return parse(spaced.head, spaced.tokens.slice(0, 3), spaced.tokens[4]!);
  }
  const tight = trailingTokens(line, 4);
  if (tight?.tokens[3]?.startsWith('('))
    return parse(tight.head, tight.tokens.slice(0, 3), tight.tokens[3].slice(1));
  return undefined;
}

function parse(head: string, times: string[], real: string): { name: string; seconds: number } | undefined {
  if (!real.endsWith(')') || !times.every((t) => parseNumber(t) !== undefined)) return undefined;
  const seconds = parseNumber(real.slice(0, -1));
  const name = head.trim();
  return seconds === undefined || !name ? undefined : { name, seconds };
}

export const rubyBenchmark = defineAdapter('ruby_benchmark', (output, options) => {
  requireAverage('ruby_benchmark', options, []);
  const bmf = new BmfBuilder('ruby_benchmark');
  // Rows only count below a `user system total real` header, and a non-row line ends the table.
  let inTable = false;
  for (const line of lines(output)) {
    if (!inTable) {
      inTable = HEADER.test(line);
      continue;
    }
    const row = realSeconds(line);
    if (row) bmf.add(row.name, LATENCY, { value: row.seconds * NANOS_PER_SECOND });
    else inTable = HEADER.test(line);
  }
  return bmf.build(
    'no Ruby Benchmark report found in the output of ruby_benchmark (expected a `user system total real` ' +
      'header followed by rows like `sort:  1.46  0.00  1.46 (  1.460465)`)',
  );
});
