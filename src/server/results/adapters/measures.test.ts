import { describe, expect, it } from 'vitest';
import { BUILT_IN_MEASURES } from './measures.js';

describe('BUILT_IN_MEASURES', () => {
  it('defines the measures adapters emit', () => {
    expect(BUILT_IN_MEASURES.latency).toEqual({ name: 'Latency', units: 'nanoseconds (ns)' });
    expect(BUILT_IN_MEASURES.throughput).toEqual({
      name: 'Throughput',
      units: 'operations / second (ops/s)',
    });
    expect(Object.keys(BUILT_IN_MEASURES).sort()).toEqual(
      [
        'build-time',
        'cycles',
        'estimated-cycles',
        'file-size',
        'instructions',
        'l1-accesses',
        'l2-accesses',
        'latency',
        'ram-accesses',
        'throughput',
      ].sort(),
    );
  });
});
