import { AdapterParseError, defineAdapter } from './adapter.js';
import { LATENCY, THROUGHPUT } from './measures.js';
import { BmfBuilder, finite, isObject, parseJson } from './parse-util.js';

const EXPECTED = 'the JSON report of `vitest bench --run --outputJson <file>`';
const NANOS_PER_MILLI = 1e6;

/**
 * Vitest's benchmark JSON, as Bencher reads it. Each benchmark is `<group fullName> > <name>` (the
 * absolute `filepath` is not part of it: it differs between machines). Latency is the mean ± the
 * standard deviation in ns, or with MEDIAN the median without bounds (Vitest has no IQR);
 * throughput is `hz` ± its relative margin of error, whatever the average.
 */
export const jsVitest = defineAdapter('js_vitest', (output, options) => {
  const raw = parseJson('js_vitest', output, EXPECTED);
  if (!isObject(raw) || !Array.isArray(raw.files)) {
    throw new AdapterParseError('js_vitest', `js_vitest expects ${EXPECTED}: an object with a "files" array`);
  }
  const bmf = new BmfBuilder('js_vitest');
  for (const file of raw.files) {
    if (!isObject(file) || !Array.isArray(file.groups)) {
      throw new AdapterParseError('js_vitest', 'js_vitest expects every file to have a "groups" array');
    }
    for (const group of file.groups) {
      if (!isObject(group) || typeof group.fullName !== 'string' || !Array.isArray(group.benchmarks)) {
        throw new AdapterParseError(
          'js_vitest',
          'js_vitest expects every group to have a "fullName" and "benchmarks"',
        );
      }
      for (const b of group.benchmarks) {
        const fields = isObject(b) ? [b.hz, b.mean, b.median, b.sd, b.rme] : [];
        if (!isObject(b) || typeof b.name !== 'string' || !fields.every(finite)) {
          throw new AdapterParseError(
            'js_vitest',
            `a benchmark of "${group.fullName}" needs a "name" and finite "hz", "mean", "median", "sd" and "rme"`,
          );
        }
        const name = combineName(group.fullName, b.name);
        const [hz, mean, median, sd, rme] = fields as number[];
        if (options.average === 'MEDIAN') {
          bmf.add(name, LATENCY, { value: median! * NANOS_PER_MILLI });
        } else {
          const value = mean! * NANOS_PER_MILLI;
          const spread = sd! * NANOS_PER_MILLI;
          bmf.add(name, LATENCY, { value, lower_value: value - spread, upper_value: value + spread });
        }
        const error = hz! * (rme! / 100);
        bmf.add(name, THROUGHPUT, { value: hz!, lower_value: hz! - error, upper_value: hz! + error });
      }
    }
  }
  return bmf.build('the Vitest benchmark JSON of js_vitest lists no benchmarks');
});

/** `suite > name` with Vitest's own separator; the bare name when the suite is empty or the whole too long. */
function combineName(fullName: string, name: string): string {
  if (fullName === '') return name;
  const combined = `${fullName} > ${name}`;
  return combined.length <= 1024 ? combined : name;
}
