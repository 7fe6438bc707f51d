/** Slugs of the measures adapters emit; the server creates the matching measure on first use. */
export const LATENCY = 'latency';
export const THROUGHPUT = 'throughput';
export const INSTRUCTIONS = 'instructions';
export const CYCLES = 'cycles';
export const L1_ACCESSES = 'l1-accesses';
export const L2_ACCESSES = 'l2-accesses';
export const RAM_ACCESSES = 'ram-accesses';
export const ESTIMATED_CYCLES = 'estimated-cycles';
export const FILE_SIZE = 'file-size';
export const BUILD_TIME = 'build-time';

export interface BuiltInMeasure {
  /** The display name the measure is created with; absent: the key the output used. */
  name?: string;
  units: string;
}

/**
 * Callgrind/Cachegrind, DHAT, Memcheck, Helgrind and DRD measures of rust_iai_callgrind (Gungraun),
 * by the label the tool prints: [label, display name, slug, units], as Bencher defines them.
 */
export const CALLGRIND_MEASURES: readonly [string, string, string, string][] = [
  ['Instructions', 'Instructions', 'instructions', 'instructions'],
  ['L1 Hits', 'L1 Hits', 'l1-hits', 'hits'],
  ['L2 Hits', 'L2 Hits', 'l2-hits', 'hits'],
  ['LL Hits', 'LL Hits', 'll-hits', 'hits'],
  ['RAM Hits', 'RAM Hits', 'ram-hits', 'hits'],
  ['Total read+write', 'Total read+write', 'total-read-write', 'reads/writes'],
  ['Estimated Cycles', 'Estimated Cycles', 'estimated-cycles', 'cycles'],
  ['Ge', 'Ge', 'global-bus-events', 'events'],
  ['Dr', 'Dr', 'dr', 'reads'],
  ['Dw', 'Dw', 'dw', 'writes'],
  ['I1mr', 'I1mr', 'i1mr', 'misses (reads)'],
  ['D1mr', 'D1mr', 'd1mr', 'misses (reads)'],
  ['D1mw', 'D1mw', 'd1mw', 'misses (writes)'],
  ['ILmr', 'ILmr', 'ilmr', 'misses (reads)'],
  ['DLmr', 'DLmr', 'dlmr', 'misses (reads)'],
  ['DLmw', 'DLmw', 'dlmw', 'misses (writes)'],
  ['I1 Miss Rate', 'I1 Miss Rate', 'i1-miss-rate', 'misses (%)'],
  ['LLi Miss Rate', 'LLi Miss Rate', 'lli-miss-rate', 'misses (%)'],
  ['D1 Miss Rate', 'D1 Miss Rate', 'd1-miss-rate', 'misses (%)'],
  ['LLd Miss Rate', 'LLd Miss Rate', 'lld-miss-rate', 'misses (%)'],
  ['LL Miss Rate', 'LL Miss Rate', 'll-miss-rate', 'misses (%)'],
  ['L1 Hit Rate', 'L1 Hit Rate', 'l1-hit-rate', 'hits (%)'],
  ['LL Hit Rate', 'LL Hit Rate', 'll-hit-rate', 'hits (%)'],
  ['RAM Hit Rate', 'RAM Hit Rate', 'ram-hit-rate', 'hits (%)'],
  ['SysCount', 'SysCount', 'sys-count', 'syscalls'],
  ['SysTime', 'SysTime', 'sys-time', 'msec/usec/nsec'],
  ['SysCpuTime', 'SysCpuTime', 'sys-cpu-time', 'nsec'],
  ['Bc', 'Bc', 'bc', 'branches'],
  ['Bcm', 'Bcm', 'bcm', 'branches'],
  ['Bi', 'Bi', 'bi', 'branches'],
  ['Bim', 'Bim', 'bim', 'branches'],
  ['ILdmr', 'ILdmr', 'ildmr', 'misses (reads)'],
  ['DLdmr', 'DLdmr', 'dldmr', 'misses (reads)'],
  ['DLdmw', 'DLdmw', 'dldmw', 'misses (writes)'],
  ['AcCost1', 'AcCost1', 'accost1', 'temporal locality count'],
  ['AcCost2', 'AcCost2', 'accost2', 'temporal locality count'],
  ['SpLoss1', 'SpLoss1', 'sploss1', 'spatial loss count'],
  ['SpLoss2', 'SpLoss2', 'sploss2', 'spatial loss count'],
];

