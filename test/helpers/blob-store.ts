import { afterAll } from 'vitest';
import type { BlobStore } from '../../src/server/registry/blob-store.js';
import { parseBlobStoreUrl } from '../../src/server/registry/blob-store-url.js';
import { FsBlobStore } from '../../src/server/registry/fs-blob-store.js';
import { S3BlobStore } from '../../src/server/registry/s3-blob-store.js';
import { startS3Server, type TestS3Server } from './s3-server.js';

/**
 * TEST_BLOB_STORE=s3 runs a suite's registry on an S3 store over a moto_server of the file's own;
 * unset (or `disk`), on the disk under `blobDir`. `TEST_BLOB_STORE=s3-no-redirect` keeps blob
 * downloads going through the server.
 */
export const testBlobStoreKind = process.env.TEST_BLOB_STORE || 'disk';

/** The S3 server behind the last store openTestBlobStore opened on one (a test may read its log). */
export let lastTestS3Server: TestS3Server | null = null;

export async function openTestBlobStore(blobDir: string, kind = testBlobStoreKind): Promise<BlobStore> {
  if (kind === 'disk') return new FsBlobStore(blobDir);
  if (kind !== 's3' && kind !== 's3-no-redirect') {
    throw new Error(`TEST_BLOB_STORE=${kind}: use disk, s3 or s3-no-redirect`);
  }
  const server = await startS3Server({ redirect: kind === 's3' });
  lastTestS3Server = server;
  const store = new S3BlobStore({
    ...parseBlobStoreUrl(server.url)!,
    credentials: {
      accessKeyId: server.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: server.env.AWS_SECRET_ACCESS_KEY,
    },
  });
  afterAll(async () => {
    store.destroy();
    await server.stop();
  });
  return store;
}
