import { AdapterParseError, defineAdapter } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, finite, isObject, parseJson, spread } from './parse-util.js';

const EXPECTED = 'pytest-benchmark JSON (`pytest --benchmark-json=FILE`)';
const NANOS_PER_SECOND = 1e9;

export const pythonPytest = defineAdapter('python_pytest', (output, options) => {
  const raw = parseJson('python_pytest', output, EXPECTED);
  if (
    !isObject(raw) ||
    !isObject(raw.machine_info) ||
    !isObject(raw.commit_info) ||
    !Array.isArray(raw.benchmarks)
  ) {
    throw new AdapterParseError(
      'python_pytest',
      `python_pytest expects ${EXPECTED}: an object with "machine_info", "commit_info" and "benchmarks"`,
    );
  }
  const median = options.average === 'MEDIAN';
  const bmf = new BmfBuilder('python_pytest');
  for (const [i, b] of raw.benchmarks.entries()) {
    if (!isObject(b) || typeof b.fullname !== 'string' || !isObject(b.stats)) {
      throw new AdapterParseError('python_pytest', `benchmarks[${i}] needs a "fullname" and "stats"`);
    }
    // Times are in seconds; the spread is stddev around the mean or the IQR around the median.
    const [value, delta] = median ? [b.stats.median, b.stats.iqr] : [b.stats.mean, b.stats.stddev];
    if (!finite(value) || !finite(delta)) {
      const fields = median ? 'median and iqr' : 'mean and stddev';
      throw new AdapterParseError('python_pytest', `benchmark "${b.fullname}" needs finite ${fields} stats`);
    }
    bmf.add(b.fullname, LATENCY, spread(value * NANOS_PER_SECOND, delta * NANOS_PER_SECOND));
  }
  return bmf.build('the pytest-benchmark JSON of python_pytest lists no benchmarks');
});
