import { type AdapterName, AdapterParseError } from './adapter.js';
import { type Bmf, type BmfMetric, isValidName } from './bmf.js';

/** Nanoseconds per unit, with both micro signs (U+00B5, U+03BC) that harnesses print. */
const NANOS_PER_UNIT: Record<string, number> = {
  ps: 1 / 1_000,
  ns: 1,
  '\u00b5s': 1_000,
  '\u03bcs': 1_000,
  us: 1_000,
  ms: 1_000_000,
  s: 1_000_000_000,
};

/** Regex source matching one time unit; longest alternatives first so `ms` is not read as `m` + `s`. */
export const TIME_UNIT = '(?:ps|ns|\u00b5s|\u03bcs|us|ms|s)';

export function nanosPerUnit(unit: string): number | undefined {
  return Object.hasOwn(NANOS_PER_UNIT, unit) ? NANOS_PER_UNIT[unit] : undefined;
}

/** Splits on line breaks; string splitting is linear, unlike a regex over the whole output. */
export function lines(output: string): string[] {
  return output.split(/\r?\n/);
}

/** Reads a human-formatted number (`1,234.5`) as Bencher does: digits, dots, thousands commas. */
export function parseNumber(text: string): number | undefined {
  if (!/^[0-9.,]+$/.test(text)) return undefined;
  const n = Number(text.replaceAll(',', ''));
  return Number.isFinite(n) ? n : undefined;
}

const BLANK = new Set([' ', '\t']);

/**
 * Splits off the last `count` space/tab-separated tokens of a line. `head` is what precedes them with the
 * separating blanks removed. Used instead of a `^(.*?)\s+…$` regex, which backtracks quadratically on
 * long runs of blanks.
 */
export function trailingTokens(line: string, count: number): { head: string; tokens: string[] } | undefined {
  const tokens: string[] = [];
  let end = line.length;
  while (end > 0 && BLANK.has(line[end - 1]!)) end--;
  for (let i = 0; i < count; i++) {
    let start = end;
    while (start > 0 && !BLANK.has(line[start - 1]!)) start--;
    if (start === end) return undefined;
    tokens.unshift(line.slice(start, end));
    end = start;
    if (i < count - 1) {
      while (end > 0 && BLANK.has(line[end - 1]!)) end--;
    }
  }
  // The tokens must be separated from the head by at least one blank (nom's `space1`).
  if (end > 0 && !BLANK.has(line[end - 1]!)) return undefined;
  let headEnd = end;
  while (headEnd > 0 && BLANK.has(line[headEnd - 1]!)) headEnd--;
  return { head: line.slice(0, headEnd), tokens };
}

/** Parses a `<number> <unit>` token pair into nanoseconds. */
export function durationNanos(number: string | undefined, unit: string | undefined): number | undefined {
  if (number === undefined || unit === undefined) return undefined;
  const n = parseNumber(number);
  const scale = nanosPerUnit(unit);
  return n === undefined || scale === undefined ? undefined : n * scale;
}

export function spread(value: number, delta: number): BmfMetric {
  return { value, lower_value: value - delta, upper_value: value + delta };
}

/** Accumulates metrics; a repeated benchmark/measure keeps the last value, like Bencher's result map. */
export class BmfBuilder {
  private readonly benchmarks = new Map<string, Map<string, BmfMetric>>();

  constructor(private readonly adapter: AdapterName) {}

  get size(): number {
    return this.benchmarks.size;
  }

  add(rawName: string, measure: string, metric: BmfMetric): void {
    const name = rawName.trim();
    if (!isValidName(name)) return;
    for (const [key, n] of Object.entries(metric)) {
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        throw new AdapterParseError(
          this.adapter,
          `benchmark "${name}" has a ${key} that is not a finite number (${String(n)}) in the output of ${this.adapter}`,
        );
      }
    }
    let measures = this.benchmarks.get(name);
    if (!measures) {
      measures = new Map();
      this.benchmarks.set(name, measures);
    }
    measures.set(measure, metric);
  }

  /** Returns the BMF, or throws `emptyMessage` when nothing was recognised. */
  build(emptyMessage: string): Bmf {
    if (this.benchmarks.size === 0) throw new AdapterParseError(this.adapter, emptyMessage);
    return Object.fromEntries([...this.benchmarks].map(([name, m]) => [name, Object.fromEntries(m)]));
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes JSON for a JSON-emitting harness, turning syntax errors into an actionable message. */
export function parseJson(adapter: AdapterName, output: string, expected: string): unknown {
  try {
    return JSON.parse(output);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new AdapterParseError(
      adapter,
      `${adapter} expects ${expected}, but the output is not valid JSON (${detail})`,
    );
  }
}

export function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
