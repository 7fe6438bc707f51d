import { describe, expect, it } from 'vitest';
import { json } from './json.js';
import { expectParseError, fixture } from './testing.js';

const read = (f: string) => fixture('json', f);

describe('json (BMF)', () => {
  it('passes BMF through', () => {
    expect(json.parse(read('latency.json'))).toEqual(JSON.parse(read('latency.json')));
    expect(json.parse(read('multi.json'))['custom measure']).toEqual({ allocations: { value: 0 } });
  });

  it('reads null bounds as absent', () => {
    expect(json.parse(read('nulls.json'))).toEqual({ parse: { latency: { value: 10, upper_value: 12 } } });
  });

  it('keeps a __proto__ benchmark name as data', () => {
    const bmf = json.parse('{"__proto__": {"latency": {"value": 1}}}');
    expect(Object.keys(bmf)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(bmf)).toBe(Object.prototype);
  });

  it('rejects malformed BMF with a pointed message', () => {
    expectParseError(json, read('malformed_nan.json'), undefined, /"latency"\.value must be a finite number/);
    expectParseError(json, read('malformed_truncated.json'), undefined, /not valid JSON/);
    expectParseError(json, '[1]', undefined, /JSON object/);
    expectParseError(json, '{"  ": {"latency": {"value": 1}}}', undefined, /blank/);
    expectParseError(json, '{"b": {"latency": {"value": 1e400}}}', undefined, /finite/);
    expectParseError(json, '{"b": {"latency": {"value": 1, "lower_value": "0"}}}', undefined, /lower_value/);
    expectParseError(json, '{"b": {"latency": {"unit": "ns"}}}', undefined, /value must be a finite number/);
  });

  it('is as lenient as Bencher: {} and empty benchmarks are valid, unknown metric fields ignored', () => {
    expect(json.parse('{}')).toEqual({});
    expect(json.parse('{"b": {}}')).toEqual({});
    expect(json.parse('{"b": {"latency": {"value": 1, "unit": "ns", "description": "d"}}}')).toEqual({
      b: { latency: { value: 1 } },
    });
  });
});
