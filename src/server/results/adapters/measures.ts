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

export const BUILT_IN_MEASURES: Record<string, { name: string; units: string }> = {
  [LATENCY]: { name: 'Latency', units: 'nanoseconds (ns)' },
  [THROUGHPUT]: { name: 'Throughput', units: 'operations / second (ops/s)' },
  [INSTRUCTIONS]: { name: 'Instructions', units: 'instructions' },
  [CYCLES]: { name: 'Cycles', units: 'cycles' },
  [L1_ACCESSES]: { name: 'L1 Accesses', units: 'accesses' },
  [L2_ACCESSES]: { name: 'L2 Accesses', units: 'accesses' },
  [RAM_ACCESSES]: { name: 'RAM Accesses', units: 'accesses' },
  [ESTIMATED_CYCLES]: { name: 'Estimated Cycles', units: 'estimated cycles' },
  [FILE_SIZE]: { name: 'File Size', units: 'bytes (B)' },
  [BUILD_TIME]: { name: 'Build Time', units: 'seconds (s)' },
};
