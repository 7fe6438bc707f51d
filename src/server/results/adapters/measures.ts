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

/** [label in the text output, display name, slug, units, key in the JSON output (null: none)] */
export type GungraunMeasure = readonly [string, string, string, string, string | null];

/**
 * Callgrind/Cachegrind, DHAT, Memcheck, Helgrind and DRD measures of rust_iai_callgrind (Gungraun),
 * as Bencher defines them (its names, slugs and units; its JSON reader's keys).
 */
export const CALLGRIND_MEASURES: readonly GungraunMeasure[] = [
  ['Instructions', 'Instructions', 'instructions', 'instructions', 'Ir'],
  ['L1 Hits', 'L1 Hits', 'l1-hits', 'hits', 'L1hits'],
  ['L2 Hits', 'L2 Hits', 'l2-hits', 'hits', null],
  ['LL Hits', 'LL Hits', 'll-hits', 'hits', 'LLhits'],
  ['RAM Hits', 'RAM Hits', 'ram-hits', 'hits', 'RamHits'],
  ['Total read+write', 'Total read+write', 'total-read-write', 'reads/writes', 'TotalRW'],
  ['Estimated Cycles', 'Estimated Cycles', 'estimated-cycles', 'cycles', 'EstimatedCycles'],
  ['Ge', 'Ge', 'global-bus-events', 'events', 'Ge'],
  ['Dr', 'Dr', 'dr', 'reads', 'Dr'],
  ['Dw', 'Dw', 'dw', 'writes', 'Dw'],
  ['I1mr', 'I1mr', 'i1mr', 'misses (reads)', 'I1mr'],
  ['D1mr', 'D1mr', 'd1mr', 'misses (reads)', 'D1mr'],
  ['D1mw', 'D1mw', 'd1mw', 'misses (writes)', 'D1mw'],
  ['ILmr', 'ILmr', 'ilmr', 'misses (reads)', 'ILmr'],
  ['DLmr', 'DLmr', 'dlmr', 'misses (reads)', 'DLmr'],
  ['DLmw', 'DLmw', 'dlmw', 'misses (writes)', 'DLmw'],
  ['I1 Miss Rate', 'I1 Miss Rate', 'i1-miss-rate', 'misses (%)', 'I1MissRate'],
  ['LLi Miss Rate', 'LLi Miss Rate', 'lli-miss-rate', 'misses (%)', 'LLiMissRate'],
  ['D1 Miss Rate', 'D1 Miss Rate', 'd1-miss-rate', 'misses (%)', 'D1MissRate'],
  ['LLd Miss Rate', 'LLd Miss Rate', 'lld-miss-rate', 'misses (%)', 'LLdMissRate'],
  ['LL Miss Rate', 'LL Miss Rate', 'll-miss-rate', 'misses (%)', 'LLMissRate'],
  ['L1 Hit Rate', 'L1 Hit Rate', 'l1-hit-rate', 'hits (%)', 'L1HitRate'],
  ['LL Hit Rate', 'LL Hit Rate', 'll-hit-rate', 'hits (%)', 'LLHitRate'],
  ['RAM Hit Rate', 'RAM Hit Rate', 'ram-hit-rate', 'hits (%)', 'RamHitRate'],
  ['SysCount', 'SysCount', 'sys-count', 'syscalls', 'SysCount'],
  ['SysTime', 'SysTime', 'sys-time', 'msec/usec/nsec', 'SysTime'],
  ['SysCpuTime', 'SysCpuTime', 'sys-cpu-time', 'nsec', 'SysCpuTime'],
  ['Bc', 'Bc', 'bc', 'branches', 'Bc'],
  ['Bcm', 'Bcm', 'bcm', 'branches', 'Bcm'],
  ['Bi', 'Bi', 'bi', 'branches', 'Bi'],
  ['Bim', 'Bim', 'bim', 'branches', 'Bim'],
  ['ILdmr', 'ILdmr', 'ildmr', 'misses (reads)', 'ILdmr'],
  ['DLdmr', 'DLdmr', 'dldmr', 'misses (reads)', 'DLdmr'],
  ['DLdmw', 'DLdmw', 'dldmw', 'misses (writes)', 'DLdmw'],
  ['AcCost1', 'AcCost1', 'accost1', 'temporal locality count', 'AcCost1'],
  ['AcCost2', 'AcCost2', 'accost2', 'temporal locality count', 'AcCost2'],
  ['SpLoss1', 'SpLoss1', 'sploss1', 'spatial loss count', 'SpLoss1'],
  ['SpLoss2', 'SpLoss2', 'sploss2', 'spatial loss count', 'SpLoss2'],
];

export const DHAT_MEASURES: readonly GungraunMeasure[] = [
  ['Total bytes', 'Total bytes', 'total-bytes', 'bytes (B)', 'TotalBytes'],
  ['Total blocks', 'Total blocks', 'total-blocks', 'blocks', 'TotalBlocks'],
  ['At t-gmax bytes', 'At t-gmax bytes', 'at-t-gmax-bytes', 'bytes (B)', 'AtTGmaxBytes'],
  ['At t-gmax blocks', 'At t-gmax blocks', 'at-t-gmax-blocks', 'blocks', 'AtTGmaxBlocks'],
  ['At t-end bytes', 'At t-end bytes', 'at-t-end-bytes', 'bytes (B)', 'AtTEndBytes'],
  ['At t-end blocks', 'At t-end blocks', 'at-t-end-blocks', 'blocks', 'AtTEndBlocks'],
  ['Reads bytes', 'Reads bytes', 'reads-bytes', 'bytes (B)', 'ReadsBytes'],
  ['Writes bytes', 'Writes bytes', 'writes-bytes', 'bytes (B)', 'WritesBytes'],
  // Bencher reads these five from Gungraun's JSON only; its text shows them too (ad-hoc mode, DHAT 3.x).
  ['Total units', 'Total units', 'total-units', 'units', 'TotalUnits'],
  ['Total events', 'Total events', 'total-events', 'events', 'TotalEvents'],
  ['Total lifetimes', 'Total lifetimes', 'total-lifetimes', 'lifetimes', 'TotalLifetimes'],
  ['Maximum bytes', 'Maximum bytes', 'maximum-bytes', 'bytes (B)', 'MaximumBytes'],
  ['Maximum blocks', 'Maximum blocks', 'maximum-blocks', 'blocks', 'MaximumBlocks'],
];

/** Memcheck, Helgrind and DRD print the same four labels; the tool names the measure. */
export function errorToolMeasures(tool: 'Memcheck' | 'Helgrind' | 'DRD'): GungraunMeasure[] {
  const prefix = tool.toLowerCase();
  return [
    ['Errors', `${tool} Errors`, `${prefix}-errors`, 'errors', 'Errors'],
    ['Contexts', `${tool} Contexts`, `${prefix}-contexts`, 'contexts', 'Contexts'],
    [
      'Suppressed Errors',
      `${tool} Suppressed Errors`,
      `${prefix}-suppressed-errors`,
      'suppressed errors',
      'SuppressedErrors',
    ],
    [
      'Suppressed Contexts',
      `${tool} Suppressed Contexts`,
      `${prefix}-suppressed-contexts`,
      'suppressed contexts',
      'SuppressedContexts',
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
