import type { LogChunk } from '../live/log-chunks.js';
import type { BlobStore } from '../registry/blob-store.js';
import { decodeArchive } from './archive-format.js';

/** Reads archived job logs (services.logArchive); what the live streams and jobLogChunks fall back to. */
export interface ArchivedLogReader {
  /** Up to `limit` chunks with seq ≥ `fromSeq`, in order. */
  read(jobId: string, key: string, fromSeq: number, limit: number): Promise<LogChunk[]>;
}

/** Decoded archives kept for the pages that follow the first (a replay reads one log page by page). */
const CACHE_BYTES = 64 * 1024 * 1024;

export class BlobStoreLogReader implements ArchivedLogReader {
  readonly #cache = new Map<string, { chunks: Promise<LogChunk[]>; bytes: number }>();
  #cachedBytes = 0;

  constructor(readonly store: BlobStore) {}

  #load(jobId: string, key: string): Promise<LogChunk[]> {
    const hit = this.#cache.get(key);
    if (hit) {
      // Most recently used last, so eviction takes the oldest.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit.chunks;
    }
    const entry = {
      bytes: 0,
      chunks: (async () => {
        const source = await this.store.getObject(key);
        if (!source) throw new Error(`the archived log ${key} is missing from the blob store`);
        return decodeArchive(jobId, source);
      })(),
    };
    this.#cache.set(key, entry);
    entry.chunks.then(
      (chunks) => {
        if (this.#cache.get(key) !== entry) return;
        entry.bytes = chunks.reduce((sum, c) => sum + c.data.length + 64, 0);
        this.#cachedBytes += entry.bytes;
        for (const [oldKey, old] of this.#cache) {
          if (this.#cachedBytes <= CACHE_BYTES || oldKey === key) break;
          this.#cache.delete(oldKey);
          this.#cachedBytes -= old.bytes;
        }
      },
      () => {
        if (this.#cache.get(key) === entry) this.#cache.delete(key);
      },
    );
    return entry.chunks;
  }

  async read(jobId: string, key: string, fromSeq: number, limit: number): Promise<LogChunk[]> {
    const chunks = await this.#load(jobId, key);
    // Seqs are gapless from 0 in most logs, so start there and step back if a gap moved it.
    let i = Math.min(Math.max(fromSeq, 0), chunks.length);
    while (i > 0 && chunks[i - 1].seq >= fromSeq) i--;
    while (i < chunks.length && chunks[i].seq < fromSeq) i++;
    return chunks.slice(i, i + limit);
  }
}
