import { describe, expect, it } from 'vitest';
import { cSharpDotNet } from './c-sharp-dot-net.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('c_sharp_dot_net', f);

describe('c_sharp_dot_net', () => {
  it('uses mean ± standard deviation by default', () => {
    const bmf = cSharpDotNet.parse(read('two.json'));
    expect(Object.keys(bmf)).toEqual(['Samples.Fib10', 'Samples.Fib20']);
    expectMetric(bmf['Samples.Fib10']!.latency, { value: 250.5, lower_value: 246, upper_value: 255 });
    expect(cSharpDotNet.parse(read('two.json'), { average: 'MEAN' })).toEqual(bmf);
  });

  it('uses median ± interquartile range for MEDIAN', () => {
    const bmf = cSharpDotNet.parse(read('two.json'), { average: 'MEDIAN' });
    expectMetric(bmf['Samples.Fib20']!.latency, { value: 30_250, lower_value: 29_450, upper_value: 31_050 });
  });

  it('names global-namespace benchmarks by method only', () => {
    expect(Object.keys(cSharpDotNet.parse(read('null_namespace.json')))).toEqual(['Sleep']);
    expectMetric(cSharpDotNet.parse(read('one.json'))['Demo.Strings.Join']!.latency, {
      value: 12.75,
      lower_value: 12.5,
      upper_value: 13,
    });
  });

  it('rejects other JSON and missing statistics', () => {
    expectParseError(cSharpDotNet, '{"Benchmarks": []}', undefined, /HostEnvironmentInfo/);
    expectParseError(
      cSharpDotNet,
      '{"HostEnvironmentInfo": {}, "Benchmarks": [{"Method": "M", "Statistics": {"Mean": 1}}]}',
      undefined,
      /Mean and StandardDeviation/,
    );
    expectParseError(
      cSharpDotNet,
      '{"HostEnvironmentInfo": {}, "Benchmarks": [',
      undefined,
      /not valid JSON/,
    );
  });
});
