import { describe, expect, it } from 'vitest';
import { rustIai } from './rust-iai.js';
import { expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('rust_iai', f);

describe('rust_iai', () => {
  it('parses the five counters as separate measures', () => {
    expect(rustIai.parse(read('two.txt'))).toEqual({
      iai_fib_10: {
        instructions: { value: 1803 },
        'l1-accesses': { value: 2471 },
        'l2-accesses': { value: 2 },
        'ram-accesses': { value: 3 },
        'estimated-cycles': { value: 2586 },
      },
      iai_fib_30: {
        instructions: { value: 27_041_988 },
        'l1-accesses': { value: 36_780_112 },
        'l2-accesses': { value: 4 },
        'ram-accesses': { value: 2 },
        'estimated-cycles': { value: 36_780_202 },
      },
    });
  });

  it('ignores change percentages and thousands separators', () => {
    const bmf = rustIai.parse(read('change.txt'));
    expect(bmf.iai_sort_large!.instructions).toEqual({ value: 19_250_001 });
    expect(bmf.iai_sort_small!['ram-accesses']).toEqual({ value: 4 });
  });

  it('skips an incomplete block', () => {
    expect(Object.keys(rustIai.parse(read('partial.txt')))).toEqual(['iai_complete']);
  });

  it('refuses any average and output without blocks', () => {
    expectParseError(rustIai, read('two.txt'), { average: 'MEAN' }, /single measurement/);
    expectParseError(rustIai, read('two.txt').split('\n').slice(0, 5).join('\n'), undefined, /no iai result/);
  });
});
