import { describe, expect, it } from 'vitest';
import { shellHyperfine } from './shell-hyperfine.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('shell_hyperfine', f);

describe('shell_hyperfine', () => {
  it('uses mean ± stddev (seconds → ns) by default', () => {
    const bmf = shellHyperfine.parse(read('one.json'));
    expectMetric(bmf['sleep 0.01']!.latency, {
      value: 0.0123003945e9,
      lower_value: (0.0123003945 - 0.0004987637970415451) * 1e9,
      upper_value: (0.0123003945 + 0.0004987637970415451) * 1e9,
    });
  });

  it('uses median with min/max for MEDIAN', () => {
    const bmf = shellHyperfine.parse(read('one.json'), { average: 'MEDIAN' });
    expectMetric(bmf['sleep 0.01']!.latency, {
      value: 0.0120760989e9,
      lower_value: 0.0117655509e9,
      upper_value: 0.0128879179e9,
    });
  });

  it('parses several commands and parameter scans', () => {
    expect(Object.keys(shellHyperfine.parse(read('two.json')))).toEqual(['sleep 0.01', 'sleep 0.02']);
    expect(Object.keys(shellHyperfine.parse(read('param.json')))).toEqual([
      'sleep 0.001',
      'sleep 0.002',
      'sleep 0.003',
    ]);
  });

  it('omits bounds when a single run has no stddev', () => {
    const single = read('one.json').replace(/"stddev": [0-9.e-]+/, '"stddev": null');
    expect(shellHyperfine.parse(single)['sleep 0.01']!.latency).toEqual({ value: 0.0123003945e9 });
  });

  it('rejects other JSON', () => {
    expectParseError(shellHyperfine, '[]', undefined, /"results"/);
    expectParseError(shellHyperfine, '{"results": [{"command": "x", "mean": 1}]}', undefined, /median/);
    expectParseError(shellHyperfine, '{"results": []}', undefined, /no results/);
    expectParseError(shellHyperfine, '{"results": ', undefined, /not valid JSON/);
  });
});
