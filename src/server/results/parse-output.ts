import { BenchlineError, badInput } from '../errors.js';
import { AdapterParseError, type Bmf, type BmfMetric, getAdapter, isAdapterName } from './adapters/index.js';
import { type Fold, foldIterations } from './fold.js';
import { checkParsedOutputs, DEFAULT_OUTPUT_LIMITS, type OutputLimits } from './output-limits.js';

/**
 * Bencher's convention: a benchmark named with one of these suffixes is stored under the stripped
 * name but never alerts. Tried in Bencher's order (snake, Pascal, kebab case).
 */
export const IGNORE_SUFFIXES = ['_bencher_ignore', 'BencherIgnore', '-bencher-ignore'] as const;

/** The name without its ignore suffix, and whether it had one. */
export function stripIgnore(raw: string): { name: string; ignore: boolean } {
  for (const suffix of IGNORE_SUFFIXES) {
    if (raw.endsWith(suffix) && raw.length > suffix.length)
      return { name: raw.slice(0, -suffix.length), ignore: true };
  }
  return { name: raw, ignore: false };
}

/** The report columns that decide how its outputs are parsed; they never change after creation. */
export interface ParseSettings {
  adapter: string;
  average: string;
  fold: string | null;
}

export function sameSettings(a: ParseSettings, b: ParseSettings): boolean {
  return a.adapter === b.adapter && a.average === b.average && a.fold === b.fold;
}

/** One benchmark of one iteration: its name without the ignore suffix, and its measures by slug. */
export interface ParsedBenchmark {
  name: string;
  ignore: boolean;
  measures: Record<string, BmfMetric>;
}

export interface ParsedOutputs {
  /** Per stored iteration (one when folded), its benchmarks in output order. */
  sets: ParsedBenchmark[][];
  /** Distinct benchmark names, in order of first appearance; empty only for a BMF `{}`. */
  benchmarkNames: string[];
  /** Distinct measure slugs (or names), in order of first appearance. */
  measureSlugs: string[];
}

/**
 * Every iteration parsed with the report's adapter, folded when the report says so, with the
 * ignore suffix stripped. Throws BAD_INPUT for an unknown adapter and PARSE_ERROR naming the
 * iteration that failed, when there is no benchmark at all, or when the output breaks `limits`
 * or holds a name PostgreSQL cannot store. Pure: no database.
 */
export function parseOutputs(
  settings: ParseSettings,
  results: readonly string[],
  limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
): ParsedOutputs {
  if (!isAdapterName(settings.adapter)) throw badInput(`unknown adapter "${settings.adapter}"`, 'adapter');
  const adapter = getAdapter(settings.adapter);
  // The report stores MEAN by default; only MEDIAN is passed explicitly so that harnesses that
  // report a single measurement (no mean) still parse under the default.
  const average = settings.average === 'MEDIAN' ? 'MEDIAN' : undefined;
  const parsed: Bmf[] = results.map((output, i) => {
    try {
      return adapter.parse(output, { average });
    } catch (error) {
      // Adapters throw AdapterParseError; anything else escaping one is reported the same way.
      if (error instanceof AdapterParseError || error instanceof Error) {
        const which = results.length > 1 ? `iteration ${i + 1} of ${results.length}` : 'the output';
        throw new BenchlineError(
          'PARSE_ERROR',
          `could not parse ${which} with the ${settings.adapter} adapter: ${error.message}`,
          { iteration: i, adapter: settings.adapter },
        );
      }
      throw error;
    }
  });
  const iterations =
    settings.fold && parsed.length > 1 ? [foldIterations(parsed, settings.fold as Fold)] : parsed;
  const sets = iterations.map(benchmarksOf);
  // Only BMF can say "no benchmarks" (`{}`); every harness adapter refuses an output without one.
  const benchmarkNames = [...new Set(sets.flatMap((s) => s.map((e) => e.name)))];
  checkParsedOutputs({ sets, benchmarkNames }, limits);
  const measureSlugs = [...new Set(sets.flatMap((s) => s.flatMap((e) => Object.keys(e.measures))))];
  return { sets, benchmarkNames, measureSlugs };
}

/** One iteration's benchmarks with the ignore suffix stripped. */
function benchmarksOf(bmf: Bmf): ParsedBenchmark[] {
  const entries: ParsedBenchmark[] = [];
  const byName = new Map<string, ParsedBenchmark>();
  for (const [raw, measures] of Object.entries(bmf)) {
    const { name, ignore } = stripIgnore(raw);
    const existing = byName.get(name);
    if (existing) {
      // "x" and "x-bencher-ignore" in one output: one benchmark, ignored if either says so.
      existing.ignore ||= ignore;
      Object.assign(existing.measures, measures);
    } else {
      const entry = { name, ignore, measures: { ...measures } };
      byName.set(name, entry);
      entries.push(entry);
    }
  }
  return entries;
}
