import { type Adapter, AdapterParseError, defineAdapter } from './adapter.js';
import { cSharpDotNet } from './c-sharp-dot-net.js';
import { cppCatch2 } from './cpp-catch2.js';
import { cppGoogle } from './cpp-google.js';
import { dartBenchmarkHarness } from './dart-benchmark-harness.js';
import { elixirBenchee } from './elixir-benchee.js';
import { goBench } from './go-bench.js';
import { javaJmh } from './java-jmh.js';
import { jsBenchmark } from './js-benchmark.js';
import { jsTime } from './js-time.js';
import { jsVitest } from './js-vitest.js';
import { json } from './json.js';
import { pythonAsv } from './python-asv.js';
import { pythonPytest } from './python-pytest.js';
import { rubyBenchmark } from './ruby-benchmark.js';
import { rustBench } from './rust-bench.js';
import { rustCriterion } from './rust-criterion.js';
import { rustIai } from './rust-iai.js';
import { rustIaiCallgrind } from './rust-iai-callgrind.js';
import { shellHyperfine } from './shell-hyperfine.js';

/**
 * Bencher's order: strict JSON formats first (BMF before the harness JSONs), then the line-oriented text
 * formats, whose patterns are specific enough not to claim each other's output.
 */
export const MAGIC_ORDER: readonly Adapter[] = [
  json,
  cSharpDotNet,
  cppGoogle,
  jsVitest,
  cppCatch2,
  dartBenchmarkHarness,
  elixirBenchee,
  goBench,
  javaJmh,
  jsBenchmark,
  jsTime,
  pythonAsv,
  pythonPytest,
  rubyBenchmark,
  rustBench,
  rustCriterion,
  rustIai,
  rustIaiCallgrind,
  shellHyperfine,
];

export class MagicParseError extends AdapterParseError {
  constructor(readonly attempts: readonly AdapterParseError[]) {
    super(
      'magic',
      `magic could not recognise the benchmark output; tried ${attempts.map((a) => a.adapter).join(', ')}. ` +
        'Pick the adapter for your harness explicitly to see what it expected, or emit Bencher Metric Format JSON.',
    );
  }
}

export const magic = defineAdapter('magic', (output, options) => {
  const attempts: AdapterParseError[] = [];
  for (const adapter of MAGIC_ORDER) {
    try {
      return adapter.parse(output, options);
    } catch (err) {
      // Adapters only throw AdapterParseError (defineAdapter guarantees it).
      attempts.push(err as AdapterParseError);
    }
  }
  throw new MagicParseError(attempts);
});
