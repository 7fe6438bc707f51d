import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/** The store the configuration names: object storage when BENCHLINE_BLOB_STORE says so, else the disk. */
export function openBlobStore(config: Pick<Config, 'blobStore' | 'blobDir'>): BlobStore {
  return config.blobStore ? new S3BlobStore(config.blobStore) : new FsBlobStore(config.blobDir);
}

/** Names the store for messages, without credentials (the URL never holds any). */
export function describeBlobStore(config: Pick<Config, 'blobStore' | 'blobDir'>): string {
  const s3 = config.blobStore;
  if (!s3) return `the disk at ${config.blobDir}`;
  return `s3://${s3.bucket}/${s3.prefix}${s3.endpoint ? ` at ${s3.endpoint}` : ''}`;
}
