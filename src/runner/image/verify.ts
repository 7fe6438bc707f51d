import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ImageError } from './errors.js';
import { isDigest } from './reference.js';

export function assertDigest(digest: string): string {
  if (!isDigest(digest)) throw new ImageError('BAD_DIGEST', `unsupported or malformed digest: ${digest}`);
  return digest.slice('sha256:'.length);
}

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Throws unless `data` hashes to `digest` (and has `size` bytes, when a size is known). */
export function verifyBuffer(data: Uint8Array, digest: string, size?: number): void {
  assertDigest(digest);
  if (size !== undefined && data.length !== size) {
    throw new ImageError('SIZE_MISMATCH', `${digest}: expected ${size} bytes, got ${data.length}`);
  }
  const actual = sha256Digest(data);
  if (actual !== digest) throw new ImageError('DIGEST_MISMATCH', `expected ${digest}, got ${actual}`);
}

/**
 * Passes bytes through while hashing them; fails as soon as the stream runs past `size` (so a hostile
 * registry cannot fill the disk) and at the end on a short stream or a digest mismatch.
 */
export class DigestVerifier extends Transform {
  readonly #hash = createHash('sha256');
  #bytes = 0;

  constructor(
    readonly digest: string,
    readonly size?: number,
  ) {
    super();
    assertDigest(digest);
  }

  get bytes(): number {
    return this.#bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.size !== undefined && this.#bytes > this.size) {
      callback(new ImageError('SIZE_MISMATCH', `${this.digest}: more than the expected ${this.size} bytes`));
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size !== undefined && this.#bytes !== this.size) {
      callback(
        new ImageError('SIZE_MISMATCH', `${this.digest}: expected ${this.size} bytes, got ${this.#bytes}`),
      );
      return;
    }
    const actual = `sha256:${this.#hash.digest('hex')}`;
    if (actual !== this.digest) {
      callback(new ImageError('DIGEST_MISMATCH', `expected ${this.digest}, got ${actual}`));
      return;
    }
    callback();
  }
}
