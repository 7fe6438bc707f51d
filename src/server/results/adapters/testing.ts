import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type Adapter, type AdapterName, type AdapterOptions, AdapterParseError } from './adapter.js';
import type { BmfMetric } from './bmf.js';

/** Test support: reads a fixture of this folder. */
export function fixture(dir: string, file: string): string {
  return readFileSync(new URL(`./fixtures/${dir}/${file}`, import.meta.url), 'utf8');
}

export function expectMetric(actual: BmfMetric | undefined, expected: BmfMetric): void {
  expect(actual).toBeDefined();
  expect(Object.keys(actual!).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    expect(actual![key as keyof BmfMetric]).toBeCloseTo(value as number, 6);
  }
}

export function expectParseError(
  adapter: Adapter,
  output: string,
  options?: AdapterOptions,
  message?: RegExp,
): AdapterParseError {
  let caught: unknown;
  try {
    adapter.parse(output, options);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AdapterParseError);
  const error = caught as AdapterParseError;
  expect(error.code).toBe('PARSE_ERROR');
  expect(error.adapter).toBe(adapter.name satisfies AdapterName);
  if (message) expect(error.message).toMatch(message);
  return error;
}
