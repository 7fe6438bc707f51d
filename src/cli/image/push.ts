import type { PushProgress } from './progress.js';
import type { PushTarget } from './reference.js';
import { RegistryClient } from './registry-client.js';
import type { ImageSource } from './source.js';

export interface PushOptions {
  target: PushTarget;
  token: string | null;
  progress: PushProgress;
  /** Bytes per PATCH request. */
  chunkSize?: number;
  /** Blobs uploaded at once. */
  concurrency?: number;
  fetch?: typeof fetch;
  retryDelayMs?: number;
}

export interface PushResult {
  digest: string;
  reference: string;
  pushed: number;
  skipped: number;
}

export const DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

/** Pushes blobs (skipping ones the registry has), then child manifests, then the tagged root manifest. */
export async function pushImage(source: ImageSource, options: PushOptions): Promise<PushResult> {
  const client = new RegistryClient({
    registryUrl: options.target.registryUrl,
    repository: options.target.repository,
    token: options.token,
    fetch: options.fetch,
    retryDelayMs: options.retryDelayMs,
  });
  const { progress } = options;
  progress.start(
    source.blobs.reduce((sum, b) => sum + b.size, 0),
    source.blobs.length,
  );
  let pushed = 0;
  let skipped = 0;
  const queue = [...source.blobs];
  const worker = async () => {
    for (let blob = queue.shift(); blob; blob = queue.shift()) {
      if (await client.blobExists(blob.digest)) {
        skipped++;
        progress.blobSkipped(blob.digest, blob.size);
        continue;
      }
      progress.blobStarted(blob.digest, blob.size);
      const { digest } = blob;
      await client.uploadBlob(digest, blob.size, (start, end) => source.open(digest, start, end), {
        chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
        onProgress: (bytes) => progress.bytes(bytes),
      });
      pushed++;
      progress.blobDone(blob.digest, blob.size);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 3 }, worker));
  for (const child of source.children) await client.putManifest(child.digest, child.mediaType, child.bytes);
  const digest = await client.putManifest(options.target.tag, source.root.mediaType, source.root.bytes);
  progress.finish();
  const { registryHost, repository, tag } = options.target;
  return {
    digest: digest || source.root.digest,
    reference: `${registryHost}/${repository}:${tag}`,
    pushed,
    skipped,
  };
}
