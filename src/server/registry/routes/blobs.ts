import { pipeline } from 'node:stream/promises';
import { openRepository } from '../access.js';
import type { ByteRange } from '../blob-store.js';
import { registryError } from '../errors.js';
import { type RegistryRequest, send } from '../http.js';
import { checkDigest } from '../names.js';
import { repositoryBlobSize, touchBlob, unlinkBlob } from '../repositories.js';

/** Parses a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null when absent, 'invalid' when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'invalid' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'invalid';
    return { start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

/** GET / HEAD /v2/<name>/blobs/<digest>, with Range support. */
export async function getBlob(r: RegistryRequest, name: string, rawDigest: string): Promise<void> {
  const repository = await openRepository(r, name, 'pull');
  const digest = checkDigest(rawDigest);
  const head = r.req.method === 'HEAD';
  const size = await repositoryBlobSize(r.ctx.db, repository.id, digest);
  if (size === null) {
    // Manifests are content-addressed too; clients may fetch them as blobs.
    const manifest = await r.ctx.db
      .selectFrom('registry_manifest')
      .select(['content', 'media_type'])
      .where('repository_id', '=', repository.id)
      .where('digest', '=', digest)
      .executeTakeFirst();
    if (!manifest) throw registryError('BLOB_UNKNOWN', `blob ${digest} is unknown to ${name}`, { digest });
    const headers = { 'content-type': manifest.media_type, 'docker-content-digest': digest };
    if (head)
      return void r.res.writeHead(200, { ...headers, 'content-length': manifest.content.length }).end();
    return send(r.res, 200, headers, manifest.content);
  }
  const headers: Record<string, string | number> = {
    'content-type': 'application/octet-stream',
    'docker-content-digest': digest,
    etag: `"${digest}"`,
    'accept-ranges': 'bytes',
    'cache-control': 'max-age=31536000',
  };
  if (head) {
    await touchBlob(r.ctx.db, digest, r.ctx.clock.now());
    return void r.res.writeHead(200, { ...headers, 'content-length': size }).end();
  }
  const range = parseRange(r.req.headers.range, size);
  if (range === 'invalid') {
    return send(r.res, 416, { 'content-range': `bytes */${size}` });
  }
  // Object storage serves the bytes itself: the client follows a short-lived signed URL, and the
  // layer never passes through this server. Ranges travel with the client's request.
  const direct = await r.ctx.store.downloadUrl(digest, r.ctx.config.blobRedirectSeconds);
  if (direct) {
    return send(r.res, 307, {
      location: direct,
      'docker-content-digest': digest,
      'cache-control': 'no-store',
    });
  }
  let stream: Awaited<ReturnType<typeof r.ctx.store.read>>;
  try {
    stream = await r.ctx.store.read(digest, range ?? undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw registryError('BLOB_UNKNOWN', `blob ${digest} is missing from storage`, { digest });
    }
    throw error;
  }
  if (range) {
    r.res.writeHead(206, {
      ...headers,
      'content-length': range.end - range.start + 1,
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
    });
  } else {
    r.res.writeHead(200, { ...headers, 'content-length': size });
  }
  // A client hanging up mid-blob is routine; nothing to report.
  await pipeline(stream, r.res).catch(() => {});
}

/** DELETE /v2/<name>/blobs/<digest>: unlinks it from the repository; the bytes go at garbage collection. */
export async function deleteBlob(r: RegistryRequest, name: string, rawDigest: string): Promise<void> {
  const repository = await openRepository(r, name, 'delete');
  const digest = checkDigest(rawDigest);
  if (!(await unlinkBlob(r.ctx.db, repository.id, digest))) {
    throw registryError('BLOB_UNKNOWN', `blob ${digest} is unknown to ${name}`, { digest });
  }
  send(r.res, 202);
}
