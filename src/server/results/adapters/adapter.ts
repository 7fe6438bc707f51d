import type { Bmf } from './bmf.js';

export type AdapterName =
  | 'json'
  | 'magic'
  | 'rust_bench'
  | 'rust_criterion'
  | 'rust_iai'
  | 'go_bench'
  | 'cpp_google'
  | 'cpp_catch2'
  | 'java_jmh'
  | 'c_sharp_dot_net'
  | 'js_benchmark'
  | 'js_time'
  | 'python_pytest'
  | 'python_asv'
  | 'ruby_benchmark'
  | 'shell_hyperfine'
  | 'js_vitest'
  | 'rust_iai_callgrind'
  | 'rust_gungraun'
  | 'dart_benchmark_harness'
  | 'elixir_benchee';

export type Average = 'MEAN' | 'MEDIAN';

export interface AdapterOptions {
  /**
   * Which central value to report. Harnesses giving both (hyperfine, pytest-benchmark, dotnet) default to
   * MEAN. As in Bencher, asking for an average a harness does not report makes the parse fail, so that
   * `magic` moves on and a mismatched explicit choice is reported rather than silently ignored.
   */
  average?: Average;
}

export interface Adapter {
  name: AdapterName;
  parse(output: string, options?: AdapterOptions): Bmf;
}

export class AdapterParseError extends Error {
  readonly code = 'PARSE_ERROR';
  readonly adapter: AdapterName;

  constructor(adapter: AdapterName, message: string) {
    super(message);
    this.name = 'AdapterParseError';
    this.adapter = adapter;
  }
}

/**
 * Wraps a format parser so callers only ever see AdapterParseError: the parsers are written defensively,
 * but benchmark output is untrusted and an unexpected exception must not escape as a 500.
 */
export function defineAdapter(
  name: AdapterName,
  parse: (output: string, options: AdapterOptions) => Bmf,
): Adapter {
  return {
    name,
    parse(output: string, options: AdapterOptions = {}): Bmf {
      if (typeof output !== 'string') {
        throw new AdapterParseError(name, `${name} expects the benchmark output as text`);
      }
      if (output.trim() === '') {
        throw new AdapterParseError(name, `the benchmark output is empty; nothing for ${name} to parse`);
      }
      try {
        return parse(output, options ?? {});
      } catch (err) {
        if (err instanceof AdapterParseError) throw err;
        const detail = err instanceof Error ? err.message : String(err);
        throw new AdapterParseError(name, `${name} could not parse the output: ${detail}`);
      }
    },
  };
}

/** Fails with Bencher's semantics when the caller asks for an average the harness does not report. */
export function requireAverage(name: AdapterName, options: AdapterOptions, supported: Average[]): void {
  const { average } = options;
  if (average === undefined || supported.includes(average)) return;
  const what =
    supported.length === 0
      ? 'a single measurement, neither a mean nor a median'
      : `the ${supported.map((a) => a.toLowerCase()).join(' and ')} only`;
  throw new AdapterParseError(
    name,
    `${name} reports ${what}; the ${average.toLowerCase()} average cannot be used (leave the average unset` +
      `${supported.length > 0 ? ` or choose ${supported.join(' or ')}` : ''})`,
  );
}
