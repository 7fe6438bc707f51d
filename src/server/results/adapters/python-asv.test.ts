import { describe, expect, it } from 'vitest';
import { pythonAsv } from './python-asv.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('python_asv', f);

describe('python_asv', () => {
  it('parses value±spread lines in any time unit', () => {
    const bmf = pythonAsv.parse(read('six.txt'));
    expect(Object.keys(bmf)).toEqual([
      'benchmarks.TimeSuite.time_append',
      'benchmarks.TimeSuite.time_insert',
      'benchmarks.TimeSuite.time_sort',
      'benchmarks.TimeSuite.time_sleep',
      'benchmarks.TimeSuite.time_micro_sign',
    ]);
    expectMetric(bmf['benchmarks.TimeSuite.time_append']!.latency, {
      value: 12_500,
      lower_value: 12_480,
      upper_value: 12_520,
    });
    expectMetric(bmf['benchmarks.TimeSuite.time_insert']!.latency, {
      value: 2.1e6,
      lower_value: 2e6,
      upper_value: 2.2e6,
    });
    expectMetric(bmf['benchmarks.TimeSuite.time_micro_sign']!.latency, {
      value: 3300,
      lower_value: 3100,
      upper_value: 3500,
    });
  });

  it('parses single results and skips parameter tables', () => {
    expect(Object.keys(pythonAsv.parse(read('one.txt')))).toEqual(['benchmarks.Suite.time_parse']);
    expect(Object.keys(pythonAsv.parse(read('params.txt')))).toEqual(['benchmarks.Plain.time_plain']);
  });

  it('refuses MEAN and output without timings', () => {
    expectParseError(pythonAsv, read('one.txt'), { average: 'MEAN' });
    expectParseError(pythonAsv, '[ 50.00%] ··· benchmarks.T.time_x    failed\n', undefined, /asv timing/);
  });
});
