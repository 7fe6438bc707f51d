import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertDigest, DigestVerifier, verifyBuffer } from './verify.js';

export interface BlobCacheOptions {
  workDir: string;
  /** Upper bound on the bytes kept; least recently used blobs go first. Unbounded when absent. */
  maxBytes?: number;
}

interface Entry {
  size: number;
  lastAccess: number;
}

/**
 * Content-addressed blobs at `<workDir>/blobs/sha256/<hex>`. Only verified content is ever renamed into
 * place, so whatever is found there can be trusted without re-hashing.
 */
export class BlobCache {
  readonly #root: string;
  readonly #tmp: string;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  #ready: Promise<void> | undefined;
  #clock = 0;

  constructor(options: BlobCacheOptions) {
    this.#root = join(options.workDir, 'blobs', 'sha256');
    this.#tmp = join(options.workDir, 'blobs', 'tmp');
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Scans what an earlier process left; last access is carried in each file's mtime. */
  init(): Promise<void> {
    this.#ready ??= (async () => {
      await mkdir(this.#root, { recursive: true });
      await rm(this.#tmp, { recursive: true, force: true });
      await mkdir(this.#tmp, { recursive: true });
      for (const name of await readdir(this.#root)) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        const info = await stat(join(this.#root, name)).catch(() => undefined);
        if (info?.isFile()) this.#entries.set(name, { size: info.size, lastAccess: info.mtimeMs });
      }
    })();
    return this.#ready;
  }

  path(digest: string): string {
    return join(this.#root, assertDigest(digest));
  }

  get totalBytes(): number {
    let total = 0;
    for (const entry of this.#entries.values()) total += entry.size;
    return total;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** True when the blob is present; counts as an access for eviction. */
  async has(digest: string): Promise<boolean> {
    await this.init();
    const hex = assertDigest(digest);
    const entry = this.#entries.get(hex);
    if (!entry) return false;
    const info = await stat(this.path(digest)).catch(() => undefined);
    if (!info?.isFile()) {
      this.#entries.delete(hex);
      return false;
    }
    await this.#touch(hex, entry);
    return true;
  }

  /** Streams `source` to disk through a verifier; only a fully verified blob appears in the cache. */
  async putStream(digest: string, size: number | undefined, source: Readable | AsyncIterable<Uint8Array>) {
    await this.init();
    const hex = assertDigest(digest);
    const temp = join(this.#tmp, `${hex}.${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(source, new DigestVerifier(digest, size), createWriteStream(temp, { mode: 0o644 }));
      await rename(temp, this.path(digest));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return this.#added(hex);
  }

  async putBuffer(digest: string, data: Uint8Array): Promise<string> {
    await this.init();
    const hex = assertDigest(digest);
    verifyBuffer(data, digest);
    const temp = join(this.#tmp, `${hex}.${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(temp, data, { mode: 0o644 });
      await rename(temp, this.path(digest));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return this.#added(hex);
  }

  /** Drops least recently used blobs until under the bound, never those in `keep`. */
  async evict(keep: Iterable<string> = []): Promise<string[]> {
    await this.init();
    const protectedHex = new Set([...keep].map((d) => assertDigest(d)));
    let total = this.totalBytes;
    const removed: string[] = [];
    const byAge = [...this.#entries.entries()].sort((a, b) => a[1].lastAccess - b[1].lastAccess);
    for (const [hex, entry] of byAge) {
      if (total <= this.#maxBytes) break;
      if (protectedHex.has(hex)) continue;
      await rm(join(this.#root, hex), { force: true });
      this.#entries.delete(hex);
      total -= entry.size;
      removed.push(`sha256:${hex}`);
    }
    return removed;
  }

  async #added(hex: string): Promise<string> {
    const path = join(this.#root, hex);
    const info = await stat(path);
    const entry = { size: info.size, lastAccess: 0 };
    this.#entries.set(hex, entry);
    await this.#touch(hex, entry);
    return path;
  }

  // File times can be coarse or equal within one pull; a monotonic tie-breaker keeps LRU order exact here.
  async #touch(hex: string, entry: Entry): Promise<void> {
    const now = Math.max(Date.now(), entry.lastAccess, this.#clock + 1);
    this.#clock = now;
    entry.lastAccess = now;
    const seconds = now / 1000;
    await utimes(join(this.#root, hex), seconds, seconds).catch(() => {});
  }
}
