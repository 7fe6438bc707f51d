import { describe, expect, it } from 'vitest';
import { pythonPytest } from './python-pytest.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('python_pytest', f);

describe('python_pytest', () => {
  it('uses mean ± stddev (seconds → ns) by default', () => {
    const bmf = pythonPytest.parse(read('four.json'));
    expect(Object.keys(bmf)).toEqual([
      'bench.py::test_fib_1',
      'bench.py::test_fib_10',
      'bench.py::test_fib_20',
      'bench.py::test_sleep_2ms',
    ]);
    const stats = JSON.parse(read('four.json')).benchmarks[2].stats;
    expectMetric(bmf['bench.py::test_fib_20']!.latency, {
      value: stats.mean * 1e9,
      lower_value: stats.mean * 1e9 - stats.stddev * 1e9,
      upper_value: stats.mean * 1e9 + stats.stddev * 1e9,
    });
    expectMetric(bmf['bench.py::test_fib_20']!.latency, {
      value: 1_071_957.2000084554,
      lower_value: 1_024_030.6185508153,
      upper_value: 1_119_883.7814660955,
    });
  });

  it('uses median ± IQR for MEDIAN', () => {
    const bmf = pythonPytest.parse(read('two.json'), { average: 'MEDIAN' });
    expectMetric(bmf['bench.py::test_fib_10']!.latency, {
      value: 6248.999966373958,
      lower_value: 6144.74996041281,
      upper_value: 6353.249972335107,
    });
    expect(Object.keys(pythonPytest.parse(read('one.json')))).toEqual(['bench.py::test_fib_1']);
  });

  it('rejects other JSON and malformed stats', () => {
    expectParseError(pythonPytest, '{"benchmarks": []}', undefined, /machine_info/);
    const broken = read('one.json').replace(/"stddev": [0-9.e-]+/, '"stddev": "n/a"');
    expectParseError(pythonPytest, broken, undefined, /mean and stddev/);
    expectParseError(pythonPytest, read('one.json').slice(0, -10), undefined, /not valid JSON/);
  });
});
