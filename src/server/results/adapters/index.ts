import type { Adapter, AdapterName } from './adapter.js';
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
import { magic } from './magic.js';
import { pythonAsv } from './python-asv.js';
import { pythonPytest } from './python-pytest.js';
import { rubyBenchmark } from './ruby-benchmark.js';
import { rustBench } from './rust-bench.js';
import { rustCriterion } from './rust-criterion.js';
import { rustIai } from './rust-iai.js';
import { rustGungraun, rustIaiCallgrind } from './rust-iai-callgrind.js';
import { shellHyperfine } from './shell-hyperfine.js';

export type { Adapter, AdapterName, AdapterOptions, Average } from './adapter.js';
export { AdapterParseError } from './adapter.js';
export type { Bmf, BmfMetric } from './bmf.js';
export { parseBmfJson, validateBmf } from './bmf.js';
export { MagicParseError } from './magic.js';
export { BUILT_IN_MEASURES } from './measures.js';

export const adapters: Readonly<Record<AdapterName, Adapter>> = {
  json,
  magic,
  rust_bench: rustBench,
  rust_criterion: rustCriterion,
  rust_iai: rustIai,
  go_bench: goBench,
  cpp_google: cppGoogle,
  cpp_catch2: cppCatch2,
  java_jmh: javaJmh,
  c_sharp_dot_net: cSharpDotNet,
  js_benchmark: jsBenchmark,
  js_time: jsTime,
  python_pytest: pythonPytest,
  python_asv: pythonAsv,
  ruby_benchmark: rubyBenchmark,
  shell_hyperfine: shellHyperfine,
  js_vitest: jsVitest,
  rust_iai_callgrind: rustIaiCallgrind,
  rust_gungraun: rustGungraun,
  dart_benchmark_harness: dartBenchmarkHarness,
  elixir_benchee: elixirBenchee,
};

export const ADAPTER_NAMES = Object.keys(adapters) as AdapterName[];

export function isAdapterName(name: string): name is AdapterName {
  return Object.hasOwn(adapters, name);
}

/** Looks an adapter up by its name; unknown names are a caller error, hence a plain Error. */
export function getAdapter(name: AdapterName): Adapter {
  if (!isAdapterName(name))
    throw new Error(`unknown adapter "${String(name)}"; known: ${ADAPTER_NAMES.join(', ')}`);
  return adapters[name];
}
