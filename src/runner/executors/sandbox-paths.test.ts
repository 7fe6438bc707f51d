import { describe, expect, it } from 'vitest';
import { jsonStringBytes } from './sandbox-paths.js';

describe('jsonStringBytes', () => {
  it('counts what JSON.stringify would produce, in UTF-8 bytes', () => {
    const samples = [
      '',
      'plain ascii',
      '\0\0\0',
      'quote " backslash \\ newline \n tab \t cr \r bs \b ff \f',
      '\u001f\u007f',
      'é ü ß',
      '€ 中文',
      '😀 pair',
      'lone \ud800 high',
      'lone \udc00 low',
      Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('utf8'),
    ];
    for (const sample of samples) {
      expect(jsonStringBytes(sample), JSON.stringify(sample)).toBe(Buffer.byteLength(JSON.stringify(sample)));
    }
    // The case: a NUL file grows sixfold.
    expect(jsonStringBytes('\0'.repeat(1000))).toBe(6002);
  });
});
