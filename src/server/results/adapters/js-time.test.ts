import { describe, expect, it } from 'vitest';
import { jsTime } from './js-time.js';
import { expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('js_time', f);

describe('js_time', () => {
  it('parses console.timeEnd lines into latency', () => {
    expect(jsTime.parse(read('four.txt'))).toEqual({
      default: { latency: { value: 7.5e9 } },
      load_fixtures: { latency: { value: 12.003e9 } },
      'render page 2': { latency: { value: 905e6 } },
      'step 3: setup - teardown': { latency: { value: 1.25e9 } },
    });
  });

  it('converts units and ignores other lines', () => {
    expect(jsTime.parse(read('units.txt'))).toEqual({
      tiny: { latency: { value: 250_000 } },
      small: { latency: { value: 42e6 } },
      huge: { latency: { value: 3e9 } },
    });
    expect(jsTime.parse(read('noise.txt'))).toEqual({ measure: { latency: { value: 830e6 } } });
  });

  it('refuses any average and Node-style output', () => {
    expectParseError(jsTime, read('four.txt'), { average: 'MEDIAN' });
    expectParseError(jsTime, 'label: 1.234ms\n', undefined, /timer ended/);
  });
});
