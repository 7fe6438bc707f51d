/**
 * Array parameters and results for the bulk statements of result processing.
 *
 * node-postgres turns a JS array parameter into an array literal by quoting and regex-escaping every
 * element; for a report's ~10,000 uuids and numbers that was ~20 ms of node time. uuids and numbers
 * need no quoting, so the literal is joined here (numbers as `String(n)`, as pg itself writes them).
 */

/** `{a,b,…}` of uuids (or integers): elements that never need quoting. */
export function plainArray(values: ReadonlyArray<string | number>): string {
  return `{${values.join(',')}}`;
}

/** `{…}` of float8 values, nulls as NULL. */
export function floatArray(values: ReadonlyArray<number | null | undefined>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null || v === undefined ? 'NULL' : String(v);
  }
  return `${out}}`;
}

/**
 * The elements of a one-dimensional float8[] without NULLs as sent by `array_send()`: a 12-byte header
 * (dimensions, null flag, element type), the dimension's length and lower bound, then per element its
 * 4-byte length and the 8-byte IEEE double. Binary, so values are exact and nothing is parsed as text.
 */
export function readFloat8Array(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0) === 0) return [];
  const n = view.getInt32(12);
  const values = new Array<number>(n);
  for (let i = 0, at = 24; i < n; i++, at += 12) values[i] = view.getFloat64(at);
  return values;
}
