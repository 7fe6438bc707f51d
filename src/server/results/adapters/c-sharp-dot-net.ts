import { AdapterParseError, defineAdapter } from './adapter.js';
import { LATENCY } from './measures.js';
import { BmfBuilder, finite, isObject, parseJson, spread } from './parse-util.js';

const EXPECTED = 'BenchmarkDotNet JSON (a `*-report-full.json` or `*-report.json` from the JSON exporter)';

export const cSharpDotNet = defineAdapter('c_sharp_dot_net', (output, options) => {
  const raw = parseJson('c_sharp_dot_net', output, EXPECTED);
  if (!isObject(raw) || !isObject(raw.HostEnvironmentInfo) || !Array.isArray(raw.Benchmarks)) {
    throw new AdapterParseError(
      'c_sharp_dot_net',
      `c_sharp_dot_net expects ${EXPECTED}: an object with "HostEnvironmentInfo" and "Benchmarks"`,
    );
  }
  const median = options.average === 'MEDIAN';
  const bmf = new BmfBuilder('c_sharp_dot_net');
  for (const [i, b] of raw.Benchmarks.entries()) {
    if (!isObject(b) || typeof b.Method !== 'string' || !isObject(b.Statistics)) {
      throw new AdapterParseError('c_sharp_dot_net', `Benchmarks[${i}] needs a "Method" and "Statistics"`);
    }
    const ns = b.Namespace;
    if (ns !== undefined && ns !== null && typeof ns !== 'string') {
      throw new AdapterParseError('c_sharp_dot_net', `Benchmarks[${i}] has a non-string "Namespace"`);
    }
    const name = ns ? `${ns}.${b.Method}` : b.Method;
    const s = b.Statistics;
    // BenchmarkDotNet's JSON times are always nanoseconds.
    const [value, delta] = median ? [s.Median, s.InterquartileRange] : [s.Mean, s.StandardDeviation];
    if (!finite(value) || !finite(delta)) {
      const fields = median ? 'Median and InterquartileRange' : 'Mean and StandardDeviation';
      throw new AdapterParseError('c_sharp_dot_net', `benchmark "${name}" needs finite ${fields} statistics`);
    }
    bmf.add(name, LATENCY, spread(value, delta));
  }
  return bmf.build('the BenchmarkDotNet JSON of c_sharp_dot_net lists no benchmarks');
});
