import { BenchlineError } from '../errors.js';
import { hasUnstorableText } from '../text/storable.js';

/** How much one report may hold: generous for real suites, bounded for the database and readers. */
export interface OutputLimits {
  /** Distinct benchmarks in one report. */
  benchmarks: number;
  /** Measures of one benchmark. */
  measuresPerBenchmark: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { benchmarks: 10_000, measuresPerBenchmark: 16 };

interface Parsed {
  sets: { name: string; measures: Record<string, unknown> }[][];
  benchmarkNames: string[];
}

const parseError = (message: string, details: Record<string, unknown> = {}) =>
  new BenchlineError('PARSE_ERROR', message, details);

/**
 * What an adapter parsed, checked before anything is stored: names and slugs PostgreSQL can
 * store (an escaped `\u0000` in JSON decodes to a NUL), and the report's limits. PARSE_ERROR,
 * as the output is the run's fault.
 */
export function checkParsedOutputs(parsed: Parsed, limits: OutputLimits): void {
  if (parsed.benchmarkNames.length > limits.benchmarks) {
    throw parseError(
      `the output holds ${parsed.benchmarkNames.length} benchmarks; a report holds at most ${limits.benchmarks}` +
        ' (split the suite over several runs)',
      { limit: limits.benchmarks },
    );
  }
  for (const set of parsed.sets) {
    for (const benchmark of set) {
      if (hasUnstorableText(benchmark.name)) {
        throw parseError(
          `benchmark name ${JSON.stringify(benchmark.name.slice(0, 60))} contains a NUL character (U+0000)`,
        );
      }
      const slugs = Object.keys(benchmark.measures);
      if (slugs.length > limits.measuresPerBenchmark) {
        throw parseError(
          `benchmark ${JSON.stringify(benchmark.name.slice(0, 60))} has ${slugs.length} measures; at most ${limits.measuresPerBenchmark} are allowed`,
          { limit: limits.measuresPerBenchmark },
        );
      }
      const bad = slugs.find(hasUnstorableText);
      if (bad !== undefined) {
        throw parseError(
          `benchmark ${JSON.stringify(benchmark.name.slice(0, 60))} has a measure ${JSON.stringify(bad.slice(0, 60))} containing a NUL character (U+0000)`,
        );
      }
    }
  }
}
