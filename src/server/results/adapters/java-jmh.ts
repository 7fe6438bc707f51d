import { AdapterParseError, defineAdapter, requireAverage } from './adapter.js';
import type { BmfMetric } from './bmf.js';
import { LATENCY, THROUGHPUT } from './measures.js';
import { BmfBuilder, finite, isObject, nanosPerUnit, parseJson } from './parse-util.js';

const EXPECTED = 'JMH JSON results (`-rf json`)';

function bounds(confidence: unknown, scale: (n: number) => number): Omit<BmfMetric, 'value'> {
  // JMH writes "NaN" strings when a run is too short for an interval; the score alone is still usable.
  if (!Array.isArray(confidence) || confidence.length !== 2 || !confidence.every(finite)) return {};
  return { lower_value: scale(confidence[0]), upper_value: scale(confidence[1]) };
}

export const javaJmh = defineAdapter('java_jmh', (output, options) => {
  requireAverage('java_jmh', options, ['MEAN']);
  const raw = parseJson('java_jmh', output, EXPECTED);
  if (!Array.isArray(raw)) {
    throw new AdapterParseError(
      'java_jmh',
      `java_jmh expects ${EXPECTED}: a JSON array of benchmark results`,
    );
  }
  const bmf = new BmfBuilder('java_jmh');
  for (const [i, b] of raw.entries()) {
    if (!isObject(b) || typeof b.benchmark !== 'string' || !isObject(b.primaryMetric)) {
      throw new AdapterParseError('java_jmh', `result [${i}] needs a "benchmark" name and a "primaryMetric"`);
    }
    const { score, scoreConfidence, scoreUnit } = b.primaryMetric;
    if (!finite(score) || typeof scoreUnit !== 'string') {
      throw new AdapterParseError(
        'java_jmh',
        `benchmark "${b.benchmark}" needs a finite score and a scoreUnit`,
      );
    }
    // `ms/op` style units are time per operation; `ops/ms` style are operations per time.
    const perOp = /^(.+)\/op$/.exec(scoreUnit);
    const opsPer = /^ops\/(.+)$/.exec(scoreUnit);
    const scale = nanosPerUnit((perOp ?? opsPer)?.[1] ?? '');
    if (scale === undefined) {
      throw new AdapterParseError(
        'java_jmh',
        `benchmark "${b.benchmark}" has scoreUnit "${scoreUnit}"; expected a time per op (ns/op) or ops per time (ops/s)`,
      );
    }
    const convert = perOp ? (n: number) => n * scale : (n: number) => (n * 1e9) / scale;
    bmf.add(b.benchmark, perOp ? LATENCY : THROUGHPUT, {
      value: convert(score),
      ...bounds(scoreConfidence, convert),
    });
  }
  return bmf.build('the JMH JSON of java_jmh lists no benchmarks');
});
