import { describe, expect, it } from 'vitest';
import { dartBenchmarkHarness } from './dart-benchmark-harness.js';
import { expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('dart_benchmark_harness', f);

describe('dart_benchmark_harness', () => {
  it('reads `<name>(RunTime): <us> us.` lines as latency in ns, skipping other lines', () => {
    expect(dartBenchmarkHarness.parse(read('three.txt'))).toEqual({
      Template: { latency: { value: 1_500 } },
      ForLoop: { latency: { value: 2_734_250 } },
      'Spaced Name': { latency: { value: 250 } },
    });
  });

  it('refuses MEDIAN (the harness reports a mean) and output without results', () => {
    expectParseError(dartBenchmarkHarness, read('three.txt'), { average: 'MEDIAN' });
    expectParseError(dartBenchmarkHarness, 'Template: 1.0 us.\n', undefined, /RunTime/);
  });
});
