import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AdapterName } from './adapter.js';
import { ADAPTER_NAMES, adapters, getAdapter, MagicParseError } from './index.js';
import { magic } from './magic.js';
import { expectParseError, fixture } from './testing.js';

const NEGATIVE = new Set(['no_analysis.txt', 'malformed_nan.json', 'malformed_truncated.json']);

function positiveFixtures(): [AdapterName, string][] {
  const dirs = readdirSync(new URL('./fixtures/', import.meta.url)) as AdapterName[];
  return dirs.flatMap((dir) =>
    readdirSync(new URL(`./fixtures/${dir}/`, import.meta.url))
      // Skip notes and the harness sources kept next to real fixtures (`bench.cc.txt`).
      .filter((f) => !f.endsWith('.md') && f.split('.').length === 2 && !NEGATIVE.has(f))
      .map((f): [AdapterName, string] => [dir, f]),
  );
}

describe('magic', () => {
  it.each(positiveFixtures())('recognises %s/%s like the dedicated adapter', (dir, file) => {
    const output = fixture(dir, file);
    expect(magic.parse(output)).toEqual(getAdapter(dir).parse(output));
  });

  it('honours the average when choosing', () => {
    const output = fixture('python_pytest', 'two.json');
    expect(magic.parse(output, { average: 'MEDIAN' })).toEqual(
      adapters.python_pytest.parse(output, { average: 'MEDIAN' }),
    );
  });

  it('lists what it tried when nothing fits', () => {
    const error = expectParseError(
      magic,
      'hello world\n',
      undefined,
      /tried json, c_sharp_dot_net, cpp_google/,
    );
    expect(error).toBeInstanceOf(MagicParseError);
    // Every adapter but magic itself and rust_gungraun (rust_iai_callgrind under another name).
    expect((error as MagicParseError).attempts).toHaveLength(ADAPTER_NAMES.length - 2);
    expect((error as MagicParseError).attempts.map((a) => a.adapter)).toEqual(
      expect.arrayContaining(['js_vitest', 'rust_iai_callgrind', 'dart_benchmark_harness', 'elixir_benchee']),
    );
    expectParseError(magic, '   \n', undefined, /empty/);
  });
});

describe('index', () => {
  it('exposes every adapter by name', () => {
    expect(ADAPTER_NAMES).toHaveLength(21);
    for (const name of ADAPTER_NAMES) expect(getAdapter(name).name).toBe(name);
    expect(() => getAdapter('nope' as AdapterName)).toThrow(/unknown adapter/);
  });
});
