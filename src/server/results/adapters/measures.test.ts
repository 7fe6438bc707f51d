import { describe, expect, it } from 'vitest';
import { BUILT_IN_MEASURES } from './measures.js';

describe('BUILT_IN_MEASURES', () => {
  it('defines the measures adapters emit', () => {
    expect(BUILT_IN_MEASURES.latency).toEqual({ name: 'Latency', units: 'nanoseconds (ns)' });
    expect(BUILT_IN_MEASURES.throughput).toEqual({
      name: 'Throughput',
      units: 'operations / second (ops/s)',
    });
    for (const slug of [
      'cycles',
      'estimated-cycles',
      'instructions',
      'l1-accesses',
      'l2-accesses',
      'ram-accesses',
    ]) {
      expect(BUILT_IN_MEASURES[slug]?.name).toBeDefined();
    }
    // Bencher's Gungraun measures, with its display names.
    expect(BUILT_IN_MEASURES['total-read-write']).toEqual({
      name: 'Total read+write',
      units: 'reads/writes',
    });
    expect(BUILT_IN_MEASURES['memcheck-errors']).toEqual({ name: 'Memcheck Errors', units: 'errors' });
    // Keys a user writes keep their name; only the units are known.
    expect(BUILT_IN_MEASURES['file-size']).toEqual({ units: 'bytes (B)' });
    expect(BUILT_IN_MEASURES['build-time']).toEqual({ units: 'seconds (s)' });
  });
});
