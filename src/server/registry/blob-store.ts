import type { Readable } from 'node:stream';

/** Why a store refused a write; the routes turn these into OCI errors. */
export class BlobStoreError extends Error {
  constructor(
    readonly kind: 'DIGEST_MISMATCH' | 'OFFSET_MISMATCH' | 'UPLOAD_UNKNOWN' | 'SIZE_MISMATCH',
    message: string,
    /** For OFFSET_MISMATCH: the upload's real size, so the client can resume from it. */
    readonly size?: number,
  ) {
    super(message);
    this.name = 'BlobStoreError';
  }
}

/** A blob the store was asked to read is not there (the routes answer BLOB_UNKNOWN). */
export function missingBlob(digest: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`blob ${digest} is not in the store`), { code: 'ENOENT' });
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * Content-addressed bytes. A blob is visible only once complete and verified, so a reader never
 * sees half a blob; metadata (who may see what) lives in PostgreSQL, not here.
 * Upload sessions are append-only files addressed by id.
 */
export interface BlobStore {
  /** The stored size, or null when absent. */
  stat(digest: string): Promise<number | null>;
  read(digest: string, range?: ByteRange): Promise<Readable>;
  /** Stores a whole blob; throws DIGEST_MISMATCH (and stores nothing) when the bytes do not hash to `digest`. */
  put(digest: string, source: Readable): Promise<number>;
  delete(digest: string): Promise<void>;
  list(): AsyncIterable<{ digest: string; modifiedAt: Date }>;

  createUpload(id: string): Promise<void>;
  uploadSize(id: string): Promise<number | null>;
  /** Appends at `offset`, which must be the upload's size; returns the new size (also after a failed stream). */
  appendUpload(id: string, offset: number | null, source: Readable): Promise<number>;
  /** Verifies and publishes the upload as `digest`; on DIGEST_MISMATCH the upload stays as it was. */
  commitUpload(id: string, digest: string): Promise<number>;
  deleteUpload(id: string): Promise<void>;
  listUploads(): AsyncIterable<{ id: string; modifiedAt: Date }>;
  /** Removes leftovers of interrupted writes older than `before`; returns how many. */
  removeStaleTemp(before: Date): Promise<number>;

  /**
   * A URL a client may GET the blob from directly (a pre-signed object-storage URL), valid for
   * `seconds`; null when this store serves its bytes only through the server (the disk store, or
   * object storage the runners cannot reach). Ranges work on it as on /v2.
   */
  downloadUrl(digest: string, seconds: number): Promise<string | null>;

  /**
   * Named objects outside the content-addressed space (archived job logs, docs/operations.md).
   * `putObject` publishes all of `source` or nothing; writing an existing key replaces it whole.
   */
  putObject(key: string, source: Readable): Promise<number>;
  /** The object's bytes, or null when absent. */
  getObject(key: string): Promise<Readable | null>;
  deleteObject(key: string): Promise<void>;
  /** Proves the store is reachable and writable at start, so a bad setting fails loudly, not at the first push. */
  check(): Promise<void>;
}

/** `logs/2026/…`: lowercase segments of letters, digits, dots, dashes and underscores. */
export const OBJECT_KEY = /^[a-z0-9_-][a-z0-9._-]*(\/[a-z0-9_-][a-z0-9._-]*)*$/;
