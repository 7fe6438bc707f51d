import { AdapterParseError, defineAdapter } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, finite, isObject, parseJson } from './parse-util.js';

const EXPECTED = 'hyperfine JSON (`hyperfine --export-json FILE`)';
const NANOS_PER_SECOND = 1e9;

export const shellHyperfine = defineAdapter('shell_hyperfine', (output, options) => {
  const raw = parseJson('shell_hyperfine', output, EXPECTED);
  if (!isObject(raw) || !Array.isArray(raw.results)) {
    throw new AdapterParseError(
      'shell_hyperfine',
      `shell_hyperfine expects ${EXPECTED}: an object with "results"`,
    );
  }
  const median = options.average === 'MEDIAN';
  const bmf = new BmfBuilder('shell_hyperfine');
  for (const [i, r] of raw.results.entries()) {
    if (!isObject(r) || typeof r.command !== 'string') {
      throw new AdapterParseError('shell_hyperfine', `results[${i}] needs a "command"`);
    }
    const { mean, stddev, median: med, min, max } = r;
    if (
      ![mean, med, min, max].every(finite) ||
      !(stddev === null || stddev === undefined || finite(stddev))
    ) {
      throw new AdapterParseError(
        'shell_hyperfine',
        `result "${r.command}" needs finite mean, median, min and max (and stddev or null)`,
      );
    }
    const ns = (s: number) => s * NANOS_PER_SECOND;
    if (median) {
      // Bencher pairs the median with the observed range rather than a deviation.
      bmf.add(r.command, LATENCY, {
        value: ns(med as number),
        lower_value: ns(min as number),
        upper_value: ns(max as number),
      });
    } else if (finite(stddev)) {
      const m = mean as number;
      bmf.add(r.command, LATENCY, { value: ns(m), lower_value: ns(m - stddev), upper_value: ns(m + stddev) });
    } else {
      // A single run has no standard deviation.
      bmf.add(r.command, LATENCY, { value: ns(mean as number) });
    }
  }
  return bmf.build('the hyperfine JSON of shell_hyperfine lists no results');
});
