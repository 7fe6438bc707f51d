import { describe, expect, it } from 'vitest';
import { floatArray, plainArray, readFloat8Array } from './pg-arrays.js';

/** What `array_send(ARRAY[…]::float8[])` sends: header, one dimension, then (length, double) per element. */
function arraySend(values: number[]): Buffer {
  if (values.length === 0) return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 189]);
  const out = Buffer.alloc(20 + 12 * values.length);
  out.writeInt32BE(1, 0);
  out.writeInt32BE(0, 4);
  out.writeInt32BE(701, 8);
  out.writeInt32BE(values.length, 12);
  out.writeInt32BE(1, 16);
  values.forEach((v, i) => {
    out.writeInt32BE(8, 20 + 12 * i);
    out.writeDoubleBE(v, 24 + 12 * i);
  });
  return out;
}

describe('pg-arrays', () => {
  it('writes literals as node-postgres would', () => {
    expect(plainArray([])).toBe('{}');
    expect(plainArray(['a', 'b'])).toBe('{a,b}');
    expect(floatArray([1.5, null, undefined, 1e21, -0, 0.1 + 0.2])).toBe(
      '{1.5,NULL,NULL,1e+21,0,0.30000000000000004}',
    );
  });

  it('reads binary float8 arrays exactly, also from an offset inside a larger buffer', () => {
    const values = [0.1 + 0.2, -1e-300, 123456.789, Number.MAX_VALUE];
    expect(readFloat8Array(arraySend(values))).toEqual(values);
    expect(readFloat8Array(arraySend([]))).toEqual([]);
    const padded = Buffer.concat([Buffer.from([9, 9, 9]), arraySend(values)]);
    expect(readFloat8Array(padded.subarray(3))).toEqual(values);
  });
});