export const DHAT_MEASURES: readonly [string, string, string, string][] = [
  ['Total bytes', 'Total bytes', 'total-bytes', 'bytes (B)'],
  ['Total blocks', 'Total blocks', 'total-blocks', 'blocks'],
  ['At t-gmax bytes', 'At t-gmax bytes', 'at-t-gmax-bytes', 'bytes (B)'],
  ['At t-gmax blocks', 'At t-gmax blocks', 'at-t-gmax-blocks', 'blocks'],
  ['At t-end bytes', 'At t-end bytes', 'at-t-end-bytes', 'bytes (B)'],
  ['At t-end blocks', 'At t-end blocks', 'at-t-end-blocks', 'blocks'],
  ['Reads bytes', 'Reads bytes', 'reads-bytes', 'bytes (B)'],
  ['Writes bytes', 'Writes bytes', 'writes-bytes', 'bytes (B)'],
];

/** Memcheck, Helgrind and DRD print the same four labels; the tool names the measure. */
export function errorToolMeasures(tool: 'Memcheck' | 'Helgrind' | 'DRD'): [string, string, string, string][] {
  const prefix = tool.toLowerCase();
  return [
    ['Errors', `${tool} Errors`, `${prefix}-errors`, 'errors'],
    ['Contexts', `${tool} Contexts`, `${prefix}-contexts`, 'contexts'],
    ['Suppressed Errors', `${tool} Suppressed Errors`, `${prefix}-suppressed-errors`, 'suppressed errors'],
    [
      'Suppressed Contexts',
      `${tool} Suppressed Contexts`,
      `${prefix}-suppressed-contexts`,
      'suppressed contexts',
    ],
  ];
}

const CALLGRIND_BUILT_INS = Object.fromEntries(
  [
    ...CALLGRIND_MEASURES,
    ...DHAT_MEASURES,
    ...(['Memcheck', 'Helgrind', 'DRD'] as const).flatMap(errorToolMeasures),
  ].map(([, name, slug, units]) => [slug, { name, units }]),
);

/**
 * The measures adapters emit, by slug, with the display name and units they are created with.
 * `file-size` and `build-time` are keys a user writes in BMF: they get Bencher's units but keep the
 * key as their name (a custom measure is what its author called it).
 */
export const BUILT_IN_MEASURES: Record<string, BuiltInMeasure> = {
  ...CALLGRIND_BUILT_INS,
  [LATENCY]: { name: 'Latency', units: 'nanoseconds (ns)' },
  [THROUGHPUT]: { name: 'Throughput', units: 'operations / second (ops/s)' },
  [INSTRUCTIONS]: { name: 'Instructions', units: 'instructions' },
  [CYCLES]: { name: 'Cycles', units: 'cycles' },
  [L1_ACCESSES]: { name: 'L1 Accesses', units: 'accesses' },
  [L2_ACCESSES]: { name: 'L2 Accesses', units: 'accesses' },
  [RAM_ACCESSES]: { name: 'RAM Accesses', units: 'accesses' },
  [ESTIMATED_CYCLES]: { name: 'Estimated Cycles', units: 'cycles' },
  [FILE_SIZE]: { units: 'bytes (B)' },
  [BUILD_TIME]: { units: 'seconds (s)' },
};

export function builtInMeasure(key: string): BuiltInMeasure | undefined {
  return Object.hasOwn(BUILT_IN_MEASURES, key) ? BUILT_IN_MEASURES[key] : undefined;
}
