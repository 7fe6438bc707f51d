import { AdapterParseError, defineAdapter, requireAverage } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, finite, isObject, nanosPerUnit, parseJson } from './parse-util.js';

const EXPECTED =
  'Google Benchmark JSON (`--benchmark_format=json` or `--benchmark_out=… --benchmark_out_format=json`)';

export const cppGoogle = defineAdapter('cpp_google', (output, options) => {
  requireAverage('cpp_google', options, ['MEAN']);
  const raw = parseJson('cpp_google', output, EXPECTED);
  // `context.caches` is what tells Google Benchmark JSON apart from other `benchmarks` arrays.
  if (!isObject(raw) || !isObject(raw.context) || !Array.isArray(raw.context.caches)) {
    throw new AdapterParseError(
      'cpp_google',
      `cpp_google expects ${EXPECTED}: an object with a "context" block`,
    );
  }
  if (!Array.isArray(raw.benchmarks)) {
    throw new AdapterParseError('cpp_google', 'cpp_google expects a "benchmarks" array in the JSON');
  }
  const bmf = new BmfBuilder('cpp_google');
  for (const [i, b] of raw.benchmarks.entries()) {
    if (!isObject(b) || typeof b.name !== 'string') {
      throw new AdapterParseError('cpp_google', `benchmarks[${i}] has no "name" string`);
    }
    // Every aggregate is kept, the coefficient of variation (`_cv`, a ratio) too, as Bencher keeps
    // it: its real_time stored as it is.
    const scale = typeof b.time_unit === 'string' ? nanosPerUnit(b.time_unit) : undefined;
    if (!finite(b.real_time) || scale === undefined) {
      throw new AdapterParseError(
        'cpp_google',
        `benchmark "${b.name}" needs a finite "real_time" and a "time_unit" of ns, us, ms or s`,
      );
    }
    bmf.add(b.name, LATENCY, { value: b.real_time * scale });
  }
  return bmf.build('the Google Benchmark JSON of cpp_google lists no benchmarks');
});
