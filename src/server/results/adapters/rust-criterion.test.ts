import { describe, expect, it } from 'vitest';
import { rustCriterion } from './rust-criterion.js';
import { expectMetric, expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('rust_criterion', f);

describe('rust_criterion', () => {
  it('parses the confidence interval of each benchmark in ns', () => {
    const bmf = rustCriterion.parse(read('many.txt'));
    expect(Object.keys(bmf)).toEqual([
      'noop',
      'parse_small',
      'parse_large',
      'parse: with spaces',
      'greek_mu',
    ]);
    expectMetric(bmf.noop!.latency, { value: 0.3548, lower_value: 0.3512, upper_value: 0.3591 });
    expectMetric(bmf.parse_small!.latency, { value: 2359, lower_value: 2341.2, upper_value: 2378.8 });
    expectMetric(bmf.parse_large!.latency, {
      value: 1_077_500,
      lower_value: 1_071_000,
      upper_value: 1_084_300,
    });
    expectMetric(bmf['parse: with spaces']!.latency, {
      value: 12_345,
      lower_value: 12_001,
      upper_value: 12_700,
    });
    expectMetric(bmf.greek_mu!.latency, { value: 7600, lower_value: 7500, upper_value: 7700 });
  });

  it('takes a long name from the line above', () => {
    const bmf = rustCriterion.parse(read('long_names.txt'));
    expectMetric(bmf['serde_roundtrip/deeply_nested_document_with_long_name/1024']!.latency, {
      value: 48_377,
      lower_value: 48_120,
      upper_value: 48_690,
    });
    expectMetric(bmf.short!.latency, { value: 1.6e9, lower_value: 1.5e9, upper_value: 1.7e9 });
  });

  it('adds throughput from thrpt lines, in elements per second', () => {
    const bmf = rustCriterion.parse(read('throughput.txt'));
    expect(Object.keys(bmf)).toEqual(['tokenize/words/10', 'tokenize/words/1000']);
    expectMetric(bmf['tokenize/words/10']!.throughput, {
      value: 1_217_300,
      lower_value: 1_214_900,
      upper_value: 1_219_400,
    });
    expectMetric(bmf['tokenize/words/1000']!.throughput, {
      value: 1242.2,
      lower_value: 1234,
      upper_value: 1249.8,
    });
    expectMetric(bmf['tokenize/words/1000']!.latency, {
      value: 805_000,
      lower_value: 800_100,
      upper_value: 810_400,
    });
  });

  it('refuses MEDIAN and unrecognised output', () => {
    expectParseError(rustCriterion, read('many.txt'), { average: 'MEDIAN' }, /mean only/);
    expectParseError(rustCriterion, 'x time: [1 ns 2 ns 3 ns]'.replace(' time', 'time'));
    expectParseError(rustCriterion, 'bench   time:   [1 ns 2 ns]', undefined, /time: \[low estimate high\]/);
  });
});
