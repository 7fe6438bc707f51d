import { describe, expect, it } from 'vitest';
import { rubyBenchmark } from './ruby-benchmark.js';
import { expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('ruby_benchmark', f);

describe('ruby_benchmark', () => {
  it('parses the real column of Benchmark.bm', () => {
    expect(rubyBenchmark.parse(read('bm.txt'))).toEqual({
      'sort!:': { latency: { value: 1_460_465_000 } },
      'sort:': { latency: { value: 1_448_327_000 } },
    });
  });

  it('ignores the bmbm rehearsal table', () => {
    expect(rubyBenchmark.parse(read('bmbm.txt'))['for:']).toEqual({ latency: { value: 941_022_000 } });
  });

  it('takes only the measured table of real bmbm output, not the rehearsal', () => {
    const bmf = rubyBenchmark.parse(read('bmbm_real.txt'));
    expect(Object.keys(bmf)).toEqual(['for:', 'times:', 'upto:']);
    expect(bmf['for:']!.latency!.value).toBeCloseTo(28_309_000, 0);
    expect(bmf['upto:']!.latency!.value).toBeCloseTo(30_376_000, 0);
  });

  it('handles unpadded real times and stops at the end of the table', () => {
    const bmf = rubyBenchmark.parse(read('tight.txt'));
    expect(Object.keys(bmf)).toEqual(['long run:', 'longer run:', '>total:']);
    expect(bmf['longer run:']!.latency!.value).toBeCloseTo(101_234_567_000, 0);
  });

  it('refuses any average and rows without a header', () => {
    expectParseError(rubyBenchmark, read('bm.txt'), { average: 'MEAN' });
    expectParseError(rubyBenchmark, 'sort: 1.0 0.0 1.0 ( 1.0)\n', undefined, /user system total real/);
  });
});
